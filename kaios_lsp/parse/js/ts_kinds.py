"""What each tree-sitter node kind is in ESTree: transparent, skipped, type-only or erased
(TypeScript), and the ESTree type a node maps to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

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


def erased(ts: Node) -> bool:
    """A TypeScript node that is only its expression (``x as T``) or only its pattern (a
    parameter without a default) once the types are erased."""
    kind = ts.type
    if kind in EXPRESSION_WRAPPERS:
        return len(named_of(ts)) > 0
    if kind in PARAMETERS:
        return (
            ts.child_by_field_name("value") is None
            and ts.child_by_field_name("pattern") is not None
        )
    return False


def erased_to(ts: Node) -> Node | None:
    kind = ts.type
    if kind in PARAMETERS:
        pattern = ts.child_by_field_name("pattern")
        if pattern is None or pattern.type == "this":
            return None  # `this: T` only types `this`: no parameter at run time
        return pattern
    return named_of(ts)[EXPRESSION_WRAPPERS[kind]]


def named_of(ts: Node) -> list[Node]:
    return [c for c in ts.named_children if c.type not in SKIPPED]


def has_token(ts: Node, token: str) -> bool:
    return any(not c.is_named and c.type == token for c in ts.children)


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


# kinds whose ESTree type is one lookup (TsNode's fast path), and kinds erased() may erase
PLAIN_TYPES = {k: v for k, v in _SIMPLE_TYPES.items() if k not in _CONTEXT_TYPED}
ERASABLE = frozenset(EXPRESSION_WRAPPERS) | PARAMETERS


def estree_type(ts: Node, role: str) -> str:
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
        return "ExportDefaultDeclaration" if has_token(ts, "default") else "ExportNamedDeclaration"
    if kind in PARAMETERS:  # with a default (without one it is erased to its pattern)
        return "AssignmentPattern"
    if kind.startswith("jsx_"):
        return "JSX" + "".join(part.title() for part in kind[4:].split("_"))
    return _SIMPLE_TYPES.get(kind, "TS:" + kind)
