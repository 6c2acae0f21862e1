"""The tree-sitter grammars (JavaScript, TypeScript, TSX): loading them and compiling the
queries that find nodes by kind, tolerant of the names the grammars disagree on."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Language, Parser, Query

JAVASCRIPT = "javascript"  # also reads JSX
TYPESCRIPT = "typescript"
TSX = "tsx"
GRAMMARS = (JAVASCRIPT, TYPESCRIPT, TSX)
_GRAMMAR_OF_DIALECT = {"js": JAVASCRIPT, "jsx": JAVASCRIPT, "ts": TYPESCRIPT, "tsx": TSX}


def grammar_for(dialect: str) -> str:
    """The tree-sitter grammar that reads a dialect (``js``, ``jsx``, ``ts``, ``tsx``)."""
    try:
        return _GRAMMAR_OF_DIALECT[dialect]
    except KeyError:
        raise ValueError(f"unknown JavaScript dialect {dialect!r}") from None


@lru_cache(maxsize=len(GRAMMARS))
def language_and_parser(grammar: str = JAVASCRIPT) -> tuple[Language, Parser]:
    """(Language, Parser) of a grammar; tree-sitter-typescript is imported only when a
    TypeScript file is read."""
    from tree_sitter import Language, Parser

    if grammar == JAVASCRIPT:
        import tree_sitter_javascript

        language = Language(tree_sitter_javascript.language())
    elif grammar in (TYPESCRIPT, TSX):
        import tree_sitter_typescript

        language = Language(
            tree_sitter_typescript.language_typescript()
            if grammar == TYPESCRIPT
            else tree_sitter_typescript.language_tsx()
        )
    else:
        raise ValueError(f"unknown tree-sitter grammar {grammar!r}")
    return language, Parser(language)


@lru_cache(maxsize=128)
def kinds_query(types: tuple[str, ...], grammar: str = JAVASCRIPT) -> Query:
    from tree_sitter import Query

    language, _parser = language_and_parser(grammar)
    # grammar versions differ in a few names (function vs function_expression): skip unknown
    known = [t for t in types if t == "ERROR" or language.id_for_node_kind(t, True) is not None]
    query: Query = Query(language, " ".join(f"({t}) @n" for t in known) or "(program) @unused")
    return query


# node kinds the TypeScript grammars name differently: a pattern naming the JavaScript kind
# is retried with these (both kinds are in the tree-sitter-typescript 0.23 grammars)
_RENAMED = {
    TYPESCRIPT: {"field_definition": "public_field_definition"},
    TSX: {"field_definition": "public_field_definition"},
}
# id of a compiled query -> (its source, its grammar): ts_nodes recompiles for the tree's
QUERY_ORIGIN: dict[int, tuple[str, str]] = {}


@lru_cache(maxsize=64)
def compile_query(source: str, grammar: str = JAVASCRIPT) -> Query:
    """One query from one-line patterns, for one grammar (``TsTree.grammar``); a pattern
    this grammar does not know (a renamed or JavaScript-only node kind) is tried with the
    grammar's names for it, else left out instead of failing the whole query."""
    from tree_sitter import Query

    language, _parser = language_and_parser(grammar)
    patterns = [p for p in (line.strip() for line in source.splitlines()) if p and p[0] != ";"]
    # Compiling each pattern alone costs ~1 ms (40 ms for KAI409's query, per process):
    # compile them together and only retry, alone, the pattern the error names.
    chosen: list[str | None] = list(patterns)
    retried: set[int] = set()
    query: Query | None = None
    while query is None:
        kept = [i for i, p in enumerate(chosen) if p is not None]
        try:
            query = Query(language, "\n".join(chosen[i] or "" for i in kept) or "(program) @unused")
        except Exception as exc:  # tree_sitter.QueryError and friends
            row = _error_row(exc, len(kept))
            if row is None or kept[row] in retried:  # (never expected): one by one
                valid = [v for v in (_valid_spelling(language, p, grammar) for p in patterns) if v]
                query = Query(language, "\n".join(valid) or "(program) @unused")
                break
            retried.add(kept[row])
            chosen[kept[row]] = _valid_spelling(language, patterns[kept[row]], grammar)
    QUERY_ORIGIN[id(query)] = (source, grammar)
    return query


def _valid_spelling(language: Language, pattern: str, grammar: str) -> str | None:
    """The first spelling of one pattern that this grammar compiles, if any."""
    from tree_sitter import Query

    for candidate in _spellings(pattern, grammar):
        try:
            Query(language, candidate)
        except Exception:  # tree_sitter.QueryError and friends
            continue
        return candidate
    return None


def _error_row(exc: Exception, rows: int) -> int | None:
    """The pattern (0-based line) a QueryError names ("... at row 3, column 1: ...")."""
    match = re.search(r"\bat row (\d+)", str(exc))
    row = int(match.group(1)) if match else -1
    return row if 0 <= row < rows else None


def _spellings(pattern: str, grammar: str) -> list[str]:
    out = [pattern]
    for old, new in _RENAMED.get(grammar, {}).items():
        renamed = re.sub(rf"\b{old}\b", new, pattern)
        if renamed != pattern:
            out.append(renamed)
    return out


@lru_cache(maxsize=256)
def source_query(source: str, grammar: str) -> Query:
    """A query that is known to compile (built by this module), cached per grammar."""
    from tree_sitter import Query

    language, _parser = language_and_parser(grammar)
    query: Query = Query(language, source)
    return query
