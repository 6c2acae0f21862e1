"""Scripts through a real LSP client: the missing-permission fix edits the manifest (another
file) and the script is re-checked; suppression quick fixes; UTF-16 positions after emoji."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest_lsp
from lsprotocol import types

from tests.support.lsp_client import (
    RecordingClient,
    apply_workspace_edit,
    capabilities,
    position_of,
    quick_fixes_for,
    server_config,
    set_text,
    start_session,
)


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("js"))
    yield
    await lsp_client.shutdown_session()


def new_app(client: RecordingClient, name: str, manifest: dict) -> Path:
    app = client.root / f"{name}-{client.profile}"
    app.mkdir()
    (app / "manifest.webapp").write_text(json.dumps(manifest, indent=2), "utf-8")
    return app


async def latest(client: RecordingClient, uri: str, after: int) -> list[types.Diagnostic]:
    for _ in range(1000):
        for params in reversed(client.published[after:]):
            if params.uri == uri:
                return list(params.diagnostics)
        await asyncio.sleep(0.01)
    raise TimeoutError(uri)


async def test_missing_permission_fix_edits_the_manifest_and_the_script_is_rechecked(
    client: RecordingClient,
):
    app = new_app(client, "alarm", {"name": "Alarm", "type": "privileged"})
    uri = (app / "app.js").as_uri()
    code = "var 相机 = '📷';\nnavigator.mozAlarms.add(new Date(), 'ignoreTimezone');\n"
    (diagnostic,) = [d for d in await set_text(client, uri, code) if d.code == "KAI404"]
    start = code.index("navigator.mozAlarms")
    assert diagnostic.range.start == position_of(code, start, client.encoding)
    (action,) = [a for a in await quick_fixes_for(client, uri, diagnostic) if "alarms" in a.title]
    before = len(client.published)
    await apply_workspace_edit(client, action.edit, client.encoding)
    manifest = json.loads((app / "manifest.webapp").read_text())
    assert manifest["permissions"]["alarms"]["description"]
    for _ in range(200):  # the watched-file event makes the server re-check the script
        diagnostics = await latest(client, uri, before)
        if not any(d.code == "KAI404" for d in diagnostics):
            break
        before = len(client.published)
    assert not any(d.code == "KAI404" for d in diagnostics)


async def test_disable_for_this_line_and_for_the_file(client: RecordingClient):
    app = new_app(client, "timer", {"name": "Timer", "type": "privileged"})
    uri = (app / "timer.js").as_uri()
    code = "function start() {\n  setTimeout('tick()', 10);\n}\n"
    (diagnostic,) = await set_text(client, uri, code)
    assert diagnostic.code == "KAI402"
    actions = await quick_fixes_for(client, uri, diagnostic)
    titles = [a.title for a in actions]
    assert titles[0] == "Pass a function to setTimeout"  # the real fix comes first
    assert "Disable KAI402 for this line" in titles
    assert "Disable KAI402 for the whole file" in titles
    (line,) = [a for a in actions if a.title == "Disable KAI402 for this line"]
    await apply_workspace_edit(client, line.edit, client.encoding)
    texts = client.__dict__["texts"]
    assert texts[uri] == (
        "function start() {\n  // kaios-lsp-disable-next-line KAI402\n"
        "  setTimeout('tick()', 10);\n}\n"
    )
    assert await client.wait_for_diagnostics(uri, client.__dict__["versions"][uri]) == []
    # the problem goes away: the comment now suppresses nothing (hint, with a removal fix)
    fixed = texts[uri].replace("setTimeout('tick()', 10)", "setTimeout(tick, 10)")
    (hint,) = await set_text(client, uri, fixed)
    assert hint.code == "KAI010" and list(hint.tags or []) == [types.DiagnosticTag.Unnecessary]
    (removal,) = await quick_fixes_for(client, uri, hint)
    await apply_workspace_edit(client, removal.edit, client.encoding)
    assert texts[uri] == "function start() {\n  setTimeout(tick, 10);\n}\n"


async def test_inline_script_positions_and_html_suppression(client: RecordingClient):
    app = new_app(client, "page", {"name": "Page", "type": "privileged"})
    uri = (app / "index.html").as_uri()
    page = "<!doctype html>\n<p>相机 📷</p>\n<script>var v = '📷'; eval(v);</script>\n"
    diagnostics = await set_text(client, uri, page)
    assert sorted(d.code for d in diagnostics) == ["KAI301", "KAI402"]
    (evaluation,) = [d for d in diagnostics if d.code == "KAI402"]
    assert evaluation.range.start == position_of(page, page.index("eval(v)"), client.encoding)
    (block,) = [d for d in diagnostics if d.code == "KAI301"]
    actions = await quick_fixes_for(client, uri, block)
    (disable,) = [a for a in actions if a.title == "Disable KAI301 for this line"]
    await apply_workspace_edit(client, disable.edit, client.encoding)
    text = client.__dict__["texts"][uri]
    assert "<!-- kaios-lsp-disable-next-line KAI301 -->\n<script>" in text
    remaining = await client.wait_for_diagnostics(uri, client.__dict__["versions"][uri])
    assert [d.code for d in remaining] == ["KAI402"]


async def test_check_workspace_command_publishes_closed_files_with_progress(
    client: RecordingClient,
):
    app = new_app(client, "workspace", {"name": "Whole", "type": "privileged"})
    (app / "lib").mkdir()
    (app / "lib" / "closed.js").write_text("setInterval('poll()', 1000);\n")
    window = capabilities(client.profile).window
    wants_progress = bool(window and window.work_done_progress)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="kaios-lsp.checkWorkspace")
    )
    assert result["files"] >= 2
    uri = (app / "lib" / "closed.js").as_uri()
    published = [p for p in client.published if p.uri == uri]
    assert published and [d.code for d in published[-1].diagnostics] == ["KAI402"]
    reports = [r for values in client.progress_reports.values() for r in values]
    if wants_progress:
        assert reports[0].kind == "begin" and reports[-1].kind == "end"
        assert any(r.kind == "report" and r.percentage == 100 for r in reports)
    else:
        assert reports == []
