"""KAI204 through a real LSP client: the manifest's warning offers a fix that edits the
script (another file, as documentChanges or, for Neovim 0.7, as changes); once applied,
the manifest warning becomes a hint and the script's KAI406 is gone."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest_lsp
from lsprotocol import types

from kaios_lsp.lsp.diagnostics import INLINE_ANALYSIS_LIMIT
from tests.support.lsp_client import (
    RecordingClient,
    apply_workspace_edit,
    quick_fixes_for,
    server_config,
    set_text,
    start_session,
)

SCRIPT = "function locate() {\n  navigator.geolocation.getCurrentPosition(function (p) { show(p); });\n}\n"


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("prompts"))
    yield
    await lsp_client.shutdown_session()


def new_app(client: RecordingClient, name: str) -> Path:
    app = client.root / f"{name}-{client.profile}"
    (app / "js").mkdir(parents=True)
    manifest = {
        "name": "Stations",
        "launch_path": "/index.html",
        "type": "privileged",
        "permissions": {"geolocation": {"description": "Show nearby stations"}},
    }
    (app / "manifest.webapp").write_text(json.dumps(manifest, indent=2), "utf-8")
    (app / "index.html").write_text(
        '<!doctype html><html><head><script src="js/app.js" defer></script></head></html>'
    )
    (app / "js" / "app.js").write_text(SCRIPT, "utf-8")
    return app


async def kai204_after(client: RecordingClient, uri: str, after: int, severity) -> types.Diagnostic:
    """The manifest's KAI204 once it has the wanted severity (published after ``after``)."""
    for _ in range(500):
        for params in reversed(client.published[after:]):
            if params.uri == uri:
                found = [d for d in params.diagnostics if d.code == "KAI204"]
                if found and found[0].severity == severity:
                    return found[0]
                break
        await asyncio.sleep(0.02)
    raise TimeoutError(f"KAI204 never became {severity}")


async def check_fix(client: RecordingClient, app: Path, open_script: bool) -> None:
    manifest_uri = (app / "manifest.webapp").as_uri()
    script_uri = (app / "js" / "app.js").as_uri()
    if open_script:
        (refusal,) = [d for d in await set_text(client, script_uri, SCRIPT) if d.code == "KAI406"]
        (back,) = refusal.related_information  # the permission whose prompt it shows
        assert back.location.uri == manifest_uri
        assert back.location.range.start.line == 5  # "geolocation": {...}
    diagnostics = await set_text(client, manifest_uri, (app / "manifest.webapp").read_text())
    (diagnostic,) = [d for d in diagnostics if d.code == "KAI204"]
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    (related,) = diagnostic.related_information
    assert related.location.uri == script_uri
    assert related.location.range.start == types.Position(1, 2)
    (action,) = await quick_fixes_for(client, manifest_uri, diagnostic)
    assert action.title == "Add an error callback in js/app.js:2"
    edit = action.edit
    if client.profile == "neovim":  # Neovim 0.7: no documentChanges
        assert edit.document_changes is None and list(edit.changes) == [script_uri]
    else:
        assert [c.text_document.uri for c in edit.document_changes] == [script_uri]
    before = len(client.published)
    await apply_workspace_edit(client, edit, client.encoding)
    text = (
        client.__dict__["texts"][script_uri] if open_script else (app / "js" / "app.js").read_text()
    )
    assert "getCurrentPosition(function (p) { show(p); }, function (error) {" in text
    hint = await kai204_after(client, manifest_uri, before, types.DiagnosticSeverity.Hint)
    assert "handles a refusal" in hint.message
    manifest_alarms = [
        d
        for d in client.diagnostics[manifest_uri]
        if d.severity in (types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning)
        and d.code not in ("KAI105",)  # store fields the example leaves out
    ]
    assert manifest_alarms == []
    if open_script:
        script = client.diagnostics[script_uri]
        assert not any(d.code == "KAI406" for d in script)


async def test_kai204_fix_adds_an_error_callback_in_the_closed_script(client: RecordingClient):
    """The script is not open: the client writes it on disk and reports the change."""
    await check_fix(client, new_app(client, "closed"), open_script=False)


async def test_kai204_fix_adds_an_error_callback_in_the_open_script(client: RecordingClient):
    """The script is open: the client edits its buffer (didChange), and the server
    analyses the manifest again."""
    await check_fix(client, new_app(client, "open"), open_script=True)


async def test_kai204_points_into_a_big_bundle_after_wide_characters(client: RecordingClient):
    """A script too big to analyse in the server (it goes to the worker when opened),
    with CJK and emoji before the call: the manifest's warning, its place in the script
    and its fix are as for a small script."""
    app = new_app(client, "bundle")
    filler = "".join(f"var row{n} = '中文 😀 {n}';\n" for n in range(13_000))
    assert len(filler) > INLINE_ANALYSIS_LIMIT
    (app / "js" / "app.js").write_text(filler + SCRIPT, "utf-8")
    manifest_uri = (app / "manifest.webapp").as_uri()
    diagnostics = await set_text(client, manifest_uri, (app / "manifest.webapp").read_text())
    (diagnostic,) = [d for d in diagnostics if d.code == "KAI204"]
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    (related,) = diagnostic.related_information
    assert related.location.uri == (app / "js" / "app.js").as_uri()
    assert related.location.range.start == types.Position(13_001, 2)
    (action,) = await quick_fixes_for(client, manifest_uri, diagnostic)
    assert action.title == "Add an error callback in js/app.js:13002"
