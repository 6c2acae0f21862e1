"""Every quick fix, applied through a real LSP client, removes its diagnostic and leaves
valid JSON; and the server reports what `kaios-lsp check` reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import pytest_lsp

from kaios_lsp.rules.catalog import RULES
from tests.support.lsp_client import (
    RecordingClient,
    apply_text_edits,
    capabilities,
    edits_for,
    initialize_params,
    quick_fixes_for,
    server_config,
    set_text,
)
from tests.support.paths import DATA, ROOT

APPS = DATA / "apps"
PERMISSION_RULES = [
    r for r in RULES.values() if r.id.startswith("KAI2") and r.fixable and not r.example_settings
]


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: RecordingClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("fixes")
    shutil.copytree(APPS, root / "apps")
    for rule in PERMISSION_RULES:
        folder = root / "examples" / rule.id
        folder.mkdir(parents=True)
        (folder / rule.example_file).write_text(rule.bad, "utf-8")
        (folder / "index.html").write_text("<!doctype html>")
    lsp_client.root = root
    await lsp_client.initialize_session(
        initialize_params(capabilities("vscode"), root, options={"debounceMs": 0})
    )
    yield
    await lsp_client.shutdown_session()


def documents() -> list[str]:
    apps = [f"apps/{p.parent.name}/{p.name}" for p in sorted(APPS.glob("*/manifest.*"))]
    return apps + [f"examples/{r.id}/{r.example_file}" for r in PERMISSION_RULES]


@pytest.mark.parametrize("relative", documents())
async def test_every_quick_fix_removes_its_diagnostic_and_keeps_valid_json(
    client: RecordingClient, relative: str
):
    path = client.root / relative
    uri = path.as_uri()
    original = path.read_text("utf-8")
    diagnostics = await set_text(client, uri, original)
    applied = 0
    for diagnostic in diagnostics:
        for action in await quick_fixes_for(client, uri, diagnostic):
            fixed = apply_text_edits(original, edits_for(action.edit, uri))
            json.loads(fixed)  # still valid JSON
            after = await set_text(client, uri, fixed)
            assert not [
                d for d in after if d.code == diagnostic.code and d.message == diagnostic.message
            ], f"{action.title!r} left {diagnostic.code} in place"
            assert not [d for d in after if d.code == "KAI001"], f"{action.title!r} broke the JSON"
            applied += 1
            await set_text(client, uri, original)
    if relative.startswith("examples/"):
        assert applied, f"{relative}: no quick fix was offered"


@pytest.mark.parametrize("relative", [d for d in documents() if d.startswith("apps/")])
async def test_server_and_cli_report_identical_findings(client: RecordingClient, relative: str):
    path = client.root / relative
    uri = path.as_uri()
    diagnostics = await set_text(client, uri, path.read_text("utf-8"))
    cli = subprocess.run(
        [sys.executable, "-m", "kaios_lsp", "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    expected = [
        (
            f["rule"],
            f["severity"],
            f["line"] - 1,
            f["column"] - 1,
            f["endLine"] - 1,
            f["endColumn"] - 1,
            f["message"],
        )
        for f in json.loads(cli.stdout)["findings"]
    ]
    labels = {1: "error", 2: "warning", 3: "info", 4: "hint"}
    got = [
        (
            d.code,
            labels[d.severity],
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.message,
        )
        for d in diagnostics
    ]
    assert got == expected
