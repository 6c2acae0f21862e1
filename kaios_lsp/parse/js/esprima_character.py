"""A drop-in for esprima-python's ``esprima.character`` module, without its tables.

At import, esprima-python lists every Unicode code point by category and builds sets of
the letters: about 120 MiB and 0.3-0.5 s, in every process that parses a small script.
Its scanner only asks of one character at a time whether it starts or continues an
identifier, is white space, a line end or a digit. This module answers the same questions
from ``unicodedata`` (the database those tables are built from), so esprima reads every
text exactly as before (tests/parse/test_esprima_character.py compares all code points).
"""

from __future__ import annotations

import unicodedata

# esprima's sets, copied as they are (esprima/character.py, esprima-python 4.0.1)
UNICODE_OTHER_ID_START = frozenset(
    (
        "\u1885", "\u1886", "\u2118", "\u212e", "\u309b", "\u309c",
        "\u08b3", "\u0af9", "\u13f8", "\u9fcd", "\uab60", "\U00010cc0", "\U000108e0",
        "\U0002b820", "\u1c80", "\U000104db", "\U0001e922", "\U0001ee00", "\U0001ee06",
        "\U0001ee0a",
    )
)  # fmt: skip
UNICODE_OTHER_ID_CONTINUE = frozenset(
    (
        "\xb7", "\u0387", "\u1369", "\u136a", "\u136b", "\u136c", "\u136d", "\u136e",
        "\u136f", "\u1370", "\u1371", "\u19da", "\u08e3", "\ua69e", "\U00011730", "\u08d4",
        "\u1dfb", "\ua8c5", "\U00011450", "\U0001ee03", "\U0001ee0b",
    )
)  # fmt: skip
WHITE_SPACE = frozenset(
    (
        "\x09", "\x0b", "\x0c", "\x20", "\xa0", "\u1680", "\u180e", "\u2000", "\u2001",
        "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009",
        "\u200a", "\u202f", "\u205f", "\u3000", "\ufeff",
    )
)  # fmt: skip
LINE_TERMINATOR = frozenset(("\x0a", "\x0d", "\u2028", "\u2029"))

DECIMAL_CONV = {c: n for n, c in enumerate("0123456789")}
OCTAL_CONV = {c: n for n, c in enumerate("01234567")}
HEX_CONV = {c: n for n, c in enumerate("0123456789abcdef")}
HEX_CONV.update({c: n for n, c in enumerate("ABCDEF", 10)})
DECIMAL_DIGIT = frozenset(DECIMAL_CONV)
OCTAL_DIGIT = frozenset(OCTAL_CONV)
HEX_DIGIT = frozenset(HEX_CONV)

_LETTERS = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Nl"))
_PARTS = frozenset(("Mn", "Mc", "Nd", "Pc"))
_START_EXTRA = frozenset(("$", "_", "\\")) | UNICODE_OTHER_ID_START
_PART_EXTRA = frozenset(("\u200d", "\u200c")) | UNICODE_OTHER_ID_CONTINUE


def _starts(ch: object) -> bool:
    if not isinstance(ch, str) or len(ch) != 1:
        return False  # (a set of single characters holds nothing else)
    return ch in _START_EXTRA or unicodedata.category(ch) in _LETTERS


def _continues(ch: object) -> bool:
    if not isinstance(ch, str) or len(ch) != 1:
        return False
    return _starts(ch) or ch in _PART_EXTRA or unicodedata.category(ch) in _PARTS


# (most code is ASCII: answered from two small sets)
_ASCII_START = frozenset(c for c in map(chr, range(128)) if _starts(c))
_ASCII_PART = frozenset(c for c in map(chr, range(128)) if _continues(c))


class Character:
    @staticmethod
    def fromCodePoint(code: int) -> str:  # (esprima's names)
        return chr(code)

    @staticmethod
    def isWhiteSpace(ch: object) -> bool:
        return ch in WHITE_SPACE

    @staticmethod
    def isLineTerminator(ch: object) -> bool:
        return ch in LINE_TERMINATOR

    @staticmethod
    def isIdentifierStart(ch: object) -> bool:
        if ch in _ASCII_START:
            return True
        return not (isinstance(ch, str) and ch.isascii()) and _starts(ch)

    @staticmethod
    def isIdentifierPart(ch: object) -> bool:
        if ch in _ASCII_PART:
            return True
        return not (isinstance(ch, str) and ch.isascii()) and _continues(ch)

    @staticmethod
    def isDecimalDigit(ch: object) -> bool:
        return ch in DECIMAL_DIGIT

    @staticmethod
    def isHexDigit(ch: object) -> bool:
        return ch in HEX_DIGIT

    @staticmethod
    def isOctalDigit(ch: object) -> bool:
        return ch in OCTAL_DIGIT
