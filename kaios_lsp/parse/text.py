"""Offsets <-> line/column positions, with LSP's line and encoding rules.

LSP counts lines at ``\\n``, ``\\r\\n`` and ``\\r`` only (``str.splitlines`` would also
split at U+2028, U+0085 and others, which editors do not), and counts columns in UTF-16
code units unless the client negotiated UTF-8 or UTF-32. Python strings index code
points, so every conversion goes through one :class:`LineIndex` per text version.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from enum import Enum
from typing import Protocol

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")  # (in UTF-8, never inside a character)


class Encoding(str, Enum):
    """Position encodings defined by LSP 3.17 (``PositionEncodingKind``)."""

    UTF8 = "utf-8"
    UTF16 = "utf-16"
    UTF32 = "utf-32"

    @classmethod
    def parse(cls, value: str | None) -> Encoding:
        for member in cls:
            if member.value == value:
                return member
        return cls.UTF16


def _units(text: str, encoding: Encoding) -> int:
    """Length of ``text`` in code units of ``encoding``.

    ``surrogatepass`` keeps lone surrogates (possible in JSON escapes and in text an
    editor sent us) countable instead of raising.
    """
    if encoding is Encoding.UTF32 or text.isascii():
        return len(text)
    if encoding is Encoding.UTF16:
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text.encode("utf-8", "surrogatepass"))


def _char_units(char: str, encoding: Encoding) -> int:
    code = ord(char)
    if encoding is Encoding.UTF32:
        return 1
    if encoding is Encoding.UTF16:
        return 2 if code > 0xFFFF else 1
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4


class LineIndex:
    """Line starts of one text; converts offsets to positions and back.

    Build it once per document version: construction is one C-speed regex scan, and
    every conversion afterwards is a binary search plus work on a single line. An edit
    that adds or removes no line break makes the next version's index from this one
    (:meth:`after_edit`): the starts of the lines after the edit are kept as they were,
    with how far they moved, so typing on one line of a big script costs no copy.
    """

    __slots__ = ("_moved", "_moved_from", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # machine integers, not int objects: the server keeps one index per open document
        # (a 1 MB bundle has ~40,000 lines: 1.4 MB as a list, 0.3 MB as an array)
        self._starts = array("q", [0])
        self._starts.extend(match.end() for match in _LINE_BREAK.finditer(text))
        # the lines from _moved_from on start _moved code points after their _starts
        self._moved_from = 0
        self._moved = 0

    def after_edit(self, text: str, start: int, end: int, inserted: str) -> LineIndex:
        """The index of ``text``, which is this index's text with ``[start, end)``
        replaced by ``inserted``; cheap when neither side contains a line break."""
        old = self.text
        if (
            "\n" in inserted
            or "\r" in inserted
            or "\n" in old[start:end]
            or "\r" in old[start:end]
            or old[start - 1 : start] == "\r"  # the edit could split or join a CRLF
        ):
            return LineIndex(text)
        delta = len(inserted) - (end - start)
        first_after = self.line_of(start) + 1
        index = LineIndex.__new__(LineIndex)
        index.text = text
        starts, moved_from, moved = self._starts, self._moved_from, self._moved
        if moved and delta and moved_from != first_after:  # (typing went to another line)
            starts = starts[:moved_from] + array("q", [s + moved for s in starts[moved_from:]])
            moved = 0
        index._starts = starts  # (never changed in place: shared with this index)
        index._moved_from = first_after if delta else moved_from
        index._moved = moved + delta
        return index

    def _start(self, line: int) -> int:
        return self._starts[line] + (self._moved if line >= self._moved_from else 0)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        return self._start(line)

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content, before its line break."""
        if line + 1 < len(self._starts):
            end = self._start(line + 1)
            text = self.text
            if end >= 2 and text[end - 2 : end] == "\r\n":
                return end - 2
            return end - 1
        return len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self._start(line) : self.line_end(line)]

    def line_of(self, offset: int) -> int:
        starts, moved_from, moved = self._starts, self._moved_from, self._moved
        if not moved or moved_from >= len(starts):
            return bisect_right(starts, offset) - 1
        if offset >= starts[moved_from] + moved:
            return bisect_right(starts, offset - moved, moved_from) - 1
        return bisect_right(starts, offset, 0, moved_from) - 1

    def position(self, offset: int, encoding: Encoding = Encoding.UTF16) -> tuple[int, int]:
        """(line, column) of a code-point offset, the column in ``encoding`` units."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self._start(line)
        # An offset between \r and \n of a CRLF belongs to the line's end.
        end = self.line_end(line)
        offset = min(offset, end)
        return line, _units(self.text[start:offset], encoding)

    def offset(self, line: int, column: int, encoding: Encoding = Encoding.UTF16) -> int:
        """Code-point offset of an LSP position; out-of-range values are clamped
        the way the LSP specification asks (past the end of a line = its end)."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        start = self._start(line)
        end = self.line_end(line)
        if column <= 0:
            return start
        segment = self.text[start:end]
        if encoding is Encoding.UTF32 or segment.isascii():
            return start + min(column, len(segment))
        remaining = column
        for index, char in enumerate(segment):
            width = _char_units(char, encoding)
            if remaining < width:
                # A position inside a character (half of a surrogate pair, or inside
                # a UTF-8 sequence) snaps to that character's start.
                return start + index
            remaining -= width
            if remaining == 0:
                return start + index + 1
        return end

    def units_between(self, start: int, end: int, encoding: Encoding) -> int:
        return _units(self.text[start:end], encoding)


class Positions(Protocol):
    """What turns offsets into LSP positions: :class:`LineIndex`, or :class:`PackedLineIndex`."""

    def position(self, offset: int, encoding: Encoding = Encoding.UTF16) -> tuple[int, int]: ...


class PackedLineIndex:
    """:meth:`LineIndex.position` for a text kept as UTF-8 (an idle open document, see
    lsp/documents.py), without keeping it decoded. It keeps the line starts (in code
    points and in bytes) and, every ``mark_every`` code points, a mark: the byte offset
    and UTF-16 units before it. A position decodes at most two stretches between marks,
    however long its line (a minified bundle is one line of a megabyte)."""

    __slots__ = ("_byte_starts", "_data", "_every", "_length", "_marks", "_starts")

    def __init__(self, data: bytes, mark_every: int = 4096) -> None:
        text = data.decode("utf-8", "surrogatepass")  # (only while building)
        self._data = data
        self._length = len(text)
        self._every = mark_every
        self._starts = array("q", [0])
        self._starts.extend(match.end() for match in _LINE_BREAK.finditer(text))
        self._byte_starts = array("q", [0])
        self._byte_starts.extend(match.end() for match in _LINE_BREAK_BYTES.finditer(data))
        # (byte offset, UTF-16 units) before code point k * mark_every, flattened
        self._marks = array("q", [0, 0])
        units = offset = 0
        for k in range(0, self._length, mark_every):
            stretch = text[k : k + mark_every]
            offset += len(stretch.encode("utf-8", "surrogatepass"))
            units += _units(stretch, Encoding.UTF16)
            self._marks.extend((offset, units))

    def _before(self, offset: int) -> tuple[int, int]:
        """(UTF-8 bytes, UTF-16 units) of the text before code point ``offset``."""
        k = offset // self._every
        byte, units = self._marks[2 * k], self._marks[2 * k + 1]
        rest = offset - k * self._every
        if rest == 0:
            return byte, units
        end = self._marks[2 * k + 2] if 2 * k + 2 < len(self._marks) else len(self._data)
        stretch = self._data[byte:end].decode("utf-8", "surrogatepass")[:rest]
        return (
            byte + len(stretch.encode("utf-8", "surrogatepass")),
            units + _units(stretch, Encoding.UTF16),
        )

    def position(self, offset: int, encoding: Encoding = Encoding.UTF16) -> tuple[int, int]:
        offset = max(0, min(offset, self._length))
        line = bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        if line + 1 < len(self._starts):  # an offset inside a CRLF is the line's end
            next_byte = self._byte_starts[line + 1]
            crlf = self._data[next_byte - 2 : next_byte] == b"\r\n"
            offset = min(offset, self._starts[line + 1] - (2 if crlf else 1))
        if encoding is Encoding.UTF32:
            return line, offset - start
        byte, units = self._before(offset)
        if encoding is Encoding.UTF8:
            return line, byte - self._byte_starts[line]
        return line, units - self._before(start)[1]


def one_based_column(
    index: LineIndex, offset: int, encoding: Encoding = Encoding.UTF16
) -> tuple[int, int]:
    """1-based (line, column) for human-facing output."""
    line, column = index.position(offset, encoding)
    return line + 1, column + 1
