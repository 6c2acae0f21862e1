"""``kaios-lsp check PATH...``: the server's analysis over whole apps, for CI.

Reports as text, JSON or SARIF; exits 1 when an error is found.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from kaios_lsp.app.package import is_package
from kaios_lsp.workspace import (
    CHECKED_SUFFIXES,
    SKIP_DIRS,
    check_file,
    check_package,
    iter_files,
    peek,
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help="check apps and report findings (exit 1 on errors)")
    check.add_argument(
        "paths", nargs="+", metavar="PATH", help="app folders, manifest files or packages (.zip)"
    )
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.add_argument(
        "--target",
        choices=("auto", "2.5", "3.0"),
        help="KaiOS version (default: from the config, else auto)",
    )
    check.add_argument(
        "--config", metavar="FILE", help="use this kaios-lsp.toml instead of looking for one"
    )
    check.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="ID=LEVEL",
        help="override a rule's severity, e.g. KAI105=off (repeatable)",
    )
    check.add_argument(
        "--fix", action="store_true", help="apply safe fixes to the files, then report what is left"
    )
    check.add_argument(
        "--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout"
    )
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="processes to analyse files with (default: one per CPU core for big apps)",
    )
    check.add_argument(
        "--explain-app",
        action="store_true",
        help="print the app model first: shipped package, build input, targets, entry points",
    )
    check.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress bar on stderr (auto: when stderr is a terminal)",
    )


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kaios_lsp.cli.report import FileReport
    from kaios_lsp.config import Config
    from kaios_lsp.findings import Severity
    from kaios_lsp.parse.text import LineIndex
    from kaios_lsp.settings import apply_settings, load_project_config

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        parser.error("no such file or folder: " + ", ".join(missing))
    overrides: dict[str, str] = {}
    for item in args.rule:
        key, sep, level = item.partition("=")
        if not sep:
            parser.error(f"--rule needs ID=LEVEL, not {item!r}")
        overrides[key] = level
    explicit: Config | None = None
    if args.config:
        if not os.path.isfile(args.config):
            parser.error(f"no such config file: {args.config}")
        explicit = _load_config_file(args.config)

    def config_for(path: str) -> Config:
        config = explicit or load_project_config(os.path.dirname(os.path.abspath(path)))
        if args.target:
            config = replace(config, target=args.target)
        if overrides:
            config = apply_settings(config, {"rules": overrides}, "--rule")
        return config

    reports: list[FileReport] = []
    problems: set[str] = set()
    seen: set[str] = set()
    work: list[tuple[str, str, bool, Config]] = []
    for root in args.paths:
        target = args.target or "auto"
        for path in iter_files(root, target):
            absolute = os.path.abspath(path)
            if absolute in seen:
                continue
            seen.add(absolute)
            config = config_for(absolute)
            problems.update(config.problems)
            work.append((absolute, path, os.path.isfile(root), config))
    packages = [item for item in work if is_package(item[0])]
    work = [item for item in work if not is_package(item[0])]
    models = _app_models(work)
    if args.explain_app:
        for model in models:
            print(
                "\n".join(model.describe()) + "\n",
                file=sys.stderr if args.format != "text" else sys.stdout,
            )
    for extra in _loaded_from_skipped_folders(models, seen):
        seen.add(extra)
        work.append((extra, extra, False, config_for(extra)))
    sizes = [_size(item[0]) for item in work]
    jobs = args.jobs or (min(os.cpu_count() or 1, 8) if sum(sizes) > 1_000_000 else 1)
    progress = _Progress(
        len(work) + len(packages), sum(sizes) + sum(_size(p[0]) for p in packages), args.progress
    )
    for (absolute, _path, _single, _config), result in zip(
        work, _run_checks(work, bool(args.fix), jobs), strict=True
    ):
        text, findings, problem = result
        progress.done(absolute)
        if problem is not None:
            if problem:  # "" means: not a file kaios-lsp judges (a package.json of no app)
                problems.add(problem)
            continue
        display = (
            os.path.relpath(absolute)
            if not os.path.relpath(absolute).startswith("..")
            else absolute
        )
        reports.append(FileReport(absolute, display, LineIndex(text), findings))
    for absolute, _path, _single, config in packages:
        package_jobs = args.jobs or (
            min(os.cpu_count() or 1, 8) if _size(absolute) > 500_000 else 1
        )
        reports += _package_reports(absolute, config, package_jobs)
        progress.done(absolute)
    progress.finish()
    for problem in sorted(problems):
        print(f"kaios-lsp: {problem}", file=sys.stderr)
    if not reports:
        print("kaios-lsp: no KaiOS manifest found under " + ", ".join(args.paths), file=sys.stderr)

    if args.format == "json":
        from kaios_lsp.cli import json_report

        output = json_report.render(reports)
    elif args.format == "sarif":
        from kaios_lsp.cli import sarif

        output = sarif.render(reports)
    else:
        from kaios_lsp.cli import text_report

        stream_is_tty = args.output is None and sys.stdout.isatty()
        color = args.color == "always" or (
            args.color == "auto" and stream_is_tty and "NO_COLOR" not in os.environ
        )
        output = text_report.render(reports, color=color, notes=_model_notes(models))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(output)
    else:
        sys.stdout.write(output)
    has_error = any(f.severity == Severity.ERROR for r in reports for f in r.findings)
    return 1 if has_error else 0


def _display(absolute: str) -> str:
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def _package_reports(absolute: str, config, jobs: int) -> list:
    """One report per file of an uploaded package with findings (the package itself for
    its structure and signature), named ``app.zip!/js/app.js``."""
    from kaios_lsp.cli.report import FileReport
    from kaios_lsp.parse.text import LineIndex

    shown = _display(absolute)
    # fixes edit files: inside a package they are made in the sources it was built from
    return [
        FileReport(
            result.path,
            shown + result.path[len(absolute) :],
            LineIndex(result.text),
            [replace(finding, fixes=()) for finding in result.findings],
        )
        for result in check_package(absolute, config, jobs=jobs)
    ]


def _app_models(work) -> list:
    """The app model of every manifest being checked (what ships, what runs)."""
    from kaios_lsp.app.files import DiskFiles
    from kaios_lsp.app.manifest import load_manifest, manifest_kind
    from kaios_lsp.app.model import build_model

    files = DiskFiles()
    models = []
    for absolute, _path, _single, config in work:
        text = peek(absolute, limit=None)
        kind = manifest_kind(absolute, text, config.target)
        if kind is None:
            continue
        model = build_model(load_manifest(text, absolute, kind), files, config.exclude)
        if model is not None:
            models.append(model)
    return models


def _loaded_from_skipped_folders(models, seen: set[str]) -> list[str]:
    """Scripts and pages in node_modules (or another skipped folder) that a page of an
    app loads: they ship and run, so they are checked."""
    extra = []
    for model in models:
        if model.reach is None:
            continue
        for path in sorted(model.reach.reached):
            parts = set(os.path.relpath(path, model.package_root).split(os.sep)[:-1])
            if parts & SKIP_DIRS and path not in seen and path.lower().endswith(CHECKED_SUFFIXES):
                extra.append(path)
    return extra


def _model_notes(models) -> list[str]:
    """One line per app whose files are not all judged as shipped: where and why."""
    from kaios_lsp.app.model import INPUT, PLAIN

    notes = []
    for model in models:
        where = os.path.relpath(model.manifest_path)
        if model.situation == PLAIN and (model.reach is None or model.reach.everything):
            continue
        if model.situation == INPUT:
            notes.append(
                f"{where}: build input ({model.build.label if model.build else ''}; "
                f"{'; '.join(model.reasons)}): judged for behaviour, not for the shipped syntax."
            )
        elif model.situation != PLAIN:
            notes.append(
                f"{where}: {model.describe()[1].split(' — ', 1)[-1]} ({'; '.join(model.reasons)})."
            )
        unopened = model.unreached_files()
        if unopened:
            notes.append(
                f"{where}: {len(unopened)} page(s)/script(s) no entry point opens: findings there are hints "
                "(--explain-app lists them)."
            )
    return notes


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _run_checks(work, fix: bool, jobs: int):
    """Results in input order; big apps are split over processes (the analysis is
    CPU-bound Python, so threads would not help)."""
    import gc

    # What is loaded by now (the rules, esprima's Unicode tables) lives as long as the
    # process: a full collection need not walk it again (about 50 ms each), and a forked
    # worker shares its pages instead of copying them.
    gc.freeze()
    try:
        yield from _checked(work, fix, jobs)
    finally:
        gc.unfreeze()  # (``run`` may be called again in this process: tests)


def _checked(work, fix: bool, jobs: int):
    if jobs <= 1 or len(work) < 2:
        for absolute, path, single, config in work:
            yield check_file(absolute, path, single, config, fix)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # biggest files first: a big bundle started last would keep one process busy
        # after the others are done
        order = sorted(range(len(work)), key=lambda i: -_size(work[i][0]))
        futures = {i: pool.submit(check_file, *work[i], fix) for i in order}
        for i in range(len(work)):
            yield futures[i].result()


class _Progress:
    """``[#####.....] 12/43 files, 2.1/5.1 MB`` on stderr, redrawn in place."""

    def __init__(self, count: int, total: int, mode: str) -> None:
        self.count, self.total = count, total
        self.files = self.bytes = 0
        self.enabled = mode == "always" or (mode == "auto" and sys.stderr.isatty())
        self.enabled = self.enabled and count > 1

    def done(self, path: str) -> None:
        self.files += 1
        self.bytes += _size(path)
        if not self.enabled:
            return
        share = self.bytes / self.total if self.total else self.files / self.count
        filled = int(share * 30)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.files}/{self.count} files, "
            f"{self.bytes / 1e6:.1f}/{self.total / 1e6:.1f} MB"
        )
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


def _load_config_file(path: str):
    from kaios_lsp.config import Config
    from kaios_lsp.settings import apply_settings, tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return Config(problems=(f"{path}: {exc}",))
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("kaios-lsp", {})
    return apply_settings(Config(), data, path)
