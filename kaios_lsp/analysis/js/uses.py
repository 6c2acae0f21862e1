"""Finding where a script uses browser globals such as ``navigator.mozContacts``.

A *use* is the node whose global path equals the wanted path (``navigator.serviceWorker``
inside ``navigator.serviceWorker.register(...)``), found through member chains,
``window.``/``self.`` prefixes and aliases (see :mod:`.context`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .context import ScriptContext
from .tree import JsNode, identifier_name, property_name


def uses_of(ctx: ScriptContext, paths: Iterable[str]) -> Iterator[tuple[JsNode, str]]:
    """(node, path) for every node whose global path is one of ``paths``, in source order."""
    wanted = set(paths)
    lasts = {p.rsplit(".", 1)[-1] for p in wanted}
    heads = {p.split(".", 1)[0] for p in wanted}
    alias_names = {a for a, target in ctx.aliases.items() if _relevant(target, wanted)}
    for node in ctx.tree.nodes_of("MemberExpression", "Identifier"):
        if node.type == "MemberExpression":
            if property_name(node) not in lasts:
                continue
        else:
            name = identifier_name(node)
            if name not in heads and name not in alias_names:
                continue
            parent = node.parent
            if (
                parent is not None
                and parent.type == "MemberExpression"
                and not parent.get("computed")
                and parent.node("property") is node
            ):
                continue  # the `b` of `a.b` is a property name, not a variable
            if _declares(node):
                continue
        path = ctx.path_of(node)
        if path in wanted:
            yield node, path


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
