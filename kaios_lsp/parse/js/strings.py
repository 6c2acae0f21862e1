"""JavaScript string and number literals -> Python values (for literals tree-sitter reads)."""

from __future__ import annotations

import re

_ESCAPE = re.compile(
    r"\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(\r\n|[\n\r\u2028\u2029])|([0-7]{1,3})|(.))",
    re.DOTALL,
)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _replace(match: re.Match[str]) -> str:
    brace, four, two, line, octal, other = match.groups()
    if brace is not None:
        code = int(brace, 16)
        return chr(code) if code <= 0x10FFFF else ""
    if four is not None:
        return chr(int(four, 16))
    if two is not None:
        return chr(int(two, 16))
    if line is not None:
        return ""  # a line continuation
    if octal is not None:
        return "\0" if octal == "0" else chr(int(octal, 8) & 0xFF)
    char: str = other  # the one group left: it matched
    return _SIMPLE.get(char, char)


def decode_string(raw: str) -> str:
    """The value of a string literal from its source text (with its quotes)."""
    body = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"" else raw
    value = _ESCAPE.sub(_replace, body) if "\\" in body else body
    return _join_surrogates(value)


def decode_template_chunk(raw: str) -> str:
    """The cooked value of the text between a template's substitutions."""
    value = _ESCAPE.sub(_replace, raw) if "\\" in raw else raw
    return _join_surrogates(value.replace("\r\n", "\n").replace("\r", "\n"))


def _join_surrogates(value: str) -> str:
    """'\\ud83c\\udfa7' escapes give two surrogates; JavaScript sees one character."""
    if not any("\ud800" <= c <= "\udfff" for c in value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def number_value(raw: str) -> int | float | None:
    """A numeric literal's value; ``None`` for a BigInt (``10n``) or anything odd."""
    text = raw.replace("_", "")
    if text.endswith("n"):
        return None
    try:
        lowered = text.lower()
        if lowered.startswith("0x"):
            return int(lowered, 16)
        if lowered.startswith("0o"):
            return int(lowered[2:], 8)
        if lowered.startswith("0b"):
            return int(lowered[2:], 2)
        if len(text) > 1 and text[0] == "0" and text.isdigit():
            return int(text, 8) if all(c in "01234567" for c in text) else int(text)
        value = float(text)
        return (
            int(value) if value.is_integer() and "." not in text and "e" not in lowered else value
        )
    except ValueError:
        return None
