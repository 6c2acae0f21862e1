"""Is a use of an API protected against the API being missing or failing?

A use counts as guarded when it sits in the branch of a check that proves the feature is
there (``if ('serviceWorker' in navigator)``, ``if (navigator.geolocation)``,
``typeof Notification !== 'undefined'``, ``window.isSecureContext``, ``a && a.b()``,
``cond ? use : other``), after an early exit on the opposite check
(``if (!navigator.serviceWorker) return;``), behind optional chaining, inside a ``try``
with a ``catch``, or (for promise APIs, when the failure is a rejection) followed by
``.catch(...)`` or ``.then(ok, failed)``.
"""

from __future__ import annotations

from kaios_lsp.parse.js.tree import FUNCTION_TYPES, JsNode, identifier_name, string_value
from kaios_lsp.rules.js.context import ScriptContext

SECURE = "<secure context>"  # the fact window.isSecureContext establishes
_ALWAYS_THERE = {"navigator", "window", "self", "globalThis", "document"}
_EXITS = ("ReturnStatement", "ThrowStatement", "BreakStatement", "ContinueStatement")
# a feature whose presence proves another: Gecko exposes PushManager only where service
# workers are (the same secure-context and dom.serviceWorkers conditions), so code that
# returned when PushManager was missing reaches navigator.serviceWorker only when it exists
IMPLIES = {
    "PushManager": ("navigator.serviceWorker",),
    "ServiceWorkerRegistration": ("navigator.serviceWorker",),
}


def facts(test: JsNode | None, truthy: bool, ctx: ScriptContext) -> set[str]:
    """Global paths known to exist when ``test`` evaluates truthy (or falsy)."""
    if test is None:
        return set()
    kind = test.type
    if kind == "UnaryExpression" and test.get("operator") == "!":
        return facts(test.node("argument"), not truthy, ctx)
    if kind == "LogicalExpression":
        operator = test.get("operator")
        left, right = test.node("left"), test.node("right")
        if (operator == "&&" and truthy) or (operator == "||" and not truthy):
            return facts(left, truthy, ctx) | facts(right, truthy, ctx)
        return set()
    if kind == "BinaryExpression":
        return _binary_facts(test, truthy, ctx)
    if not truthy:
        return set()
    if kind in ("MemberExpression", "Identifier"):
        path = ctx.path_of(test)
        if path in ("isSecureContext",):
            return {SECURE}
        return {path} if path else set()
    if kind == "CallExpression":  # `if (navigator.mozContacts && ...)` is handled above;
        return set()  # a call's result says nothing about its callee's siblings
    return set()


def _binary_facts(test: JsNode, truthy: bool, ctx: ScriptContext) -> set[str]:
    operator = test.get("operator")
    left, right = test.node("left"), test.node("right")
    if operator == "in" and truthy:
        name = string_value(left)
        owner = ctx.path_of(right)
        if name and owner:
            return {f"{owner}.{name}" if owner not in ("window", "self") else name}
        return set()
    if operator not in ("===", "!==", "==", "!="):
        return set()
    equal = operator in ("===", "==")
    # typeof X !== 'undefined' / typeof X === 'function' / 'object'
    for side, other in ((left, right), (right, left)):
        if side is not None and side.type == "UnaryExpression" and side.get("operator") == "typeof":
            kind = string_value(other)
            path = ctx.path_of(side.node("argument"))
            if path is None or kind is None:
                return set()
            present = (kind != "undefined") == equal  # what a truthy test proves
            return {path} if present == truthy else set()
    # X !== undefined / X != null
    for side, other in ((left, right), (right, left)):
        if other is not None and (
            identifier_name(other) == "undefined"
            or (
                other.type == "Literal"
                and other.get("value") is None
                and other.get("raw") == "null"
            )
        ):
            path = ctx.path_of(side)
            if path is None:
                return set()
            return {path} if (not equal) == truthy else set()
    return set()


def proves(found: set[str], api: str) -> bool:
    """Do these facts show that ``api`` (a global path) is usable?"""
    if SECURE in found:
        return True
    for fact in found:
        if fact in _ALWAYS_THERE:
            continue
        for proven in (fact, *IMPLIES.get(fact, ())):
            if api == proven or api.startswith(proven + "."):
                return True
    return False


def guarded(use: JsNode, api: str, ctx: ScriptContext, *, rejection: bool) -> bool:
    """Is this use of ``api`` protected? ``rejection``: the API fails by rejecting its
    promise (then ``.catch`` protects it); otherwise it is missing (TypeError)."""
    if _optional_chain(use):
        return True
    child = use
    for parent in use.ancestors():
        kind = parent.type
        if kind == "IfStatement" or kind == "ConditionalExpression":
            test = parent.node("test")
            if child is parent.node("consequent") and proves(facts(test, True, ctx), api):
                return True
            if child is parent.node("alternate") and proves(facts(test, False, ctx), api):
                return True
        elif kind == "LogicalExpression" and child is parent.node("right"):
            operator = parent.get("operator")
            if operator == "&&" and proves(facts(parent.node("left"), True, ctx), api):
                return True
            if operator == "||" and proves(facts(parent.node("left"), False, ctx), api):
                return True
        elif kind == "TryStatement" and child is parent.node("block"):
            if parent.node("handler") is not None:
                return True
        elif kind in _BLOCKS and _after_early_exit(parent, child, api, ctx):
            return True
        child = parent
    return rejection and _handles_rejection(use)


_BLOCKS = ("BlockStatement", "Program", "SwitchCase", "StaticBlock")


def _optional_chain(use: JsNode) -> bool:
    """``navigator.serviceWorker?.register()``: optional right after the API, or inside it."""
    node: JsNode | None = use
    while node is not None and node.type in ("MemberExpression", "CallExpression"):
        if node.get("optional"):
            return True
        node = node.node("object") if node.type == "MemberExpression" else node.node("callee")
    parent = use.parent
    return (
        parent is not None
        and parent.type in ("MemberExpression", "CallExpression")
        and bool(parent.get("optional"))
    )


def _after_early_exit(block: JsNode, statement: JsNode, api: str, ctx: ScriptContext) -> bool:
    if block.type == "Program" and ctx.facts is not None:
        # One top-level statement at a time (rules/js/incremental.py): what the early
        # exits of the statements before it prove, from what each of them gave.
        proven = set(ctx.facts("top-level exits", _top_level_exits, _union, earlier=True))
        # (and those of this region's own statements before it)
        proven |= _top_level_exits(ctx, before=statement.start)
        return proves(proven, api)
    for earlier in block.statements_before(statement):
        if (
            earlier.type == "IfStatement"
            and earlier.node("alternate") is None
            and _always_exits(earlier.node("consequent"))
            and proves(facts(earlier.node("test"), False, ctx), api)
        ):
            return True
    return False


def _top_level_exits(ctx: ScriptContext, before: int | None = None) -> frozenset[str]:
    """What the top-level ``if (!x) { throw ...; }`` statements of a script (or region),
    those starting before ``before`` if given, prove for the statements after them."""
    proven: set[str] = set()
    for statement in ctx.tree.nodes_of("IfStatement"):
        if before is not None and statement.start >= before:
            break
        parent = statement.parent
        if (
            parent is not None
            and parent.type == "Program"
            and statement.node("alternate") is None
            and _always_exits(statement.node("consequent"))
        ):
            proven |= facts(statement.node("test"), False, ctx)
    return frozenset(proven)


def _union(parts: list[frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*parts)


def _always_exits(statement: JsNode | None) -> bool:
    if statement is None:
        return False
    if statement.type in _EXITS:
        return True
    if statement.type == "BlockStatement":
        body = statement.nodes("body")
        return bool(body) and _always_exits(body[-1])
    if statement.type == "IfStatement":
        return _always_exits(statement.node("consequent")) and _always_exits(
            statement.node("alternate")
        )
    return False


def _handles_rejection(use: JsNode) -> bool:
    """The call using the API is followed by ``.catch(f)`` or ``.then(ok, failed)``, or
    awaited inside a ``try`` (handled by the caller)."""
    node = use
    # climb to the call that uses the API: navigator.serviceWorker.register(...)
    while node.parent is not None and (
        (node.parent.type == "MemberExpression" and node.parent.node("object") is node)
        or (node.parent.type == "CallExpression" and node.parent.node("callee") is node)
    ):
        node = node.parent
        if node.type == "MemberExpression":
            name = node.get("property")
            prop = identifier_name(name) if isinstance(name, JsNode) else None
            call = node.parent
            if call is None or call.type != "CallExpression" or call.node("callee") is not node:
                continue
            if prop == "catch":
                return True
            if prop == "then" and len(call.nodes("arguments")) >= 2:
                return True
    return False


def enclosing_try_handler(node: JsNode) -> JsNode | None:
    """The ``catch`` clause of the nearest ``try`` whose block runs ``node`` (a function
    defined inside the block runs later, outside it: the search stops there)."""
    child = node
    for parent in node.ancestors():
        if parent.type in FUNCTION_TYPES:
            return None
        if parent.type == "TryStatement" and child is parent.node("block"):
            return parent.node("handler")
        child = parent
    return None


def in_catch_clause(node: JsNode) -> bool:
    """``node`` runs in a ``catch`` block (not in a function defined there): only when the
    matching ``try`` block threw."""
    for parent in node.ancestors():
        if parent.type in FUNCTION_TYPES:
            return False
        if parent.type == "CatchClause":
            return True
    return False


def catch_rethrows(handler: JsNode) -> bool:
    """The ``catch`` body throws (itself, not in a function it defines)."""
    body = handler.node("body")
    return body is not None and any(
        node.type == "ThrowStatement" and _outside_functions(node, body) for node in body.walk()
    )


def catch_is_empty(handler: JsNode) -> bool:
    body = handler.node("body")
    return body is None or not body.nodes("body")


def _outside_functions(node: JsNode, root: JsNode) -> bool:
    for ancestor in node.ancestors():
        if ancestor is root:
            return True
        if ancestor.type in FUNCTION_TYPES:
            return False
    return True
