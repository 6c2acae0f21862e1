"""Template placeholders in build input: ``<%= pkg.version %>``, ``{{ version }}``,
``@@VERSION``, ``${VERSION}`` and bare ``GRUNT_ICONS``-style names.

A build (Grunt ``template``/``replace``, gulp, HtmlWebpackPlugin, Vue CLI) substitutes
them before anything reaches the phone, so the text around them is judged, the
placeholders themselves never are. Bare upper-case names count only where a JSON value
must stand (after ``:`` or in an array), so a real typo in a plain app is still reported.
"""

from __future__ import annotations

import re

_DELIMITED = re.compile(
    r"<%[-=_#]?[\s\S]*?%>"  # lodash/EJS/Grunt/underscore templates, HtmlWebpackPlugin
    r"|\{\{[\s\S]*?\}\}"  # mustache, handlebars, nunjucks, Vue
    r"|\{%[\s\S]*?%\}"  # nunjucks/jinja blocks
    r"|@@[A-Za-z_][\w.]*"  # grunt-replace / gulp-replace-task
    r"|\$\{[A-Za-z_][\w.]*\}"  # envsubst-style
)
_BARE_NAME = re.compile(r"(?<=[:\[,])(\s*)([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?=\s*[,}\]])")


def placeholder_spans(text: str, *, json: bool = False) -> list[tuple[int, int]]:
    """Where template placeholders stand, in order (code-point offsets)."""
    if "<%" not in text and "{{" not in text and "{%" not in text and "@@" not in text:
        spans = []
    else:
        spans = [(m.start(), m.end()) for m in _DELIMITED.finditer(text)]
    if "${" in text and not spans:
        spans = [(m.start(), m.end()) for m in _DELIMITED.finditer(text)]
    if json:
        spans += [(m.start(2), m.end(2)) for m in _BARE_NAME.finditer(text)]
        spans.sort()
    return spans


def mask_json(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each placeholder that stands where a JSON value must be replaced by
    ``null`` plus spaces (same length, so every offset stays valid); placeholders inside
    strings are left as they are."""
    if not spans:
        return text
    parts = []
    last = 0
    for start, end in spans:
        if _inside_string(text, start):
            continue
        parts.append(text[last:start])
        inner = text[start:end]
        width = end - start
        # keep line breaks so line numbers stay exact
        filler = "null" if width >= 4 and "\n" not in inner[:4] else ""
        parts.append(filler + "".join("\n" if c == "\n" else " " for c in inner[len(filler) :]))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _inside_string(text: str, offset: int) -> bool:
    """Whether ``offset`` is inside a JSON string on its line (quotes counted before it)."""
    line_start = text.rfind("\n", 0, offset) + 1
    quotes = 0
    index = line_start
    while index < offset:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            quotes += 1
        index += 1
    return quotes % 2 == 1


def zones(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each placeholder widened to the JSON string that holds it (quotes included), or
    to itself where it stands for a value: the text a finding may not be about."""
    out = []
    for start, end in spans:
        if _inside_string(text, start):
            open_quote = text.rfind('"', text.rfind("\n", 0, start) + 1, start)
            close_quote = _string_end(text, end)
            out.append((open_quote, close_quote))
        else:
            out.append((start, end))
    return out


def _string_end(text: str, offset: int) -> int:
    index = offset
    while index < len(text) and text[index] != "\n":
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == '"':
            return index + 1
        index += 1
    return index


def within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans``."""
    return any(s_start <= start and end <= s_end for s_start, s_end in spans)


def touches(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans`` (an empty range at an edge counts)."""
    return any(start <= s_end and s_start <= max(end, start) for s_start, s_end in spans)
