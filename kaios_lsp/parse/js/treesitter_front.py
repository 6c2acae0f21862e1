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
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter

from kaios_lsp.parse.js.strings import decode_string, decode_template_chunk, number_value
from kaios_lsp.parse.js.tree import Comment, JsNode, JsTree, PlainNode, SyntaxProblem

# tree-sitter node types that are not ESTree nodes: their named children stand in for them
TRANSPARENT = frozenset(
    {
        "parenthesized_expression",
        "arguments",
        "formal_parameters",
        "else_clause",
        "template_substitution",
        "computed_property_name",
        "finally_clause",
        "switch_body",
        "class_heritage",
        "statement_identifier_list",
        "extends_clause",  # TypeScript's `extends Base<T>`: the expression
    }
)
# TypeScript's type-only syntax: erased by the compiler, never run, skipped like comments
TYPE_ONLY = frozenset(
    {
        "type_annotation",
        "opting_type_annotation",
        "omitting_type_annotation",
        "adding_type_annotation",
        "asserts_annotation",
        "type_predicate_annotation",
        "type_arguments",
        "type_parameters",
        "type_alias_declaration",
        "interface_declaration",
        "ambient_declaration",
        "implements_clause",
        "index_signature",
        "method_signature",
        "abstract_method_signature",
        "function_signature",
        "property_signature",
        "construct_signature",
        "call_signature",
        "accessibility_modifier",
        "override_modifier",
    }
)
# named tree-sitter nodes that are tokens inside an ESTree node, never nodes themselves
SKIPPED = (
    frozenset(
        {
            "comment",
            "hash_bang_line",
            "optional_chain",
            "regex_pattern",
            "regex_flags",
            "string_fragment",
            "escape_sequence",
            "html_comment",
        }
    )
    | TYPE_ONLY
)
# TypeScript nodes whose type part is erased, leaving an expression: transparent to it
# (the index of the expression among the named children)
EXPRESSION_WRAPPERS = {
    "as_expression": 0,
    "satisfies_expression": 0,
    "non_null_expression": 0,
    "instantiation_expression": 0,
    "type_assertion": -1,
}
# syntax only TypeScript has (a tree with none of it is JavaScript, or JSX)
TYPESCRIPT_ONLY = (
    *sorted(TYPE_ONLY),
    *sorted(EXPRESSION_WRAPPERS),
    "enum_declaration",
    "internal_module",
    "module",
    "abstract_class_declaration",
    "optional_parameter",
    "import_alias",
)
# TypeScript parameters: their pattern, or an AssignmentPattern when they have a default
PARAMETERS = frozenset({"required_parameter", "optional_parameter"})

_SIMPLE_TYPES = {
    "program": "Program",
    "expression_statement": "ExpressionStatement",
    "statement_block": "BlockStatement",
    "if_statement": "IfStatement",
    "return_statement": "ReturnStatement",
    "throw_statement": "ThrowStatement",
    "try_statement": "TryStatement",
    "catch_clause": "CatchClause",
    "variable_declaration": "VariableDeclaration",
    "lexical_declaration": "VariableDeclaration",
    "variable_declarator": "VariableDeclarator",
    "function_declaration": "FunctionDeclaration",
    "generator_function_declaration": "FunctionDeclaration",
    "function_expression": "FunctionExpression",
    "function": "FunctionExpression",
    "generator_function": "FunctionExpression",
    "arrow_function": "ArrowFunctionExpression",
    "new_expression": "NewExpression",
    "member_expression": "MemberExpression",
    "subscript_expression": "MemberExpression",
    "identifier": "Identifier",
    "property_identifier": "Identifier",
    "shorthand_property_identifier_pattern": "Identifier",
    "statement_identifier": "Identifier",
    "undefined": "Identifier",
    "private_property_identifier": "PrivateIdentifier",
    "string": "Literal",
    "number": "Literal",
    "regex": "Literal",
    "true": "Literal",
    "false": "Literal",
    "null": "Literal",
    "template_string": "TemplateLiteral",
    "unary_expression": "UnaryExpression",
    "update_expression": "UpdateExpression",
    "ternary_expression": "ConditionalExpression",
    "assignment_expression": "AssignmentExpression",
    "augmented_assignment_expression": "AssignmentExpression",
    "sequence_expression": "SequenceExpression",
    "object": "ObjectExpression",
    "array": "ArrayExpression",
    "spread_element": "SpreadElement",
    "await_expression": "AwaitExpression",
    "yield_expression": "YieldExpression",
    "class_declaration": "ClassDeclaration",
    "class": "ClassExpression",
    "class_body": "ClassBody",
    "field_definition": "PropertyDefinition",
    "class_static_block": "StaticBlock",
    "for_statement": "ForStatement",
    "while_statement": "WhileStatement",
    "do_statement": "DoWhileStatement",
    "switch_statement": "SwitchStatement",
    "switch_case": "SwitchCase",
    "switch_default": "SwitchCase",
    "labeled_statement": "LabeledStatement",
    "break_statement": "BreakStatement",
    "continue_statement": "ContinueStatement",
    "empty_statement": "EmptyStatement",
    "debugger_statement": "DebuggerStatement",
    "with_statement": "WithStatement",
    "this": "ThisExpression",
    "super": "Super",
    "meta_property": "MetaProperty",
    "object_pattern": "ObjectPattern",
    "array_pattern": "ArrayPattern",
    "assignment_pattern": "AssignmentPattern",
    "rest_pattern": "RestElement",
    "pair": "Property",
    "pair_pattern": "Property",
    "shorthand_property_identifier": "Property",
    "object_assignment_pattern": "AssignmentPattern",
    "import_statement": "ImportDeclaration",
    "export_statement": "ExportNamedDeclaration",
    "ERROR": "ErrorNode",
    # TypeScript
    "abstract_class_declaration": "ClassDeclaration",
    "public_field_definition": "PropertyDefinition",
    "type_identifier": "Identifier",  # a class's name (inside types it is skipped)
    "decorator": "Decorator",
}

# ESTree type -> the tree-sitter types that may map to it (for queries)
TS_TYPES_FOR: dict[str, tuple[str, ...]] = {}
for _ts, _es in _SIMPLE_TYPES.items():
    TS_TYPES_FOR.setdefault(_es, ())
    TS_TYPES_FOR[_es] += (_ts,)
TS_TYPES_FOR["CallExpression"] = ("call_expression",)
TS_TYPES_FOR["TaggedTemplateExpression"] = ("call_expression",)
TS_TYPES_FOR["ImportExpression"] = ("call_expression",)
TS_TYPES_FOR["BinaryExpression"] = ("binary_expression",)
TS_TYPES_FOR["LogicalExpression"] = ("binary_expression",)
TS_TYPES_FOR["ForInStatement"] = ("for_in_statement",)
TS_TYPES_FOR["ForOfStatement"] = ("for_in_statement",)
TS_TYPES_FOR["MethodDefinition"] = ("method_definition",)
TS_TYPES_FOR["Property"] = (*TS_TYPES_FOR["Property"], "method_definition")
TS_TYPES_FOR["FunctionExpression"] = (*TS_TYPES_FOR["FunctionExpression"], "method_definition")
TS_TYPES_FOR["Identifier"] = (*TS_TYPES_FOR["Identifier"], "shorthand_property_identifier")
TS_TYPES_FOR["ExportDefaultDeclaration"] = ("export_statement",)
# TypeScript parameters with a default (the others are erased to their pattern)
TS_TYPES_FOR["AssignmentPattern"] = (*TS_TYPES_FOR["AssignmentPattern"], *sorted(PARAMETERS))
# `for (var k in o)` declares k in a VariableDeclaration tree-sitter does not have
TS_TYPES_FOR["VariableDeclaration"] = (*TS_TYPES_FOR["VariableDeclaration"], "for_in_statement")
TS_TYPES_FOR["VariableDeclarator"] = (*TS_TYPES_FOR["VariableDeclarator"], "for_in_statement")

_LOGICAL = {"&&", "||", "??"}


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
def _language(grammar: str = JAVASCRIPT):
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
def _query(types: tuple[str, ...], grammar: str = JAVASCRIPT):
    from tree_sitter import Query

    language, _parser = _language(grammar)
    # grammar versions differ in a few names (function vs function_expression): skip unknown
    known = [t for t in types if t == "ERROR" or language.id_for_node_kind(t, True) is not None]
    return Query(language, " ".join(f"({t}) @n" for t in known) or "(program) @unused")


class _Offsets:
    """UTF-8 byte offsets (tree-sitter's) -> code-point offsets (ours)."""

    def __init__(self, text: str) -> None:
        self.ends: list[int] = []  # byte offset just after each non-ASCII character
        self.extra: list[int] = []  # extra bytes up to and including that character
        if text.isascii():
            return
        extra = 0
        for match in re.finditer(r"[^\x00-\x7f]", text):
            char = match.group()
            size = len(char.encode("utf-8", "surrogatepass"))
            extra += size - 1
            self.ends.append(match.start() + extra + 1)
            self.extra.append(extra)

    def __call__(self, byte: int) -> int:
        if not self.ends:
            return byte
        k = bisect_right(self.ends, byte)
        return byte - (self.extra[k - 1] if k else 0)


class _Context:
    """What every wrapper of one tree shares: text, offsets and the wrapper cache."""

    def __init__(self, text: str, source: bytes, grammar: str = JAVASCRIPT) -> None:
        self.text = text
        self.source = source
        self.grammar = grammar
        self.offset = _Offsets(text)
        self.cache: dict[tuple[int, str], TsNode] = {}
        self.root = None  # the tree-sitter root node (set by _parse)
        self._type_starts: list[int] | None = None  # TypeScript: byte ranges of types
        self._type_ends: list[int] = []

    def raw(self, ts) -> str:
        return self.source[ts.start_byte : ts.end_byte].decode("utf-8", "replace")

    def wrap(self, ts, role: str = "") -> TsNode | None:
        """The ESTree node for a tree-sitter node (``None`` for tokens and comments)."""
        if ts is None:
            return None
        key = (ts.id, role)
        found = self.cache.get(key)
        if found is None:
            if not role and (ts.type in SKIPPED or not ts.is_named):
                return None
            if not role and ts.type in TRANSPARENT:
                inner = _named(ts)
                return self.wrap(inner[0]) if len(inner) == 1 else None
            if not role and _erased(ts):
                return self.wrap(_erased_to(ts))  # None for TypeScript's `this: T` parameter
            found = TsNode(self, ts, role)
            self.cache[key] = found
        return found

    def expand(self, children) -> list[JsNode]:
        """ESTree nodes for a run of tree-sitter children, looking through transparent ones."""
        out: list[JsNode] = []
        for child in children:
            if not child.is_named or child.type in SKIPPED:
                continue
            if child.type in TRANSPARENT:
                out.extend(self.expand(child.children))
                continue
            if _erased(child):
                inner = _erased_to(child)
                if inner is not None:
                    out.extend(self.expand([inner]))
                continue
            node = self.wrap(child)
            if node is not None:
                out.append(node)
        return out

    def in_type(self, ts) -> bool:
        """Is this tree-sitter node inside a TypeScript type (``x: typeof navigator``,
        ``interface``, ``declare``...)? Query captures there are not program code."""
        if self.grammar == JAVASCRIPT:
            return False
        if self._type_starts is None:
            self._type_starts, self._type_ends = _type_ranges(self, self.root)
        k = bisect_right(self._type_starts, ts.start_byte)
        return k > 0 and ts.end_byte <= self._type_ends[k - 1]


def _type_ranges(ctx: _Context, root) -> tuple[list[int], list[int]]:
    """Merged byte ranges of every type-only region of a TypeScript tree."""
    from tree_sitter import QueryCursor

    wanted = (*sorted(TYPE_ONLY), "as_expression", "satisfies_expression")
    ranges = []
    for ts in QueryCursor(_query(wanted, ctx.grammar)).captures(root).get("n", []):
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


def _erased(ts) -> bool:
    """A TypeScript node that is only its expression (``x as T``) or only its pattern (a
    parameter without a default) once the types are erased."""
    kind = ts.type
    if kind in EXPRESSION_WRAPPERS:
        return len(_named(ts)) > 0
    if kind in PARAMETERS:
        return (
            ts.child_by_field_name("value") is None
            and ts.child_by_field_name("pattern") is not None
        )
    return False


def _erased_to(ts):
    kind = ts.type
    if kind in PARAMETERS:
        pattern = ts.child_by_field_name("pattern")
        if pattern is None or pattern.type == "this":
            return None  # `this: T` only types `this`: no parameter at run time
        return pattern
    return _named(ts)[EXPRESSION_WRAPPERS[kind]]


def _named(ts) -> list:
    return [c for c in ts.named_children if c.type not in SKIPPED]


def _has_token(ts, token: str) -> bool:
    return any(not c.is_named and c.type == token for c in ts.children)


_JSX_START = re.compile(r"<[A-Za-z>]")
# node kinds whose ESTree type depends on their children or parent
_CONTEXT_TYPED = frozenset(
    {
        "call_expression",
        "binary_expression",
        "for_in_statement",
        "method_definition",
        "export_statement",
    }
)


def _estree_type(ts, role: str) -> str:
    if role == "function":
        return "FunctionExpression"
    if role == "key":
        return "Identifier"
    kind = ts.type
    simple = _SIMPLE_TYPES.get(kind)
    if simple is not None and kind not in _CONTEXT_TYPED:  # most nodes: one lookup
        return simple
    if kind == "call_expression":
        callee = ts.child_by_field_name("function")
        args = ts.child_by_field_name("arguments")
        if callee is not None and callee.type == "import":
            return "ImportExpression"
        if args is not None and args.type == "template_string":
            return "TaggedTemplateExpression"
        return "CallExpression"
    if kind == "binary_expression":
        operator = ts.child_by_field_name("operator")
        return (
            "LogicalExpression"
            if operator is not None and operator.type in _LOGICAL
            else "BinaryExpression"
        )
    if kind == "for_in_statement":
        operator = ts.child_by_field_name("operator")
        return (
            "ForOfStatement" if operator is not None and operator.type == "of" else "ForInStatement"
        )
    if kind == "method_definition":
        parent = ts.parent
        return (
            "MethodDefinition" if parent is not None and parent.type == "class_body" else "Property"
        )
    if kind == "export_statement":
        return "ExportDefaultDeclaration" if _has_token(ts, "default") else "ExportNamedDeclaration"
    if kind in PARAMETERS:  # with a default (without one it is erased to its pattern)
        return "AssignmentPattern"
    if kind.startswith("jsx_"):
        return "JSX" + "".join(part.title() for part in kind[4:].split("_"))
    return _SIMPLE_TYPES.get(kind, "TS:" + kind)


class TsNode(JsNode):
    """An ESTree view of one tree-sitter node (``role`` picks a second view of the same
    node: the FunctionExpression inside a method, the key of a shorthand property)."""

    __slots__ = ("_children", "_ctx", "_fields", "_parent_done", "_parent_value", "role", "ts")

    def __init__(self, ctx: _Context, ts, role: str = "") -> None:
        self._ctx = ctx
        self.ts = ts
        self.role = role
        self.type = _estree_type(ts, role)
        self.start = ctx.offset(ts.start_byte)
        self.end = ctx.offset(ts.end_byte)
        if role == "function":  # esprima's method function starts at its parameters
            params = ts.child_by_field_name("parameters")
            if params is not None:
                self.start = ctx.offset(params.start_byte)
        self._fields: dict[str, object] | None = None
        self._children: list[JsNode] | None = None
        self._parent_done = False
        self._parent_value: JsNode | None = None

    @property  # type: ignore[override]
    def parent(self) -> JsNode | None:  # type: ignore[override]
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
            if ts.type in TRANSPARENT or ts.type in SKIPPED or _erased(ts):
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
            self._fields = _reader_for(self)(self)
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

    # helpers for the field readers
    def _field(self, name: str) -> JsNode | None:
        return self._ctx.wrap(self.ts.child_by_field_name(name))

    def _raw(self) -> str:
        return self._ctx.raw(self.ts)


# -- field readers: ESTree fields of each node type -----------------------------------------------


def _call(n: TsNode) -> dict[str, object]:
    ts = n.ts
    args = ts.child_by_field_name("arguments")
    optional = any(c.type == "optional_chain" for c in ts.children)
    if n.type == "TaggedTemplateExpression":
        return {"tag": n._field("function"), "quasi": n._ctx.wrap(args)}
    if n.type == "ImportExpression":
        inner = n._ctx.expand(args.children) if args is not None else []
        return {"source": inner[0] if inner else None}
    return {
        "callee": n._field("function"),
        "arguments": n._ctx.expand(args.children) if args is not None else [],
        "optional": optional,
    }


def _new(n: TsNode) -> dict[str, object]:
    args = n.ts.child_by_field_name("arguments")
    return {
        "callee": n._field("constructor"),
        "arguments": n._ctx.expand(args.children) if args is not None else [],
    }


def _member(n: TsNode) -> dict[str, object]:
    ts = n.ts
    computed = ts.type == "subscript_expression"
    prop = ts.child_by_field_name("index" if computed else "property")
    return {
        "object": n._field("object"),
        "property": n._ctx.wrap(prop),
        "computed": computed,
        "optional": any(c.type == "optional_chain" for c in ts.children),
    }


def _identifier(n: TsNode) -> dict[str, object]:
    return {"name": n._raw()}


def _private(n: TsNode) -> dict[str, object]:
    return {"name": n._raw().lstrip("#")}


def _literal(n: TsNode) -> dict[str, object]:
    raw = n._raw()
    kind = n.ts.type
    if kind == "string":
        return {"value": decode_string(raw), "raw": raw}
    if kind == "number":
        fields: dict[str, object] = {"value": number_value(raw), "raw": raw}
        if raw.endswith("n"):
            fields["bigint"] = raw[:-1].replace("_", "")
        return fields
    if kind == "regex":
        pattern = n.ts.child_by_field_name("pattern")
        flags = n.ts.child_by_field_name("flags")
        return {
            "value": None,
            "raw": raw,
            "regex": {
                "pattern": n._ctx.raw(pattern) if pattern is not None else "",
                "flags": n._ctx.raw(flags) if flags is not None else "",
            },
        }
    if kind in ("true", "false"):
        return {"value": kind == "true", "raw": raw}
    return {"value": None, "raw": raw}


def _template(n: TsNode) -> dict[str, object]:
    ctx = n._ctx
    ts = n.ts
    quasis: list[JsNode] = []
    expressions: list[JsNode] = []
    chunk_start = ts.start_byte + 1
    for child in ts.children:
        if child.type == "template_substitution":
            quasis.append(_quasi(ctx, chunk_start, child.start_byte))
            expressions.extend(ctx.expand(child.children))
            chunk_start = child.end_byte
    quasis.append(_quasi(ctx, chunk_start, max(chunk_start, ts.end_byte - 1)))
    return {"quasis": quasis, "expressions": expressions}


def _quasi(ctx: _Context, start: int, end: int) -> JsNode:
    raw = ctx.source[start:end].decode("utf-8", "replace")
    node = PlainNode(
        "TemplateElement",
        ctx.offset(start),
        ctx.offset(end),
        {"raw": raw, "cooked": decode_template_chunk(raw)},
    )
    return node


def _operator_text(n: TsNode) -> str | None:
    operator = n.ts.child_by_field_name("operator")
    return operator.type if operator is not None else None


def _binary(n: TsNode) -> dict[str, object]:
    return {"left": n._field("left"), "right": n._field("right"), "operator": _operator_text(n)}


def _unary(n: TsNode) -> dict[str, object]:
    ts = n.ts
    operator = _operator_text(n)
    argument = n._field("argument")
    prefix = True
    if n.type == "UpdateExpression":
        first = ts.children[0] if ts.children else None
        prefix = first is not None and not first.is_named
        operator = next((c.type for c in ts.children if c.type in ("++", "--")), operator)
    return {"operator": operator, "argument": argument, "prefix": prefix}


def _conditional(n: TsNode) -> dict[str, object]:
    return {
        "test": n._field("condition"),
        "consequent": n._field("consequence"),
        "alternate": n._field("alternative"),
    }


def _assignment(n: TsNode) -> dict[str, object]:
    operator = "=" if n.ts.type == "assignment_expression" else _operator_text(n)
    return {"left": n._field("left"), "right": n._field("right"), "operator": operator}


def _first_child(n: TsNode) -> JsNode | None:
    nodes = n._ctx.expand(n.ts.children)
    return nodes[0] if nodes else None


def _expression_statement(n: TsNode) -> dict[str, object]:
    return {"expression": _first_child(n)}


def _argument(n: TsNode) -> dict[str, object]:
    fields: dict[str, object] = {"argument": _first_child(n)}
    if n.type == "YieldExpression":
        fields["delegate"] = _has_token(n.ts, "*")
    return fields


def _body_list(n: TsNode) -> dict[str, object]:
    return {"body": n._ctx.expand(n.ts.children)}


def _if(n: TsNode) -> dict[str, object]:
    alternative = n.ts.child_by_field_name("alternative")
    alternate = None
    if alternative is not None:
        inner = n._ctx.expand(alternative.children)
        alternate = inner[0] if inner else None
    return {
        "test": n._field("condition"),
        "consequent": n._field("consequence"),
        "alternate": alternate,
    }


def _try(n: TsNode) -> dict[str, object]:
    finalizer = n.ts.child_by_field_name("finalizer")
    final_block = None
    if finalizer is not None:
        body = finalizer.child_by_field_name("body")
        final_block = n._ctx.wrap(body)
    return {"block": n._field("body"), "handler": n._field("handler"), "finalizer": final_block}


def _catch(n: TsNode) -> dict[str, object]:
    return {"param": n._field("parameter"), "body": n._field("body")}


def _declaration(n: TsNode) -> dict[str, object]:
    ts = n.ts
    if ts.type == "variable_declaration":
        kind = "var"
    else:
        kind_node = ts.child_by_field_name("kind")
        kind = kind_node.type if kind_node is not None else "let"
    declarations = [n._ctx.wrap(c) for c in ts.named_children if c.type == "variable_declarator"]
    return {"kind": kind, "declarations": declarations}


def _declarator(n: TsNode) -> dict[str, object]:
    return {"id": n._field("name"), "init": n._field("value")}


def _function(n: TsNode) -> dict[str, object]:
    ts = n.ts
    params_node = ts.child_by_field_name("parameters")
    if params_node is not None:
        params = n._ctx.expand(params_node.children)
    else:
        single = n._ctx.wrap(ts.child_by_field_name("parameter"))
        params = [single] if single is not None else []
    body = n._ctx.wrap(ts.child_by_field_name("body"))
    generator = "generator" in ts.type or _has_token(ts, "*")
    fields: dict[str, object] = {
        "id": None if n.role == "function" else n._field("name"),
        "params": params,
        "body": body,
        "async": _has_token(ts, "async"),
        "generator": generator,
        "expression": n.type == "ArrowFunctionExpression"
        and body is not None
        and body.type != "BlockStatement",
    }
    return fields


def _method(n: TsNode) -> dict[str, object]:
    ts = n.ts
    kind = "get" if _has_token(ts, "get") else "set" if _has_token(ts, "set") else "init"
    name = ts.child_by_field_name("name")
    computed = name is not None and name.type == "computed_property_name"
    fields: dict[str, object] = {
        "key": n._ctx.wrap(name),
        "value": n._ctx.wrap(ts, "function"),
        "computed": computed,
        "static": _has_token(ts, "static"),
        "method": kind == "init",
        "shorthand": False,
    }
    if n.type == "MethodDefinition":
        is_constructor = name is not None and n._ctx.raw(name) == "constructor"
        fields["kind"] = "constructor" if is_constructor else ("method" if kind == "init" else kind)
    else:
        fields["kind"] = kind
    return fields


def _property(n: TsNode) -> dict[str, object]:
    ts = n.ts
    if ts.type == "method_definition":
        return _method(n)
    if ts.type == "shorthand_property_identifier":
        key = n._ctx.wrap(ts, "key")
        return {
            "key": key,
            "value": key,
            "computed": False,
            "shorthand": True,
            "kind": "init",
            "method": False,
        }
    key = ts.child_by_field_name("key")
    computed = key is not None and key.type == "computed_property_name"
    return {
        "key": n._ctx.wrap(key),
        "value": n._field("value"),
        "computed": computed,
        "shorthand": False,
        "kind": "init",
        "method": False,
    }


def _key_identifier(n: TsNode) -> dict[str, object]:
    return {"name": n._raw()}


def _object(n: TsNode) -> dict[str, object]:
    return {"properties": n._ctx.expand(n.ts.children)}


def _array(n: TsNode) -> dict[str, object]:
    return {"elements": n._ctx.expand(n.ts.children)}


def _spread(n: TsNode) -> dict[str, object]:
    return {"argument": _first_child(n)}


def _sequence(n: TsNode) -> dict[str, object]:
    expressions: list[JsNode] = []
    for node in n._ctx.expand(n.ts.children):
        if isinstance(node, TsNode) and node.type == "SequenceExpression":
            expressions.extend(node.nodes("expressions"))  # right-nested in tree-sitter
        else:
            expressions.append(node)
    return {"expressions": expressions}


def _class(n: TsNode) -> dict[str, object]:
    heritage = next((c for c in n.ts.named_children if c.type == "class_heritage"), None)
    superclass = None
    if heritage is not None:
        inner = n._ctx.expand(heritage.children)
        superclass = inner[0] if inner else None
    return {"id": n._field("name"), "superClass": superclass, "body": n._field("body")}


def _field_definition(n: TsNode) -> dict[str, object]:
    ts = n.ts
    prop = ts.child_by_field_name("property") or ts.child_by_field_name("name")  # JS, TS
    return {
        "key": n._ctx.wrap(prop),
        "value": n._field("value"),
        "static": _has_token(ts, "static"),
        "computed": prop is not None and prop.type == "computed_property_name",
    }


def _for_in(n: TsNode) -> dict[str, object]:
    left = n._field("left")
    kind = n.ts.child_by_field_name("kind")
    if kind is not None and left is not None:
        # `for (var k in o)`: ESTree has a declaration here, tree-sitter only the name
        start = n._ctx.offset(kind.start_byte)
        declarator = PlainNode(
            "VariableDeclarator", left.start, left.end, {"id": left, "init": None}
        )
        left_decl = PlainNode(
            "VariableDeclaration",
            start,
            left.end,
            {"kind": kind.type, "declarations": [declarator]},
        )
        declarator.parent = left_decl
        left_decl.parent = n
        left.parent = declarator
        left = left_decl
    return {
        "left": left,
        "right": n._field("right"),
        "body": n._field("body"),
        "await": _has_token(n.ts, "await"),
    }


def _for(n: TsNode) -> dict[str, object]:
    return {
        "init": n._field("initializer"),
        "test": n._field("condition"),
        "update": n._field("increment"),
        "body": n._field("body"),
    }


def _switch_case(n: TsNode) -> dict[str, object]:
    return {
        "test": n._field("value"),
        "consequent": n._ctx.expand(n.ts.children_by_field_name("body")),
    }


def _meta(n: TsNode) -> dict[str, object]:
    raw = n._raw().replace(" ", "")
    meta, _, prop = raw.partition(".")
    return {"meta": meta, "property": prop}


def _assignment_pattern(n: TsNode) -> dict[str, object]:
    if n.ts.type in PARAMETERS:  # TypeScript `x: T = 1`
        return {"left": n._field("pattern"), "right": n._field("value")}
    return {"left": n._field("left"), "right": n._field("right")}


def _decorator(n: TsNode) -> dict[str, object]:
    return {"expression": _first_child(n)}


def _generic(n: TsNode) -> dict[str, object]:
    return {}


_READERS: dict[str, Callable[[TsNode], dict[str, object]]] = {
    "CallExpression": _call,
    "TaggedTemplateExpression": _call,
    "ImportExpression": _call,
    "NewExpression": _new,
    "MemberExpression": _member,
    "Identifier": _identifier,
    "PrivateIdentifier": _private,
    "Literal": _literal,
    "TemplateLiteral": _template,
    "BinaryExpression": _binary,
    "LogicalExpression": _binary,
    "UnaryExpression": _unary,
    "UpdateExpression": _unary,
    "ConditionalExpression": _conditional,
    "AssignmentExpression": _assignment,
    "ExpressionStatement": _expression_statement,
    "ReturnStatement": _argument,
    "ThrowStatement": _argument,
    "AwaitExpression": _argument,
    "YieldExpression": _argument,
    "Program": _body_list,
    "BlockStatement": _body_list,
    "ClassBody": _body_list,
    "StaticBlock": _body_list,
    "IfStatement": _if,
    "TryStatement": _try,
    "CatchClause": _catch,
    "VariableDeclaration": _declaration,
    "VariableDeclarator": _declarator,
    "FunctionDeclaration": _function,
    "FunctionExpression": _function,
    "ArrowFunctionExpression": _function,
    "MethodDefinition": _method,
    "Property": _property,
    "ObjectExpression": _object,
    "ObjectPattern": _object,
    "ArrayExpression": _array,
    "ArrayPattern": _array,
    "SpreadElement": _spread,
    "RestElement": _spread,
    "SequenceExpression": _sequence,
    "ClassDeclaration": _class,
    "ClassExpression": _class,
    "PropertyDefinition": _field_definition,
    "ForInStatement": _for_in,
    "ForOfStatement": _for_in,
    "ForStatement": _for,
    "SwitchCase": _switch_case,
    "MetaProperty": _meta,
    "AssignmentPattern": _assignment_pattern,
    "Decorator": _decorator,
}


def _reader_for(node: TsNode) -> Callable[[TsNode], dict[str, object]]:
    if node.role == "key":
        return _key_identifier
    if node.role == "function":
        return _function
    return _READERS.get(node.type, _generic)


class TsTree(JsTree):
    """A JsTree whose ``nodes_of`` asks tree-sitter, wrapping only the matches.

    ``grammar`` says which tree-sitter grammar read it (``javascript``, ``typescript`` or
    ``tsx``): a query must be compiled for it (:func:`compile_query`)."""

    def __init__(self, text: str, ctx: _Context, root_ts, comments, errors) -> None:
        self._ctx = ctx
        self._root_ts = root_ts
        self.grammar = ctx.grammar
        root = ctx.wrap(root_ts)
        assert root is not None
        super().__init__(text, root, comments, "tree-sitter", errors)

    def _captures(self, query, name: str) -> list:
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
        query = _source_query(f"((identifier) @n (#any-of? @n {quoted}))", self.grammar)
        ctx = self._ctx
        found = [ctx.wrap(ts) for ts in self._captures(query, "n")]
        return [n for n in found if n is not None]

    def members_named(self, names: frozenset[str]) -> list[JsNode]:
        """Member expressions reading one of these property names (``a.b`` or ``a['b']``)."""
        if not names:
            return []
        quoted = " ".join(json.dumps(n) for n in sorted(names))
        query = _source_query(
            f"((member_expression property: (property_identifier) @p) (#any-of? @p {quoted}))\n"
            f"((subscript_expression index: (string (string_fragment) @p)) (#any-of? @p {quoted}))",
            self.grammar,
        )
        ctx = self._ctx
        found = []
        for ts in self._captures(query, "p"):
            owner = ts.parent if ts.type == "property_identifier" else ts.parent.parent
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
        out = []
        for _pattern, captures in QueryCursor(query).matches(self._root_ts):
            declarator_ts = captures["declarator"][0]
            if self.grammar != JAVASCRIPT and ctx.in_type(declarator_ts):
                continue  # `declare const x = ...`
            init_ts = captures["init"][0]
            while _erased(init_ts):
                init_ts = _erased_to(init_ts)
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
        query = _source_query(names_query.format(quoted), self.grammar)
        ctx = self._ctx
        for ts in self._captures(query, "n"):
            name = ctx.raw(ts)
            weight = _binding_weight(ts)
            if weight:
                declared[name] = declared.get(name, 0) + weight
            parent = ts.parent
            while parent is not None and _erased(parent) and parent.type not in PARAMETERS:
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

        query = _query(("jsx_element", "jsx_self_closing_element"), self.grammar)
        cursor = QueryCursor(query, match_limit=1)
        return any(True for _ in cursor.matches(self._root_ts))

    def has_typescript(self) -> bool:
        """Does the code use TypeScript syntax (types, ``as``, ``x!``, enums...)?"""
        if self.grammar == JAVASCRIPT:
            return False
        from tree_sitter import QueryCursor

        cursor = QueryCursor(_query(TYPESCRIPT_ONLY, self.grammar), match_limit=1)
        return any(True for _ in cursor.matches(self._root_ts))

    def offset_of(self, byte: int) -> int:
        """The code-point offset of a tree-sitter byte offset."""
        return self._ctx.offset(byte)

    def in_type(self, ts) -> bool:
        """Is this tree-sitter node inside a TypeScript type (never program code)?"""
        return self._ctx.in_type(ts)

    def _find(self, types: list[str]) -> dict[str, list[JsNode]]:
        ts_types = sorted({t for es in types for t in TS_TYPES_FOR.get(es, ())})
        found: dict[str, list[JsNode]] = {t: [] for t in types}
        if not ts_types:
            return found if not any(t not in TS_TYPES_FOR for t in types) else super()._find(types)
        wanted = set(types)
        captures = self._captures(_query(tuple(ts_types), self.grammar), "n")
        captures.sort(key=lambda c: (c.start_byte, -c.end_byte))
        ctx = self._ctx
        for ts in captures:
            if _erased(ts):
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
    _language_obj, parser = _language(grammar)
    source = text.encode("utf-8", "surrogatepass")
    tree = parser.parse(source)
    ctx = _Context(text, source, grammar)
    root = ctx.root = tree.root_node
    comments: list[Comment] = []
    from tree_sitter import QueryCursor

    for ts in QueryCursor(_query(("comment",), grammar)).captures(root).get("n", []):
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


def _jsx_mismatches(ctx: _Context, root) -> list[SyntaxProblem]:
    """``<ul>...</div>``: tree-sitter's grammars do not check that a closing tag names the
    element it closes (a syntax error for Babel, TypeScript and esbuild)."""
    from tree_sitter import QueryCursor

    problems = []
    for ts in QueryCursor(_query(("jsx_element",), ctx.grammar)).captures(root).get("n", []):
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


def _syntax_errors(ctx: _Context, root, limit: int = 20) -> list[SyntaxProblem]:
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


# node kinds the TypeScript grammars name differently: a pattern naming the JavaScript kind
# is retried with these (both kinds are in the tree-sitter-typescript 0.23 grammars)
_RENAMED = {
    TYPESCRIPT: {"field_definition": "public_field_definition"},
    TSX: {"field_definition": "public_field_definition"},
}
# id of a compiled query -> (its source, its grammar): ts_nodes recompiles for the tree's
_QUERY_ORIGIN: dict[int, tuple[str, str]] = {}


@lru_cache(maxsize=64)
def compile_query(source: str, grammar: str = JAVASCRIPT):
    """One query from one-line patterns, for one grammar (``TsTree.grammar``); a pattern
    this grammar does not know (a renamed or JavaScript-only node kind) is tried with the
    grammar's names for it, else left out instead of failing the whole query."""
    from tree_sitter import Query

    language, _parser = _language(grammar)
    valid = []
    for line in source.splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith(";"):
            continue
        for candidate in _spellings(pattern, grammar):
            try:
                Query(language, candidate)
            except Exception:  # tree_sitter.QueryError and friends
                continue
            valid.append(candidate)
            break
    query = Query(language, "\n".join(valid) or "(program) @unused")
    _QUERY_ORIGIN[id(query)] = (source, grammar)
    return query


def _spellings(pattern: str, grammar: str) -> list[str]:
    out = [pattern]
    for old, new in _RENAMED.get(grammar, {}).items():
        renamed = re.sub(rf"\b{old}\b", new, pattern)
        if renamed != pattern:
            out.append(renamed)
    return out


@lru_cache(maxsize=256)
def _source_query(source: str, grammar: str):
    """A query that is known to compile (built by this module), cached per grammar."""
    from tree_sitter import Query

    language, _parser = _language(grammar)
    return Query(language, source)


def ts_nodes(
    tree: TsTree, query, skip: frozenset[str] = frozenset()
) -> list[tuple[str, object, int, int]]:
    """(capture name, tree-sitter node, start, end) for every capture, in source order
    (captures named in ``skip`` are left out before sorting).

    ``query`` is from :func:`compile_query` (or its source text); compiled for another
    grammar than the tree's, it is recompiled for the tree's from the same source.
    Captures inside TypeScript types are left out."""
    from tree_sitter import QueryCursor

    if isinstance(query, str):
        query = compile_query(query, tree.grammar)
    else:
        source, grammar = _QUERY_ORIGIN.get(id(query), ("", JAVASCRIPT))
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


def _binding_weight(ts) -> int:
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


def _in_parameters(ts) -> bool:
    node = ts
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
