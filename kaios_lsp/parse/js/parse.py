"""Which front end reads a script, and whether it really has a syntax error.

esprima reads what it can within the as-you-type budget; tree-sitter reads the rest:
modern syntax esprima does not know, regexes its Python-based checker wrongly rejects,
and files too big for esprima's speed (about 0.3-1 MB/s). A syntax error is reported only
when tree-sitter finds one too, at tree-sitter's position: esprima failing alone only
means the code is newer than esprima.

Sources of projects with a build step are read as what they are (``dialect``): ``.jsx``
(JSX, which the JavaScript grammar reads, also inside ``.js`` files), ``.ts`` (TypeScript)
and ``.tsx`` (TSX), with tree-sitter only: esprima does not know TypeScript, and its JSX
support misses fragments and gives nodes of another shape than tree-sitter's. ``.d.ts``
files only declare types and never run: :func:`dialect_for` answers ``None`` for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kaios_lsp.parse.js.esprima_front import EsprimaFailed, parse_esprima
from kaios_lsp.parse.js.tree import JsTree, SyntaxProblem
from kaios_lsp.parse.js.treesitter_front import parse_treesitter
from kaios_lsp.parse.js.ts_grammar import grammar_for

ESPRIMA_BUDGET = 8_000  # characters: esprima reads ~0.4 MB/s; tree-sitter (6 MB/s) takes the rest

DIALECTS = ("js", "jsx", "ts", "tsx")
_DIALECT_OF_SUFFIX = {
    ".ts": "ts",
    ".mts": "ts",
    ".cts": "ts",
    ".tsx": "tsx",
    ".jsx": "jsx",
}
# declaration files: types only, nothing in them runs (dialect_for answers None)
DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
# every suffix of a source file the JavaScript analysis reads
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


def dialect_for(path: str | None) -> str | None:
    """The dialect of a file from its name: ``ts`` for ``.ts``/``.mts``/``.cts``, ``tsx``,
    ``jsx``, else ``js`` (also for no path: inline scripts). ``None`` for a TypeScript
    declaration file (``.d.ts``): it has no code that runs, so it is not analysed."""
    if not path:
        return "js"
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name.endswith(DECLARATION_SUFFIXES):
        return None
    dot = name.rfind(".")
    return _DIALECT_OF_SUFFIX.get(name[dot:], "js") if dot >= 0 else "js"


@dataclass
class ParsedScript:
    tree: JsTree
    syntax_errors: list[SyntaxProblem]
    esprima_error: str | None = None  # why esprima did not read it (None: it did, or was not asked)
    dialect: str = "js"

    @property
    def build_step(self) -> bool:
        """Is this the source of a build step (JSX, TypeScript) rather than what the phone
        runs? Then syntax newer than the phone's engine (KAI409) is the transpiler's job."""
        return self.dialect != "js" or _has_jsx(self.tree)


def parse_script(
    text: str,
    *,
    module: bool = False,
    front: str = "auto",
    budget: int = ESPRIMA_BUDGET,
    dialect: str = "js",
) -> ParsedScript:
    """Parse with the front end that fits; ``front`` forces ``esprima`` or ``tree-sitter``
    (tests compare them). ``dialect`` is ``js`` (JavaScript; JSX is read too, by
    tree-sitter), ``jsx``, ``ts`` or ``tsx`` (see :func:`dialect_for`); all but ``js`` are
    read by tree-sitter only (``front="esprima"`` raises ValueError for them)."""
    grammar_for(dialect)  # ValueError for an unknown dialect
    if dialect != "js":
        if front == "esprima":
            raise ValueError(f"esprima does not read {dialect!r}")
        tree = parse_treesitter(text, dialect)
        return ParsedScript(tree, tree.errors[:1], None, dialect)
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
    if esprima_error is not None and esprima_offset is not None and not _has_jsx(tree):
        # (esprima reads no JSX: its position says where the JSX starts, not the error)
        errors = _agree(text, errors, esprima_error, esprima_offset)
    return ParsedScript(tree, errors, esprima_error)


def _has_jsx(tree: JsTree) -> bool:
    from kaios_lsp.parse.js.treesitter_front import TsTree

    return isinstance(tree, TsTree) and tree.has_jsx()  # esprima reads no JSX


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
        end = min(len(text), offset + (len(word.group()) if word else 1))
        return [SyntaxProblem(min(offset, end), end, reason)]
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
