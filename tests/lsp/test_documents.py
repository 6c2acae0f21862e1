"""Open documents keep their text as UTF-8 while nobody types in them (issue 17): the
text, its stamp and its positions are those of the text itself, packed or not."""

from __future__ import annotations

import sys

import pytest
from lsprotocol import types

from kaios_lsp.lsp.documents import PACK_AT_CHARS, Document, DocumentStore
from kaios_lsp.parse.text import Encoding, LineIndex

# emoji make Python keep the str at 4 bytes a character; a lone surrogate (possible in
# an editor's text) must survive the round trip through UTF-8
BUNDLE = ("var title = '演示 🎧';\r\nvar lone = '\ud83c';\n" * 400)[: PACK_AT_CHARS * 3]


def _store(text: str) -> tuple[DocumentStore, Document]:
    store = DocumentStore()
    document = store.open(types.TextDocumentItem("file:///app/js/bundle.js", "javascript", 1, text))
    return store, document


def test_a_packed_document_gives_back_its_exact_text_stamp_and_positions() -> None:
    _, document = _store(BUNDLE)
    stamp = document.stamp()
    document.pack()
    assert document.packed is not None
    assert len(document.packed) * 2 < sys.getsizeof(BUNDLE)
    assert document.stamp() == stamp  # (caches of other files' results still match)
    assert document.peek_text() == BUNDLE and document.packed is not None  # still packed
    index = LineIndex(BUNDLE)
    for offset in (0, 15, 17, 40, 41, len(BUNDLE) // 2, len(BUNDLE)):
        for encoding in Encoding:
            assert document.positions().position(offset, encoding) == index.position(
                offset, encoding
            )
    assert document.text == BUNDLE and document.packed is None  # unpacked on use


@pytest.mark.parametrize(
    "text",
    ["var a = 1;\n" * 1000, "短" * (PACK_AT_CHARS * 2), "🎧" * 10],
    ids=["ascii", "all-cjk", "short"],
)
def test_texts_no_smaller_as_utf8_stay_as_they_are(text: str) -> None:
    _, document = _store(text)
    document.pack()
    assert document.packed is None and document.text is text


def test_an_edit_to_a_packed_document_applies_to_its_text() -> None:
    store, document = _store(BUNDLE)
    document.pack()
    line = 2  # (after a CRLF line and a LF one) "var title = '演示 🎧';"
    change = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(line, 16), types.Position(line, 18)), text="x"
    )
    store.change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=2, uri=document.uri), [change]
        )
    )
    # UTF-16 columns 16-18 are the emoji (its 16 characters before are all in the BMP)
    start = BUNDLE.index("🎧", BUNDLE.index("\n", BUNDLE.index("\n") + 1))
    assert BUNDLE[start - 16 : start] == "var title = '演示 "
    assert document.text == BUNDLE[:start] + "x" + BUNDLE[start + 1 :]
    assert document.version == 2 and document.packed is None


def test_other_documents_read_a_packed_text_without_unpacking_it() -> None:
    store, document = _store(BUNDLE)
    document.pack()
    texts = store.open_texts()
    path = next(iter(texts))
    assert texts[path] == BUNDLE and document.packed is not None
    assert texts.stamp(path) == document.stamp() and texts.stamp("/elsewhere.js") is None
