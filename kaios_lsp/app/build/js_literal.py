"""Literal values in JavaScript config files (``babel.config.js``, ``vite.config.ts``...),
read without evaluating anything."""

from __future__ import annotations

import re


class NotLiteral(Exception):
    pass


_JS_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_JS_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_JS_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def skip(text: str, pos: int) -> int:
    m = _JS_SPACE.match(text, pos)
    return m.end() if m else pos


def _js_string(text: str, pos: int) -> tuple[str, int]:
    quote = text[pos]
    out: list[str] = []
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == quote:
            return "".join(out), i + 1
        if ch == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t"}.get(text[i + 1], text[i + 1]))
            i += 2
            continue
        if ch == "\n" and quote != "`":
            break
        if quote == "`" and text.startswith("${", i):
            raise NotLiteral("template with substitutions")
        out.append(ch)
        i += 1
    raise NotLiteral("unterminated string")


def js_literal(text: str, pos: int, depth: int = 0) -> tuple[object, int, int]:
    """(value, start, end) of the JS literal (string, number, boolean, null, array or object of
    literals) at ``pos``; NotLiteral for anything else (a variable, a call, a spread…)."""
    if depth > 40:
        raise NotLiteral("too deep")
    pos = skip(text, pos)
    if pos >= len(text):
        raise NotLiteral("end of text")
    ch = text[pos]
    if ch in "'\"`":
        string, end = _js_string(text, pos)
        return string, pos, end
    if ch == "[":
        items, i = [], skip(text, pos + 1)
        while i < len(text) and text[i] != "]":
            value, _, i = js_literal(text, i, depth + 1)
            items.append(value)
            i = skip(text, i)
            if i < len(text) and text[i] == ",":
                i = skip(text, i + 1)
            elif i < len(text) and text[i] != "]":
                raise NotLiteral("unexpected text in array")
        if i >= len(text):
            raise NotLiteral("unterminated array")
        return items, pos, i + 1
    if ch == "{":
        obj: dict[str, object] = {}
        i = skip(text, pos + 1)
        while i < len(text) and text[i] != "}":
            if text[i] in "'\"":
                key, i = _js_string(text, i)
            elif m := _JS_IDENT.match(text, i) or _JS_NUMBER.match(text, i):
                key, i = m.group(), m.end()
            else:
                raise NotLiteral("computed key or spread in object")
            i = skip(text, i)
            if i >= len(text) or text[i] != ":":
                raise NotLiteral("shorthand or method in object")
            value, _, i = js_literal(text, i + 1, depth + 1)
            obj[key] = value
            i = skip(text, i)
            if i < len(text) and text[i] == ",":
                i = skip(text, i + 1)
            elif i < len(text) and text[i] != "}":
                raise NotLiteral("unexpected text in object")
        if i >= len(text):
            raise NotLiteral("unterminated object")
        return obj, pos, i + 1
    if m := _JS_NUMBER.match(text, pos):
        end = m.end()
        if end < len(text) and (text[end].isalnum() or text[end] in "_$"):
            raise NotLiteral("not a number")
        return float(m.group()), pos, end
    if m := _JS_IDENT.match(text, pos):
        words = {"true": True, "false": False, "null": None, "undefined": None}
        if m.group() in words:
            after = skip(text, m.end())
            if after >= len(text) or text[after] in ",]}):;\n":
                return words[m.group()], pos, m.end()
        raise NotLiteral(f"`{m.group()}` is not a literal")
    raise NotLiteral("not a literal")


def block_end(text: str, open_at: int) -> int:
    """Offset after the ``}`` closing the ``{`` at ``open_at`` (strings and comments skipped;
    the end of the text when unbalanced)."""
    depth, i = 0, open_at
    while i < len(text):
        ch = text[i]
        if ch in "'\"`":
            try:
                i = _js_string(text, i)[1]
            except NotLiteral:
                i += 1
            continue
        if text.startswith(("//", "/*"), i):
            i = skip(text, i)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def js_key(text: str, key: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The first ``key:`` (bare or quoted) in text[start:end]."""
    pattern = re.compile(rf"(?<![\w$.])(?:{key}|'{key}'|\"{key}\")\s*:")
    return pattern.search(text, start, len(text) if end is None else end)
