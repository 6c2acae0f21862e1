"""The ESTree view of one tree-sitter node (:class:`TsNode`) and what the wrappers of one
tree share (:class:`Context`: text, byte-to-code-point offsets, the wrapper cache)."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kaios_lsp.parse.js.tree import JsNode
from kaios_lsp.parse.js.ts_fields import reader_for
from kaios_lsp.parse.js.ts_grammar import JAVASCRIPT, kinds_query
from kaios_lsp.parse.js.ts_kinds import (
    ERASABLE,
    PLAIN_TYPES,
    SKIPPED,
    TRANSPARENT,
    TYPE_ONLY,
    erased,
    erased_to,
    estree_type,
    named_of,
)

if TYPE_CHECKING:
    from tree_sitter import Node


class Offsets:
    """UTF-8 byte offsets (tree-sitter's) -> code-point offsets (ours)."""

    def __init__(self, text: str) -> None:
        # machine integers (a bundle full of emoji or CJK has hundreds of thousands)
        self.ends = array("q")  # byte offset just after each non-ASCII character
        self.extra = array("q")  # extra bytes up to and including that character
        if text.isascii():
            return
        extra = 0
        for match in re.finditer(r"[^\x00-\x7f]", text):
            code = ord(match.group())  # its UTF-8 length (a lone surrogate's too) from its code
            extra += 1 if code < 0x800 else 2 if code < 0x10000 else 3
            self.ends.append(match.start() + extra + 1)
            self.extra.append(extra)

    def __call__(self, byte: int) -> int:
        if not self.ends:
            return byte
        k = bisect_right(self.ends, byte)
        return byte - (self.extra[k - 1] if k else 0)


class Context:
    """What every wrapper of one tree shares: text, offsets and the wrapper cache."""

    def __init__(
        self, text: str, source: bytes, grammar: str = JAVASCRIPT, *, like: Context | None = None
    ) -> None:
        self.text = text
        self.source = source
        self.grammar = grammar
        # (a second context of the same tree shares what only depends on the text)
        self.offset: Offsets = like.offset if like is not None else Offsets(text)
        # wrappers by node id, and (id, role) for the few with a role: a big bundle's tree
        # has hundreds of thousands, and a key tuple each would cost ~2 MB more
        self.cache: dict[int | tuple[int, str], TsNode] = {}
        self.root: Node = None  # type: ignore[assignment]  # (the root: set by _parse, before any use)
        self._type_starts: list[int] | None = like._type_starts if like is not None else None
        self._type_ends: list[int] = like._type_ends if like is not None else []
        # A view of one region of the tree (TsTree.within): the byte range, and every
        # node outside it (and not around it) that a rule wrapped, so the incremental
        # analysis knows what else its findings depend on.
        self.region: tuple[int, int] | None = None
        self.outside: list[tuple[int, int]] = []
        self.read_all = False  # (record every node wrapped: see TsTree.reading)

    def raw(self, ts: Node) -> str:
        return self.source[ts.start_byte : ts.end_byte].decode("utf-8", "replace")

    def wrap(self, ts: Node | None, role: str = "") -> TsNode | None:
        """The ESTree node for a tree-sitter node (``None`` for tokens and comments)."""
        if ts is None:
            return None
        key = (ts.id, role) if role else ts.id
        found = self.cache.get(key)
        if found is None:
            if not role:
                kind = ts.type  # (read once: each read builds a new string)
                if kind in SKIPPED or not ts.is_named:
                    return None
                if kind in TRANSPARENT:
                    inner = named_of(ts)
                    return self.wrap(inner[0]) if len(inner) == 1 else None
                if kind in ERASABLE and erased(ts):
                    return self.wrap(erased_to(ts))  # None for TypeScript's `this: T` parameter
            found = TsNode(self, ts, role)
            self.cache[key] = found
            region = self.region
            if self.read_all:
                self.outside.append((ts.start_byte, ts.end_byte))
            elif region is not None:
                start, end = ts.start_byte, ts.end_byte
                inside = region[0] <= start and end <= region[1]
                if not inside and not (start <= region[0] and region[1] <= end):
                    self.outside.append((start, end))
        return found

    def expand(self, children: Iterable[Node]) -> list[JsNode]:
        """ESTree nodes for a run of tree-sitter children, looking through transparent ones."""
        out: list[JsNode] = []
        for child in children:
            if not child.is_named or child.type in SKIPPED:
                continue
            if child.type in TRANSPARENT:
                out.extend(self.expand(child.children))
                continue
            if erased(child):
                inner = erased_to(child)
                if inner is not None:
                    out.extend(self.expand([inner]))
                continue
            node = self.wrap(child)
            if node is not None:
                out.append(node)
        return out

    def in_type(self, ts: Node) -> bool:
        """Is this tree-sitter node inside a TypeScript type (``x: typeof navigator``,
        ``interface``, ``declare``...)? Query captures there are not program code."""
        if self.grammar == JAVASCRIPT:
            return False
        if self._type_starts is None:
            self._type_starts, self._type_ends = _type_ranges(self, self.root)
        k = bisect_right(self._type_starts, ts.start_byte)
        return k > 0 and ts.end_byte <= self._type_ends[k - 1]


def _type_ranges(ctx: Context, root: Node) -> tuple[list[int], list[int]]:
    """Merged byte ranges of every type-only region of a TypeScript tree."""
    from tree_sitter import QueryCursor

    wanted = (*sorted(TYPE_ONLY), "as_expression", "satisfies_expression")
    ranges = []
    for ts in QueryCursor(kinds_query(wanted, ctx.grammar)).captures(root).get("n", []):
        if ts.type in ("as_expression", "satisfies_expression"):
            named = ts.named_children
            if len(named) >= 2:  # `x as T`: T's range
                ranges.append((named[0].end_byte, ts.end_byte))
        else:
            ranges.append((ts.start_byte, ts.end_byte))
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []
    for start, end in ranges:
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


class TsNode(JsNode):
    """An ESTree view of one tree-sitter node (``role`` picks a second view of the same
    node: the FunctionExpression inside a method, the key of a shorthand property)."""

    __slots__ = ("_children", "_ctx", "_fields", "_parent_done", "_parent_value", "role", "ts")

    def __init__(self, ctx: Context, ts: Node, role: str = "") -> None:
        self._ctx = ctx
        self.ts = ts
        self.role = role
        self.type = (None if role else PLAIN_TYPES.get(ts.type)) or estree_type(ts, role)
        offset = ctx.offset
        if offset.ends:
            self.start = offset(ts.start_byte)
            self.end = offset(ts.end_byte)
        else:  # ASCII text: byte offsets are code-point offsets
            self.start = ts.start_byte
            self.end = ts.end_byte
        if role == "function":  # esprima's method function starts at its parameters
            params = ts.child_by_field_name("parameters")
            if params is not None:
                self.start = ctx.offset(params.start_byte)
        self._fields: dict[str, object] | None = None
        self._children: list[JsNode] | None = None
        self._parent_done = False
        self._parent_value: JsNode | None = None

    @property
    def parent(self) -> JsNode | None:
        """Computed on first use: most wrapped nodes never need it."""
        if not self._parent_done:
            self._parent_done = True
            self._parent_value = self._find_parent()
        return self._parent_value

    @parent.setter
    def parent(self, value: JsNode | None) -> None:
        self._parent_value = value
        self._parent_done = True

    def parent_was_set(self) -> bool:
        return self._parent_value is not None

    def _find_parent(self) -> JsNode | None:
        ctx = self._ctx
        if self.role == "function":
            return ctx.wrap(self.ts)
        if self.role == "key":
            return ctx.wrap(self.ts)
        ts = self.ts.parent
        if ts is not None and ts.type == "for_in_statement" and ts.child_by_field_name("kind"):
            loop = ctx.wrap(ts)
            if loop is not None and loop.get("left") is not None and self.parent_was_set():
                return self._parent_value
        while ts is not None:
            if ts.type in TRANSPARENT or ts.type in SKIPPED or erased(ts):
                ts = ts.parent
                continue
            wrapper = ctx.wrap(ts)
            if wrapper is not None:
                if (
                    wrapper.type in ("MethodDefinition", "Property")
                    and ts.type == "method_definition"
                ):
                    # the method's parameters and body belong to its FunctionExpression
                    name = ts.child_by_field_name("name")
                    if name is None or name.id != self.ts.id:
                        return ctx.wrap(ts, "function")
                return wrapper
            ts = ts.parent
        return None

    def get(self, name: str) -> object:
        if self._fields is None:
            self._fields = reader_for(self)(self)
        return self._fields.get(name)

    def children(self) -> list[JsNode]:
        if self._children is None:
            if self.type == "Literal" or self.role == "key":
                self._children = []
            elif self.type == "Property" and self.ts.type == "shorthand_property_identifier":
                self._children = [self.get("key")]  # type: ignore[list-item]
            elif (
                self.type in ("MethodDefinition", "Property")
                and self.ts.type == "method_definition"
            ):
                key = self.get("key")
                self._children = [n for n in (key, self.get("value")) if isinstance(n, JsNode)]
            elif self.role == "function":
                ts = self.ts
                self._children = self._ctx.expand(
                    [
                        c
                        for c in (
                            ts.child_by_field_name("parameters"),
                            ts.child_by_field_name("body"),
                        )
                        if c
                    ]
                )
            elif self.type == "TemplateLiteral":
                self._children = self.nodes("expressions")
            else:
                self._children = self._ctx.expand(self.ts.children)
        return self._children

    def statements_before(self, statement: JsNode) -> list[JsNode]:
        # Only the earlier statements are wrapped: analysed one region at a time, a guard
        # above a use then depends on the text before it, not on the whole block.
        if self.type in ("Program", "BlockStatement", "StaticBlock") and isinstance(
            statement, TsNode
        ):
            before = statement.ts.start_byte
            return self._ctx.expand([c for c in self.ts.children if c.end_byte <= before])
        return super().statements_before(statement)

    # helpers for the field readers
    def _field(self, name: str) -> JsNode | None:
        return self._ctx.wrap(self.ts.child_by_field_name(name))

    def _raw(self) -> str:
        return self._ctx.raw(self.ts)
