"""The workspace scan shared by ``kaios-lsp check`` and the server's workspace check:
which files of a folder kaios-lsp judges, and checking (and safely fixing) one of them."""

from __future__ import annotations

import os
from collections.abc import Iterator

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
CHECKED_SUFFIXES = (".html", ".htm", ".js", ".mjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")


def iter_files(path: str, target: str) -> Iterator[str]:
    from kaios_lsp.app.manifest import manifest_kind
    from kaios_lsp.app.project import TARGET_CONFIG_NAMES

    if os.path.isfile(path):
        yield path
        return
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name == "manifest.json":
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
