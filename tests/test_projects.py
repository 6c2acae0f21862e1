"""Realistic KaiOS projects with and without a build step (tests/data/projects, each with
an EXPECTED.md written by hand): kaios-lsp reports exactly the findings that are true for
the app as it ships and runs, and nothing in build input that the build removes.

The same findings come from ``kaios-lsp check``, from the server as files are opened, and
from the server's workspace check.
"""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from kaios_lsp.cli import main as cli_main

PROJECTS = Path(__file__).resolve().parent / "data" / "projects"

# (file relative to the project, 1-based line, rule, severity)
EXPECTED: dict[str, list[tuple[str, int, str, str]]] = {
    "preact-webpack": [
        ("dist/bundle.js", 151, "KAI402", "hint"),  # regenerator's catch fallback: never runs
        ("dist/bundle.js", 521, "KAI402", "error"),
        ("dist/index.html", 7, "KAI301", "error"),
        ("dist/manifest.webapp", 10, "KAI116", "warning"),
        ("dist/manifest.webapp", 26, "KAI204", "info"),
        ("manifest.webapp", 10, "KAI116", "warning"),
        ("manifest.webapp", 26, "KAI204", "info"),
        ("src/index.html", 7, "KAI301", "error"),
        ("src/utils/feed.js", 5, "KAI404", "warning"),
        ("src/utils/storage.js", 9, "KAI402", "error"),
    ],
    "parcel-ff48": [
        ("dist/index.9b3e41d7.js", 73, "KAI402", "hint"),  # regenerator's catch fallback
        ("dist/index.html", 18, "KAI301", "error"),
        ("dist/manifest.webapp", 27, "KAI203", "error"),
        ("src/export.js", 18, "KAI404", "warning"),
        ("src/index.html", 18, "KAI301", "error"),
        ("static/manifest.webapp", 27, "KAI203", "error"),
    ],
    "vue-cli": [
        ("public/index.html", 8, "KAI301", "error"),
        ("public/manifest.webapp", 24, "KAI201", "error"),
        ("src/api/backup.js", 27, "KAI404", "warning"),
    ],
    "grunt-template": [
        ("app/index.html", 17, "KAI302", "error"),
        ("app/manifest.webapp", 26, "KAI202", "error"),
        ("app/js/app.js", 78, "KAI402", "error"),
    ],
    "browserify-bundle": [
        ("index.html", 14, "KAI303", "error"),
        ("js/bundle.js", 5, "KAI409", "error"),  # what the phone parses
        ("js/lib/export.js", 5, "KAI404", "warning"),  # where the developer fixes it
    ],
}


def _check(project: Path) -> list[tuple[str, int, str, str]]:
    out = io.StringIO()
    with redirect_stdout(out):
        cli_main(["check", str(project), "--format", "json"])
    report = json.loads(out.getvalue())
    return sorted(
        (
            Path(f["path"]).resolve().relative_to(project.resolve()).as_posix(),
            f["line"],
            f["rule"],
            f["severity"],
        )
        for f in report["findings"]
    )


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> Path:
    """A copy, so that nothing a test does can change the data."""
    target = tmp_path_factory.mktemp("projects")
    shutil.copytree(PROJECTS, target, dirs_exist_ok=True)
    return target


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_exactly_what_ships_and_runs(name: str, projects: Path) -> None:
    found = _check(projects / name)
    assert Counter(found) == Counter(EXPECTED[name]), "\n".join(map(str, found))


def test_every_project_has_expectations() -> None:
    names = {p.name for p in PROJECTS.iterdir() if p.is_dir()}
    assert names == set(EXPECTED), "a project without expectations, or expectations without one"
