"""Finding where a script uses browser globals such as ``navigator.mozContacts``.

A *use* is the node whose global path equals the wanted path (``navigator.serviceWorker``
inside ``navigator.serviceWorker.register(...)``), found through member chains,
``window.``/``self.`` prefixes and aliases (see :mod:`.context`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kaios_lsp.parse.js.tree import JsNode, identifier_name, property_name
from kaios_lsp.parse.js.treesitter_front import TsTree
from kaios_lsp.rules.js.context import ScriptContext


def uses_of(ctx: ScriptContext, paths: Iterable[str]) -> Iterator[tuple[JsNode, str]]:
    """(node, path) for every node whose global path is one of ``paths``, in source order."""
    wanted = set(paths)
    members, identifiers = _name_index(ctx)
    candidates: list[JsNode] = []
    lasts = {p.rsplit(".", 1)[-1] for p in wanted}
    _load_members(ctx, members, lasts)
    for last in lasts:
        candidates += members.get(last, ())
    # member chains are found by their last name; variables only matter for one-name paths
    # (fetch, caches) and aliases of a wanted path (const sw = navigator.serviceWorker)
    names = {p for p in wanted if "." not in p}
    names |= {a for a, target in ctx.aliases.items() if target in wanted}
    _load_identifiers(ctx, identifiers, names)
    for name in names:
        candidates += identifiers.get(name, ())
    candidates.sort(key=lambda n: (n.start, -n.end))
    for node in candidates:
        path = ctx.path_of(node)
        if path in wanted:
            yield node, path


def preload(ctx: ScriptContext, paths: Iterable[str], members: Iterable[str] = ()) -> None:
    """Index every name the rules will ask for in one query per kind (each tree-sitter
    query walks the whole tree, so one big query beats one per rule)."""
    index_members, index_identifiers = _name_index(ctx)
    wanted = set(paths)
    _load_members(ctx, index_members, {p.rsplit(".", 1)[-1] for p in wanted} | set(members))
    names = {p for p in wanted if "." not in p}
    names |= {a for a, target in ctx.aliases.items() if target in wanted or "." not in target}
    _load_identifiers(ctx, index_identifiers, names)


def members_reading(ctx: ScriptContext, name: str) -> list[JsNode]:
    """Every ``x.name`` / ``x['name']`` in the script."""
    members, _identifiers = _name_index(ctx)
    _load_members(ctx, members, {name})
    return members[name]


def _name_index(ctx: ScriptContext) -> tuple[dict[str, list[JsNode]], dict[str, list[JsNode]]]:
    """Member expressions by the property they read, and variable references by name:
    filled per name on demand and shared by the rules of one script."""
    cached = ctx.cache.get("names")
    if cached is None:
        cached = ({}, {})
        ctx.cache["names"] = cached
    return cached  # type: ignore[return-value]  # only ever this pair (set just above)


def _load_members(ctx: ScriptContext, members: dict[str, list[JsNode]], names: set[str]) -> None:
    missing = frozenset(n for n in names if n not in members)
    if not missing:
        return
    tree = ctx.tree
    if isinstance(tree, TsTree):
        nodes = tree.members_named(missing)
    else:
        nodes = tree.nodes_of("MemberExpression")
    for absent in missing:
        members[absent] = []
    for node in nodes:
        name = property_name(node)
        if name in missing:
            members[name].append(node)


def _load_identifiers(
    ctx: ScriptContext, identifiers: dict[str, list[JsNode]], names: set[str]
) -> None:
    """Index references to these variable names (one tree-sitter query for all of them)."""
    missing = frozenset(n for n in names if n not in identifiers)
    if not missing:
        return
    tree = ctx.tree
    if isinstance(tree, TsTree):
        nodes = tree.identifiers_named(missing)
    else:
        nodes = [n for n in tree.nodes_of("Identifier") if identifier_name(n) in missing]
    for absent in missing:
        identifiers[absent] = []
    for node in nodes:
        name = identifier_name(node)
        if name in missing and _is_reference(node):
            identifiers[name].append(node)


def _is_reference(node: JsNode) -> bool:
    parent = node.parent
    if (
        parent is not None
        and parent.type == "MemberExpression"
        and not parent.get("computed")
        and parent.node("property") is node
    ):
        return False  # the `b` of `a.b` is a property name, not a variable
    return not _declares(node)


def _relevant(target: str, wanted: set[str]) -> bool:
    return any(w == target or w.startswith(target + ".") for w in wanted)


def _declares(identifier: JsNode) -> bool:
    parent = identifier.parent
    if parent is None:
        return False
    if parent.type == "VariableDeclarator" and parent.node("id") is identifier:
        return True
    if (
        parent.type == "Property"
        and parent.node("key") is identifier
        and not parent.get("shorthand")
    ):
        return True
    return parent.type in ("FunctionDeclaration", "FunctionExpression", "ClassDeclaration") and (
        parent.node("id") is identifier
    )


def is_used_value(node: JsNode) -> bool:
    """Is the API value dereferenced (``x.y``, ``x()``, ``new x``) rather than only read or
    tested? Only a dereference throws when the API is missing."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "MemberExpression" and parent.node("object") is node:
        return True
    return parent.type in ("CallExpression", "NewExpression") and parent.node("callee") is node


def in_feature_test(node: JsNode) -> bool:
    """``if (navigator.x)``, ``'x' in navigator``, ``typeof X``, ``navigator.x && ...``:
    the code asks whether the API exists."""
    current = node
    parent = current.parent
    while parent is not None:
        kind = parent.type
        if kind == "UnaryExpression" and parent.get("operator") in ("!", "typeof"):
            return True
        if kind == "BinaryExpression" and parent.get("operator") in (
            "===",
            "!==",
            "==",
            "!=",
            "in",
        ):
            return True
        if kind == "LogicalExpression" and parent.node("left") is current:
            return True
        if kind in ("IfStatement", "ConditionalExpression", "WhileStatement") and (
            parent.node("test") is current
        ):
            return True
        if kind == "MemberExpression" and parent.node("object") is current:
            current, parent = parent, parent.parent
            continue
        return False
    return False


def call_of(node: JsNode) -> JsNode | None:
    """The call whose callee is this member chain (``navigator.x.y(...)`` for ``navigator.x``)."""
    current = node
    while current.parent is not None:
        parent = current.parent
        if parent.type == "MemberExpression" and parent.node("object") is current:
            current = parent
            continue
        if parent.type in ("CallExpression", "NewExpression") and parent.node("callee") is current:
            return parent
        return None
    return None
