"""What counts as the user deciding before an action (KAI412): a confirm() or the app's own
dialog whose answer gates it, a dialog awaited before it, a callback of such a dialog, a
click/key/softkey handler around it; for navigation, a check of the target's origin."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kaios_lsp.parse.js.tree import (
    FUNCTION_TYPES,
    JsNode,
    identifier_name,
    property_name,
    string_value,
)
from kaios_lsp.rules.js.context import ScriptContext, file_fact, region_text

USER_EVENTS = frozenset({"click", "keydown", "keyup", "keypress", "submit"})
_USER_HANDLER = re.compile(
    r"^on(click|key(down|up|press)|soft\w*|left\w*|right\w*|center\w*)$", re.I
)
# confirm/prompt/dialog in any case; "ask" only as a word of the name (askUser, doAsk,
# ask_user), never inside "task" or "mask"
DECISION = re.compile(r"(?i:confirm|prompt|dialog)|(?:^|_)ask|Ask")

_EXITS = ("ReturnStatement", "ThrowStatement")


def decided(node: JsNode, ctx: ScriptContext, navigation: bool = False) -> bool:
    """Does a user decision gate ``node``: a confirm()/dialog whose answer is tested
    before it (or awaited), a branch of such a test, a callback of such a dialog, or a
    click/key handler around it? For navigation, a check of the target's origin too."""
    child = node
    for ancestor in node.ancestors():
        kind = ancestor.type
        if kind in FUNCTION_TYPES:
            if _user_handler(ancestor) or _dialog_callback(ancestor):
                return True
        elif kind in ("IfStatement", "ConditionalExpression") and child is not ancestor.node(
            "test"
        ):
            if _has_decision(ancestor.node("test"), ctx):
                return True
        elif kind == "LogicalExpression" and child is ancestor.node("right"):
            if _has_decision(ancestor.node("left"), ctx):
                return True
        elif kind in ("BlockStatement", "Program", "SwitchCase"):
            for earlier in ancestor.statements_before(child):
                if _decides_before(earlier, ctx, navigation):
                    return True
        child = ancestor
    return False


def _decides_before(statement: JsNode, ctx: ScriptContext, navigation: bool) -> bool:
    if statement.type == "IfStatement" and _exits(statement.node("consequent")):
        test = statement.node("test")
        if _has_decision(test, ctx):
            return True
        if (
            navigation
            and test is not None
            and any(
                n.type == "MemberExpression" and property_name(n) == "origin" for n in test.walk()
            )
        ):
            return True
    for node in _outside_functions(statement):
        if node.type == "AwaitExpression" and is_decision_call(node.node("argument")):
            return True
    return False


def _exits(statement: JsNode | None) -> bool:
    if statement is None:
        return False
    if statement.type in _EXITS:
        return True
    if statement.type == "BlockStatement":
        body = statement.nodes("body")
        return bool(body) and _exits(body[-1])
    return False


def _outside_functions(root: JsNode) -> Iterator[JsNode]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in node.children() if c.type not in FUNCTION_TYPES)


def is_decision_call(node: JsNode | None) -> bool:
    if node is None or node.type != "CallExpression":
        return False
    callee = node.node("callee")
    if callee is None:
        return False
    name = identifier_name(callee) or (
        property_name(callee) if callee.type == "MemberExpression" else None
    )
    return bool(name and DECISION.search(name))


def _has_decision(test: JsNode | None, ctx: ScriptContext) -> bool:
    if test is None:
        return False
    names = _decision_names(ctx)
    for node in _outside_functions(test):
        if is_decision_call(node):
            return True
        name = identifier_name(node)
        if name is not None and name in names:
            return True
    return False


def _decision_names(ctx: ScriptContext) -> frozenset[str]:
    """Variables holding a dialog's answer: ``var ok = confirm(...)``,
    ``const ok = await askUser(...)`` (a fact of the whole file)."""
    return file_fact(ctx, "decision variables", _decision_part, _union)


def _decision_part(ctx: ScriptContext) -> frozenset[str]:
    names = set()
    if DECISION.search(region_text(ctx)):
        for declarator in ctx.tree.nodes_of("VariableDeclarator"):
            init = declarator.node("init")
            if init is not None and init.type == "AwaitExpression":
                init = init.node("argument")
            name = identifier_name(declarator.node("id"))
            if name and is_decision_call(init):
                names.add(name)
    return frozenset(names)


def _union(parts: list[frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*parts)


def _user_handler(function: JsNode) -> bool:
    """A click/key handler: ``addEventListener('click', f)``, ``x.onclick = f``,
    ``{ onkeydown: f }``, softkey handlers (``onSoftLeft``...)."""
    parent = function.parent
    if parent is None:
        return False
    if parent.type == "CallExpression":
        callee = parent.node("callee")
        args = parent.nodes("arguments")
        method = (
            property_name(callee)
            if callee is not None and callee.type == "MemberExpression"
            else identifier_name(callee)
        )
        if method == "addEventListener" and args and string_value(args[0]) in USER_EVENTS:
            return True
    if parent.type == "AssignmentExpression" and parent.node("right") is function:
        left = parent.node("left")
        name = property_name(left) if left is not None and left.type == "MemberExpression" else None
        return bool(name and _USER_HANDLER.match(name))
    if parent.type == "Property":
        key = parent.node("key")
        name = identifier_name(key) or string_value(key)
        return bool(name and _USER_HANDLER.match(name))
    return False


def _dialog_callback(function: JsNode) -> bool:
    """``askUser('Send?', function () {...})`` or ``showDialog(...).then(ok => ...)``."""
    parent = function.parent
    if parent is None or parent.type != "CallExpression":
        return False
    if is_decision_call(parent):
        return True
    callee = parent.node("callee")
    if callee is not None and callee.type == "MemberExpression" and property_name(callee) == "then":
        return is_decision_call(callee.node("object"))
    return False
