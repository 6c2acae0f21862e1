"""Quick fixes through a real LSP client (VS Code and Neovim 0.7 profiles): the
cross-file permission fix adds what the installer accepts, and the same edit offered by
two findings is one code action."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest_lsp
from lsprotocol import types

from tests.support.lsp_client import (
    RecordingClient,
    apply_workspace_edit,
    quick_fixes_for,
    server_config,
    set_text,
    start_session,
)


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("fixes"))
    yield
    await lsp_client.shutdown_session()


def new_app(client: RecordingClient, name: str, manifest: dict, page: str) -> Path:
    app = client.root / f"{name}-{client.profile}"
    app.mkdir()
    (app / "manifest.webapp").write_text(json.dumps(manifest, indent=2), "utf-8")
    (app / "index.html").write_text(page, "utf-8")
    return app


async def latest(client: RecordingClient, uri: str, after: int) -> list[types.Diagnostic]:
    for _ in range(500):
        for params in reversed(client.published[after:]):
            if params.uri == uri:
                return list(params.diagnostics)
        await asyncio.sleep(0.01)
    raise TimeoutError(uri)


async def test_the_missing_permission_fix_adds_an_access_the_installer_accepts(
    client: RecordingClient,
):
    manifest = {"name": "Photos", "type": "privileged", "launch_path": "/index.html"}
    app = new_app(client, "storage", manifest, '<script src="app.js"></script>')
    code = "var sd = navigator.getDeviceStorage('sdcard');\nsd.get('a.jpg');\n"
    (app / "app.js").write_text(code, "utf-8")
    uri = (app / "app.js").as_uri()
    (diagnostic,) = [d for d in await set_text(client, uri, code) if d.code == "KAI404"]
    actions = await quick_fixes_for(client, uri, diagnostic)
    titles = [a.title for a in actions if "sdcard" in a.title]
    assert titles and all("(read)" not in t and "(write)" not in t for t in titles)
    (readonly,) = [a for a in actions if "(readonly)" in a.title]
    manifest_uri = (app / "manifest.webapp").as_uri()
    count = len(client.published)
    await apply_workspace_edit(client, readonly.edit, client.encoding)
    text = (app / "manifest.webapp").read_text("utf-8")
    if manifest_uri in client.__dict__.get("texts", {}):
        text = client.__dict__["texts"][manifest_uri]
    permission = json.loads(text)["permissions"]["device-storage:sdcard"]
    assert permission["access"] == "readonly"
    diagnostics = await set_text(client, manifest_uri, text)
    assert not [d for d in diagnostics if d.code in ("KAI001", "KAI203")]
    assert not [d for d in await latest(client, uri, count) if d.code == "KAI404"]


async def test_the_same_edit_offered_by_two_findings_is_one_action(client: RecordingClient):
    # "contacts" is denied to web apps (KAI202) and no script uses it (KAI405): one problem,
    # one "Remove" (the server also merges any two findings that offer the same edit)
    manifest = {
        "name": "Notes",
        "launch_path": "/index.html",
        "permissions": {"contacts": {"description": "Share", "access": "readonly"}},
    }
    app = new_app(client, "dedupe", manifest, '<script src="app.js"></script>')
    (app / "app.js").write_text("document.title = 'Notes';\n", "utf-8")
    uri = (app / "manifest.webapp").as_uri()
    diagnostics = await set_text(client, uri, (app / "manifest.webapp").read_text("utf-8"))
    on_contacts = [d for d in diagnostics if d.code in ("KAI202", "KAI405")]
    assert {d.code for d in on_contacts} == {"KAI202", "KAI405"}
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=on_contacts[0].range,
            context=types.CodeActionContext(
                diagnostics=on_contacts, only=[types.CodeActionKind.QuickFix]
            ),
        )
    )
    removals = [a for a in actions if a.title == 'Remove "contacts"']
    assert len(removals) == 1
    assert "KAI202" in {d.code for d in removals[0].diagnostics or []}
