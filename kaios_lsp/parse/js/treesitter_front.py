"""The tree-sitter front end: any JavaScript -> :class:`JsTree`, wrapped lazily.

tree-sitter reads modern syntax, recovers from errors and parses about 16 MB/s. Its
concrete tree is not ESTree, so :class:`TsNode` maps one tree-sitter node to the ESTree
node a rule expects, computing fields only when a rule asks. Finding nodes by type uses
tree-sitter queries (in C), so a rule that looks at calls never wraps an identifier it
does not need. Parentheses, argument lists and other punctuation nodes are transparent.

The same adapter reads TypeScript and TSX (tree-sitter-typescript's grammars extend the
JavaScript one): type-only nodes (annotations, type arguments, interfaces, ``declare``...)
are skipped, ``x as T``, ``x!``, ``x satisfies T``, ``<T>x`` and ``f<T>`` are transparent
(the rules see ``x``), and a typed parameter is its pattern (or an AssignmentPattern when it
has a default), so a rule finds the same calls in a ``.ts`` file as in its JavaScript twin.
"""

from __future__ import annotations

import json
import re
from operator import itemgetter
from typing import TYPE_CHECKING

from kaios_lsp.parse.js.tree import Comment, JsNode, JsTree, PlainNode, SyntaxProblem
from kaios_lsp.parse.js.ts_grammar import (
    JAVASCRIPT,
    QUERY_ORIGIN,
    TSX,
    TYPESCRIPT,
    compile_query,
    grammar_for,
    kinds_query,
    language_and_parser,
    source_query,
)
from kaios_lsp.parse.js.ts_kinds import PARAMETERS, TS_TYPES_FOR, TYPESCRIPT_ONLY, erased, erased_to
from kaios_lsp.parse.js.ts_node import Context

if TYPE_CHECKING:
    from tree_sitter import Node, Query, Tree

_JSX_START = re.compile(r"<[A-Za-z>]")


class TsTree(JsTree):
    """A JsTree whose ``nodes_of`` asks tree-sitter, wrapping only the matches.

    ``grammar`` says which tree-sitter grammar read it (``javascript``, ``typescript`` or
    ``tsx``): a query must be compiled for it (:func:`compile_query`)."""

    _tree: Tree  # the C tree, kept alive as long as its nodes are used (set by _parse)

    def __init__(
        self,
        text: str,
        ctx: Context,
        root_ts: Node,
        comments: list[Comment],
        errors: list[SyntaxProblem],
    ) -> None:
        self._ctx = ctx
        self._root_ts = root_ts
        self.grammar = ctx.grammar
        root = ctx.wrap(root_ts)
        assert root is not None
        super().__init__(text, root, comments, "tree-sitter", errors)

    def _captures(self, query: Query, name: str) -> list[Node]:
        """The captures of one name, without those inside TypeScript types."""
        from tree_sitter import QueryCursor

        found = QueryCursor(query).captures(self._root_ts).get(name, [])
        if self.grammar != JAVASCRIPT:
            in_type = self._ctx.in_type
            found = [ts for ts in found if not in_type(ts)]
        return found

    def identifiers_named(self, names: frozenset[str]) -> list[JsNode]:
        """Identifier references with one of these names (a query with a predicate: the
        thousands of other identifiers are never wrapped)."""
        if not names:
            return []
        quoted = " ".join(json.dumps(n) for n in sorted(names))
        query = source_query(f"((identifier) @n (#any-of? @n {quoted}))", self.grammar)
        ctx = self._ctx
        found = [ctx.wrap(ts) for ts in self._captures(query, "n")]
        return [n for n in found if n is not None]

    def members_named(self, names: frozenset[str]) -> list[JsNode]:
        """Member expressions reading one of these property names (``a.b`` or ``a['b']``)."""
        if not names:
            return []
        quoted = " ".join(json.dumps(n) for n in sorted(names))
        query = source_query(
            f"((member_expression property: (property_identifier) @p) (#any-of? @p {quoted}))\n"
            f"((subscript_expression index: (string (string_fragment) @p)) (#any-of? @p {quoted}))",
            self.grammar,
        )
        ctx = self._ctx
        found: list[JsNode] = []
        for ts in self._captures(query, "p"):
            # (a captured string_fragment is inside its string, inside the subscript)
            owner = ts.parent if ts.type == "property_identifier" else ts.parent.parent  # type: ignore[union-attr]
            node = ctx.wrap(owner)
            if node is not None:
                found.append(node)
        return found

    def alias_candidates(self) -> list[tuple[str, str, JsNode]]:
        """(name, init source, declarator) for ``var name = a.b.c`` / ``= a``: the only
        declarations that can alias a global (wrapping nothing else). In TypeScript the
        init may be cast (``= navigator as any``, ``= window.x!``); the init source then
        starts at the expression (parentheses and casts do not hide the name)."""
        query = compile_query(
            "(variable_declarator name: (identifier) @name value: "
            "[(identifier) (member_expression) (subscript_expression)] @init) @declarator\n"
            "(variable_declarator name: (identifier) @name value: "
            "[(as_expression) (satisfies_expression) (non_null_expression)] @init) @declarator",
            self.grammar,
        )
        from tree_sitter import QueryCursor

        ctx = self._ctx
        out: list[tuple[str, str, JsNode]] = []
        for _pattern, captures in QueryCursor(query).matches(self._root_ts):
            declarator_ts = captures["declarator"][0]
            if self.grammar != JAVASCRIPT and ctx.in_type(declarator_ts):
                continue  # `declare const x = ...`
            init_ts = captures["init"][0]
            while erased(init_ts):
                init_ts = erased_to(init_ts)  # type: ignore[assignment]  # (never None for an expression)
            if init_ts.type not in ("identifier", "member_expression", "subscript_expression"):
                continue
            name = ctx.raw(captures["name"][0])
            init = ctx.raw(init_ts).lstrip("( \t\r\n")
            declarator = ctx.wrap(declarator_ts)
            if declarator is not None:
                out.append((name, init, declarator))
        return out

    def pattern_declarators(self) -> list[JsNode]:
        """Every ``var { a, b: c } = value`` declarator (destructuring can alias a global:
        ``const { serviceWorker } = navigator``)."""
        if "{" not in self.text:
            return []
        query = compile_query(
            "(variable_declarator name: (object_pattern)) @declarator", self.grammar
        )
        ctx = self._ctx
        found = [ctx.wrap(ts) for ts in self._captures(query, "declarator")]
        return [n for n in found if n is not None]

    def binding_counts(self, names: frozenset[str]) -> tuple[dict[str, int], set[str]]:
        """For these names: how often each is declared (parameters, catch bindings and
        classes count 2: they never alias) and which are assigned to."""
        declared: dict[str, int] = {}
        assigned: set[str] = set()
        if not names:
            return declared, assigned
        quoted = " ".join(json.dumps(n) for n in sorted(names))
        names_query = "((identifier) @n (#any-of? @n {0}))"
        if self.grammar != JAVASCRIPT:  # a TypeScript class's name is a type_identifier
            names_query += "\n((type_identifier) @n (#any-of? @n {0}))"
        query = source_query(names_query.format(quoted), self.grammar)
        ctx = self._ctx
        for ts in self._captures(query, "n"):
            name = ctx.raw(ts)
            weight = _binding_weight(ts)
            if weight:
                declared[name] = declared.get(name, 0) + weight
            parent = ts.parent
            while parent is not None and erased(parent) and parent.type not in PARAMETERS:
                parent = parent.parent  # `(x as any) = 1`, `x! = 1`
            left = (
                parent.child_by_field_name("left")
                if parent is not None
                and parent.type in ("assignment_expression", "augmented_assignment_expression")
                else None
            )
            if left is not None and left.start_byte == ts.start_byte:
                assigned.add(name)
        return declared, assigned

    def has_jsx(self) -> bool:
        """Does the code contain a JSX element (so it is the source of a build step)?"""
        if self.grammar == TYPESCRIPT or _JSX_START.search(self.text) is None:
            return False  # (no "<" before a name or ">": no element to look for)
        from tree_sitter import QueryCursor

        query = kinds_query(("jsx_element", "jsx_self_closing_element"), self.grammar)
        cursor = QueryCursor(query, match_limit=1)
        return any(True for _ in cursor.matches(self._root_ts))

    def has_typescript(self) -> bool:
        """Does the code use TypeScript syntax (types, ``as``, ``x!``, enums...)?"""
        if self.grammar == JAVASCRIPT:
            return False
        from tree_sitter import QueryCursor

        cursor = QueryCursor(kinds_query(TYPESCRIPT_ONLY, self.grammar), match_limit=1)
        return any(True for _ in cursor.matches(self._root_ts))

    def offset_of(self, byte: int) -> int:
        """The code-point offset of a tree-sitter byte offset."""
        return self._ctx.offset(byte)

    def in_type(self, ts: Node) -> bool:
        """Is this tree-sitter node inside a TypeScript type (never program code)?"""
        return self._ctx.in_type(ts)

    def _find(self, types: list[str]) -> dict[str, list[JsNode]]:
        ts_types = sorted({t for es in types for t in TS_TYPES_FOR.get(es, ())})
        found: dict[str, list[JsNode]] = {t: [] for t in types}
        if not ts_types:
            return found if not any(t not in TS_TYPES_FOR for t in types) else super()._find(types)
        wanted = set(types)
        captures = self._captures(kinds_query(tuple(ts_types), self.grammar), "n")
        captures.sort(key=lambda c: (c.start_byte, -c.end_byte))
        ctx = self._ctx
        for ts in captures:
            if erased(ts):
                continue  # `x as T`, a parameter without default: its inner node is captured
            node = ctx.wrap(ts)
            if node is not None and node.type in wanted:
                found[node.type].append(node)
            if ts.type == "method_definition" and "FunctionExpression" in wanted:
                found["FunctionExpression"].append(ctx.wrap(ts, "function"))  # type: ignore[arg-type]
            if ts.type == "shorthand_property_identifier" and "Identifier" in wanted:
                found["Identifier"].append(ctx.wrap(ts, "key"))  # type: ignore[arg-type]
            if ts.type == "for_in_statement" and node is not None:
                declaration = node.node("left")
                if isinstance(declaration, PlainNode) and declaration.type == "VariableDeclaration":
                    if "VariableDeclaration" in wanted:
                        found["VariableDeclaration"].append(declaration)
                    if "VariableDeclarator" in wanted:
                        found["VariableDeclarator"].extend(declaration.nodes("declarations"))
        unknown = [t for t in types if t not in TS_TYPES_FOR]
        if unknown:
            found.update(super()._find(unknown))
        return found


def parse_treesitter(text: str, dialect: str = "js") -> JsTree:
    """Read any JavaScript (and JSX), or TypeScript (``dialect="ts"``) or TSX (``"tsx"``).

    JavaScript that tree-sitter-javascript rejects gets a second opinion from the TSX
    grammar, accepted when it finds no error and no TypeScript syntax: tree-sitter-javascript
    0.25 rejects reserved words as JSX attribute names (Preact's ``<p class="x">``, MUI's
    ``<Fade in={open}>``; tree-sitter-javascript issue 387) and after ``?.`` (``a?.class``,
    issue 377), which the TSX grammar reads. The tree then says ``grammar == "tsx"``."""
    grammar = grammar_for(dialect)
    tree = _parse(text, grammar)
    if tree.errors and grammar == JAVASCRIPT:
        second = _parse(text, TSX)
        # its only errors may be mismatched JSX tags (those are real: keep them)
        if not second._root_ts.has_error and not second.has_typescript():
            return second
    return tree


def _parse(text: str, grammar: str) -> TsTree:
    _language_obj, parser = language_and_parser(grammar)
    source = text.encode("utf-8", "surrogatepass")
    tree = parser.parse(source)
    ctx = Context(text, source, grammar)
    root = ctx.root = tree.root_node
    comments: list[Comment] = []
    from tree_sitter import QueryCursor

    for ts in QueryCursor(kinds_query(("comment",), grammar)).captures(root).get("n", []):
        raw = ctx.raw(ts)
        block = raw.startswith("/*")
        body = raw[2:-2] if block and raw.endswith("*/") else raw[2:]
        comments.append(Comment(ctx.offset(ts.start_byte), ctx.offset(ts.end_byte), body, block))
    comments.sort(key=lambda c: c.start)
    errors = _syntax_errors(ctx, root) if root.has_error else []
    if grammar != TYPESCRIPT and b"</" in source:
        errors = sorted(errors + _jsx_mismatches(ctx, root), key=lambda p: p.start)
    result = TsTree(text, ctx, root, comments, errors)
    result._tree = tree  # keep the C tree alive as long as its nodes are used
    return result


def _jsx_mismatches(ctx: Context, root: Node) -> list[SyntaxProblem]:
    """``<ul>...</div>``: tree-sitter's grammars do not check that a closing tag names the
    element it closes (a syntax error for Babel, TypeScript and esbuild)."""
    from tree_sitter import QueryCursor

    problems = []
    for ts in QueryCursor(kinds_query(("jsx_element",), ctx.grammar)).captures(root).get("n", []):
        opening = ts.child_by_field_name("open_tag")
        closing = ts.child_by_field_name("close_tag")
        if opening is None or closing is None or closing.is_missing:
            continue
        opened = opening.child_by_field_name("name")
        closed = closing.child_by_field_name("name")
        open_name = re.sub(r"\s+", "", ctx.raw(opened)) if opened is not None else ""
        close_name = re.sub(r"\s+", "", ctx.raw(closed)) if closed is not None else ""
        if open_name != close_name:
            what = f"<{open_name}>" if open_name else "the fragment <>"
            problems.append(
                SyntaxProblem(
                    ctx.offset(closing.start_byte),
                    ctx.offset(closing.end_byte),
                    f"expected the closing tag of {what}",
                )
            )
    return problems


def _syntax_errors(ctx: Context, root: Node, limit: int = 20) -> list[SyntaxProblem]:
    """ERROR and MISSING nodes, outermost first, found by descending only into subtrees
    that contain an error."""
    problems: list[SyntaxProblem] = []
    # TypeScript: an outermost ERROR over whole declarations (a class whose constructor
    # misses its ")") hides where it went wrong: report the first ERROR or MISSING in it
    unwrap = ctx.grammar != JAVASCRIPT
    stack = [(root, unwrap)]
    while stack and len(problems) < limit:
        ts, may_unwrap = stack.pop()
        if ts.is_missing:
            at = ctx.offset(ts.start_byte)
            problems.append(SyntaxProblem(at, at, f"missing {ts.type!r}"))
            continue
        if ts.type == "ERROR":
            if may_unwrap and ts.start_point.row != ts.end_point.row:
                inner = [c for c in ts.children if c.has_error or c.is_missing]
                if inner:
                    stack.extend((c, False) for c in reversed(inner))
                    continue
            start, end = ctx.offset(ts.start_byte), ctx.offset(ts.end_byte)
            first = next((c for c in ts.children if not c.is_named or c.type != "ERROR"), None)
            token = ctx.raw(first)[:40] if first is not None else ""
            problems.append(
                SyntaxProblem(start, end, f"unexpected {token!r}" if token else "unexpected input")
            )
            continue
        stack.extend(
            (c, may_unwrap)
            for c in reversed([c for c in ts.children if c.has_error or c.is_missing])
        )
    problems.sort(key=lambda p: p.start)
    return problems


def ts_nodes(
    tree: TsTree, query: Query | str, skip: frozenset[str] = frozenset()
) -> list[tuple[str, Node, int, int]]:
    """(capture name, tree-sitter node, start, end) for every capture, in source order
    (captures named in ``skip`` are left out before sorting).

    ``query`` is from :func:`compile_query` (or its source text); compiled for another
    grammar than the tree's, it is recompiled for the tree's from the same source.
    Captures inside TypeScript types are left out."""
    from tree_sitter import QueryCursor

    if isinstance(query, str):
        query = compile_query(query, tree.grammar)
    else:
        source, grammar = QUERY_ORIGIN.get(id(query), ("", JAVASCRIPT))
        if grammar != tree.grammar:
            if not source:
                raise ValueError(f"a query compiled for another grammar than {tree.grammar!r}")
            query = compile_query(source, tree.grammar)
    found = []
    offset = tree._ctx.offset
    typed = tree.grammar != JAVASCRIPT  # (JavaScript has no types to leave out)
    in_type = tree._ctx.in_type
    for name, nodes in QueryCursor(query).captures(tree._root_ts).items():
        if name in skip:
            continue
        for ts in nodes:
            if typed and in_type(ts):
                continue
            found.append((name, ts, offset(ts.start_byte), offset(ts.end_byte)))
    found.sort(key=_BY_RANGE)
    return found


_BY_RANGE = itemgetter(2, 3)


def _binding_weight(ts: Node) -> int:
    """1 for a var/let/const or function name, 2 for parameters, catch bindings and classes,
    0 for a reference."""
    parent = ts.parent
    if parent is None:
        return 0
    kind = parent.type
    if kind == "variable_declarator":
        return 1 if parent.child_by_field_name("name") == ts else 0
    if kind in ("function_declaration", "generator_function_declaration"):
        return 1 if parent.child_by_field_name("name") == ts else 0
    if kind in ("class_declaration", "class", "abstract_class_declaration"):
        return 2 if parent.child_by_field_name("name") == ts else 0
    if kind == "catch_clause":
        return 2 if parent.child_by_field_name("parameter") == ts else 0
    if kind == "arrow_function":
        return 2 if parent.child_by_field_name("parameter") == ts else 0
    if kind in PARAMETERS:  # TypeScript `x: T`
        return 2 if parent.child_by_field_name("pattern") == ts else 0
    if kind in ("formal_parameters", "rest_pattern", "array_pattern"):
        return 2 if _in_parameters(parent) or kind == "formal_parameters" else 0
    if kind in ("assignment_pattern", "object_assignment_pattern"):
        return 2 if parent.child_by_field_name("left") == ts and _in_parameters(parent) else 0
    if kind == "pair_pattern":
        return 2 if parent.child_by_field_name("value") == ts and _in_parameters(parent) else 0
    return 0


def _in_parameters(ts: Node) -> bool:
    node: Node | None = ts
    while node is not None and node.type in (
        "rest_pattern",
        "array_pattern",
        "object_pattern",
        "pair_pattern",
        "assignment_pattern",
        "object_assignment_pattern",
        "required_parameter",
        "optional_parameter",
    ):
        node = node.parent
    return node is not None and node.type in ("formal_parameters", "catch_clause")
