"""KAI412: an activity request, a deep link or a message makes the app act without asking.

Any KaiOS app can start another one with data of its choosing: on 2.5 with a Web
Activity (``new MozActivity({name, data})``), on 3.0 with a Web Activity or by opening
one of its pages with parameters. An app that acts on that data at once (sends money, an
SMS, deletes contacts, posts with the user's session) can be made to act by any app
(cross-app request forgery). The analysis is in :mod:`.forgery_flow`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from kaios_lsp.facts import sensitive_apis as apis
from kaios_lsp.findings import Finding, Fix, Related, Severity, TextEdit
from kaios_lsp.parse.js.tree import FUNCTION_TYPES, JsNode, identifier_name, statement_of
from kaios_lsp.parse.json.edit import indentation_at
from kaios_lsp.rules.js.context import ScriptContext, file_fact
from kaios_lsp.rules.js.forgery_flow import DESCRIPTION, Flow, looks_relevant, sensitive_flows
from kaios_lsp.rules.js.forgery_sources import source_sites
from kaios_lsp.rules.js.forgery_taint import ACTIVITY, MESSAGE, SYSTEM_MESSAGE, URL
from kaios_lsp.rules.meta import Rule

UNCONFIRMED_ACTION = "KAI412"

__all__ = ["Flow", "forgery_rule", "sensitive_flows"]

_BAD = """\
navigator.mozSetMessageHandler('activity', function (request) {
  var data = request.source.data;
  fetch('https://bank.example.com/api/transfer', {
    method: 'POST',
    credentials: 'include',
    body: JSON.stringify({ to: data.to, amount: data.amount })
  });
});"""

_GOOD = """\
navigator.mozSetMessageHandler('activity', function (request) {
  var data = request.source.data;
  if (!window.confirm('Send ' + data.amount + ' to ' + data.to + '?')) {
    return;
  }
  fetch('https://bank.example.com/api/transfer', {
    method: 'POST',
    credentials: 'include',
    body: JSON.stringify({ to: data.to, amount: data.amount })
  });
});"""

RULES = (
    Rule(
        id=UNCONFIRMED_ACTION,
        name="unconfirmed-sensitive-action",
        title="Another app's request makes this app act without asking the user",
        severity=Severity.WARNING,
        category="JavaScript",
        explanation="Any app can start another one with data of its choosing: on KaiOS 2.5 with a Web Activity "
        "(new MozActivity({name: 'pay', data: {to: 'Attacker', amount: 500}}) reaches the handler of "
        "navigator.mozSetMessageHandler('activity', ...) as request.source.data), on 3.0 with a Web "
        "Activity (the service worker's systemmessage event, e.data.webActivityRequestHandler().source) "
        "or by opening one of its pages with parameters (window.open('https://bank.localhost/"
        "transfer.html?to=Attacker&amount=500') gives location.search). A window message "
        "(addEventListener('message')) whose handler never checks event.origin is the same. When that "
        "data reaches an action at once (an SMS, a call, deleting contacts or files, an alarm, a system "
        "setting, installing or uninstalling an app, a payment, a fetch/XMLHttpRequest that writes "
        "with the user's session, sendBeacon, a form's submit(), or navigating to a URL from the "
        "request: an open redirect), any app makes this one act and the user decides nothing "
        "(cross-app request forgery). A user decision in between is a confirm() (or the app's own "
        "dialog: a function whose name says confirm/ask/prompt/dialog) whose answer gates the action "
        "or that is awaited before it, or a click/key/softkey handler around it. The input follows "
        "variables, destructuring, object properties, string building and method calls, and the "
        "arguments of direct calls of functions of the same file, one level deep; the analysis stays "
        "inside the file. When the input only chooses among fixed values (a switch or comparison "
        "with literals, the action's arguments not built from it) the finding is a hint. Read-only "
        "uses (showing the data, a GET fetch, logging) are never reported. The actions and their "
        "sources: the B2G WebIDL files (roytam1/gecko-kaios dom/webidl: MozMobileMessageManager, "
        "Telephony, Contacts, AlarmsManager, DeviceStorage, SettingsManager, Apps, Navigator; "
        "kaiostech/gecko-b2g dom/webidl: MobileMessageManager, Telephony, AlarmManager, "
        "WebActivityRequestHandler) and the Fetch, XMLHttpRequest, Beacon and HTML standards.",
        bad=_BAD,
        good=_GOOD,
        fixable=True,
        example_file="app.js",
        example_app=(
            "manifest.webapp",
            '{"name": "Bank", "type": "privileged", "activities": {"pay": {}}}',
        ),
        fix_note="Inserts `if (!window.confirm('...')) { return; }` before the action's statement, naming the "
        "action and the input, inside the enclosing function; for an open redirect, a check that the URL "
        "stays on the app's own origin (`if (new URL(x, location.href).origin !== location.origin) "
        "{ return; }`). No fix when the action is not a statement of a function body (an arrow with an "
        "expression body, a branch without braces, top-level code). Never applied by --fix: the app "
        "may rather use its own dialog or act on a key press.",
    ),
)

_ATTACK = {
    ACTIVITY: "any app can start this activity (new MozActivity({name, data})) with data of its choosing",
    SYSTEM_MESSAGE: "any app can start this activity (new WebActivity(name, data)) with data of its choosing",
    URL: "any app can open this page with parameters of its choosing (window.open('...?to=...'))",
    MESSAGE: "any window can post this message (the handler does not check event.origin)",
}


def forgery_rule(ctx: ScriptContext) -> Iterator[Finding]:
    if not looks_relevant(ctx.text):
        return
    # (one region at a time, the file's other regions answer from what they gave)
    if not file_fact(ctx, "forgery-source-sites", source_sites, _total):
        return
    for flow in sensitive_flows(ctx):
        if flow.confirmed:
            continue
        yield Finding(
            UNCONFIRMED_ACTION,
            flow.sink.start,
            flow.sink.end,
            _message(ctx, flow),
            fixes=_fixes(ctx, flow),
            severity=Severity.HINT if flow.fixed_values else None,
            related=_related(ctx, flow),
        )


def _sink_text(ctx: ScriptContext, flow: Flow) -> str:
    node = flow.sink
    if node.type == "AssignmentExpression" and node.node("left") is not None:
        left = node.node("left")
        assert left is not None
        return ctx.text[left.start : left.end] + " = ..."
    text = ctx.text[node.start : node.end]
    return (text if len(text) <= 60 else text[:57] + "...") + "()"


def _message(ctx: ScriptContext, flow: Flow) -> str:
    source = DESCRIPTION[flow.source_kind]
    how = "chosen by" if flow.fixed_values else "built from"
    text = (
        f"{_sink_text(ctx, flow)} {flow.action}, {how} {source}, with no user decision in between: "
        f"{_ATTACK[flow.source_kind]}, and this app acts for it."
    )
    if flow.fixed_values:
        return text + (
            " The input only selects among fixed values here, but still triggers the action: "
            "ask the user first (confirm(...), or act on a key press)."
        )
    if flow.navigation:
        return text + " Check that the URL is one of the app's own pages before leaving for it."
    return text + " Ask the user first (confirm(...) naming what happens, or act on a key press)."


def _related(ctx: ScriptContext, flow: Flow) -> tuple[Related, ...]:
    found: list[Related] = []
    if flow.source is not None:
        found.append(
            Related(
                flow.source.start, flow.source.end, f"{DESCRIPTION[flow.source_kind]}: read here"
            )
        )
    for step in flow.steps:
        if step.type == "CallExpression":
            callee = step.node("callee")
            name = identifier_name(callee) or "a function"
            words = f"passed to {name}() here"
        else:
            words = "assigned here"
        found.append(Related(step.start, step.end, words))
    if flow.call_site is not None and all(step is not flow.call_site for step in flow.steps):
        found.append(Related(flow.call_site.start, flow.call_site.end, "the call that reaches it"))
    return tuple(found)


# -- fixes ---------------------------------------------------------------------------------


def _fixes(ctx: ScriptContext, flow: Flow) -> tuple[Fix, ...]:
    call = flow.call
    if call is None:
        return ()
    statement = _fixable_statement(call)
    if statement is None:
        return ()
    text = ctx.text
    indent = indentation_at(text, statement.start)
    if flow.navigation:
        target = _url_argument(call)
        if target is None or not _simple(target):
            return ()
        code = (
            f"if (new URL({text[target.start : target.end]}, location.href).origin !== "
            f"location.origin) {{ return; }}\n{indent}"
        )
        return (
            Fix.edits(
                "Leave only for the app's own pages",
                [TextEdit(statement.start, statement.start, code)],
            ),
        )
    words = _infinitive(flow.action)
    question = json.dumps(f"Another app asks to {words}")
    key = flow.key_input
    if key is not None and _chain(key) and not _declared_by(statement, key):
        question += f" + ' (' + {text[key.start : key.end]} + ')'"
    question += " + '. Allow?'"
    code = f"if (!window.confirm({question.replace(chr(34), chr(39))})) {{ return; }}\n{indent}"
    return (
        Fix.edits(
            "Ask the user before acting (window.confirm)",
            [TextEdit(statement.start, statement.start, code)],
        ),
    )


def _fixable_statement(call: JsNode) -> JsNode | None:
    """The statement of a function body the action is in, with no function in between."""
    statement = statement_of(call)
    if statement is None or statement.parent is None:
        return None
    if statement.parent.type not in ("BlockStatement", "SwitchCase"):
        return None
    for ancestor in call.ancestors():
        if ancestor is statement:
            break
        if ancestor.type in FUNCTION_TYPES:
            return None
    if not any(a.type in FUNCTION_TYPES for a in statement.ancestors()):
        return None  # top-level code: nothing to return from
    return statement


def _url_argument(call: JsNode) -> JsNode | None:
    if call.type == "AssignmentExpression":
        return call.node("right")
    args = call.nodes("arguments")
    return args[0] if args else None


def _chain(node: JsNode) -> bool:
    while node.type == "MemberExpression" and not node.get("computed"):
        inner = node.node("object")
        if inner is None:
            return False
        node = inner
    return identifier_name(node) is not None


def _simple(node: JsNode) -> bool:
    """A name, a member chain or ``chain.get('literal')``: safe to evaluate twice."""
    if _chain(node):
        return True
    if node.type == "CallExpression":
        callee = node.node("callee")
        args = node.nodes("arguments")
        return (
            callee is not None
            and callee.type == "MemberExpression"
            and _chain(callee)
            and len(args) == 1
            and args[0].type == "Literal"
        )
    return False


def _declared_by(statement: JsNode, key: JsNode) -> bool:
    root = key
    while root.type == "MemberExpression":
        inner = root.node("object")
        if inner is None:
            break
        root = inner
    name = identifier_name(root)
    if statement.type != "VariableDeclaration":
        return False
    return any(identifier_name(d.node("id")) == name for d in statement.nodes("declarations"))


def _infinitive(action: str) -> str:
    verb, _, rest = action.partition(" ")
    return f"{verb[:-1] if verb.endswith('s') else verb} {rest}".strip()


# The checks run on the app's own code (declaring them here registers them), and the
# global paths and member names they ask about (indexed in one pass per script).
# It follows input across the file's functions: judged on the whole file, never a region.
forgery_rule.scope = "file"  # type: ignore[attr-defined]


def _total(parts: list[int]) -> int:
    return sum(parts)


SCRIPT_CHECKS = (forgery_rule,)
WATCHED_PATHS = (
    "navigator.mozSetMessageHandler",
    "addEventListener",
    "onmessage",
    "onsystemmessage",
    "location",
    "document.location",
    "document.URL",
    "document.documentURI",
    apis.FETCH,
    apis.XHR,
    *apis.call_paths(),
    *apis.factory_paths(),
    *apis.NAVIGATION_CALLS,
)
