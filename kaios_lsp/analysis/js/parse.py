"""Which front end reads a script, and whether it really has a syntax error.

esprima reads what it can within the as-you-type budget; tree-sitter reads the rest:
modern syntax esprima does not know, regexes its Python-based checker wrongly rejects,
and files too big for esprima's speed (about 0.3-1 MB/s). A syntax error is reported only
when tree-sitter finds one too, at tree-sitter's position: esprima failing alone only
means the code is newer than esprima.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .esprima_front import EsprimaFailed, parse_esprima
from .tree import JsTree, SyntaxProblem
from .treesitter_front import parse_treesitter

ESPRIMA_BUDGET = 8_000  # characters: esprima reads ~0.4 MB/s; tree-sitter (6 MB/s) takes the rest


@dataclass
class ParsedScript:
    tree: JsTree
    syntax_errors: list[SyntaxProblem]
    esprima_error: str | None = None  # why esprima did not read it (None: it did, or was not asked)


def parse_script(
    text: str, *, module: bool = False, front: str = "auto", budget: int = ESPRIMA_BUDGET
) -> ParsedScript:
    """Parse with the front end that fits; ``front`` forces ``esprima`` or ``tree-sitter``
    (tests compare them)."""
    use_esprima = front == "esprima" or (front == "auto" and len(text) <= budget)
    esprima_error = None
    esprima_offset = None
    if use_esprima:
        try:
            return ParsedScript(parse_esprima(text, module=module), [])
        except EsprimaFailed as exc:
            if front == "esprima":
                raise
            esprima_error = str(exc)
            esprima_offset = exc.offset
    tree = parse_treesitter(text)
    errors = tree.errors[:1]
    if esprima_error is not None and esprima_offset is not None:
        errors = _agree(text, errors, esprima_error, esprima_offset)
    return ParsedScript(tree, errors, esprima_error)


# esprima errors that no newer syntax can cause (early errors tree-sitter does not check)
_TRUSTED = (
    "More than one default clause",
    "is disallowed as a lexically bound name",
    "Illegal return statement",
    "Illegal break statement",
    "Illegal continue statement",
    "Undefined label",
    "has already been declared",
    "in strict mode",
)


def _agree(
    text: str, errors: list[SyntaxProblem], message: str, offset: int
) -> list[SyntaxProblem]:
    """Where both front ends find an error, esprima's position is usually the exact token
    (as browsers report it); tree-sitter's shows where it recovered. Use esprima's when it
    lies in or on the line of tree-sitter's error, so newer syntax earlier in the file
    (which only esprima fails on) never moves the report."""
    reason = message.split(": ", 1)[-1] if message.startswith("Line ") else message
    offset = max(0, min(offset, len(text)))
    if not errors:
        if not any(marker in reason for marker in _TRUSTED):
            return []
        # esprima points just after the token before the offending statement
        if reason.startswith("More than one default"):
            offset = max(text.rfind("default", 0, offset), 0)
        while offset < len(text) and text[offset].isspace():
            offset += 1
        word = re.match(r"[\w$]+", text[offset:])
        return [SyntaxProblem(offset, offset + (len(word.group()) if word else 1), reason)]
    first = errors[0]
    line_start = text.rfind("\n", 0, first.start) + 1
    line_end = text.find("\n", first.start)
    line_end = len(text) if line_end < 0 else line_end
    if line_start <= offset <= max(line_end, first.end):
        end = offset
        while end < len(text) and end < offset + 40 and not text[end].isspace():
            end += 1
        return [SyntaxProblem(offset, max(end, min(offset + 1, len(text))), reason)]
    return errors
