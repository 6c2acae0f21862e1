"""What the JavaScript rules know about one script: its tree, its app, and which names
refer to browser globals.

Names are resolved conservatively: ``navigator``, ``window.navigator`` and
``self.navigator`` are the global; a local alias (``var nav = navigator``) counts when it
is declared once and never reassigned; a global name that the file declares itself
(``function fetch() {}``, a parameter called ``navigator``) is not the global anywhere in
the file, so rules stay quiet rather than guess.
"""

from __future__ import annotations

import os
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.files import FileView
from kaios_lsp.config import Config
from kaios_lsp.parse.csp import Policy
from kaios_lsp.parse.js.tree import JsNode, JsTree, identifier_name, property_name, string_value

if TYPE_CHECKING:
    from kaios_lsp.parse.js.treesitter_front import TsTree

GLOBAL_OBJECTS = ("window", "self", "globalThis", "top", "parent")
VENDOR_FOLDERS = ("vendor", "node_modules", "bower_components", "third_party", "3rdparty")
LONG_LINE = 1000


@dataclass
class ScriptContext:
    tree: JsTree
    path: str | None
    app: AppContext | None
    config: Config
    files: FileView
    version: str | None  # "2.5", "3.0", or None when neither the app nor the settings say
    module: bool = False
    vendor: bool = False  # minified or third-party: only the CSP rules run by default
    extra_policies: list[tuple[str, Policy]] = field(default_factory=list)  # page <meta>
    aliases: dict[str, str] = field(default_factory=dict)
    shadowed: set[str] = field(default_factory=set)
    cache: dict[str, object] = field(default_factory=dict)  # indexes rules share

    @property
    def text(self) -> str:
        return self.tree.text

    def path_of(self, node: JsNode | None) -> str | None:
        return global_path(node, self)


def is_vendor(path: str | None, text: str) -> bool:
    """Minified or third-party code: ``*.min.js``, a vendor folder, or very long lines."""
    if path:
        name = os.path.basename(path).lower()
        parts = {p.lower() for p in re.split(r"[\\/]", os.path.dirname(path))}
        if name.endswith((".min.js", ".min.mjs", "-min.js", ".bundle.js")) or parts & set(
            VENDOR_FOLDERS
        ):
            return True
    start = 0
    length = len(text)
    while start < length:
        end = text.find("\n", start)
        if end < 0:
            end = length
        if end - start > LONG_LINE:
            return True
        start = end + 1
    return False


def global_path(node: JsNode | None, ctx: ScriptContext) -> str | None:
    """``navigator.geolocation.getCurrentPosition`` for that member chain (also through
    ``window.``, ``a['b']`` and aliases); ``None`` when it does not start at a global."""
    parts: list[str] = []
    current = node
    while current is not None:
        if current.type == "MemberExpression":
            name = property_name(current)
            if name is None:
                return None
            parts.append(name)
            current = current.node("object")
            continue
        if current.type == "Identifier":
            name = identifier_name(current)
            if name is None or name in ctx.shadowed:
                return None
            if name in ctx.aliases:
                parts.append(ctx.aliases[name])
            else:
                parts.append(name)
            break
        if current.type == "ThisExpression" and not _inside_function(current):
            parts.append("window")  # top-level `this` in a classic script is the window
            break
        return None
    if current is None:
        return None
    dotted = ".".join(reversed(parts))
    while True:
        head, _, rest = dotted.partition(".")
        if head in GLOBAL_OBJECTS and rest:
            dotted = rest
            continue
        return dotted


def _inside_function(node: JsNode) -> bool:
    return any(a.type.endswith("Function") or "Function" in a.type for a in node.ancestors())


def collect_names(ctx: ScriptContext) -> None:
    """Fill ``aliases`` and ``shadowed`` from the file's declarations."""
    from kaios_lsp.parse.js.treesitter_front import TsTree

    if isinstance(ctx.tree, TsTree):
        _collect_names_ts(ctx, ctx.tree)
        return
    tree = ctx.tree
    declared: dict[str, int] = {}
    alias_inits: dict[str, JsNode] = {}
    patterns: list[JsNode] = []
    for declarator in tree.nodes_of("VariableDeclarator"):
        target = declarator.node("id")
        name = identifier_name(target)
        if name is None:
            for bound in _pattern_names(target):
                declared[bound] = declared.get(bound, 0) + 1
            if target is not None and target.type == "ObjectPattern":
                patterns.append(declarator)
            continue
        declared[name] = declared.get(name, 0) + 1
        init = declarator.node("init")
        if init is not None and init.type in ("MemberExpression", "Identifier"):
            alias_inits[name] = init
    for function in tree.nodes_of(
        "FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"
    ):
        own = identifier_name(function.node("id"))
        if own is not None and function.type == "FunctionDeclaration":
            declared[own] = declared.get(own, 0) + 1
        for param in function.nodes("params"):
            for name in _pattern_names(param):
                declared[name] = declared.get(name, 0) + 2  # a parameter is never an alias
    for catch in tree.nodes_of("CatchClause"):
        for name in _pattern_names(catch.node("param")):
            declared[name] = declared.get(name, 0) + 2
    for klass in tree.nodes_of("ClassDeclaration"):
        own = identifier_name(klass.node("id"))
        if own is not None:
            declared[own] = declared.get(own, 0) + 2
    assigned = {
        identifier_name(a.node("left"))
        for a in tree.nodes_of("AssignmentExpression")
        if identifier_name(a.node("left")) is not None
    }
    # resolve aliases in declaration order, so `var n = navigator, g = n.geolocation` works
    for name, init in sorted(alias_inits.items(), key=lambda item: item[1].start):
        if declared.get(name) != 1 or name in assigned:
            continue
        path = global_path(init, ctx)
        if path and path.split(".")[0] in KNOWN_GLOBALS:
            ctx.aliases[name] = path
    _destructured_aliases(ctx, patterns, declared, assigned)
    ctx.shadowed = {n for n in KNOWN_GLOBALS if n in declared and n not in ctx.aliases}


def _destructured_aliases(
    ctx: ScriptContext,
    patterns: list[JsNode],
    declared: dict[str, int],
    assigned: AbstractSet[str | None],
) -> None:
    """``const { serviceWorker } = navigator`` / ``var { geolocation: geo } = navigator``:
    each name bound once and never assigned aliases the global's property (a default,
    ``{ storage = null }``, still aliases it: the default only applies when it is missing)."""
    for declarator in sorted(patterns, key=lambda d: d.start):
        owner = global_path(declarator.node("init"), ctx)
        if not owner or owner.split(".")[0] not in KNOWN_GLOBALS:
            continue
        target = declarator.node("id")
        assert target is not None
        for prop in target.nodes("properties"):
            if prop.type == "Property" and not prop.get("computed"):
                key = prop.node("key")
                key_name = identifier_name(key) or string_value(key)
                value = prop.node("value")
            elif prop.type in ("Identifier", "AssignmentPattern"):  # tree-sitter's `{ a }`
                value = prop
                key_name = identifier_name(prop.node("left") if prop.node("left") else prop)
            else:
                continue
            if value is not None and value.type == "AssignmentPattern":
                value = value.node("left")
            name = identifier_name(value)
            if key_name is None or name is None:
                continue
            if declared.get(name) != 1 or name in assigned:
                continue
            ctx.aliases[name] = f"{owner}.{key_name}" if owner not in GLOBAL_OBJECTS else key_name


_LEADING_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def _collect_names_ts(ctx: ScriptContext, tree: TsTree) -> None:
    """The same as the generic walk, with tree-sitter queries: only declarations of known
    globals and possible aliases are looked at (a big file has thousands of others)."""
    candidates: list[tuple[str, str, JsNode]] = []
    relevant = set(KNOWN_GLOBALS)
    for name, init, declarator in tree.alias_candidates():
        leading = _LEADING_NAME.match(init)
        candidates.append((name, leading.group() if leading else "", declarator))
    changed = True
    while changed:  # `var n = navigator, g = n.geolocation`: aliases of aliases
        changed = False
        for name, head, _declarator in candidates:
            if head in relevant and name not in relevant:
                relevant.add(name)
                changed = True
    patterns = tree.pattern_declarators()
    bound: dict[str, int] = {}
    for declarator in patterns:
        for name in _pattern_names(declarator.node("id")):
            bound[name] = bound.get(name, 0) + 1
            relevant.add(name)
    declared, assigned = tree.binding_counts(frozenset(relevant))
    for name, count in bound.items():
        declared[name] = declared.get(name, 0) + count
    for name, head, declarator in sorted(candidates, key=lambda c: c[2].start):
        if head not in relevant or declared.get(name) != 1 or name in assigned:
            continue
        path = global_path(declarator.node("init"), ctx)
        if path and path.split(".")[0] in KNOWN_GLOBALS:
            ctx.aliases[name] = path
    _destructured_aliases(ctx, patterns, declared, assigned)
    ctx.shadowed = {n for n in KNOWN_GLOBALS if n in declared and n not in ctx.aliases}


def _pattern_names(node: JsNode | None) -> list[str]:
    if node is None:
        return []
    seen: dict[tuple[int, int], str] = {}  # a shorthand `{ a }` has a key and a value `a`
    for n in node.walk():
        if n.type == "Identifier" and _binds(n):
            seen.setdefault((n.start, n.end), n.get("name"))  # type: ignore[arg-type]  # an Identifier's name is a str
    return list(seen.values())


def _binds(identifier: JsNode) -> bool:
    """An identifier inside a pattern that binds a name (not a property key or default)."""
    parent = identifier.parent
    if parent is None:
        return True
    if (
        parent.type == "Property"
        and parent.node("key") is identifier
        and not parent.get("shorthand")
    ):
        return False
    if parent.type == "AssignmentPattern" and parent.node("right") is identifier:
        return False
    return parent.type not in ("MemberExpression", "CallExpression")


KNOWN_GLOBALS = frozenset(
    {
        "navigator",
        "window",
        "self",
        "globalThis",
        "document",
        "crypto",
        "caches",
        "Notification",
        "XMLHttpRequest",
        "WebSocket",
        "EventSource",
        "fetch",
        "eval",
        "Function",
        "setTimeout",
        "setInterval",
        "setImmediate",
        "execScript",
        "importScripts",
        "MozActivity",
        "UDPSocket",
        "MozSpeakerManager",
        "PushManager",
        "isSecureContext",
        "location",
        "top",
        "parent",
    }
)


_GIVEN_A_STRING = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*=\s*['\"`]")


def constant_string(ctx: ScriptContext, node: JsNode | None) -> tuple[str, JsNode] | None:
    """(value, declarator) when ``node`` names a variable the file declares exactly once
    (``var``/``let``/``const``) with a string literal or a ``+`` of string literals and never
    assigns again: ``var code = 'tick()'``. ``None`` for anything less certain (a parameter
    or a second declaration of the name anywhere in the file, an assignment, ``+=``)."""
    name = identifier_name(node)
    if name is None or name in ctx.shadowed:
        return None
    # a cheap look first: most timer arguments are functions, and indexing every binding
    # of a big file costs a walk of its tree
    string_names = ctx.cache.get("string-names")
    if string_names is None:
        string_names = set(_GIVEN_A_STRING.findall(ctx.text))
        ctx.cache["string-names"] = string_names
    if name not in string_names:  # type: ignore[operator]  # the set of str stored above
        return None
    try:
        bindings = _binding_index(ctx)
    except RecursionError:  # thousands of nested parentheses: not worth knowing
        ctx.cache["bindings"] = {"declarators": {}, "other": set(), "assigned": set()}
        return None
    declarators = bindings["declarators"].get(name, [])
    if len(declarators) != 1 or name in bindings["other"] or name in bindings["assigned"]:
        return None
    declarator = declarators[0]
    value = literal_concatenation(declarator.node("init"))
    return (value, declarator) if value is not None else None


def literal_concatenation(node: JsNode | None) -> str | None:
    """The value of ``'a'``, `` `a` `` or ``'a' + 'b' + ...`` (string literals only)."""
    parts: list[str] = []
    stack = [node]  # iterative: a minified file may chain thousands of `+`
    while stack:
        current = stack.pop()
        if current is None:
            return None
        if current.type == "BinaryExpression" and current.get("operator") == "+":
            stack.append(current.node("right"))
            stack.append(current.node("left"))
            continue
        value = string_value(current)
        if value is None:
            return None
        parts.append(value)
    return "".join(parts)


class _Bindings(TypedDict):
    declarators: dict[str, list[JsNode]]  # simple `var x = ...` declarators by name
    other: set[str]  # names bound any other way
    assigned: set[str]  # names assigned to


def _binding_index(ctx: ScriptContext) -> _Bindings:
    """Per script, once: simple ``var x = ...`` declarators by name, names bound any other
    way (parameters, functions, classes, catch, destructuring) and names assigned to."""
    cached = ctx.cache.get("bindings")
    if cached is not None:
        return cached  # type: ignore[return-value]  # the _Bindings stored below
    tree = ctx.tree
    declarators: dict[str, list[JsNode]] = {}
    other: set[str] = set()
    assigned: set[str] = set()
    for declarator in tree.nodes_of("VariableDeclarator"):
        target = declarator.node("id")
        name = identifier_name(target)
        if name is not None:
            declarators.setdefault(name, []).append(declarator)
        else:
            other.update(_pattern_names(target))
    for function in tree.nodes_of(
        "FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"
    ):
        own = identifier_name(function.node("id"))
        if own is not None:
            other.add(own)
        for param in function.nodes("params"):
            other.update(_pattern_names(param))
    for catch in tree.nodes_of("CatchClause"):
        other.update(_pattern_names(catch.node("param")))
    for klass in tree.nodes_of("ClassDeclaration"):
        own = identifier_name(klass.node("id"))
        if own is not None:
            other.add(own)
    for assignment in tree.nodes_of("AssignmentExpression"):
        left = assignment.node("left")
        if left is not None and left.type != "MemberExpression":
            assigned.update(_pattern_names(left))
    for update in tree.nodes_of("UpdateExpression"):
        name = identifier_name(update.node("argument"))
        if name is not None:
            assigned.add(name)
    for loop in tree.nodes_of("ForInStatement", "ForOfStatement"):
        name = identifier_name(loop.node("left"))
        if name is not None:
            assigned.add(name)
    index: _Bindings = {"declarators": declarators, "other": other, "assigned": assigned}
    ctx.cache["bindings"] = index
    return index
