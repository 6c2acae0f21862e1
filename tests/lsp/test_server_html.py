"""HTML pages through a real LSP client: exact positions, the extract-script and
move-handler fixes applied end to end, and pages re-checked when their manifest changes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest_lsp
from lsprotocol import types

from kaios_lsp.parse.html import scan
from kaios_lsp.parse.js.esprima_front import load_esprima
from tests.support.lsp_client import (
    RecordingClient,
    apply_workspace_edit,
    position_of,
    quick_fixes_for,
    server_config,
    set_text,
    start_session,
)

PRIVILEGED = {"name": "Player", "type": "privileged"}


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    # VS Code creates files through WorkspaceEdits; the Neovim 0.7 profile cannot, so the
    # server offers those fixes as a command that writes the files and sends the rest.
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("html"))
    yield
    await lsp_client.shutdown_session()


def new_app(client: RecordingClient, name: str, manifest: dict | None = None) -> Path:
    app = client.root / f"{name}-{client.profile}"
    app.mkdir()
    (app / "manifest.webapp").write_text(json.dumps(manifest or PRIVILEGED), "utf-8")
    return app


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def next_publish(client: RecordingClient, uri: str, after: int) -> list[types.Diagnostic]:
    """Diagnostics for ``uri`` published after the first ``after`` notifications."""
    for _ in range(500):
        for params in client.published[after:]:
            if params.uri == uri:
                return list(params.diagnostics)
        await asyncio.sleep(0.01)
    raise TimeoutError(f"no new diagnostics for {uri}")


async def run_fix(
    client: RecordingClient,
    uri: str,
    diagnostic: types.Diagnostic,
    title: str,
    creates_files: bool = True,
):
    """Pick the quick fix and apply it as the editor would (edit, or command + applyEdit)."""
    (action,) = [a for a in await quick_fixes_for(client, uri, diagnostic) if title in a.title]
    by_command = client.profile == "neovim" and creates_files
    if action.edit is not None:
        assert not by_command, "a client without CreateFile support got a file-creating edit"
        await apply_workspace_edit(client, action.edit, client.encoding)
        return
    assert action.command is not None and by_command
    before = len(client.applied_edits)
    applied = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=action.command.command, arguments=action.command.arguments
        )
    )
    assert applied is True and len(client.applied_edits) == before + 1
    await apply_workspace_edit(client, client.applied_edits[-1], client.encoding)


async def test_positions_are_exact_after_emoji_and_cjk(client: RecordingClient):
    app = new_app(client, "positions")
    page = (
        '<p title="🎧🎧 中文">歌 🎵</p><button data-x="😀" onclick="play(\'🎶\')">▶</button>\n'
        "<p>第二行 🎧</p><script>  start('🎧');  </script>\n"
    )
    diagnostics = await set_text(client, (app / "index.html").as_uri(), page)
    assert codes(diagnostics) == ["KAI301", "KAI302"]
    doc = scan(page)
    attr = doc.first("button").attr("onclick")
    script = doc.first("script")
    expected = {
        "KAI302": (attr.start, attr.end),
        "KAI301": (script.start, script.end),
    }
    for diagnostic in diagnostics:
        start, end = expected[str(diagnostic.code)]
        assert diagnostic.range == types.Range(
            position_of(page, start, client.encoding), position_of(page, end, client.encoding)
        ), diagnostic.code


async def test_extract_script_end_to_end(client: RecordingClient):
    app = new_app(client, "extract")
    (app / "lib.js").write_text("window.lib = {};\n", "utf-8")
    code = "\n  // 中文 🎧\n  var player = lib.create('🎵');\n  player.start();\n"
    page = (
        '<!DOCTYPE html>\n<html><head>\n<script src="lib.js"></script>\n'
        f'<script id="boot">{code}</script>\n</head>\n<body><p>▶</p></body></html>\n'
    )
    uri = (app / "index.html").as_uri()
    diagnostics = await set_text(client, uri, page)
    (inline,) = [d for d in diagnostics if d.code == "KAI301"]
    await run_fix(client, uri, inline, "Move the script into index-inline.js")
    assert (app / "index-inline.js").read_text("utf-8") == code  # moved verbatim
    after = client.texts[uri]
    assert '<script id="boot" src="index-inline.js" defer></script>' in after
    assert after.index('src="lib.js"') < after.index('src="index-inline.js"')
    remaining = await client.wait_for_diagnostics(uri, client.versions[uri])
    assert remaining == []


async def test_move_handler_end_to_end(client: RecordingClient):
    app = new_app(client, "handler")
    page = (
        "<!DOCTYPE html>\n<html><body>\n"
        '<button class="play" onclick="play(this.dataset.song); return false">▶ 🎧</button>\n'
        '<a href="javascript:next()">⏭</a>\n'
        "</body></html>\n"
    )
    uri = (app / "index.html").as_uri()
    diagnostics = await set_text(client, uri, page)
    assert codes(diagnostics) == ["KAI302", "KAI303"]
    handler = next(d for d in diagnostics if d.code == "KAI302")
    await run_fix(client, uri, handler, "Move the handler into index-handlers.js")
    diagnostics = await client.wait_for_diagnostics(uri, client.versions[uri])
    assert codes(diagnostics) == ["KAI303"]
    # the second fix appends to the file the first one created
    await run_fix(
        client, uri, diagnostics[0], "Move the handler into index-handlers.js", creates_files=False
    )
    assert await client.wait_for_diagnostics(uri, client.versions[uri]) == []
    script = (app / "index-handlers.js").read_text("utf-8")
    load_esprima().parseScript(script)
    assert "play(this.dataset.song); return false" in script
    assert 'addEventListener("click"' in script and "next()" in script
    after = client.texts[uri]
    assert after.count('<script src="index-handlers.js" defer></script>') == 1
    assert 'id="kaios-button-1"' in after and "onclick" not in after
    assert 'href="#"' in after


async def test_unsaved_manifest_edits_recheck_open_pages(client: RecordingClient):
    app = new_app(client, "context")
    page_uri = (app / "index.html").as_uri()
    manifest_uri = (app / "manifest.webapp").as_uri()
    assert codes(await set_text(client, page_uri, "<script>go()</script>")) == ["KAI301"]

    async def page_after(change) -> list[str]:
        mark = len(client.published)  # before the change: its page publish may come first
        await change()
        return codes(await next_publish(client, page_uri, mark))

    def edit(manifest: dict):
        return lambda: set_text(client, manifest_uri, json.dumps(manifest))

    async def close():
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(manifest_uri))
        )

    assert await page_after(edit(PRIVILEGED)) == ["KAI301"]  # opening it re-checks too
    assert await page_after(edit({"name": "Player", "type": "web"})) == []  # no default policy
    assert await page_after(edit({"name": "Player", "type": "certified"})) == ["KAI301"]
    assert await page_after(edit({"name": "Player", "type": "web"})) == []
    # closed unsaved: the manifest on disk (privileged) counts again
    assert await page_after(close) == ["KAI301"]


async def test_pages_outside_an_app_and_broken_pages(client: RecordingClient):
    loose = client.root / f"loose-{client.profile}"
    loose.mkdir()
    assert await set_text(client, (loose / "page.html").as_uri(), "<script>go()</script>") == []
    app = new_app(client, "broken")
    # the unclosed quote swallows the rest, as in a browser: one handler, no script
    broken = '<html><body onload="start()\x00<script>go(<<</scr'
    diagnostics = await set_text(client, (app / "broken.html").as_uri(), broken)
    assert codes(diagnostics) == ["KAI302"]
    unclosed = "<html><body>\n<script>go(<<</scr"
    # the blocked script is also invalid JavaScript (KAI401)
    assert codes(await set_text(client, (app / "unclosed.html").as_uri(), unclosed)) == [
        "KAI301",
        "KAI401",
    ]
    for diagnostic in diagnostics:  # ranges inside the text, even with unclosed quotes
        end = position_of(broken, len(broken), client.encoding)
        assert (diagnostic.range.end.line, diagnostic.range.end.character) <= (
            end.line,
            end.character,
        )


async def test_big_page_in_the_worker_sees_the_unsaved_manifest(client: RecordingClient):
    # Pages over 256 K characters are analysed in a worker process; the open manifest's
    # unsaved text must still decide the app type there.
    app = new_app(client, "big")
    manifest_uri = (app / "manifest.webapp").as_uri()
    await set_text(client, manifest_uri, json.dumps({"name": "Player", "type": "web"}))
    page = "<p>中文 🎧</p>\n" * 30_000 + "<script>go()</script>\n"
    assert len(page) > 256 * 1024
    page_uri = (app / "index.html").as_uri()
    assert await set_text(client, page_uri, page) == []  # web app: no default policy
    mark = len(client.published)
    await set_text(client, manifest_uri, json.dumps(PRIVILEGED))
    (diagnostic,) = await next_publish(client, page_uri, mark)
    assert diagnostic.code == "KAI301"
    start = page.index("<script>")
    assert diagnostic.range.start == position_of(page, start, client.encoding)
