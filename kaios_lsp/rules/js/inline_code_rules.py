"""KAI302/KAI303 from script: inline handlers and ``javascript:`` URLs a script creates.

The page rules see ``onclick="..."`` and ``href="javascript:..."`` in the markup; a script
makes the same thing at run time, and the app's policy blocks it the same way:

* ``el.setAttribute('onclick', 'go()')`` creates an inline handler attribute: blocked by a
  script-src(-attr) without 'unsafe-inline' (KAI302, like the markup's).
* ``el.onclick = 'go()'`` never runs anywhere: the property takes a function and a string
  is stored as null (WebIDL's EventHandler); reported under KAI302 because it is the
  same mistake (code as a string where a function belongs), on every policy.
* ``a.href = 'javascript:go()'``, ``el.setAttribute('href', 'javascript:...')``,
  ``location.href = 'javascript:...'``, ``location.assign/replace('javascript:...')``,
  ``window.open('javascript:...')``: a javascript: URL, blocked when followed (KAI303).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TypeGuard

from kaios_lsp.facts.html_events import EVENT_HANDLER_ATTRIBUTES
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.csp import blocking_policy, inline_allowed
from kaios_lsp.parse.js.tree import JsNode, leading_string, leading_text, string_value
from kaios_lsp.rules.js.context import ScriptContext, literal_concatenation
from kaios_lsp.rules.js.eval_rules import code_as_function
from kaios_lsp.rules.js.uses import members_reading, uses_of

INLINE_HANDLER = "KAI302"
JAVASCRIPT_URL = "KAI303"
URL_ATTRIBUTES = ("href", "src", "action", "formaction")
LOCATION_PATHS = ("location", "document.location")
CALL_PATHS = (
    "location.assign",
    "location.replace",
    "document.location.assign",
    "document.location.replace",
    "open",
)
INLINE_CODE_PATHS = LOCATION_PATHS + CALL_PATHS
INLINE_CODE_MEMBERS = ("setAttribute", "href", *sorted(EVENT_HANDLER_ATTRIBUTES))
_VOID = re.compile(r"^\s*(?:void\s*\(?\s*(?:0|null)\s*\)?)?\s*;?\s*$")


def _policy(ctx: ScriptContext, directive: str) -> str | None:
    policies = list(ctx.app.policies) if ctx.app else []
    policies += ctx.extra_policies
    return blocking_policy(policies, directive, inline_allowed)


def inline_code_rule(ctx: ScriptContext) -> Iterator[Finding]:
    handler_policy = _policy(ctx, "script-src-attr")
    url_policy = _policy(ctx, "script-src-elem")
    for member in members_reading(ctx, "setAttribute"):
        call = member.parent
        if call is None or call.type != "CallExpression" or call.node("callee") is not member:
            continue
        args = call.nodes("arguments")
        if len(args) != 2:
            continue
        name = (string_value(args[0]) or "").lower()
        if name in EVENT_HANDLER_ATTRIBUTES and handler_policy and _is_string(args[1]):
            yield Finding(
                INLINE_HANDLER,
                call.start,
                call.end,
                f"setAttribute('{name}', ...) creates an inline handler, which {handler_policy} "
                "blocks: it never runs on the phone. Assign a function instead.",
                fixes=_handler_fixes(ctx, call, member, name, args[1]),
            )
        elif name in URL_ATTRIBUTES and url_policy and _javascript_url(args[1]):
            yield _url_finding(ctx, call, args[1], url_policy, element=True)
    yield from _handler_properties(ctx)
    if url_policy is None:
        return
    for member in members_reading(ctx, "href"):
        assignment = member.parent
        if _assigns(assignment, member) and _javascript_url(assignment.node("right")):
            element = ctx.path_of(member) not in ("location.href", "document.location.href")
            # not None: _javascript_url(None) is False
            yield _url_finding(ctx, assignment, assignment.node("right"), url_policy, element)  # type: ignore[arg-type]
    for node, _path in uses_of(ctx, LOCATION_PATHS):
        assignment = node.parent
        if _assigns(assignment, node) and _javascript_url(assignment.node("right")):
            # not None: _javascript_url(None) is False
            yield _url_finding(ctx, assignment, assignment.node("right"), url_policy, False)  # type: ignore[arg-type]
    for node, _path in uses_of(ctx, CALL_PATHS):
        call = node.parent
        if call is None or call.type != "CallExpression" or call.node("callee") is not node:
            continue
        args = call.nodes("arguments")
        if args and _javascript_url(args[0]):
            yield _url_finding(ctx, call, args[0], url_policy, False)


def _is_string(node: JsNode | None) -> bool:
    return leading_string(node) is not None


def _javascript_url(node: JsNode | None) -> bool:
    value = leading_text(node)
    return value is not None and value.strip().lower().startswith("javascript:")


def _assigns(parent: JsNode | None, target: JsNode) -> TypeGuard[JsNode]:
    return (
        parent is not None
        and parent.type == "AssignmentExpression"
        and parent.get("operator") == "="
        and parent.node("left") is target
    )


def _url_finding(
    ctx: ScriptContext, node: JsNode, value: JsNode, label: str, element: bool
) -> Finding:
    fixes: tuple[Fix, ...] = ()
    code = literal_concatenation(value)
    if element and code is not None and _VOID.match(code.strip()[len("javascript:") :]):
        quote = ctx.text[value.start] if ctx.text[value.start] in "'\"`" else "'"
        fixes = (Fix.replace("Use '#'", value.start, value.end, f"{quote}#{quote}"),)
    return Finding(
        JAVASCRIPT_URL,
        node.start,
        node.end,
        f"javascript: URLs are blocked by {label}: following this URL runs nothing on the "
        "phone. Run the code from a click listener (or call it directly) instead.",
        fixes=fixes,
    )


def _handler_properties(ctx: ScriptContext) -> Iterator[Finding]:
    """``el.onclick = 'go()'``: a string looking like code (it has a call) assigned to an
    event handler property. Only literals: a variable may hold a function."""
    for name in sorted(EVENT_HANDLER_ATTRIBUTES):
        for member in members_reading(ctx, name):
            assignment = member.parent
            if not _assigns(assignment, member):
                continue
            assert assignment is not None
            value = assignment.node("right")
            code = literal_concatenation(value)
            if (
                value is None
                or not _is_string(value)
                or "(" not in (code or ctx.text[value.start : value.end])
            ):
                continue
            fixes: tuple[Fix, ...] = ()
            body = _function_body(code)
            if body is not None:
                fixes = (
                    Fix.replace(
                        "Assign a function" + _caveat(code),  # type: ignore[arg-type]  # set: _function_body(None) is None
                        value.start,
                        value.end,
                        body,
                    ),
                )
            yield Finding(
                INLINE_HANDLER,
                assignment.start,
                assignment.end,
                f"A string assigned to {name} never runs: the property takes a function, and "
                "a string is stored as null (on every browser; as an inline handler the app's "
                "policy would block it too). Assign a function.",
                fixes=fixes,
                severity=Severity.WARNING,
            )


def _function_body(code: str | None) -> str | None:
    return code_as_function(code, "event")


def _caveat(code: str) -> str:
    from kaios_lsp.rules.html.page import scope_names

    names = scope_names(code)
    if not names:
        return ""
    return f" (check {', '.join(names)}: as an inline handler it meant the element's, form's or document's)"


def _handler_fixes(
    ctx: ScriptContext, call: JsNode, member: JsNode, name: str, value: JsNode
) -> tuple[Fix, ...]:
    """``el.setAttribute('onclick', 'go()')`` -> ``el.onclick = function (event) { go(); }``:
    the property replaces the handler as the attribute did, ``this`` is the element and
    ``return false`` still cancels the event."""
    body = _function_body(literal_concatenation(value))
    target = member.node("object")
    parent = call.parent
    if body is None or target is None or parent is None or parent.type != "ExpressionStatement":
        return ()
    owner = ctx.text[target.start : target.end]
    if target.type not in ("Identifier", "MemberExpression", "ThisExpression", "CallExpression"):
        owner = f"({owner})"
    return (
        Fix.replace(
            f"Assign a function to {name}" + _caveat(literal_concatenation(value) or ""),
            call.start,
            call.end,
            f"{owner}.{name} = {body}",
        ),
    )


# Run on every script, vendor and minified code included: the policy breaks that code
# just the same (declaring them here registers them); and the global paths they ask about.
VENDOR_SCRIPT_CHECKS = (inline_code_rule,)
WATCHED_PATHS = INLINE_CODE_PATHS
WATCHED_MEMBERS = INLINE_CODE_MEMBERS
