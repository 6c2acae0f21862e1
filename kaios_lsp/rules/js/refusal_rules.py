"""KAI406: permission prompts whose refusal the code does not handle.

A refused prompt (or, on KaiOS 3.0, an insecure context) reaches the app only through the
error callback, the promise rejection or the request's ``onerror``; without one the app
waits forever with no message to the user.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass

from kaios_lsp.facts import permissions as permission_table
from kaios_lsp.findings import Finding, Fix, Related, Severity, TextEdit
from kaios_lsp.parse.js.tree import (
    FUNCTION_TYPES,
    JsNode,
    identifier_name,
    property_name,
    statement_of,
    string_value,
)
from kaios_lsp.parse.json.edit import indentation_at
from kaios_lsp.parse.json.nodes import ObjectNode
from kaios_lsp.rules.js.context import ScriptContext, file_fact
from kaios_lsp.rules.js.uses import call_of, members_reading, uses_of
from kaios_lsp.rules.meta import Rule

UNHANDLED_REFUSAL = "KAI406"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI406",
        name="unhandled-refusal",
        title="Permission prompt without refusal handling",
        severity=Severity.WARNING,
        category="JavaScript",
        explanation="getCurrentPosition/watchPosition without an error callback, mozGetUserMedia without one, a "
        "getUserMedia() or mozCameras.getCamera() promise dropped without .catch (or await outside "
        "try/catch), a DeviceStorage request with onsuccess but no onerror, and a "
        "Notification.requestPermission() whose answer nobody reads (a bare call, a callback without "
        "a parameter, in a script that never reads Notification.permission): when the user refuses "
        "the prompt nothing tells the app. A promise that is returned or stored is not judged (its "
        "caller may handle it). Whether a call prompts comes from the app's own column of the "
        "permission table: certified and core apps get camera and microphone without a dialog, so "
        "their getUserMedia is not reported, and desktop-notification, whose prompt defaults to allow "
        "on KaiOS 2.5 and for 3.x packaged apps, is judged only for hosted 3.x apps. Fixes add the "
        "error callback, .catch(), onerror or a check of the answer. The finding links to the manifest "
        "permission whose prompt the call shows, where KAI204 is a warning offering the same fix.",
        bad="navigator.geolocation.getCurrentPosition(function (position) { show(position); });",
        good="navigator.geolocation.getCurrentPosition(function (position) { show(position); }, showError);",
        fixable=True,
        example_file="app.js",
        example_app=(
            "manifest.webapp",
            '{"name": "Demo", "type": "privileged", "permissions": {"geolocation": {"description": "Map"}}}',
        ),
        fix_note="Adds the refusal handling at the call: an error callback for getCurrentPosition/watchPosition, .catch for promises, onerror for requests, a check of requestPermission's answer. Never marked safe: what the app shows on refusal is the developer's choice (the added handler only logs it).",
    ),
)

GEOLOCATION = ("navigator.geolocation.getCurrentPosition", "navigator.geolocation.watchPosition")
PROMISE_PROMPTS = (
    "navigator.mediaDevices.getUserMedia",
    "Notification.requestPermission",
    "navigator.mozCameras.getCamera",  # KaiOS 2.5 (Gecko 48: a promise)
)
CALLBACK_PROMPTS = {"navigator.mozGetUserMedia": 2}  # index of the error callback
STORAGE_GETTERS = ("navigator.getDeviceStorage", "navigator.b2g.getDeviceStorage")
STORAGE_REQUESTS = frozenset(
    {
        "get",
        "getEditable",
        "add",
        "addNamed",
        "delete",
        "enumerate",
        "enumerateEditable",
        "freeSpace",
        "usedSpace",
        "available",
    }
)


# The permissions whose prompt each call may show.
_PROMPTED_BY = {
    **dict.fromkeys(GEOLOCATION, ("geolocation",)),
    "navigator.mediaDevices.getUserMedia": ("audio-capture", "video-capture"),
    "navigator.mozGetUserMedia": ("audio-capture", "video-capture"),
    "Notification.requestPermission": ("desktop-notification",),
    "navigator.mozCameras.getCamera": ("camera",),
}


@dataclass(frozen=True)
class PromptCall:
    """A call that may show a permission prompt, and whether the code hears a refusal.

    Offsets are the script's own; ``fixes`` edit the script (``path=None``): the same
    fixes KAI406 offers here, and that KAI204 offers from the manifest."""

    start: int
    end: int
    api: str  # what is called, e.g. "getCurrentPosition()"
    permissions: tuple[str, ...]  # whose prompt it may show (empty: cannot tell)
    unhandled: bool  # True: a refusal certainly reaches nobody
    message: str = ""  # why (the KAI406 message), when unhandled
    fixes: tuple[Fix, ...] = ()
    filtered: bool = True  # KAI406 stays quiet when the app gets every permission silently


def _no_prompt_for_this_app(ctx: ScriptContext, call: PromptCall) -> bool:
    """Whether the call prompts comes from this app's column of the permission table:
    certified/core apps get camera and microphone without a dialog (roytam1/gecko-kaios
    dom/apps/PermissionsTable.jsm), so there is no refusal to handle."""
    app = ctx.app
    if app is None or not call.filtered:
        return False
    actions = []
    for name in call.permissions:
        permission = permission_table.lookup(name)
        action = permission.action(app.version, app.column) if permission else None
        # desktop-notification: granted without a dialog unless turned off (KAI204 says so)
        if (
            action == permission_table.PROMPT
            and permission is not None
            and permission.default_prompt(app.version, app.column) == permission_table.ALLOW
        ):
            action = permission_table.ALLOW
        actions.append(action)
    return bool(actions) and all(action == permission_table.ALLOW for action in actions)


def refusal_rule(ctx: ScriptContext) -> Iterator[Finding]:
    for call in prompt_calls(ctx):
        if not call.unhandled or _no_prompt_for_this_app(ctx, call):
            continue
        yield Finding(
            UNHANDLED_REFUSAL,
            call.start,
            call.end,
            call.message,
            fixes=call.fixes,
            related=_manifest_links(ctx, call),
        )


def _manifest_links(ctx: ScriptContext, call: PromptCall) -> tuple[Related, ...]:
    """The manifest permissions whose prompt this call shows (KAI204 there offers the
    same fix)."""
    app = ctx.app
    if app is None or not app.manifest_path:
        return ()
    features = app.manifest.features
    member = features.get("permissions") if features is not None else None
    container = member.value if member is not None else None
    if not isinstance(container, ObjectNode):
        return ()
    links = []
    for name in call.permissions:
        entry = container.get(name)
        permission = permission_table.lookup(name)
        if entry is None or permission is None:
            continue
        if permission.action(app.version, app.column) != permission_table.PROMPT:
            continue
        links.append(
            Related(
                entry.key.start,
                entry.key.end,
                f"{json.dumps(name)} in {os.path.basename(app.manifest_path)}: the permission "
                "whose prompt this call shows",
                app.manifest_path,
            )
        )
    return tuple(links)


def prompt_calls(ctx: ScriptContext) -> Iterator[PromptCall]:
    """Every call in the script that may show a permission prompt, judged for refusal
    handling (for any app: callers filter by the app's permission table)."""
    for node, path in uses_of(ctx, (*GEOLOCATION, *PROMISE_PROMPTS, *CALLBACK_PROMPTS)):
        call = node.parent
        if call is None or call.type != "CallExpression" or call.node("callee") is not node:
            continue
        args = call.nodes("arguments")
        name = path.rsplit(".", 1)[-1]
        api = f"{name}()"
        permissions = _PROMPTED_BY.get(path, ())
        if path in _MEDIA:
            permissions = _media_permissions(args) or permissions
        if path in GEOLOCATION or path in CALLBACK_PROMPTS:
            index = 1 if path in GEOLOCATION else CALLBACK_PROMPTS[path]
            if len(args) > index and not _nothing(args[index]):
                yield PromptCall(call.start, call.end, api, permissions, False)
                continue
            if len(args) < index:
                continue  # not even a success callback yet: still being typed
            what = "location" if path in GEOLOCATION else "camera/microphone"
            yield PromptCall(
                call.start,
                call.end,
                api,
                permissions,
                True,
                f"{name}() has no error callback: if the user refuses the {what} prompt"
                + (
                    " (or the page is not a secure context on KaiOS 3.0)"
                    if path in GEOLOCATION
                    else ""
                )
                + ", nothing tells the app, which waits forever. Pass an error callback.",
                _error_callback_fix(ctx, call, args, index, what),
            )
        elif path == "navigator.mozCameras.getCamera":
            if len(args) > 2:
                continue  # the callback form of older Gecko: not judged
            yield _promise_call(
                ctx,
                call,
                api,
                permissions,
                "getCamera() rejects when the user refuses the camera prompt",
            )
        elif path == "navigator.mediaDevices.getUserMedia":
            yield _promise_call(
                ctx,
                call,
                api,
                permissions,
                "getUserMedia() rejects with NotAllowedError when the user refuses the prompt",
            )
        elif path == "Notification.requestPermission":
            unhandled, fixes = _ignores_the_answer(ctx, call)
            yield PromptCall(
                call.start,
                call.end,
                api,
                permissions,
                unhandled,
                'Notification.requestPermission() resolves "denied" when the user refuses (or has '
                "turned the app's notifications off in Settings), and the answer is ignored here: "
                "check it (or Notification.permission) before showing notifications."
                if unhandled
                else "",
                fixes,
            )
    yield from _storage_requests(ctx)


def _promise_call(
    ctx: ScriptContext, call: JsNode, api: str, permissions: tuple[str, ...], what: str
) -> PromptCall:
    """A prompting call that returns a promise: handled when something catches it."""
    unhandled = promise_unhandled(call)
    return PromptCall(
        call.start,
        call.end,
        api,
        permissions,
        unhandled,
        f"{what}, and nothing handles it here: add .catch(...) (or await it inside try/catch)."
        if unhandled
        else "",
        _catch_fix(ctx, call) if unhandled else (),
    )


def _ignores_the_answer(ctx: ScriptContext, call: JsNode) -> tuple[bool, tuple[Fix, ...]]:
    """``Notification.requestPermission()`` whose answer nobody reads: a bare statement,
    or a callback (``.then(function () {...})``, the legacy callback) without a parameter,
    in a script that never reads ``Notification.permission`` either."""
    if file_fact(ctx, "reads-Notification.permission", _reads_notification_permission, any):
        return False, ()
    args = call.nodes("arguments")
    if args:  # the legacy callback form
        callback = args[0]
        if callback.type in FUNCTION_TYPES and not callback.nodes("params"):
            return True, _answer_parameter_fix(ctx, callback)
        return False, ()
    parent = call.parent
    if parent is not None and parent.type == "ExpressionStatement":
        indent = indentation_at(ctx.text, parent.start)
        code = (
            f".then(function (permission) {{\n{indent}  if (permission !== 'granted') {{\n"
            f"{indent}    console.warn('Notifications are refused or turned off');\n"
            f"{indent}  }}\n{indent}}})"
        )
        return True, (Fix.replace("Check the answer with .then(...)", call.end, call.end, code),)
    if parent is not None and parent.type == "AwaitExpression":
        statement = parent.parent
        return statement is not None and statement.type == "ExpressionStatement", ()
    if (
        parent is not None
        and parent.type == "MemberExpression"
        and parent.node("object") is call
        and property_name(parent) == "then"
    ):
        outer = parent.parent
        if outer is not None and outer.type == "CallExpression" and outer.node("callee") is parent:
            then_args = outer.nodes("arguments")
            if (
                then_args
                and then_args[0].type in FUNCTION_TYPES
                and not then_args[0].nodes("params")
            ):
                return True, _answer_parameter_fix(ctx, then_args[0])
    return False, ()


def _answer_parameter_fix(ctx: ScriptContext, function: JsNode) -> tuple[Fix, ...]:
    """``function () { notify(); }`` -> ``function (permission) { if (permission !==
    'granted') { return; } notify(); }``"""
    body = function.node("body")
    if body is None or body.type != "BlockStatement":
        return ()  # an arrow with an expression body: rewriting it is the developer's call
    text = ctx.text
    opening = text.rfind("(", function.start, body.start)
    closing = text.find(")", opening, body.start) if opening >= 0 else -1
    if opening < 0 or closing < 0 or text[opening + 1 : closing].strip():
        return ()
    guard = "if (permission !== 'granted') { return; }"
    rest = text[body.start + 1 : body.end]
    if rest.lstrip(" \t").startswith(("\n", "\r")):
        indent = indentation_at(text, body.start)
        guard = f"\n{indent}  {guard}"
    else:
        guard = f" {guard}"
    return (
        Fix.edits(
            "Check the answer before notifying",
            [
                TextEdit(opening + 1, opening + 1, "permission"),
                TextEdit(body.start + 1, body.start + 1, guard),
            ],
        ),
    )


_MEDIA = ("navigator.mediaDevices.getUserMedia", "navigator.mozGetUserMedia")
_MEDIA_OPTIONS = {"audio": "audio-capture", "video": "video-capture"}


def _media_permissions(args: list[JsNode]) -> tuple[str, ...]:
    """getUserMedia({audio: true, video: {...}}): the permission per requested kind
    (``()`` when the constraints are not written out)."""
    if not args or args[0].type != "ObjectExpression":
        return ()
    wanted = []
    for prop in args[0].nodes("properties"):
        key = prop.node("key")
        name = identifier_name(key) or string_value(key)
        value = prop.node("value")
        if name in _MEDIA_OPTIONS and not (value is not None and value.get("value") is False):
            wanted.append(_MEDIA_OPTIONS[name])
    return tuple(wanted)


def _nothing(node: JsNode) -> bool:
    return identifier_name(node) == "undefined" or (
        node.type == "Literal" and node.get("value") is None and node.get("raw") == "null"
    )


def _error_callback_fix(
    ctx: ScriptContext, call: JsNode, args: list[JsNode], index: int, what: str
) -> tuple[Fix, ...]:
    handler = (
        "function (error) { console.warn('"
        + ("Location" if what == "location" else "Camera/microphone")
        + " unavailable: ' + (error.message || error.name)); }"
    )
    if len(args) > index:  # an explicit null/undefined: replace it
        return (Fix.replace("Add an error callback", args[index].start, args[index].end, handler),)
    if len(args) != index or not args:
        return ()
    return (Fix.replace("Add an error callback", args[-1].end, args[-1].end, ", " + handler),)


def promise_unhandled(call: JsNode) -> bool:
    """True only when the promise is certainly dropped without a rejection handler: a bare
    expression statement, or awaited outside any try/catch. Returned, stored or passed on,
    someone else may handle it, so we stay quiet."""
    node = call
    while True:
        parent = node.parent
        if parent is None:
            return False
        if parent.type == "MemberExpression" and parent.node("object") is node:
            method = property_name(parent)
            outer = parent.parent
            if (
                outer is None
                or outer.type != "CallExpression"
                or outer.node("callee") is not parent
            ):
                return False
            if method == "catch":
                return False
            if method == "then" and len(outer.nodes("arguments")) >= 2:
                return False
            if method not in ("then", "finally"):
                return False
            node = outer
            continue
        if parent.type == "ExpressionStatement":
            return True
        if parent.type == "AwaitExpression":
            return not _inside_try(parent)
        return False


def _inside_try(node: JsNode) -> bool:
    child = node
    for ancestor in node.ancestors():
        if ancestor.type in FUNCTION_TYPES:
            return False
        if (
            ancestor.type == "TryStatement"
            and ancestor.node("block") is child
            and ancestor.node("handler") is not None
        ):
            return True
        child = ancestor
    return False


def _catch_fix(ctx: ScriptContext, call: JsNode) -> tuple[Fix, ...]:
    node = call
    while node.parent is not None and node.parent.type == "MemberExpression":
        outer = node.parent.parent
        if outer is None or outer.type != "CallExpression":
            break
        node = outer
    if node.parent is None or node.parent.type != "ExpressionStatement":
        return ()
    indent = indentation_at(ctx.text, node.start)
    handler = f".catch(function (error) {{\n{indent}  console.warn('Permission refused: ' + error.name);\n{indent}}})"
    return (Fix.replace("Handle the refusal with .catch(...)", node.end, node.end, handler),)


def _storage_requests(ctx: ScriptContext) -> Iterator[PromptCall]:
    """``var req = sdcard.get(name); req.onsuccess = ...`` with no ``onerror``: a refused
    device-storage permission fails the request and nobody hears of it."""
    storages = file_fact(ctx, "storage-variables", _storage_variables, _later_wins)
    if not storages:
        return
    handlers = file_fact(ctx, "request-handlers", _request_handlers, _joined)
    requests: list[tuple[JsNode, str, str]] = []
    for method in sorted(STORAGE_REQUESTS):
        for member in members_reading(ctx, method):
            call = member.parent
            if call is None or call.type != "CallExpression" or call.node("callee") is not member:
                continue
            storage = identifier_name(member.node("object"))
            if storage in storages and property_name(member) == method:
                requests.append((call, storage, method))
    requests.sort(key=lambda item: (item[0].start, -item[0].end))
    for call, storage, method in requests:
        api = f"{storage}.{method}()"
        permissions = storages[storage]
        parent = call.parent
        if parent is None or parent.type != "VariableDeclarator":
            yield PromptCall(call.start, call.end, api, permissions, False, filtered=False)
            continue
        request = identifier_name(parent.node("id"))
        seen = handlers.get(request or "", frozenset())
        if request is None or "onerror" in seen or "onsuccess" not in seen:
            # handled, or addEventListener/then or no handler at all: not ours to judge
            yield PromptCall(call.start, call.end, api, permissions, False, filtered=False)
            continue
        statement = statement_of(parent)
        fixes: tuple[Fix, ...] = ()
        if statement is not None:
            indent = indentation_at(ctx.text, statement.start)
            code = (
                f"\n{indent}{request}.onerror = function () {{\n{indent}  console.warn("
                f"'Storage request failed: ' + this.error.name);\n{indent}}};"
            )
            fixes = (Fix.replace("Add an onerror handler", statement.end, statement.end, code),)
        yield PromptCall(
            call.start,
            call.end,
            api,
            permissions,
            True,
            f"{request} has an onsuccess handler but no onerror: when the storage permission "
            "is refused (or the card is missing) the request fails silently.",
            fixes,
            filtered=False,
        )


def _reads_notification_permission(ctx: ScriptContext) -> bool:
    return any(
        ctx.path_of(node) == "Notification.permission"
        for node in members_reading(ctx, "permission")
    )


def _storage_variables(ctx: ScriptContext) -> dict[str, tuple[str, ...]]:
    """Variables holding a device storage, with the permission its requests need."""
    storages: dict[str, tuple[str, ...]] = {}
    for node, _path in uses_of(ctx, STORAGE_GETTERS):
        call = call_of(node)
        parent = call.parent if call is not None else None
        if call is not None and parent is not None and parent.type == "VariableDeclarator":
            name = identifier_name(parent.node("id"))
            if name:
                args = call.nodes("arguments")
                kind = string_value(args[0]) if args else None
                storages[name] = (f"device-storage:{kind}",) if kind else ()
    return storages


def _request_handlers(ctx: ScriptContext) -> dict[str, frozenset[str]]:
    """``req.onsuccess = ...``: which handlers each variable is given. Found through the
    member-name index (filled for WATCHED_MEMBERS in the script's one query) rather than
    by walking every assignment of the script."""
    handlers: dict[str, set[str]] = {}
    for prop in ("onsuccess", "onerror"):
        for member in members_reading(ctx, prop):
            parent = member.parent
            if parent is None or parent.type != "AssignmentExpression":
                continue
            if parent.node("left") is not member:
                continue
            owner = identifier_name(member.node("object"))
            if owner:
                handlers.setdefault(owner, set()).add(prop)
    return {owner: frozenset(props) for owner, props in handlers.items()}


def _later_wins(parts: list[dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    joined: dict[str, tuple[str, ...]] = {}
    for part in parts:
        joined.update(part)
    return joined


def _joined(parts: list[dict[str, frozenset[str]]]) -> dict[str, frozenset[str]]:
    joined: dict[str, frozenset[str]] = {}
    for part in parts:
        for owner, props in part.items():
            joined[owner] = joined.get(owner, frozenset()) | props
    return joined


# The checks run on every script (declaring them here registers them), and the global
# paths they ask about (indexed in one pass per script).
SCRIPT_CHECKS = (refusal_rule,)
WATCHED_PATHS = (*GEOLOCATION, *PROMISE_PROMPTS, *CALLBACK_PROMPTS, *STORAGE_GETTERS)
# ("permission": Notification.permission, read by _ignores_the_answer)
WATCHED_MEMBERS = ("onsuccess", "onerror", "permission", *sorted(STORAGE_REQUESTS))
