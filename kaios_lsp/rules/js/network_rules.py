"""KAI407 (document.cookie in a KaiOS 3.0 packaged app) and KAI408 (cleartext URLs
handed to network APIs)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.js.tree import JsNode, leading_string, string_value
from kaios_lsp.rules.js.context import ScriptContext
from kaios_lsp.rules.js.uses import members_reading, uses_of
from kaios_lsp.rules.meta import Rule

LOCAL_COOKIE = "KAI407"
CLEARTEXT = "KAI408"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI407",
        name="local-cookie",
        title="document.cookie in a KaiOS 3.0 packaged app",
        severity=Severity.INFO,
        category="JavaScript",
        explanation="KaiOS 3.0 packaged apps run from http://<app>.localhost: their cookies belong to that local origin "
        "and never reach a server, so they cannot carry a login session. Keep the session token in memory "
        "(or, if it must survive a restart, in IndexedDB, encrypted: see KAI522) and send it in a header.",
        bad='document.cookie = "session=" + token;',
        good='fetch(url, { headers: { Authorization: "Bearer " + session.token } });',
        example_file="app.js",
        example_app=("manifest.webmanifest", '{"name": "Demo", "start_url": "/index.html"}'),
        fix_note="No mechanical fix: where to keep the data instead (in memory, or IndexedDB; never a "
        "plain-text token in localStorage, see KAI522) depends on the app.",
    ),
    Rule(
        id="KAI408",
        name="cleartext-url",
        title="Cleartext http:// or ws:// URL passed to a network API",
        severity=Severity.WARNING,
        category="JavaScript",
        explanation="A literal http:// or ws:// URL (also the start of a concatenation or template) passed to fetch, "
        "XMLHttpRequest.open, WebSocket, EventSource, importScripts or sendBeacon: readable and changeable on "
        "the network, and blocked as mixed content on https pages. Local hosts (localhost, 127.x, *.localhost, "
        "local-device.kaiostech.com) are fine. The fix switches to https:// or wss:// (a choice: the server "
        "must support it).",
        bad='fetch("http://api.example.com/news");',
        good='fetch("https://api.example.com/news");',
        fixable=True,
        example_file="app.js",
        fix_note="Switches the URL to https:// or wss:// (a choice: the server must support it).",
    ),
)

NETWORK_APIS = ("fetch", "WebSocket", "EventSource", "importScripts", "navigator.sendBeacon")
_HTTP_METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"}
_LOCAL_HOST = re.compile(
    r"^(?:localhost|127(?:\.\d+){3}|\[::1\]|[^/:]*\.localhost|local-device\.kaiostech\.com)$",
    re.IGNORECASE,
)
_URL_START = re.compile(r"^\s*(http|ws)://([^/:?#\s'\"`]*)", re.IGNORECASE)


def cookie_rule(ctx: ScriptContext) -> Iterator[Finding]:
    app = ctx.app
    if app is None or app.version != "3.0" or not app.packaged:
        return
    for node, _path in uses_of(ctx, ["document.cookie"]):
        yield Finding(
            LOCAL_COOKIE,
            node.start,
            node.end,
            "document.cookie in a KaiOS 3.0 packaged app is scoped to the app's own local "
            "origin (http://<app>.localhost): a server never sees these cookies, so they "
            "cannot carry a login session. Keep a session token in memory (or, if it must "
            "survive a restart, encrypted in IndexedDB: see KAI522) and send it in a header.",
            severity=Severity.INFO,
        )


def cleartext_rule(ctx: ScriptContext) -> Iterator[Finding]:
    for node, path in uses_of(ctx, NETWORK_APIS):
        parent = node.parent
        if parent is None or parent.node("callee") is not node:
            continue
        if parent.type not in ("CallExpression", "NewExpression"):
            continue
        args = parent.nodes("arguments")
        urls = args if path == "importScripts" else args[:1]
        for arg in urls:
            yield from _check_url(ctx, arg, path)
    for callee in members_reading(ctx, "open"):
        call = callee.parent
        if call is None or call.type != "CallExpression" or call.node("callee") is not callee:
            continue
        args = call.nodes("arguments")
        method = string_value(args[0]) if args else None
        if method is None or method.upper() not in _HTTP_METHODS or len(args) < 2:
            continue  # not XMLHttpRequest.open (window.open takes a URL first)
        yield from _check_url(ctx, args[1], "XMLHttpRequest.open")


def _check_url(ctx: ScriptContext, arg: JsNode, api: str) -> Iterator[Finding]:
    literal = leading_string(arg)
    if literal is None:
        return
    raw = ctx.text[literal.start + 1 : literal.end]  # after the quote or backtick
    match = _URL_START.match(raw)
    if match is None:
        return
    host = match.group(2)
    if not host or "$" in host or _LOCAL_HOST.match(host):
        return
    scheme = match.group(1)
    secure = "https" if scheme.lower() == "http" else "wss"
    at = literal.start + 1 + match.start(1)
    end = at + len(scheme) + 3
    yield Finding(
        CLEARTEXT,
        at,
        literal.end - 1 if literal.end - 1 > end else end,
        f"{api} with a cleartext {scheme}:// URL: anyone on the network can read and change "
        "the traffic, and on an https page (a KaiOS 3.0 hosted app, or a page served over "
        f"https) it is blocked as mixed content. Use {secure}://.",
        fixes=(Fix.replace(f"Use {secure}://", at, end, f"{secure}://"),),
    )


# The checks run on every script (declaring them here registers them), and the global
# paths they ask about (indexed in one pass per script).
SCRIPT_CHECKS = (cookie_rule, cleartext_rule)
WATCHED_PATHS = (*NETWORK_APIS, "document.cookie")
