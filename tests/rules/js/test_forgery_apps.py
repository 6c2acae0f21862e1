"""KAI412 and KAI119 on realistic apps (tests/data/forgery): a bank's transfer activity, a
contacts importer, an SMS deep link and a share target that posts, each flagged and in a
version that asks the user first; read-only uses (showing the shared data, a search) are
never flagged. Through `kaios-lsp check` and through the server, with every fix applied."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.services.fixes import apply_edits
from kaios_lsp.workspace import check_file, iter_files
from tests.support.lsp_client import RecordingClient, server_config, start_session
from tests.support.paths import DATA

APPS = DATA / "forgery"
EXPECTED = {
    k: v for k, v in json.loads((APPS / "EXPECTED.json").read_text()).items() if k != "about"
}
RULES = {"KAI412", "KAI119"}
SEVERITIES = {1: "error", 2: "warning", 3: "info", 4: "hint"}


def _check(app: Path) -> list[list[object]]:
    rows = []
    for path in iter_files(str(app), "auto"):
        text, findings, problem = check_file(path, path, False, Config(), False)
        if problem is not None:
            continue
        for finding in findings:
            if finding.rule in RULES:
                line = text.count("\n", 0, finding.start) + 1
                relative = Path(path).relative_to(app).as_posix()
                rows.append([relative, line, finding.rule, finding.severity.label])
    return sorted(rows)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_finds_exactly_the_expected(name: str) -> None:
    assert _check(APPS / name) == sorted(EXPECTED[name])


def test_every_app_is_listed() -> None:
    assert {p.name for p in APPS.iterdir() if p.is_dir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(n for n, rows in EXPECTED.items() if rows))
def test_every_fix_removes_its_finding_and_breaks_nothing(name: str, tmp_path: Path) -> None:
    app = tmp_path / name
    shutil.copytree(APPS / name, app)
    for path in iter_files(str(app), "auto"):
        text = Path(path).read_text("utf-8")
        before = analyze_document(path, text).findings
        for finding in [f for f in before if f.rule in RULES]:
            for fix in finding.fixes:
                edits = [e for c in fix.changes if c.path in (None, path) for e in c.edits]
                fixed = apply_edits(text, edits)
                after = analyze_document(path, fixed).findings
                assert not [
                    f
                    for f in after
                    if f.rule == finding.rule
                    and fixed[f.start : f.end] == text[finding.start : finding.end]
                ], fix.title
                worse = [
                    f
                    for f in after
                    if f.severity is not None
                    and f.severity.label in ("error", "warning")
                    and f.rule not in RULES
                    and (f.rule, f.message) not in {(b.rule, b.message) for b in before}
                ]
                assert not worse, (fix.title, [(f.rule, f.message) for f in worse])


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: RecordingClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("forgery")
    shutil.copytree(APPS, root, dirs_exist_ok=True)
    await start_session(lsp_client, "vscode", root)
    yield
    await lsp_client.shutdown_session()


async def test_the_editor_reports_the_same(client: RecordingClient) -> None:
    before = len(client.published)
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="kaios-lsp.checkWorkspace")
    )
    latest = {p.uri: p.diagnostics for p in client.published[before:]}
    root = client.root  # type: ignore[attr-defined]
    for name, expected in EXPECTED.items():
        found = []
        for uri, diagnostics in latest.items():
            if uri.startswith((root / name).as_uri() + "/"):
                relative = uri[len((root / name).as_uri()) + 1 :]
                found += [
                    [
                        relative,
                        d.range.start.line + 1,
                        str(d.code),
                        SEVERITIES[int(d.severity or 1)],
                    ]
                    for d in diagnostics
                    if str(d.code) in RULES
                ]
        assert sorted(found) == sorted(expected), name
