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
from dataclasses import dataclass, field

from kaios_lsp.config import Config

from ..app_context import AppContext
from ..csp import Policy
from ..files import FileView
from .tree import JsNode, JsTree, identifier_name, property_name

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
    from .treesitter_front import TsTree

    if isinstance(ctx.tree, TsTree):
        _collect_names_ts(ctx, ctx.tree)
        return
    tree = ctx.tree
    declared: dict[str, int] = {}
    alias_inits: dict[str, JsNode] = {}
    for declarator in tree.nodes_of("VariableDeclarator"):
        target = declarator.node("id")
        name = identifier_name(target)
        if name is None:
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
    ctx.shadowed = {n for n in KNOWN_GLOBALS if n in declared and n not in ctx.aliases}


_LEADING_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def _collect_names_ts(ctx: ScriptContext, tree) -> None:
    """The same as the generic walk, with tree-sitter queries: only declarations of known
    globals and possible aliases are looked at (a big file has thousands of others)."""
    candidates = []
    relevant = set(KNOWN_GLOBALS)
    for name, init, declarator in tree.alias_candidates():
        head = _LEADING_NAME.match(init)
        candidates.append((name, head.group() if head else "", declarator))
    changed = True
    while changed:  # `var n = navigator, g = n.geolocation`: aliases of aliases
        changed = False
        for name, head, _declarator in candidates:
            if head in relevant and name not in relevant:
                relevant.add(name)
                changed = True
    declared, assigned = tree.binding_counts(frozenset(relevant))
    for name, head, declarator in sorted(candidates, key=lambda c: c[2].start):
        if head not in relevant or declared.get(name) != 1 or name in assigned:
            continue
        path = global_path(declarator.node("init"), ctx)
        if path and path.split(".")[0] in KNOWN_GLOBALS:
            ctx.aliases[name] = path
    ctx.shadowed = {n for n in KNOWN_GLOBALS if n in declared and n not in ctx.aliases}


def _pattern_names(node: JsNode | None) -> list[str]:
    if node is None:
        return []
    return [
        n.get("name")  # type: ignore[misc]
        for n in node.walk()
        if n.type == "Identifier" and _binds(n)
    ]


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
