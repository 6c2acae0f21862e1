"""The transport floor: a bare pygls 2 server that analyses nothing.

It uses pygls' default text sync (incremental, pygls' own workspace) and, on every
didOpen and didChange, publishes an empty diagnostics list carrying the document
version. Everything kaios-lsp spends above this server's latency is our own work.
It also answers every completion request with an empty list and every hover with
nothing: the floor of a request round trip.

Run: ``python bench/bare_server.py`` (speaks LSP on stdin/stdout).
"""

from __future__ import annotations

import logging

from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("bare-pygls", "1.0")


def _publish(ls: LanguageServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=[], version=document.version)
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_COMPLETION)
def completion(ls: LanguageServer, params: types.CompletionParams) -> types.CompletionList:
    return types.CompletionList(is_incomplete=False, items=[])


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: LanguageServer, params: types.HoverParams) -> types.Hover | None:
    return None


def main() -> None:
    """Serve on stdio with the same logging setup as ``kaios-lsp``."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("pygls").setLevel(logging.WARNING)
    server.start_io()


if __name__ == "__main__":
    main()
