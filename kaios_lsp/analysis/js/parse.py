"""Which front end reads a script, and whether it really has a syntax error.

esprima reads what it can within the as-you-type budget; tree-sitter reads the rest:
modern syntax esprima does not know, regexes its Python-based checker wrongly rejects,
and files too big for esprima's speed (about 0.3-1 MB/s). A syntax error is reported only
when tree-sitter finds one too, at tree-sitter's position: esprima failing alone only
means the code is newer than esprima.
"""

from __future__ import annotations

from dataclasses import dataclass

from .esprima_front import EsprimaFailed, parse_esprima
from .tree import JsTree, SyntaxProblem
from .treesitter_front import parse_treesitter

ESPRIMA_BUDGET = 24_000  # characters: about 25-70 ms of esprima on this kind of machine


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
    if use_esprima:
        try:
            return ParsedScript(parse_esprima(text, module=module), [])
        except EsprimaFailed as exc:
            if front == "esprima":
                raise
            esprima_error = str(exc)
    tree = parse_treesitter(text)
    return ParsedScript(tree, tree.errors[:1], esprima_error)
