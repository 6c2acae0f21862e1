"""KAI405 in the server: typing a permission into the manifest, character by character,
must not leave a used permission reported as "never used" (scripts' mentions were cached
by their text alone, not by the words looked for)."""

from __future__ import annotations

import json

import pytest_lsp
from lsprotocol import types

from tests.support.lsp_client import (
    RecordingClient,
    position_of,
    server_config,
    set_text,
    start_session,
)


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("unused"))
    yield
    await lsp_client.shutdown_session()


async def test_typing_a_second_permission_keeps_used_permissions_used(client: RecordingClient):
    app = client.root / "contacts-app"
    app.mkdir()
    script = "navigator.mozContacts.find({});\nnew Notification('Saved');\n"
    (app / "app.js").write_text(script, "utf-8")
    (app / "index.html").write_text('<script src="app.js" defer></script>\n', "utf-8")
    manifest = {
        "name": "Contacts",
        "type": "privileged",
        "launch_path": "/index.html",
        "permissions": {"contacts": {"description": "Find people", "access": "readonly"}},
    }
    text = json.dumps(manifest, indent=2)
    (app / "manifest.webapp").write_text(text, "utf-8")
    await set_text(client, (app / "app.js").as_uri(), script)
    uri = (app / "manifest.webapp").as_uri()
    diagnostics = await set_text(client, uri, text)
    assert not [d for d in diagnostics if d.code == "KAI405"]

    # type `"desktop-notification": {"description": "Tell when saved"}` after contacts
    anchor = text.index("}", text.index('"readonly"')) + 1
    typed = ',\n    "desktop-notification": {"description": "Tell when saved"}'
    for end in range(1, len(typed) + 1):
        diagnostics = await set_text(client, uri, text[:anchor] + typed[:end] + text[anchor:])
    final = text[:anchor] + typed + text[anchor:]
    assert json.loads(final)["permissions"]["desktop-notification"]
    assert [d.message for d in diagnostics if d.code == "KAI405"] == []


async def test_typing_with_incremental_changes_keeps_used_permissions_used(
    client: RecordingClient,
):
    """The same with ranged didChange events, as editors send them (the string patch of
    kaios_lsp/incremental.py handles the keystrokes inside the new key)."""
    app = client.root / "incremental-app"
    app.mkdir()
    script = "navigator.mozContacts.find({});\nnavigator.mozAlarms.getAll();\n"
    (app / "app.js").write_text(script, "utf-8")
    (app / "index.html").write_text('<script src="app.js" defer></script>\n', "utf-8")
    text = json.dumps(
        {
            "name": "Contacts",
            "type": "privileged",
            "launch_path": "/index.html",
            "permissions": {"contacts": {"description": "Find people", "access": "readonly"}},
        },
        indent=2,
    )
    (app / "manifest.webapp").write_text(text, "utf-8")
    await set_text(client, (app / "app.js").as_uri(), script)
    uri = (app / "manifest.webapp").as_uri()
    diagnostics = await set_text(client, uri, text)
    assert not [d for d in diagnostics if d.code == "KAI405"]
    versions = client.__dict__["versions"]
    offset = text.index("}", text.index('"readonly"')) + 1
    for char in ',\n    "alarms": {"description": "Wake up"}':
        position = position_of(text, offset, client.encoding)
        text = text[:offset] + char + text[offset:]
        offset += 1
        versions[uri] += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=versions[uri]),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(position, position), text=char
                    )
                ],
            )
        )
        diagnostics = await client.wait_for_diagnostics(uri, versions[uri])
    assert json.loads(text)["permissions"]["alarms"]
    assert [d.message for d in diagnostics if d.code == "KAI405"] == []
