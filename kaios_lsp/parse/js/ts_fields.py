"""The ESTree fields of each node type, read on demand from a wrapped tree-sitter node
(one reader per ESTree type; :class:`~kaios_lsp.parse.js.ts_node.NodeView` calls them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from kaios_lsp.parse.js.strings import decode_string, decode_template_chunk, number_value
from kaios_lsp.parse.js.tree import JsNode, PlainNode
from kaios_lsp.parse.js.ts_kinds import PARAMETERS, has_token

if TYPE_CHECKING:
    from tree_sitter import Node


class ContextView(Protocol):
    """What a reader needs of the tree a node belongs to (:class:`ts_node.Context`)."""

    @property
    def source(self) -> bytes: ...
    def offset(self, byte: int, /) -> int: ...
    def raw(self, ts: Node) -> str: ...
    def wrap(self, ts: Node | None, role: str = "") -> JsNode | None: ...
    def expand(self, children: Iterable[Node]) -> list[JsNode]: ...


class NodeView(Protocol):
    """What a reader needs of the node it reads (:class:`ts_node.TsNode`)."""

    @property
    def ts(self) -> Node: ...
    @property
    def type(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def _ctx(self) -> ContextView: ...
    def _field(self, name: str) -> JsNode | None: ...
    def _raw(self) -> str: ...


def _call(n: NodeView) -> dict[str, object]:
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


def _new(n: NodeView) -> dict[str, object]:
    args = n.ts.child_by_field_name("arguments")
    return {
        "callee": n._field("constructor"),
        "arguments": n._ctx.expand(args.children) if args is not None else [],
    }


def _member(n: NodeView) -> dict[str, object]:
    ts = n.ts
    computed = ts.type == "subscript_expression"
    prop = ts.child_by_field_name("index" if computed else "property")
    return {
        "object": n._field("object"),
        "property": n._ctx.wrap(prop),
        "computed": computed,
        "optional": any(c.type == "optional_chain" for c in ts.children),
    }


def _identifier(n: NodeView) -> dict[str, object]:
    return {"name": n._raw()}


def _private(n: NodeView) -> dict[str, object]:
    return {"name": n._raw().lstrip("#")}


def _literal(n: NodeView) -> dict[str, object]:
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


def _template(n: NodeView) -> dict[str, object]:
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


def _quasi(ctx: ContextView, start: int, end: int) -> JsNode:
    raw = ctx.source[start:end].decode("utf-8", "replace")
    node = PlainNode(
        "TemplateElement",
        ctx.offset(start),
        ctx.offset(end),
        {"raw": raw, "cooked": decode_template_chunk(raw)},
    )
    return node


def _operator_text(n: NodeView) -> str | None:
    operator = n.ts.child_by_field_name("operator")
    return operator.type if operator is not None else None


def _binary(n: NodeView) -> dict[str, object]:
    return {"left": n._field("left"), "right": n._field("right"), "operator": _operator_text(n)}


def _unary(n: NodeView) -> dict[str, object]:
    ts = n.ts
    operator = _operator_text(n)
    argument = n._field("argument")
    prefix = True
    if n.type == "UpdateExpression":
        first = ts.children[0] if ts.children else None
        prefix = first is not None and not first.is_named
        operator = next((c.type for c in ts.children if c.type in ("++", "--")), operator)
    return {"operator": operator, "argument": argument, "prefix": prefix}


def _conditional(n: NodeView) -> dict[str, object]:
    return {
        "test": n._field("condition"),
        "consequent": n._field("consequence"),
        "alternate": n._field("alternative"),
    }


def _assignment(n: NodeView) -> dict[str, object]:
    operator = "=" if n.ts.type == "assignment_expression" else _operator_text(n)
    return {"left": n._field("left"), "right": n._field("right"), "operator": operator}


def _first_child(n: NodeView) -> JsNode | None:
    nodes = n._ctx.expand(n.ts.children)
    return nodes[0] if nodes else None


def _expression_statement(n: NodeView) -> dict[str, object]:
    return {"expression": _first_child(n)}


def _argument(n: NodeView) -> dict[str, object]:
    fields: dict[str, object] = {"argument": _first_child(n)}
    if n.type == "YieldExpression":
        fields["delegate"] = has_token(n.ts, "*")
    return fields


def _body_list(n: NodeView) -> dict[str, object]:
    return {"body": n._ctx.expand(n.ts.children)}


def _if(n: NodeView) -> dict[str, object]:
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


def _try(n: NodeView) -> dict[str, object]:
    finalizer = n.ts.child_by_field_name("finalizer")
    final_block = None
    if finalizer is not None:
        body = finalizer.child_by_field_name("body")
        final_block = n._ctx.wrap(body)
    return {"block": n._field("body"), "handler": n._field("handler"), "finalizer": final_block}


def _catch(n: NodeView) -> dict[str, object]:
    return {"param": n._field("parameter"), "body": n._field("body")}


def _declaration(n: NodeView) -> dict[str, object]:
    ts = n.ts
    if ts.type == "variable_declaration":
        kind = "var"
    else:
        kind_node = ts.child_by_field_name("kind")
        kind = kind_node.type if kind_node is not None else "let"
    declarations = [n._ctx.wrap(c) for c in ts.named_children if c.type == "variable_declarator"]
    return {"kind": kind, "declarations": declarations}


def _declarator(n: NodeView) -> dict[str, object]:
    return {"id": n._field("name"), "init": n._field("value")}


def _function(n: NodeView) -> dict[str, object]:
    ts = n.ts
    params_node = ts.child_by_field_name("parameters")
    if params_node is not None:
        params = n._ctx.expand(params_node.children)
    else:
        single = n._ctx.wrap(ts.child_by_field_name("parameter"))
        params = [single] if single is not None else []
    body = n._ctx.wrap(ts.child_by_field_name("body"))
    generator = "generator" in ts.type or has_token(ts, "*")
    fields: dict[str, object] = {
        "id": None if n.role == "function" else n._field("name"),
        "params": params,
        "body": body,
        "async": has_token(ts, "async"),
        "generator": generator,
        "expression": n.type == "ArrowFunctionExpression"
        and body is not None
        and body.type != "BlockStatement",
    }
    return fields


def _method(n: NodeView) -> dict[str, object]:
    ts = n.ts
    kind = "get" if has_token(ts, "get") else "set" if has_token(ts, "set") else "init"
    name = ts.child_by_field_name("name")
    computed = name is not None and name.type == "computed_property_name"
    fields: dict[str, object] = {
        "key": n._ctx.wrap(name),
        "value": n._ctx.wrap(ts, "function"),
        "computed": computed,
        "static": has_token(ts, "static"),
        "method": kind == "init",
        "shorthand": False,
    }
    if n.type == "MethodDefinition":
        is_constructor = name is not None and n._ctx.raw(name) == "constructor"
        fields["kind"] = "constructor" if is_constructor else ("method" if kind == "init" else kind)
    else:
        fields["kind"] = kind
    return fields


def _property(n: NodeView) -> dict[str, object]:
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
    key_ts = ts.child_by_field_name("key")
    computed = key_ts is not None and key_ts.type == "computed_property_name"
    return {
        "key": n._ctx.wrap(key_ts),
        "value": n._field("value"),
        "computed": computed,
        "shorthand": False,
        "kind": "init",
        "method": False,
    }


def _key_identifier(n: NodeView) -> dict[str, object]:
    return {"name": n._raw()}


def _object(n: NodeView) -> dict[str, object]:
    return {"properties": n._ctx.expand(n.ts.children)}


def _array(n: NodeView) -> dict[str, object]:
    return {"elements": n._ctx.expand(n.ts.children)}


def _spread(n: NodeView) -> dict[str, object]:
    return {"argument": _first_child(n)}


def _sequence(n: NodeView) -> dict[str, object]:
    expressions: list[JsNode] = []
    for node in n._ctx.expand(n.ts.children):
        if node.type == "SequenceExpression":
            expressions.extend(node.nodes("expressions"))  # right-nested in tree-sitter
        else:
            expressions.append(node)
    return {"expressions": expressions}


def _class(n: NodeView) -> dict[str, object]:
    heritage = next((c for c in n.ts.named_children if c.type == "class_heritage"), None)
    superclass = None
    if heritage is not None:
        inner = n._ctx.expand(heritage.children)
        superclass = inner[0] if inner else None
    return {"id": n._field("name"), "superClass": superclass, "body": n._field("body")}


def _field_definition(n: NodeView) -> dict[str, object]:
    ts = n.ts
    prop = ts.child_by_field_name("property") or ts.child_by_field_name("name")  # JS, TS
    return {
        "key": n._ctx.wrap(prop),
        "value": n._field("value"),
        "static": has_token(ts, "static"),
        "computed": prop is not None and prop.type == "computed_property_name",
    }


def _for_in(n: NodeView) -> dict[str, object]:
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
        left_decl.parent = n  # type: ignore[assignment]  # (n is a TsNode: a JsNode)
        left.parent = declarator
        left = left_decl
    return {
        "left": left,
        "right": n._field("right"),
        "body": n._field("body"),
        "await": has_token(n.ts, "await"),
    }


def _for(n: NodeView) -> dict[str, object]:
    return {
        "init": n._field("initializer"),
        "test": n._field("condition"),
        "update": n._field("increment"),
        "body": n._field("body"),
    }


def _switch_case(n: NodeView) -> dict[str, object]:
    return {
        "test": n._field("value"),
        "consequent": n._ctx.expand(n.ts.children_by_field_name("body")),
    }


def _meta(n: NodeView) -> dict[str, object]:
    raw = n._raw().replace(" ", "")
    meta, _, prop = raw.partition(".")
    return {"meta": meta, "property": prop}


def _assignment_pattern(n: NodeView) -> dict[str, object]:
    if n.ts.type in PARAMETERS:  # TypeScript `x: T = 1`
        return {"left": n._field("pattern"), "right": n._field("value")}
    return {"left": n._field("left"), "right": n._field("right")}


def _decorator(n: NodeView) -> dict[str, object]:
    return {"expression": _first_child(n)}


def _generic(n: NodeView) -> dict[str, object]:
    return {}


_READERS: dict[str, Callable[[NodeView], dict[str, object]]] = {
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


def reader_for(node: NodeView) -> Callable[[NodeView], dict[str, object]]:
    if node.role == "key":
        return _key_identifier
    if node.role == "function":
        return _function
    return _READERS.get(node.type, _generic)
