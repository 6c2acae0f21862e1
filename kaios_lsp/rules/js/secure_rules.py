"""KAI403: secure-context APIs used without a guard.

What fails where (``kaios-facts.md`` section 4): on KaiOS 3.0 (Gecko 84) outside a secure
context ``navigator.serviceWorker``, ``navigator.mediaDevices``, ``crypto.subtle``,
``navigator.storage/clipboard/credentials`` are undefined (TypeError on use),
``caches`` rejects and notifications are denied; on KaiOS 2.5 (Gecko 48)
``navigator.storage/clipboard/credentials`` and ``PushManager`` do not exist at all, and
``serviceWorker.register()``/``caches`` reject on untrusted origins. Whether the page is a
secure context: 2.5 packaged apps (``app://``) are; hosted apps are over https only; a 3.0
packaged app (``http://<name>.localhost``) is not confirmed, so findings there are
information unless the ``secureContext`` setting decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.js.tree import JsNode, statement_of
from kaios_lsp.parse.json.edit import indent_unit, indentation_at, line_start
from kaios_lsp.rules.js.context import ScriptContext
from kaios_lsp.rules.js.guards import guarded
from kaios_lsp.rules.js.uses import in_feature_test, is_used_value, uses_of
from kaios_lsp.rules.meta import Rule

INSECURE_API = "KAI403"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI403",
        name="insecure-context-api",
        title="Secure-context API used without a guard",
        severity=Severity.WARNING,
        category="JavaScript",
        explanation="navigator.serviceWorker, caches, Notification, navigator.mediaDevices, crypto.subtle, "
        "navigator.storage/clipboard/credentials, PushManager and registerProtocolHandler fail outside a "
        "secure context on KaiOS 3.0 (undefined, rejected or denied), and some do not exist at all on KaiOS "
        "2.5 (Gecko 48). A use is guarded by an if/?:/&&/early return on a feature test ('x' in navigator, "
        "navigator.x, typeof X !== 'undefined', window.isSecureContext on 3.0), optional chaining, a try with "
        "a catch, or .catch()/.then(ok, failed) for promises. KaiOS 2.5 packaged apps (app://) and https "
        "hosted apps are secure contexts; KaiOS 3.0 packaged apps (http://<app>.localhost) probably are but "
        "it is not confirmed, so findings there are information unless the secureContext setting "
        "(auto/secure/insecure) says otherwise. On 2.5 a window.isSecureContext test is reported too: it is "
        "undefined there, so the guarded code never runs. An early return on a related test counts too "
        "(if (!('PushManager' in window)) return; proves service workers: Gecko exposes PushManager only "
        "where they are). Destructuring counts as using the API (const { serviceWorker } = navigator).",
        bad="navigator.storage.persist();",
        good="if (navigator.storage) {\n  navigator.storage.persist();\n}",
        fixable=True,
        example_file="app.js",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Wraps the statement in the feature test (if ('serviceWorker' in navigator) { ... }), or "
        "adds .catch(...) to a promise that rejects. No fix where the use is not a statement of its own "
        "(inside an expression or a condition): what to do without the API is the developer's choice.",
    ),
)

ABSENT, UNDEFINED, REJECTS, DENIED = "absent", "undefined", "rejects", "denied"


@dataclass(frozen=True)
class SecureApi:
    path: str
    failure_25: str | None
    failure_30: str | None
    guard: str  # a feature test that works on both versions ("" when none helps)

    def failure(self, version: str) -> str | None:
        return self.failure_25 if version == "2.5" else self.failure_30


SECURE_APIS = {
    api.path: api
    for api in (
        SecureApi("navigator.serviceWorker", REJECTS, UNDEFINED, "'serviceWorker' in navigator"),
        SecureApi("caches", REJECTS, REJECTS, ""),
        SecureApi("Notification", None, DENIED, ""),
        SecureApi("navigator.mediaDevices", None, UNDEFINED, "navigator.mediaDevices"),
        SecureApi("crypto.subtle", None, UNDEFINED, "window.crypto && crypto.subtle"),
        SecureApi("navigator.storage", ABSENT, UNDEFINED, "navigator.storage"),
        SecureApi("navigator.clipboard", ABSENT, UNDEFINED, "navigator.clipboard"),
        SecureApi("navigator.credentials", ABSENT, UNDEFINED, "navigator.credentials"),
        SecureApi("PushManager", ABSENT, UNDEFINED, "'PushManager' in window"),
        SecureApi(
            "navigator.registerProtocolHandler",
            None,
            UNDEFINED,
            "navigator.registerProtocolHandler",
        ),
    )
}


def secure_status(ctx: ScriptContext) -> str:
    """``secure``, ``insecure`` or ``unknown`` for the pages of this script's app."""
    setting = ctx.config.secure_context
    if setting in ("secure", "insecure"):
        return setting
    app = ctx.app
    if app is None:
        return "unknown"
    if app.packaged:
        return "secure" if app.version == "2.5" else "unknown"
    start = app.manifest.string("start_url") or ""
    if start.startswith("https://"):
        return "secure"
    if start.startswith("http://"):
        host = start[7:].split("/", 1)[0].split(":", 1)[0]
        local = host in ("localhost", "127.0.0.1", "[::1]") or host.endswith(".localhost")
        return "secure" if local else "insecure"
    return "unknown"


def secure_context_rule(ctx: ScriptContext) -> Iterator[Finding]:
    version = ctx.version
    if version is None:
        return
    status = secure_status(ctx)
    for node, path in uses_of(ctx, SECURE_APIS):
        api = SECURE_APIS[path]
        failure = api.failure(version)
        if failure is None or (failure != ABSENT and status == "secure"):
            continue
        if not is_used_value(node) or in_feature_test(node):
            continue
        if guarded(node, path, ctx, rejection=failure == REJECTS):
            continue
        certain = failure == ABSENT or status == "insecure"
        yield Finding(
            INSECURE_API,
            node.start,
            node.end,
            _message(api, failure, version, status),
            fixes=_fixes(ctx, node, api, failure, version),
            severity=Severity.WARNING if certain else Severity.INFO,
        )
    if version == "2.5":
        yield from _secure_context_checks(ctx)


def _where(version: str, status: str) -> str:
    if status == "insecure":
        return "this app's pages are not a secure context (plain http)"
    if version == "3.0":
        return (
            "a KaiOS 3.0 packaged app runs from http://<app>.localhost, which is probably but "
            "not certainly a secure context (the secureContext setting decides)"
        )
    return "the page may not be a secure context"


def _message(api: SecureApi, failure: str, version: str, status: str) -> str:
    name = api.path
    if failure == ABSENT:
        test = api.guard or f"'{name.rsplit('.', 1)[-1]}' in navigator"
        return (
            f"{name} does not exist on KaiOS 2.5 (Gecko 48): this throws a TypeError. "
            f"Test the feature first: if ({test}) {{ … }} (window.isSecureContext does not "
            "exist on KaiOS 2.5 either)."
        )
    where = _where(version, status)
    if failure == UNDEFINED:
        return (
            f"{name} is undefined outside a secure context on KaiOS {version}, and {where}: "
            f"this throws a TypeError. Guard it: if ({api.guard}) {{ … }}."
        )
    if failure == REJECTS:
        extra = (
            " (window.isSecureContext does not exist on KaiOS 2.5: handle the rejection)"
            if version == "2.5"
            else ""
        )
        return (
            f"{name} rejects with a SecurityError outside a secure context, and {where}: "
            f"add .catch(...) so the failure is handled{extra}."
        )
    return (
        f"Notifications are denied outside a secure context on KaiOS 3.0, and {where}: the "
        "notification never shows. Check window.isSecureContext first."
    )


def _fixes(
    ctx: ScriptContext, node: JsNode, api: SecureApi, failure: str, version: str
) -> tuple[Fix, ...]:
    if failure == REJECTS:
        fix = _catch_fix(ctx, node)
        return (fix,) if fix else ()
    guard = api.guard or ("window.isSecureContext" if version == "3.0" else "")
    if not guard:
        return ()
    fix = wrap_in_guard(ctx, node, guard)
    return (fix,) if fix else ()


def wrap_in_guard(ctx: ScriptContext, node: JsNode, guard: str) -> Fix | None:
    """``stmt;`` -> ``if (guard) {\\n  stmt;\\n}`` for an expression statement in a block."""
    statement = statement_of(node)
    if statement is None or statement.type != "ExpressionStatement":
        return None
    parent = statement.parent
    if parent is None or parent.type not in ("Program", "BlockStatement", "SwitchCase"):
        return None
    text = ctx.text
    indent = indentation_at(text, statement.start)
    if text[line_start(text, statement.start) : statement.start].strip():
        return None  # something else precedes it on its line: leave the layout alone
    layout = ctx.cache.get("layout")
    if not isinstance(layout, tuple):  # (two scans of the whole text: once per script)
        layout = (indent_unit(text), "\r\n" if "\r\n" in text else "\n")
        ctx.cache["layout"] = layout
    unit, newline = str(layout[0]), str(layout[1])
    body = _reindent(ctx, statement, unit)
    new = f"if ({guard}) {{{newline}{indent}{unit}{body}{newline}{indent}}}"
    return Fix.replace(f"Wrap in if ({guard})", statement.start, statement.end, new)


def _reindent(ctx: ScriptContext, statement: JsNode, unit: str) -> str:
    """The statement's text with every continuation line indented one more step, except
    lines that begin inside a template literal (their whitespace is part of the string)."""
    text = ctx.text[statement.start : statement.end]
    if "\n" not in text:
        return text
    templates = [
        (t.start, t.end)
        for t in statement.walk()
        if t.type == "TemplateLiteral" and "\n" in ctx.text[t.start : t.end]
    ]
    out = []
    position = statement.start
    for index, line in enumerate(text.split("\n")):
        inside = any(s < position < e for s, e in templates)
        out.append(line if index == 0 or inside or not line.strip() else unit + line)
        position += len(line) + 1
    return "\n".join(out)


def _catch_fix(ctx: ScriptContext, node: JsNode) -> Fix | None:
    """Append ``.catch(...)`` to the promise chain of an expression statement."""
    statement = statement_of(node)
    if statement is None or statement.type != "ExpressionStatement":
        return None
    expression = statement.node("expression")
    if expression is None or expression.type != "CallExpression":
        return None
    if not (expression.start <= node.start and node.end <= expression.end):
        return None
    handler = ".catch(function (error) {\n  console.warn(error);\n})"
    indent = indentation_at(ctx.text, statement.start)
    handler = handler.replace("\n", "\n" + indent)
    return Fix.replace(
        "Handle the rejection with .catch(...)", expression.end, expression.end, handler
    )


def _secure_context_checks(ctx: ScriptContext) -> Iterator[Finding]:
    """``if (window.isSecureContext)`` on KaiOS 2.5: always false, the branch never runs."""
    for node, _path in uses_of(ctx, ["isSecureContext"]):
        if not in_feature_test(node):
            continue
        yield Finding(
            INSECURE_API,
            node.start,
            node.end,
            "window.isSecureContext does not exist on KaiOS 2.5 (Gecko 48): this test is "
            "always false there, so the guarded code never runs. Test the feature itself "
            "(e.g. 'serviceWorker' in navigator).",
            severity=Severity.WARNING,
        )


# The checks run on every script (declaring them here registers them), and the global
# paths they ask about (indexed in one pass per script).
SCRIPT_CHECKS = (secure_context_rule,)
WATCHED_PATHS = (*SECURE_APIS, "isSecureContext")
