"""KAI310 from script: ``window.open(url, '_blank')`` to another origin.

The page rule (html.leaks.target_blank_rule) reports ``<a target="_blank">``; a script that
opens another origin's page in a new window leaks the same: the page gets
``window.opener`` (it can navigate the app) and the app page's address as Referer. The
same exception applies: a KaiOS 2.5 packaged app (``app://``) sends no Referer and its
Gecko 48 knows no ``noopener`` feature (Firefox 52), so nothing there leaks that a fix
could stop.

Fix: on KaiOS 3.0 (Gecko 84) add ``'noopener,noreferrer'`` as the features (unknown
features are ignored, so it never breaks an older engine) -- only when the call's result
is not used, because with ``noopener`` window.open returns null. On a 2.5 hosted app
``(window.open(...) || {}).opener = null`` cuts the opener (the Referer still goes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from kaios_lsp.findings import Finding, Fix
from kaios_lsp.parse.js.tree import JsNode, leading_text, string_value
from kaios_lsp.rules.js.context import ScriptContext, literal_concatenation
from kaios_lsp.rules.js.uses import uses_of

TARGET_BLANK = "KAI310"
OPEN_PATHS = ("open",)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def open_rule(ctx: ScriptContext) -> Iterator[Finding]:
    app = ctx.app
    if app is not None and app.version == "2.5" and app.packaged:
        return  # app:// sends no Referer and Gecko 48 predates noopener
    for node, _path in uses_of(ctx, OPEN_PATHS):
        call = node.parent
        if call is None or call.type != "CallExpression" or call.node("callee") is not node:
            continue
        args = call.nodes("arguments")
        if not args or not _third_party(ctx, args[0]):
            continue
        if len(args) >= 2:
            target = string_value(args[1])
            if target is None or target.strip().lower() != "_blank":
                continue  # a named window or _self: not (certainly) a new one
        features = literal_concatenation(args[2]) if len(args) >= 3 else ""
        if features is None:
            continue  # built at run time: may well say noopener
        tokens = {t.strip().split("=")[0].lower() for t in re.split(r"[,\s]+", features)}
        if "noopener" in tokens and "noreferrer" in tokens:
            continue
        advice = (
            "KaiOS 2.5 (Gecko 48) knows no noopener feature: set the new window's opener to "
            'null, and keep the Referer out with <meta name="referrer" content="no-referrer">.'
            if ctx.version == "2.5"
            else "Pass 'noopener,noreferrer' as the window features."
        )
        yield Finding(
            TARGET_BLANK,
            call.start,
            call.end,
            "window.open() of another origin's page in a new window: the page gets a handle on "
            f"this window (window.opener) and your app's address as Referer. {advice}",
            fixes=_fixes(ctx, call, args, features, tokens),
        )


def _third_party(ctx: ScriptContext, node: JsNode) -> bool:
    value = leading_text(node)
    if value is None:
        return False
    match = re.match(r"^\s*(?:(https?):)?//([^/:?#\s]+)", value, re.I)
    if match is None or (match.group(1) is None and not value.strip().startswith("//")):
        return False
    host = match.group(2).lower()
    if host in _LOCAL_HOSTS or host.endswith(".localhost"):
        return False
    if ctx.app is not None:
        own = re.match(r"^https?://([^/:?#]+)", ctx.app.manifest.string("start_url") or "", re.I)
        if own and own.group(1).lower() == host:
            return False
    return True


def _fixes(
    ctx: ScriptContext, call: JsNode, args: list[JsNode], features: str, tokens: set[str]
) -> tuple[Fix, ...]:
    parent = call.parent
    if parent is None or parent.type != "ExpressionStatement":
        return ()  # the result is used: noopener would make it null
    if ctx.version == "2.5":
        holder = parent.parent
        if holder is None or holder.type not in ("Program", "BlockStatement", "SwitchCase"):
            return ()  # `if (x) window.open(...)`: a leading `;` would end the if
        text = ctx.text[call.start : call.end]
        before = ctx.text[: call.start].rstrip()
        guard = "" if not before or before[-1] in ";{}" else ";"  # `a\n(b)` would call a
        return (
            Fix.replace(
                "Cut the opener: (window.open(...) || {}).opener = null",
                call.start,
                call.end,
                f"{guard}({text} || {{}}).opener = null",
            ),
        )
    missing = [t for t in ("noopener", "noreferrer") if t not in tokens]
    if len(args) == 1:
        at = args[0].end
        return (
            Fix.replace(
                "Add '_blank', 'noopener,noreferrer'",
                at,
                at,
                ", '_blank', 'noopener,noreferrer'",
            ),
        )
    if len(args) == 2:
        at = args[1].end
        return (Fix.replace("Add 'noopener,noreferrer'", at, at, ", 'noopener,noreferrer'"),)
    third = args[2]
    if third.type != "Literal" or len(args) > 3:
        return ()
    joined = ",".join([p for p in (features.strip(),) if p] + missing)
    quote = ctx.text[third.start]
    literal = json.dumps(joined) if quote == '"' else "'" + joined.replace("'", "\\'") + "'"
    return (
        Fix.replace("Add noopener,noreferrer to the features", third.start, third.end, literal),
    )


# The checks run on every script (declaring them here registers them), and the global
# paths they ask about (indexed in one pass per script).
SCRIPT_CHECKS = (open_rule,)
WATCHED_PATHS = OPEN_PATHS
WATCHED_MEMBERS = ("open",)
