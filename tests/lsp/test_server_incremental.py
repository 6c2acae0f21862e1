"""Typing in a big script through the real server: each keystroke is analysed
incrementally (rules/js/incremental.py), and what the editor shows equals what a fresh
analysis of the same text shows (checked by closing and opening the document again)."""

from __future__ import annotations

import json
import random

import pytest_lsp
from lsprotocol import types

from tests.support.lsp_client import (
    RecordingClient,
    position_of,
    server_config,
    set_text,
    start_session,
)
from tests.support.paths import DATA

CORPUS = sorted((DATA / "js" / "es2017").glob("*.js"))
PIECES = ["x", ";", "\n", "}", "(", "'🙂'", "中文", "var nav = navigator;\n", "eval('1');\n"]


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("incremental"))
    yield
    await lsp_client.shutdown_session()


def _shown(diagnostics: list[types.Diagnostic]) -> list[tuple]:
    return sorted(
        (
            d.code,
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.message,
            d.severity,
        )
        for d in diagnostics
    )


async def _edit(client: RecordingClient, uri: str, text: str, start: int, end: int, new: str):
    versions = client.__dict__["versions"]
    versions[uri] += 1
    encoding = client.encoding  # type: ignore[attr-defined]
    change = types.TextDocumentContentChangePartial(
        range=types.Range(position_of(text, start, encoding), position_of(text, end, encoding)),
        text=new,
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=versions[uri]),
            content_changes=[change],
        )
    )
    diagnostics = await client.wait_for_diagnostics(uri, versions[uri])
    return text[:start] + new + text[end:], diagnostics


async def test_what_the_editor_shows_while_typing_equals_a_fresh_analysis(
    client: RecordingClient,
):
    app = client.root / "app"  # type: ignore[attr-defined]
    app.mkdir()
    manifest = {
        "name": "Notes",
        "description": "Notes",
        "type": "privileged",
        "launch_path": "/index.html",
    }
    (app / "manifest.webapp").write_text(json.dumps(manifest), "utf-8")
    (app / "index.html").write_text('<script src="app.js" defer></script>', "utf-8")
    rng = random.Random(11)
    text = "// 🙂 notes, 中文\n" + "\n".join(
        f"(function () {{\n{rng.choice(CORPUS).read_text('utf-8')}\n}})();" for _ in range(8)
    )
    uri = (app / "app.js").as_uri()
    await set_text(client, uri, text)
    for round_ in range(3):
        for _ in range(5):
            at = rng.randrange(len(text))
            end = min(len(text), at + rng.choice([0, 0, 1, 5]))
            text, typed = await _edit(client, uri, text, at, end, rng.choice(PIECES))
        # closed and opened again (a later version): analysed from scratch
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        versions = client.__dict__["versions"]
        versions[uri] += 1
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(
                    uri=uri, language_id="javascript", version=versions[uri], text=text
                )
            )
        )
        fresh = await client.wait_for_diagnostics(uri, versions[uri])
        assert typed and _shown(typed) == _shown(fresh), f"round {round_}"
