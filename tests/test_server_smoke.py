"""The server over stdio, driven by a real LSP client: sync, diagnostics, quick fixes."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types

from tests.lsp_client import (
    RecordingClient,
    apply_text_edits,
    capabilities,
    edits_for,
    initialize_params,
    server_config,
)

MANIFEST = """{
  "name": "Demo",
  "type": "privilaged",
  "launch_path": "/index.html",
  "orientation": "portrait",
}
"""


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: RecordingClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("app")
    (root / "index.html").write_text("<!doctype html>")
    lsp_client.app_root = root
    await lsp_client.initialize_session(initialize_params(capabilities("vscode"), root))
    yield
    await lsp_client.shutdown_session()


async def test_open_change_fix(client: RecordingClient):
    uri = (client.app_root / "manifest.webapp").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="json", version=1, text=MANIFEST)
        )
    )
    diagnostics = await client.wait_for_diagnostics(uri, 1)
    codes = sorted(str(d.code) for d in diagnostics)
    assert "KAI110" in codes and "KAI003" in codes
    type_diag = next(d for d in diagnostics if d.code == "KAI110")
    assert type_diag.range == types.Range(types.Position(2, 10), types.Position(2, 22))
    assert type_diag.severity == types.DiagnosticSeverity.Error

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=type_diag.range,
            context=types.CodeActionContext(
                diagnostics=[type_diag], only=[types.CodeActionKind.QuickFix]
            ),
        )
    )
    assert actions
    fix = next(
        a
        for a in actions
        if isinstance(a, types.CodeAction) and a.title == 'Change to "privileged"'
    )
    assert fix.is_preferred
    new_text = apply_text_edits(MANIFEST, edits_for(fix.edit, uri))
    assert '"type": "privileged"' in new_text

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
        )
    )
    diagnostics = await client.wait_for_diagnostics(uri, 2)
    assert "KAI110" not in {d.code for d in diagnostics}
    assert "KAI003" in {d.code for d in diagnostics}
