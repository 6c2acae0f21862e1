"""Re-parse an edited script from its last tree: tree-sitter re-reads only what the edit
changed and reuses the rest (the incremental analysis, rules/js/incremental.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaios_lsp.parse.js.tree import JsTree, SyntaxProblem
from kaios_lsp.parse.js.treesitter_front import (
    JSX_START,
    TsTree,
    jsx_mismatches,
    parse_treesitter,
    tree_of,
)
from kaios_lsp.parse.js.ts_grammar import JAVASCRIPT, language_and_parser
from kaios_lsp.parse.js.ts_node import Context

if TYPE_CHECKING:
    from tree_sitter import Node


def reparse_treesitter(
    previous: TsTree, text: str, start: int, old_end: int, new_end: int
) -> JsTree:
    """The tree of ``text``, made by one edit of ``previous.text``: the characters
    ``[start, old_end)`` became ``text[start:new_end]``. tree-sitter re-reads only what the
    edit changed, reusing the rest of the old tree; ``previous`` must not be used after.
    Gives what :func:`parse_treesitter` gives for ``text``."""
    grammar = previous.grammar
    if grammar != JAVASCRIPT:
        return parse_treesitter(text)  # (JavaScript read by the TSX grammar: decide again)
    old_source = previous._ctx.source
    start_byte = _byte_offset(previous.text, old_source, start)
    old_end_byte = start_byte + len(previous.text[start:old_end].encode("utf-8", "surrogatepass"))
    inserted = text[start:new_end].encode("utf-8", "surrogatepass")
    source = old_source[:start_byte] + inserted + old_source[old_end_byte:]
    new_end_byte = start_byte + len(inserted)
    old_tree = previous._tree
    old_tree.edit(
        start_byte=start_byte,
        old_end_byte=old_end_byte,
        new_end_byte=new_end_byte,
        start_point=_point(old_source, start_byte),
        old_end_point=_point(old_source, old_end_byte),
        new_end_point=_point(source, new_end_byte),
    )
    _language, parser = language_and_parser(grammar)
    tree = parser.parse(source, old_tree)
    delta = (new_end - start) - (old_end - start)

    def jsx(ctx: Context, root: Node) -> list[SyntaxProblem]:
        # Mismatched tags outside the top-level nodes the edit touched are the old ones,
        # moved; only those nodes are searched again (the query walks what it is given).
        low, high = start_byte, new_end_byte
        for ts in root.children:
            if ts.end_byte >= start_byte and ts.start_byte <= new_end_byte:
                low, high = min(low, ts.start_byte), max(high, ts.end_byte)
        kept = [
            p if p.end < start else SyntaxProblem(p.start + delta, p.end + delta, p.message)
            for p in previous._mismatches
            if p.end < start or p.start >= old_end
        ]
        low_at, high_at = ctx.offset(low), ctx.offset(high)
        kept = [p for p in kept if p.end <= low_at or p.start >= high_at]
        return sorted(kept + jsx_mismatches(ctx, root, (low, high)), key=lambda p: p.start)

    result = tree_of(text, source, tree, grammar, jsx)
    if result.errors and _tsx_might_read(result):
        return parse_treesitter(text)  # (the TSX grammar may read it, as in a fresh parse)
    return result


def _tsx_might_read(tree: TsTree) -> bool:
    """Could the TSX grammar read what the JavaScript grammar rejects (see
    parse_treesitter)? Only where JSX or ``?.`` is near the error: the grammars differ
    there alone (elsewhere TSX fails on the same error, or finds TypeScript)."""
    for ts in tree._root_ts.children:
        if ts.has_error:
            broken = tree._ctx.source[ts.start_byte : ts.end_byte].decode("utf-8", "replace")
            if JSX_START.search(broken) or "?." in broken:
                return True
    return False


def _byte_offset(text: str, source: bytes, offset: int) -> int:
    if len(text) == len(source):
        return offset  # ASCII
    return len(text[:offset].encode("utf-8", "surrogatepass"))


def _point(source: bytes, byte: int) -> tuple[int, int]:
    row = source.count(b"\n", 0, byte)
    return row, byte - (source.rfind(b"\n", 0, byte) + 1)
