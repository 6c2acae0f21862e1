"""The server's copy of open documents, kept in sync with the editor.

pygls' own store splits lines with ``str.splitlines`` (which also breaks at U+2028,
U+0085 and other characters editors do not treat as line ends) and rebuilds the line
list on every access. This store follows LSP exactly: lines end at ``\\n``, ``\\r\\n`` or
``\\r``, columns are counted in the negotiated encoding, and one
:class:`~kaios_lsp.parse.text.LineIndex` is built per version, only when needed.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator, Mapping

from lsprotocol import types

from kaios_lsp.lsp.uris import uri_to_path
from kaios_lsp.parse.text import Encoding, LineIndex, PackedLineIndex, Positions

# Texts at least this long whose UTF-8 is under half their size as str are kept packed
# (UTF-8 bytes) while nobody types in them. Python stores a str at 1, 2 or 4 bytes per
# character, the widest character deciding: one emoji in a 1 MB bundle makes it 4 MB,
# and opening a whole app keeps every file open.
PACK_AT_CHARS = 4096

_generations = itertools.count(1)


class Document:
    """One open document: its text (kept packed while idle, see :meth:`pack`), version
    and what was computed from this version (``cache``)."""

    def __init__(
        self,
        uri: str,
        text: str,
        version: int | None,
        language_id: str = "",
        path: str | None = None,
    ) -> None:
        self.uri = uri
        self.version = version
        self.language_id = language_id
        self.path = path
        self._text: str | None = text
        self._packed: bytes | None = None
        self.length = len(text)
        # a new number for every text the document has had: is a result the worker
        # computed for an earlier one stale? (caches compare stamp(): same text, same stamp)
        self.generation = next(_generations)
        self._stamp: tuple[str, int, int] | None = None
        self._index: LineIndex | None = None
        self._packed_index: PackedLineIndex | None = None
        self.cache: dict[str, object] = {}
        # the JSON text of each diagnostic last published, by what it is made of (see
        # lsp/diagnostics.publish): kept across versions of a document typed in, as a
        # keystroke moves few of them
        self.published: dict[tuple[object, ...], str] = {}
        # The last parsed manifest and the edits made since (start, old end, new text), so
        # the next analysis can patch it instead of parsing again; None = replaced wholesale.
        self.base_manifest: object = None
        self.pending_edits: list[tuple[int, int, str]] | None = []
        self.edited = False  # changed since it was opened (typed in: worth analysing incrementally)

    def __repr__(self) -> str:
        return f"Document({self.uri!r}, version={self.version!r}, length={self.length})"

    @property
    def text(self) -> str:
        """The current text (unpacked, and kept so, until the next :meth:`pack`)."""
        if self._text is None:
            self._text = self.peek_text()
        return self._text

    def peek_text(self) -> str:
        """The current text, leaving a packed document packed (for reads by the
        analysis of another file)."""
        if self._text is not None:
            return self._text
        assert self._packed is not None
        return self._packed.decode("utf-8", "surrogatepass")

    @property
    def packed(self) -> bytes | None:
        """The text as UTF-8, when the document is packed."""
        return self._packed if self._text is None else None

    def pack(self) -> None:
        """Keep the text as UTF-8 until it is needed again, if that is much smaller
        (lone surrogates, possible in an editor's text, survive the round trip)."""
        text = self._text
        if text is None or self.length < PACK_AT_CHARS or text.isascii():
            return
        packed = self._packed
        if packed is None:
            packed = text.encode("utf-8", "surrogatepass")
            if 2 * len(packed) > sys.getsizeof(text):
                return  # (mostly CJK: no smaller as UTF-8)
        self.stamp()  # (while the text is at hand)
        self._packed = packed
        self._text = None
        self._index = None

    @property
    def index(self) -> LineIndex:
        """The line index of the current text (built on first use per version)."""
        text = self.text
        if self._index is None or self._index.text is not text:
            self._index = LineIndex(text)
        return self._index

    def stamp(self) -> tuple[str, int, int]:
        """Tells this text from others, packed or not: its length and hash (the same
        text again, after an undo, finds what was computed from it)."""
        if self._stamp is None:
            text = self.peek_text()
            self._stamp = ("open", len(text), hash(text))  # (str caches its hash)
        return self._stamp

    def positions(self) -> Positions:
        """Positions in the current text, leaving a packed document packed (for the
        places another document's findings point at in this one)."""
        if self._text is not None:
            return self.index
        if self._packed_index is None:
            assert self._packed is not None
            self._packed_index = PackedLineIndex(self._packed)
        return self._packed_index

    def set_text(self, text: str, version: int | None) -> None:
        self._text = text
        self._packed = None
        self._packed_index = None
        self.length = len(text)
        self.generation = next(_generations)
        self._stamp = None
        self.version = version
        self._index = None
        self.cache.clear()


class DocumentStore:
    """Open documents by URI."""

    def __init__(self) -> None:
        self.encoding = Encoding.UTF16
        self._documents: dict[str, Document] = {}
        self._opened = 0  # documents opened and closed so far (see OverlayFiles.epoch)

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
        self._opened += 1
        return document

    def close(self, uri: str) -> Document | None:
        self._opened += 1
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

    def open_texts(self) -> OpenTexts:
        """Normalised path -> text of every open file document (for the file overlay)."""
        return OpenTexts(
            {os.path.normpath(d.path): d for d in self._documents.values() if d.path},
            self._opened,
        )


class OpenTexts(Mapping[str, str]):
    """The texts of open documents by normalised path, read without unpacking them,
    and a stamp of each (see :class:`~kaios_lsp.app.files.OverlayFiles`)."""

    def __init__(self, documents: dict[str, Document], opened: int | None = None) -> None:
        self._documents = documents
        self.opened = opened  # (changes when a document is opened or closed)

    def __getitem__(self, path: str) -> str:
        return self._documents[path].peek_text()

    def __contains__(self, path: object) -> bool:
        return path in self._documents

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)

    def stamp(self, path: str) -> object:
        """Changes with the document's text (``None``: not open)."""
        document = self._documents.get(path)
        return None if document is None else document.stamp()
