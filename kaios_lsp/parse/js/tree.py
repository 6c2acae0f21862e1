"""An ESTree-shaped view of JavaScript that the rules are written against, once.

Two front ends supply it: esprima (a full ESTree for the ES2017 code it accepts) and
tree-sitter (any modern code, error-tolerant, fast), whose nodes are wrapped lazily. A
rule only sees :class:`JsNode`: ``type`` is the ESTree type (``CallExpression``...),
``start``/``end`` are code-point offsets into the analysed text, ``get(field)`` returns
an ESTree field (a node, a list of nodes, a plain value or ``None``), ``children()``
every child node in source order and ``parent`` the ESTree parent (parentheses are
transparent, as in ESTree).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

FUNCTION_TYPES = frozenset({"FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"})


class JsNode(ABC):
    """One ESTree node. Subclasses fill in fields eagerly (esprima) or on demand."""

    __slots__ = ("end", "parent", "start", "type")

    type: str
    start: int
    end: int
    parent: JsNode | None

    # Each front end's node class answers these two; everything else builds on them.
    @abstractmethod
    def get(self, name: str) -> object:
        """The value of an ESTree field."""

    @abstractmethod
    def children(self) -> list[JsNode]:
        """Child nodes in source order."""

    # -- conveniences used by most rules ------------------------------------------------------

    def node(self, name: str) -> JsNode | None:
        value = self.get(name)
        return value if isinstance(value, JsNode) else None

    def nodes(self, name: str) -> list[JsNode]:
        value = self.get(name)
        return [v for v in value if isinstance(v, JsNode)] if isinstance(value, list) else []

    def statements_before(self, statement: JsNode) -> list[JsNode]:
        """The statements of this block (or Program, or switch case) that come before
        ``statement``, in source order (a front end may leave the later ones unread)."""
        items = self.nodes("consequent") if self.type == "SwitchCase" else self.nodes("body")
        return [s for s in items if s.start < statement.start]

    def ancestors(self) -> Iterator[JsNode]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def walk(self) -> Iterator[JsNode]:
        """This node and every node below it, in source order (iterative: no recursion)."""
        stack: list[JsNode] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def __repr__(self) -> str:
        return f"<{self.type} {self.start}-{self.end}>"


class PlainNode(JsNode):
    """A node whose fields are all known (esprima's, or built by a rule's test)."""

    __slots__ = ("_children", "fields")

    def __init__(self, type_: str, start: int, end: int, fields: dict[str, object]) -> None:
        self.type = type_
        self.start = start
        self.end = end
        self.parent = None
        self.fields = fields
        self._children: list[JsNode] | None = None

    def get(self, name: str) -> object:
        return self.fields.get(name)

    def children(self) -> list[JsNode]:
        if self._children is None:
            found: list[JsNode] = []
            for value in self.fields.values():
                if isinstance(value, JsNode):
                    found.append(value)
                elif isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, JsNode))
            found.sort(key=lambda n: n.start)
            self._children = found
        return self._children


@dataclass(frozen=True)
class Comment:
    start: int
    end: int
    text: str  # without the // or /* */ markers
    block: bool


@dataclass(frozen=True)
class SyntaxProblem:
    start: int
    end: int
    message: str


class JsTree:
    """A parsed script: its root, comments, real syntax errors and which front end read it.

    ``nodes_of`` finds nodes by ESTree type; a front end may answer it without building
    every node (tree-sitter queries its C tree and wraps only the matches)."""

    def __init__(
        self,
        text: str,
        root: JsNode,
        comments: list[Comment],
        front: str,
        errors: list[SyntaxProblem] | None = None,
    ) -> None:
        self.text = text
        self.root = root
        self._comments = comments
        self.front = front  # "esprima" or "tree-sitter"
        self.errors = errors or []
        self._index: dict[str, list[JsNode]] = {}

    @property
    def comments(self) -> list[Comment]:
        return self._comments

    def nodes_of(self, *types: str) -> list[JsNode]:
        """Every node of these ESTree types, in source order."""
        missing = [t for t in types if t not in self._index]
        if missing:
            self._index.update(self._find(missing))
        if len(types) == 1:
            return self._index[types[0]]
        found = [n for t in types for n in self._index[t]]
        found.sort(key=lambda n: (n.start, -n.end))
        return found

    def declarations_named(self, name: str) -> list[JsNode]:
        """``function name`` declarations and ``name = ...`` declarators, in source order."""
        return [
            n
            for n in self.nodes_of("FunctionDeclaration", "VariableDeclarator")
            if identifier_name(n.node("id")) == name
        ]

    def _find(self, types: list[str]) -> dict[str, list[JsNode]]:
        """Index the whole tree once (esprima trees are small and already built)."""
        index: dict[str, list[JsNode]] = {}
        for node in self.root.walk():
            index.setdefault(node.type, []).append(node)
        everything = set(index) | set(types)
        return {t: index.get(t, []) for t in everything}


# -- reading common shapes -------------------------------------------------------------------


def identifier_name(node: JsNode | None) -> str | None:
    if node is not None and node.type == "Identifier":
        name = node.get("name")
        return name if isinstance(name, str) else None
    return None


def property_name(member: JsNode) -> str | None:
    """The name a MemberExpression reads: ``a.b`` and ``a['b']`` both give ``b``."""
    prop = member.node("property")
    if prop is None:
        return None
    if member.get("computed"):
        value = string_value(prop)
        return value
    return identifier_name(prop)


def string_value(node: JsNode | None) -> str | None:
    """The value of a string literal, or of a template literal without substitutions."""
    if node is None:
        return None
    if node.type == "Literal":
        value = node.get("value")
        return value if isinstance(value, str) else None
    if node.type == "TemplateLiteral" and not node.nodes("expressions"):
        quasis = node.nodes("quasis")
        if len(quasis) == 1:
            cooked = quasis[0].get("cooked")
            return cooked if isinstance(cooked, str) else None
    return None


def is_string_like(node: JsNode | None) -> bool:
    """A string literal, any template literal, or a ``+`` concatenation involving one:
    something that evaluates to a string for sure."""
    if node is None:
        return False
    if node.type == "Literal":
        return isinstance(node.get("value"), str)
    if node.type == "TemplateLiteral":
        return True
    if node.type == "BinaryExpression" and node.get("operator") == "+":
        return is_string_like(node.node("left")) or is_string_like(node.node("right"))
    return False


def leading_string(node: JsNode | None) -> JsNode | None:
    """The literal a string expression starts with (``'http://' + host`` -> ``'http://'``)."""
    while node is not None:
        if node.type == "Literal" and isinstance(node.get("value"), str):
            return node
        if node.type == "TemplateLiteral":
            return node
        if node.type == "BinaryExpression" and node.get("operator") == "+":
            node = node.node("left")
            continue
        return None
    return None


def leading_text(node: JsNode | None) -> str | None:
    """The text a string expression starts with: a literal's value, or a template's first
    cooked part (``'javascript:' + code`` -> ``'javascript:'``); ``None`` when unknown."""
    start = leading_string(node)
    if start is None:
        return None
    value = string_value(start)
    if value is None and start.type == "TemplateLiteral":
        quasis = start.nodes("quasis")
        cooked = quasis[0].get("cooked") if quasis else None
        value = cooked if isinstance(cooked, str) else None
    return value


def enclosing_function(node: JsNode) -> JsNode | None:
    for ancestor in node.ancestors():
        if ancestor.type in FUNCTION_TYPES:
            return ancestor
    return None


def statement_of(node: JsNode) -> JsNode | None:
    """The statement that contains ``node`` directly in a statement list or as a branch."""
    current: JsNode | None = node
    while current is not None and current.parent is not None:
        if current.parent.type in ("Program", "BlockStatement", "SwitchCase", "StaticBlock"):
            return current
        if current.type.endswith("Statement") or current.type == "VariableDeclaration":
            return current
        current = current.parent
    return current


def iter_types(nodes: Iterable[JsNode], *types: str) -> Iterator[JsNode]:
    wanted = set(types)
    return (n for n in nodes if n.type in wanted)
