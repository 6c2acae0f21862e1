"""The server's copy of open documents, kept in sync with the editor.

pygls' own store splits lines with ``str.splitlines`` (which also breaks at U+2028,
U+0085 and other characters editors do not treat as line ends) and rebuilds the line
list on every access. This store follows LSP exactly: lines end at ``\\n``, ``\\r\\n`` or
``\\r``, columns are counted in the negotiated encoding, and one
:class:`~kaios_lsp.parse.text.LineIndex` is built per version, only when needed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from lsprotocol import types

from kaios_lsp.lsp.uris import uri_to_path
from kaios_lsp.parse.text import Encoding, LineIndex


@dataclass
class Document:
    uri: str
    text: str
    version: int | None
    language_id: str = ""
    path: str | None = None
    _index: LineIndex | None = field(default=None, repr=False)
    cache: dict[str, object] = field(default_factory=dict, repr=False)
    # The last parsed manifest and the edits made since (start, old end, new text), so
    # the next analysis can patch it instead of parsing again; None = replaced wholesale.
    base_manifest: object = field(default=None, repr=False)
    pending_edits: list[tuple[int, int, str]] | None = field(default_factory=list, repr=False)
    edited: bool = False  # changed since it was opened (typed in: worth analysing incrementally)

    @property
    def index(self) -> LineIndex:
        """The line index of the current text (built on first use per version)."""
        if self._index is None or self._index.text is not self.text:
            self._index = LineIndex(self.text)
        return self._index

    def set_text(self, text: str, version: int | None) -> None:
        self.text = text
        self.version = version
        self._index = None
        self.cache.clear()


class DocumentStore:
    """Open documents by URI."""

    def __init__(self) -> None:
        self.encoding = Encoding.UTF16
        self._documents: dict[str, Document] = {}

    def __contains__(self, uri: str) -> bool:
        return uri in self._documents

    def get(self, uri: str) -> Document | None:
        return self._documents.get(uri)

    def all(self) -> list[Document]:
        return list(self._documents.values())

    def open(self, item: types.TextDocumentItem) -> Document:
        path = uri_to_path(item.uri)
        document = Document(item.uri, item.text, item.version, item.language_id, path)
        self._documents[item.uri] = document
        return document

    def close(self, uri: str) -> Document | None:
        return self._documents.pop(uri, None)

    def change(self, params: types.DidChangeTextDocumentParams) -> Document | None:
        document = self._documents.get(params.text_document.uri)
        if document is None:
            return None
        text = document.text
        edits = document.pending_edits
        index = document.index
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                if index.text is not text:
                    index = LineIndex(text)

                start = index.offset(
                    change.range.start.line, change.range.start.character, self.encoding
                )
                end = index.offset(change.range.end.line, change.range.end.character, self.encoding)
                if end < start:
                    start, end = end, start
                following = text[:start] + change.text + text[end:]
                index = index.after_edit(following, start, end, change.text)
                text = following
                if edits is not None:
                    edits.append((start, end, change.text))
            else:
                text = change.text
                edits = None
        document.pending_edits = edits
        document.edited = True
        document.set_text(text, params.text_document.version)
        if index.text is text:
            document._index = index

        return document

    def open_texts(self) -> dict[str, str]:
        """Normalised path -> text of every open file document (for the file overlay)."""
        return {os.path.normpath(d.path): d.text for d in self._documents.values() if d.path}
