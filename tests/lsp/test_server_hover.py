"""Hover over permission names, type and csp, through a real client (UTF-8 and UTF-16)."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types

from tests.support.lsp_client import (
    RecordingClient,
    capabilities,
    initialize_params,
    position_of,
    server_config,
)

MANIFEST = """{
  "name": "Démo 🎧",
  "type": "privileged",
  "csp": "script-src 'self' 'unsafe-eval'",
  "permissions": {"🎧": {}, "geolocation": {"description": "Nearby 📍"}, "contacts": {"access": "readonly"}}
}
"""


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim-0.11"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    root = tmp_path_factory.mktemp("hover")
    result = await lsp_client.initialize_session(
        initialize_params(capabilities(request.param), root, options={"debounceMs": 0})
    )
    lsp_client.encoding = result.capabilities.position_encoding
    lsp_client.uri = (root / "manifest.webapp").as_uri()
    lsp_client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=lsp_client.uri, language_id="json", version=1, text=MANIFEST)
        )
    )
    await lsp_client.wait_for_diagnostics(lsp_client.uri, 1)
    yield
    await lsp_client.shutdown_session()


async def hover_at(client: RecordingClient, needle: str, inside: int = 2) -> types.Hover | None:
    offset = MANIFEST.index(needle) + inside
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(client.uri),
            position=position_of(MANIFEST, offset, client.encoding),
        )
    )


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        (
            '"geolocation"',
            [
                "prompts the user",
                "error.code === 1",
                "navigator.geolocation",
                "| prompt | prompt | prompt |",
            ],
        ),
        ('"contacts"', ["granted silently", "`readonly`", "navigator.mozContacts"]),
        (
            '"type"',
            [
                "Effective Content Security Policy",
                "script-src 'self' http://127.0.0.1:8081",
                "script-src 'self' 'unsafe-eval'",
                "`eval`, `new Function` and string timers throw",
            ],
        ),
        ('"csp"', ["Effective Content Security Policy", "can only add restrictions"]),
        ('"name"', ["The app's name"]),
    ],
)
async def test_hover_contents(client: RecordingClient, needle: str, expected: list[str]):
    hover = await hover_at(client, needle)
    assert hover is not None
    for fragment in expected:
        assert fragment in hover.contents.value, fragment
    start = MANIFEST.index(needle)
    assert hover.range == types.Range(
        position_of(MANIFEST, start, client.encoding),
        position_of(MANIFEST, start + len(needle), client.encoding),
    )


async def test_no_hover_outside_members(client: RecordingClient):
    assert await hover_at(client, "{", inside=0) is None


async def test_hover_after_an_edit_inside_a_string(client: RecordingClient, tmp_path):
    """Most keystrokes only change a string's inside; the server then patches its parse
    instead of re-parsing, and hover must keep answering on the patched manifest."""
    uri = (tmp_path / "manifest.webapp").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="json", version=1, text=MANIFEST)
        )
    )
    await client.wait_for_diagnostics(uri, 1)
    inside_description = MANIFEST.index("Nearby") + 1
    at = position_of(MANIFEST, inside_description, client.encoding)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(at, at), text="é🎧")
            ],
        )
    )
    await client.wait_for_diagnostics(uri, 2)
    edited = MANIFEST[:inside_description] + "é🎧" + MANIFEST[inside_description:]
    offset = edited.index('"geolocation"') + 2
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri),
            position=position_of(edited, offset, client.encoding),
        )
    )
    assert hover is not None and "prompts the user" in hover.contents.value
