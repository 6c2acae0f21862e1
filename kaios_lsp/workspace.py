"""The workspace scan shared by ``kaios-lsp check`` and the server's workspace check:
which files of a folder kaios-lsp judges, and checking (and safely fixing) one of them."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from kaios_lsp.app.package import is_package

log = logging.getLogger("kaios_lsp.analysis")

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
# .json: data and config files an app ships are read for leaked secrets (KAI520)
CHECKED_SUFFIXES = (".html", ".htm", ".js", ".mjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".json")


def iter_files(path: str, target: str) -> Iterator[str]:
    """The files ``check`` judges under ``path``: manifests, pages, scripts, build configs,
    and packages (``.zip``, each checked as a whole by :func:`check_package`)."""
    from kaios_lsp.app.manifest import manifest_kind
    from kaios_lsp.app.project import TARGET_CONFIG_NAMES

    if os.path.isfile(path):
        yield path
        return
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if is_package(name):
                yield os.path.join(folder, name)  # an uploaded package, checked as a whole
            elif name == "manifest.json":
                text = peek(os.path.join(folder, name))
                if manifest_kind(name, text, target) is None:
                    continue
                yield os.path.join(folder, name)
            elif (
                manifest_kind(name, None, target) is not None
                or name.lower().endswith(CHECKED_SUFFIXES)
                or name in TARGET_CONFIG_NAMES
            ) and not name.endswith(".d.ts"):
                yield os.path.join(folder, name)


def peek(path: str, limit: int | None = 65536) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit if limit is not None else -1).decode("utf-8", "replace")
    except OSError:
        return ""


def check_file(absolute: str, path: str, single: bool, config, fix: bool):
    """Analyse (and with ``fix``, safely fix) one file: (text, findings, problem)."""
    from kaios_lsp.app.files import DiskFiles
    from kaios_lsp.engine import analyze_document, decode
    from kaios_lsp.findings import Severity
    from kaios_lsp.services.fixes import apply_edits, safe_fix_edits

    files = DiskFiles()
    with open(absolute, "rb") as handle:
        data = handle.read()
    text, decode_findings, analysable = decode(data, config.max_file_size)
    analysis = analyze_document(absolute, text, config, files) if analysable else None
    if analysis is not None and analysis.kind is None:
        if not single:
            return text, [], ""
        return (
            text,
            [],
            f"{path}: not a KaiOS manifest (manifest.webapp, manifest.webmanifest or manifest.json); skipped",
        )
    if fix and analysable and not decode_findings and analysis is not None:
        fixed = text
        for _ in range(10):
            edits = safe_fix_edits(analysis.findings)
            if not edits:
                break
            fixed = apply_edits(fixed, edits)
            analysis = analyze_document(absolute, fixed, config, files)
        if fixed != text:
            with open(absolute, "w", encoding="utf-8", newline="") as handle:
                handle.write(fixed)
            text = fixed
    findings = list(decode_findings)
    for finding in findings:
        finding.severity = finding.severity or Severity.ERROR
    if analysis is not None:
        findings.extend(analysis.findings)
    return text, findings, None


@dataclass
class PackageFile:
    """One file of a checked package: its virtual path (``/x/app.zip!/js/app.js``), the
    text its positions refer to ("" for the package itself or a binary entry), findings."""

    path: str
    text: str
    findings: list[Any] = field(default_factory=list)


def check_package(
    absolute: str, config: Any, now: datetime | None = None, jobs: int = 1
) -> list[PackageFile]:
    """Check an uploaded package in memory: its structure and signature (the rules that
    declare ``PACKAGE_CHECKS``), then every manifest, page and script of the app in it,
    exactly as in a folder. The package itself comes first (findings at its start). With
    ``jobs`` > 1 a big app's files are analysed in that many processes, as ``check`` does
    for folders (each process reads the package again: cheaper than sending it)."""
    from kaios_lsp.rules.meta import collect

    now = now or datetime.now(timezone.utc)
    package = _open_package(absolute)
    results: dict[str, PackageFile] = {absolute: PackageFile(absolute, "")}
    for check in collect("kaios_lsp.rules", "PACKAGE_CHECKS"):
        try:
            found = check(package, config, now)
        except Exception:  # a bug in one check must not cost the package its other findings
            log.exception("%s failed on %s", getattr(check, "__name__", check), absolute)
            continue
        for entry, finding in found:
            target = absolute if entry is None else package.virtual(entry)
            results.setdefault(target, PackageFile(target, "")).findings.append(finding)
    names = _app_entries(package, config)
    size = sum(len(package.entries[name]) for name in names)
    if jobs > 1 and len(names) > 1 and size > 1_000_000:
        from concurrent.futures import ProcessPoolExecutor

        batches = _balanced(names, [len(package.entries[n]) for n in names], jobs)
        with ProcessPoolExecutor(max_workers=len(batches)) as pool:
            analysed = [
                item
                for batch in pool.map(
                    _analyse_in_process, [absolute] * len(batches), batches, [config] * len(batches)
                )
                for item in batch
            ]
    else:
        analysed = _analyse_entries(package, names, config)
    for path, text, findings in sorted(analysed, key=lambda item: item[0]):
        result = results.setdefault(path, PackageFile(path, ""))
        result.text = text
        result.findings = findings + result.findings
    _resolve_package_findings(results, config)
    return list(results.values())


def _open_package(absolute: str) -> Any:
    from kaios_lsp.app.package import read_package

    try:
        with open(absolute, "rb") as handle:
            data = handle.read()
        info = os.stat(absolute)
    except OSError as exc:  # reported by the structure rule as an unreadable package
        package = read_package(absolute, b"")
        package.unreadable = str(exc)
        return package
    return read_package(absolute, data, stamp=(info.st_mtime_ns, info.st_size))


def _app_entries(package: Any, config: Any) -> list[str]:
    """The entries of the app that ``check`` judges, as it would in the app's folder."""
    from kaios_lsp.app.manifest import manifest_kind

    root = package.app_root
    names = []
    for name in sorted(package.entries):
        if root and not name.startswith(root.rstrip("/") + "/"):
            continue
        base = name.rsplit("/", 1)[-1]
        judged = (
            base.lower().endswith(CHECKED_SUFFIXES) and not base.endswith(".d.ts")
        ) or manifest_kind(base, None, config.target) is not None
        if not judged:
            continue
        if any(part in SKIP_DIRS for part in name.split("/")[:-1]):
            continue  # node_modules/ or .git/ zipped along: reported once, not file by file
        names.append(name)
    return names


def _analyse_entries(
    package: Any, names: list[str], config: Any
) -> list[tuple[str, str, list[Any]]]:
    from kaios_lsp.engine import analyze_document, decode
    from kaios_lsp.findings import Severity

    files = package.files
    out = []
    for name in names:
        path = package.virtual(name)
        text, decode_findings, analysable = decode(package.entries[name], config.max_file_size)
        analysis = analyze_document(path, text, config, files) if analysable else None
        if analysis is not None and analysis.kind is None:
            continue  # a manifest.json that is not a web app manifest, JSON of no app
        findings = list(decode_findings)
        for finding in findings:
            finding.severity = finding.severity or Severity.ERROR
        if analysis is not None:
            findings.extend(analysis.findings)
        out.append((path, text, findings))
    return out


def _analyse_in_process(
    absolute: str, names: list[str], config: Any
) -> list[tuple[str, str, list[Any]]]:
    return _analyse_entries(_open_package(absolute), names, config)


def _balanced(names: list[str], sizes: list[int], count: int) -> list[list[str]]:
    """``names`` in ``count`` batches of about the same total size (biggest first)."""
    batches: list[list[str]] = [[] for _ in range(min(count, len(names)))]
    totals = [0] * len(batches)
    for size, name in sorted(zip(sizes, names, strict=True), reverse=True):
        lightest = totals.index(min(totals))
        batches[lightest].append(name)
        totals[lightest] += size
    return [batch for batch in batches if batch]


def _resolve_package_findings(results: dict[str, PackageFile], config: Any) -> None:
    """Severity of the package rules' findings as configured (the documents' findings were
    resolved by the engine); rules turned off are dropped."""
    from kaios_lsp.findings import Severity
    from kaios_lsp.rules.catalog import RULES

    for result in results.values():
        kept = []
        for finding in result.findings:
            if finding.severity is None:
                rule = RULES.get(finding.rule)
                default = rule.severity if rule else Severity.WARNING
                severity = config.severity(finding.rule, default)
                if severity is None:
                    continue
                finding.severity = severity
            kept.append(finding)
        result.findings = kept
