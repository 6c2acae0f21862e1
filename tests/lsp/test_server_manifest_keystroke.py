"""A keystroke in a manifest reuses what the app's scripts said while they are unchanged
(kaios_lsp/app/dependent.py), and sees them as soon as they change: edited in the
editor, closed without saving, or changed on disk."""

from __future__ import annotations

import asyncio
import json
import os

import pytest_lsp
from lsprotocol import types

from kaios_lsp.app.files import DiskFiles, OverlayFiles
from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from tests.support.lsp_client import (
    RecordingClient,
    position_of,
    server_config,
    set_text,
    start_session,
)


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("keystroke"))
    yield
    await lsp_client.shutdown_session()


async def _type(client: RecordingClient, uri: str, text: str, offset: int, char: str):
    """One character typed at ``offset`` (a ranged didChange, as editors send it); the
    new text and the diagnostics of that version."""
    versions = client.__dict__["versions"]
    versions[uri] += 1
    position = position_of(text, offset, client.encoding)  # type: ignore[attr-defined]
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
    return text[:offset] + char + text[offset:], diagnostics


def _unused(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(d.message.split('"')[1] for d in diagnostics if d.code == "KAI405")


async def test_editing_a_script_changes_the_manifests_unused_permissions(
    client: RecordingClient,
):
    app = client.root / "app"  # type: ignore[attr-defined]
    (app / "js").mkdir(parents=True)
    script = app / "js" / "app.js"
    disk_text = "navigator.mozContacts.find({});\n" + "var filler = 1;\n" * 2000
    script.write_text(disk_text, "utf-8")
    other = app / "js" / "other.js"
    other.write_text("var nothing = 0;\n", "utf-8")
    (app / "index.html").write_text(
        '<script src="js/app.js" defer></script>\n<script src="js/other.js" defer></script>\n',
        "utf-8",
    )
    text = json.dumps(
        {
            "name": "Friends",
            "description": "Find friends",
            "type": "privileged",
            "launch_path": "/index.html",
            "permissions": {
                "contacts": {"description": "Find friends", "access": "readonly"},
                "alarms": {"description": "Remind you"},
                "desktop-notification": {"description": "Tell you"},
            },
        },
        indent=2,
    )
    (app / "manifest.webapp").write_text(text, "utf-8")
    uri = (app / "manifest.webapp").as_uri()
    diagnostics = await set_text(client, uri, text)
    assert _unused(diagnostics) == ["alarms", "desktop-notification"]
    at = text.index("Find friends") + len("Find")

    text, diagnostics = await _type(client, uri, text, at, "x")  # kept scans
    assert _unused(diagnostics) == ["alarms", "desktop-notification"]

    # the script edited in the editor (unsaved): the next keystroke sees it
    await set_text(client, script.as_uri(), disk_text + "navigator.mozAlarms.getAll();\n")
    text, diagnostics = await _type(client, uri, text, at, "y")
    assert _unused(diagnostics) == ["desktop-notification"]

    # another script changed on disk
    other.write_text("new Notification('Saved');\n", "utf-8")
    text, diagnostics = await _type(client, uri, text, at, "z")
    assert _unused(diagnostics) == []

    # the edited script closed without saving: its text on disk counts again
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(script.as_uri()))
    )
    text, diagnostics = await _type(client, uri, text, at, "w")
    assert _unused(diagnostics) == ["alarms"]


async def test_a_build_projects_script_follows_its_manifest_in_public(client: RecordingClient):
    """The manifest's own analysis gives the app model that says which open files can
    depend on it: for a Vue CLI app that is the whole project (src/ next to public/)."""
    app = client.root / "vue"  # type: ignore[attr-defined]
    (app / "public").mkdir(parents=True)
    (app / "src").mkdir()
    (app / "package.json").write_text(
        json.dumps(
            {
                "devDependencies": {"@vue/cli-service": "^5"},
                "scripts": {"build": "vue-cli-service build"},
            }
        ),
        "utf-8",
    )
    (app / "public" / "index.html").write_text('<script src="app.js"></script>\n', "utf-8")
    script = app / "src" / "app.js"
    script.write_text("navigator.mozContacts.find({});\n", "utf-8")
    manifest = {"name": "Friends", "type": "privileged", "launch_path": "/index.html"}
    text = json.dumps({**manifest, "permissions": {}}, indent=2)
    uri = (app / "public" / "manifest.webapp").as_uri()
    (app / "public" / "manifest.webapp").write_text(text, "utf-8")
    await set_text(client, uri, text)
    (needs,) = await set_text(client, script.as_uri(), script.read_text("utf-8"))
    assert needs.code == "KAI404" and '"contacts"' in needs.message
    count = len(client.published_for(script.as_uri()))
    declared = {"contacts": {"description": "Find friends", "access": "readonly"}}
    await set_text(client, uri, json.dumps({**manifest, "permissions": declared}, indent=2))
    for _ in range(500):  # (dependents wait for the typing to pause: DEPENDENTS_DELAY_MS)
        await asyncio.sleep(0.01)
        if len(client.published_for(script.as_uri())) > count:
            break
    assert not client.published_for(script.as_uri())[-1].diagnostics  # re-published


def _fresh(path: str, text: str, encoding: str) -> list[tuple]:
    """What a fresh analysis of the text says, as (code, start, end, message)."""
    files = OverlayFiles({os.path.normpath(path): text}, DiskFiles())
    found = analyze_document(path, text, Config(), files).findings

    def at(offset: int) -> tuple[int, int]:
        position = position_of(text, offset, encoding)
        return position.line, position.character

    return sorted((f.rule, at(f.start), at(f.end), f.message) for f in found)


def _said(diagnostics: list[types.Diagnostic]) -> list[tuple]:
    return sorted(
        (
            d.code,
            (d.range.start.line, d.range.start.character),
            (d.range.end.line, d.range.end.character),
            d.message,
        )
        for d in diagnostics
    )


async def test_typing_anywhere_gives_what_a_fresh_analysis_gives(client: RecordingClient):
    """Each keystroke reuses what it cannot change (rules by what they read, the schema
    by member, the app model, the secret scan away from the edited line): whatever is
    typed where, the diagnostics are a fresh analysis's."""
    app = client.root / "typed"  # type: ignore[attr-defined]
    (app / "js").mkdir(parents=True)
    (app / "js" / "app.js").write_text("navigator.mozContacts.find({});\n", "utf-8")
    (app / "index.html").write_text('<script src="js/app.js" defer></script>\n', "utf-8")
    text = json.dumps(
        {
            "name": "Friends 友達 🎧",
            "description": "Find friends",
            "type": "privileged",
            "launch_path": "/index.html",
            "developer": {"name": "Demo", "url": "https://demo.example.com"},
            "permissions": {
                "contacts": {"description": "Find friends", "access": "readonly"},
                "alarms": {"description": "Remind you"},
            },
            "locales": {"fr": {"name": "Amis", "description": "Trouver des amis"}},
        },
        indent=2,
        ensure_ascii=False,
    )
    path = app / "manifest.webapp"
    path.write_text(text, "utf-8")
    uri = path.as_uri()
    encoding = client.encoding  # type: ignore[attr-defined]
    diagnostics = await set_text(client, uri, text)
    assert _said(diagnostics) == _fresh(str(path), text, encoding)

    typed = [  # (where: after this text, what)
        ('"description": "Find', "x"),  # a member no rule reads
        ('"description": "Findx', " AKIAZ7Q2XK4M3N5P6R8T "),  # a secret on that line
        ('"name": "Amis', "é"),  # another line: the secret is moved, not scanned again
        ('"launch_path": "/index', "x"),  # a page that does not exist
        ('"type": "privileged', "x"),  # what every permission is judged by
        ('"description": "Remind', "🎧"),
        ('"developer', "s"),  # a member renamed
    ]
    for needle, typed_text in typed:
        offset = text.index(needle) + len(needle)
        text, diagnostics = await _type(client, uri, text, offset, typed_text)
        assert _said(diagnostics) == _fresh(str(path), text, encoding), typed_text
    assert {d.code for d in diagnostics} >= {"KAI116", "KAI520"}  # (not only agreement)
