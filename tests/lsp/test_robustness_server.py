"""Robustness of the server process (issue 8): the server's copy of a document always equals
the client's under random incremental edits in every position encoding; requests for
unknown documents and absurd positions get answers, not errors; fixes never write outside
the workspace folder; hostile files are reported, not fatal."""

from __future__ import annotations

import os
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

ENCODINGS = {"vscode": "utf-16", "neovim-0.11": "utf-8", "emacs": "utf-32"}
PIECES = ["a", "é", "相机", "📷", "𝄞", "\n", "\r\n", "\r", '"', "{", "}", " ", "\t", "\u2028"]


@pytest_lsp.fixture(config=server_config(), scope="module", params=sorted(ENCODINGS))
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("robust"))
    yield
    await lsp_client.shutdown_session()


def _representable(text: str, offset: int) -> bool:
    """LSP positions cannot point between the \\r and \\n of one line break."""
    return not (0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n")


async def server_text(client: RecordingClient, uri: str) -> str:
    result = await client.protocol.send_request_async("kaios/documentText", {"uri": uri})
    return result["text"] if isinstance(result, dict) else result.text


async def test_random_incremental_edits_keep_the_server_copy_identical(client: RecordingClient):
    assert client.encoding == ENCODINGS[client.profile]  # negotiated as the client asked
    rng = random.Random(f"sync-{client.profile}")
    for document in range(3):
        name = ("manifest.webapp", "app.js", "index.html")[document]
        folder = client.root / f"sync-{document}"
        folder.mkdir(exist_ok=True)
        uri = (folder / name).as_uri()
        text = '{\n  "name": "相机 📷",\r\n  "type": "privileged"\n}\n'
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "json", 1, text))
        )
        version = 1
        for step in range(120):
            while True:
                start = rng.randint(0, len(text))
                end = min(len(text), start + rng.choice([0, 0, 1, 2, 5]))
                if _representable(text, start) and _representable(text, end):
                    break
            inserted = "".join(rng.choice(PIECES) for _ in range(rng.choice([0, 1, 1, 2, 4])))
            change = types.TextDocumentContentChangePartial(
                range=types.Range(
                    position_of(text, start, client.encoding),
                    position_of(text, end, client.encoding),
                ),
                text=inserted,
            )
            text = text[:start] + inserted + text[end:]
            version += 1
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]
                )
            )
            if step % 20 == 19:
                assert await server_text(client, uri) == text, (client.profile, step)
        assert await server_text(client, uri) == text


async def test_requests_for_unknown_documents_and_absurd_positions(client: RecordingClient):
    app = client.root / "absurd"
    app.mkdir()
    manifest = app / "manifest.webapp"
    text = '{"name": "x", "type": "privileged"}'
    manifest.write_text(text)
    await set_text(client, manifest.as_uri(), text)
    far = types.Position(line=10**6, character=10**6)
    for uri in (manifest.as_uri(), (app / "never-opened.webapp").as_uri(), "untitled:Untitled-1"):
        document = types.TextDocumentIdentifier(uri)
        await client.text_document_completion_async(types.CompletionParams(document, far))
        await client.text_document_hover_async(types.HoverParams(document, far))
        await client.text_document_code_action_async(
            types.CodeActionParams(
                document, types.Range(far, far), types.CodeActionContext(diagnostics=[])
            )
        )
        await client.text_document_document_symbol_async(types.DocumentSymbolParams(document))
        await client.text_document_document_link_async(types.DocumentLinkParams(document))
    # a document deleted on disk while open keeps being served from the editor's copy
    manifest.unlink()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(manifest.as_uri(), types.FileChangeType.Deleted)]
        )
    )
    assert await server_text(client, manifest.as_uri()) == text


async def test_hostile_files_get_a_clear_diagnostic(client: RecordingClient):
    app = client.root / "hostile"
    app.mkdir()
    (app / "manifest.webapp").write_text('{"name": "x", "type": "privileged"}')
    (app / "blob.js").write_bytes(b"\x00\x01\xff\xfe binary with a .js name \x00" * 50)
    (app / "big.js").write_bytes(b"// " + b"x" * (50 * 1024 * 1024))  # 50 MB, over maxFileSize
    deep = "[" * 10_000 + "]" * 10_000
    manifest_uri = (app / "manifest.webapp").as_uri()
    diagnostics = await set_text(client, manifest_uri, '{"name": "x", "deep": ' + deep + "}")
    assert "KAI009" in {d.code for d in diagnostics}  # reported, not a crash
    regexish = '{"name": "' + "a" * 200_000 + '!", "csp": "' + "'self' " * 20_000 + '"}'
    diagnostics = await set_text(client, manifest_uri, regexish)
    assert isinstance(diagnostics, list)
    loop = client.root / "hostile" / "loop"
    os.symlink(app, loop)  # a symlink loop inside the app
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="kaios-lsp.checkWorkspace")
    )
    assert result["files"] >= 3
    for name, words in (("blob.js", "binary"), ("big.js", "over the 16 MiB limit")):
        published = [p for p in client.published if p.uri == (app / name).as_uri()]
        (diagnostic,) = published[-1].diagnostics
        assert diagnostic.code == "KAI008" and words in diagnostic.message, diagnostic.message
