"""A compact stand-in for ``esprima.character``, installed before esprima is imported.

esprima-python's own module builds a list of every Unicode code point by category and
keeps it, plus sets of all identifier characters: about 120 MiB and 0.3 s in every
process that imports esprima (the server and its analysis worker). The same answers come
from ``unicodedata`` for the few non-ASCII characters real code has, the very tables the
original module was built from, so esprima's results do not change.
"""

from __future__ import annotations

import sys
import types
import unicodedata

_START_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl"})
_PART_CATEGORIES = _START_CATEGORIES | {"Mn", "Mc", "Nd", "Pc"}

UNICODE_OTHER_ID_START = frozenset(
    "\u1885\u1886\u2118\u212e\u309b\u309c"
    "\u08b3\u0af9\u13f8\u9fcd\uab60\U00010cc0\U000108e0\U0002b820"
    "\u1c80\U000104db\U0001e922"
    "\U0001ee00\U0001ee06\U0001ee0a"
)
UNICODE_OTHER_ID_CONTINUE = frozenset(
    "\xb7\u0387\u1369\u136a\u136b\u136c\u136d\u136e\u136f\u1370\u1371\u19da"
    "\u08e3\ua69e\U00011730"
    "\u08d4\u1dfb\ua8c5\U00011450"
    "\U0001ee03\U0001ee0b"
)
WHITE_SPACE = frozenset(
    "\x09\x0b\x0c\x20\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u202f\u205f\u3000\ufeff"
)
LINE_TERMINATOR = frozenset("\x0a\x0d\u2028\u2029")
DECIMAL_CONV = {c: n for n, c in enumerate("0123456789")}
OCTAL_CONV = {c: n for n, c in enumerate("01234567")}
HEX_CONV = {c: n for n, c in enumerate("0123456789abcdef")} | {
    c: n for n, c in enumerate("ABCDEF", 10)
}
DECIMAL_DIGIT = frozenset(DECIMAL_CONV)
OCTAL_DIGIT = frozenset(OCTAL_CONV)
HEX_DIGIT = frozenset(HEX_CONV)

_ASCII = [chr(n) for n in range(128)]
_ASCII_START = frozenset(
    c for c in _ASCII if unicodedata.category(c) in _START_CATEGORIES or c in "$_\\"
)
_ASCII_PART = _ASCII_START | DECIMAL_DIGIT


def is_identifier_start(ch: object) -> bool:
    if ch in _ASCII_START:
        return True
    if not isinstance(ch, str) or len(ch) != 1 or ch < "\x80":
        return False
    return unicodedata.category(ch) in _START_CATEGORIES or ch in UNICODE_OTHER_ID_START


def is_identifier_part(ch: object) -> bool:
    if ch in _ASCII_PART:
        return True
    if not isinstance(ch, str) or len(ch) != 1 or ch < "\x80":
        return False
    return (
        unicodedata.category(ch) in _PART_CATEGORIES
        or ch in "\u200c\u200d"
        or ch in UNICODE_OTHER_ID_START
        or ch in UNICODE_OTHER_ID_CONTINUE
    )


class Character:
    """The interface esprima's scanner and JSX parser use."""

    fromCodePoint = staticmethod(chr)
    isIdentifierStart = staticmethod(is_identifier_start)
    isIdentifierPart = staticmethod(is_identifier_part)

    @staticmethod
    def isWhiteSpace(ch: object) -> bool:
        return ch in WHITE_SPACE

    @staticmethod
    def isLineTerminator(ch: object) -> bool:
        return ch in LINE_TERMINATOR

    @staticmethod
    def isDecimalDigit(ch: object) -> bool:
        return ch in DECIMAL_DIGIT

    @staticmethod
    def isHexDigit(ch: object) -> bool:
        return ch in HEX_DIGIT

    @staticmethod
    def isOctalDigit(ch: object) -> bool:
        return ch in OCTAL_DIGIT


def install() -> None:
    """Make ``import esprima`` use this module (a no-op once esprima is imported: then
    its own tables are already built)."""
    if "esprima.character" in sys.modules:
        return
    module = types.ModuleType("esprima.character", __doc__)
    for name in (
        "Character",
        "WHITE_SPACE",
        "LINE_TERMINATOR",
        "DECIMAL_CONV",
        "OCTAL_CONV",
        "HEX_CONV",
        "DECIMAL_DIGIT",
        "OCTAL_DIGIT",
        "HEX_DIGIT",
        "UNICODE_OTHER_ID_START",
        "UNICODE_OTHER_ID_CONTINUE",
    ):
        setattr(module, name, globals()[name])
    sys.modules["esprima.character"] = module
