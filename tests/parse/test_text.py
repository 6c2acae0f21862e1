"""Offsets <-> LSP positions under UTF-16, UTF-8 and UTF-32, with LSP's line rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaios_lsp.parse.text import Encoding, LineIndex, PackedLineIndex
from tests.support.lsp_client import _offset, position_of

TEXT = '{\n  "name": "演示 🎧 app",\r\n  "x": "a\u2028b"\r  "é": 1\n}'


@pytest.mark.parametrize(
    ("needle", "utf16", "utf8", "utf32"),
    [
        ("🎧", (1, 14), (1, 18), (1, 14)),
        ("app", (1, 17), (1, 23), (1, 16)),
        ('b"', (2, 10), (2, 12), (2, 10)),  # U+2028 is not a line break in LSP
        ('"é"', (3, 2), (3, 2), (3, 2)),  # lone \r ends a line
        (": 1", (3, 5), (3, 6), (3, 5)),
    ],
)
def test_positions_in_each_encoding(needle: str, utf16, utf8, utf32) -> None:
    index = LineIndex(TEXT)
    offset = TEXT.index(needle)
    assert index.position(offset, Encoding.UTF16) == utf16
    assert index.position(offset, Encoding.UTF8) == utf8
    assert index.position(offset, Encoding.UTF32) == utf32
    for encoding, expected in (
        (Encoding.UTF16, utf16),
        (Encoding.UTF8, utf8),
        (Encoding.UTF32, utf32),
    ):
        assert index.offset(*expected, encoding) == offset


def test_line_count_follows_lsp_not_splitlines() -> None:
    index = LineIndex(TEXT)
    assert index.line_count == 5
    assert len(TEXT.splitlines()) == 6  # str.splitlines would also split at U+2028


def test_out_of_range_positions_are_clamped() -> None:
    index = LineIndex("ab\ncd")
    assert index.offset(0, 99) == 2  # past the end of a line = its end
    assert index.offset(99, 0) == 5  # past the last line = end of text
    assert index.offset(-1, 3) == 0
    assert index.position(999) == (1, 2)


def test_position_inside_a_surrogate_pair_snaps_to_the_character_start() -> None:
    index = LineIndex("a🎧b")
    assert index.offset(0, 2, Encoding.UTF16) == 1  # between the two UTF-16 halves
    assert index.offset(0, 3, Encoding.UTF16) == 2
    assert index.offset(0, 3, Encoding.UTF8) == 1  # inside the 4-byte UTF-8 sequence


def test_lone_surrogates_do_not_raise() -> None:
    text = 'x"\ud800"y'
    index = LineIndex(text)
    assert index.position(len(text), Encoding.UTF16) == (0, 5)
    assert index.position(len(text), Encoding.UTF8) == (0, 7)


def test_crlf_positions() -> None:
    text = "ab\r\ncd"
    index = LineIndex(text)
    assert index.position(3) == (0, 2)  # between \r and \n belongs to the line end
    assert index.offset(1, 1) == 5


alphabet = st.sampled_from([*list('ab {}"\n\r\t'), "\r\n", "é", "演", "🎧", "\u2028", "😀"])


@settings(max_examples=300, deadline=None)
@given(st.lists(alphabet, max_size=40).map("".join), st.data())
def test_round_trip_against_an_independent_implementation(text: str, data) -> None:
    index = LineIndex(text)
    offset = data.draw(st.integers(0, len(text)))
    if text[max(0, offset - 1) : offset + 1] == "\r\n":
        offset -= 1  # no position addresses the middle of a CRLF
    for encoding in ("utf-8", "utf-16", "utf-32"):
        expected = position_of(text, offset, encoding)
        line, column = index.position(offset, Encoding(encoding))
        assert (line, column) == (expected.line, expected.character)
        assert (
            index.offset(line, column, Encoding(encoding))
            == offset
            == _offset(text, expected, encoding)
        )


@settings(max_examples=400, deadline=None)
@given(st.lists(alphabet, max_size=30).map("".join), st.data())
def test_index_after_an_edit_equals_a_fresh_index(text: str, data) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    inserted = data.draw(st.lists(alphabet, max_size=3).map("".join))
    new_text = text[:start] + inserted + text[end:]
    derived = LineIndex(text).after_edit(new_text, start, end, inserted)
    fresh = LineIndex(new_text)
    assert derived.text == new_text
    assert [derived.line_start(i) for i in range(derived.line_count)] == [
        fresh.line_start(i) for i in range(fresh.line_count)
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(alphabet | st.just("\ud83c"), max_size=40).map("".join), st.data())
def test_a_packed_index_gives_the_positions_of_a_line_index(text: str, data) -> None:
    """Positions in a text kept as UTF-8 (an idle open document) are those of its text:
    every offset, in every encoding, across CRLF, lone CR, emoji, CJK and a lone
    surrogate (which an editor's text may hold)."""
    # marks every 1-5 code points: positions between and on them, in long lines too
    every = data.draw(st.integers(1, 5))
    packed = PackedLineIndex(text.encode("utf-8", "surrogatepass"), mark_every=every)
    index = LineIndex(text)
    for offset in range(-1, len(text) + 2):
        encoding = data.draw(st.sampled_from(list(Encoding)))
        assert packed.position(offset, encoding) == index.position(offset, encoding)


def _same_index(index: LineIndex, text: str) -> None:
    fresh = LineIndex(text)
    assert index.line_count == fresh.line_count
    for line in range(fresh.line_count + 1):
        if line < fresh.line_count:
            assert index.line_start(line) == fresh.line_start(line)
            assert index.line_end(line) == fresh.line_end(line)
            assert index.line_text(line) == fresh.line_text(line)
        for column in (0, 1, 3, 50):
            for encoding in Encoding:
                assert index.offset(line, column, encoding) == fresh.offset(line, column, encoding)
    for offset in range(len(text) + 2):
        assert index.line_of(min(offset, len(text))) == fresh.line_of(min(offset, len(text)))
        for encoding in Encoding:
            assert index.position(offset, encoding) == fresh.position(offset, encoding)


# what is typed: mostly no line break (the index then moves lines, not rebuilt)
typed = st.sampled_from([*list("ab é"), "演", "🎧", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(alphabet, max_size=40).map("".join), st.data())
def test_an_index_after_edits_is_the_index_of_the_new_text(text: str, data) -> None:
    """Typing moves the lines after the edit without copying their starts (the same
    line again and again: one running shift); any sequence of edits, line breaks
    included, gives the index a fresh build of the text gives."""
    index = LineIndex(text)
    for _ in range(data.draw(st.integers(1, 8))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 3)))
        inserted = data.draw(st.lists(typed, max_size=3).map("".join))
        text = text[:start] + inserted + text[end:]
        index = index.after_edit(text, start, end, inserted)
        _same_index(index, text)
