"""Where input of another app enters a script (KAI412): the activity handler, the 3.0
service worker's systemmessage handler, a window message handler, and reads of the page's
own URL. Each gives a *region* (the handler, or the function around the read) and the
taint its first parameter carries."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from kaios_lsp.parse.js.tree import FUNCTION_TYPES, JsNode, property_name, string_value
from kaios_lsp.rules.js.context import ScriptContext
from kaios_lsp.rules.js.forgery_taint import ACTIVITY, MESSAGE, SYSTEM_MESSAGE, URL, Taint
from kaios_lsp.rules.js.uses import call_of, uses_of

URL_PATHS = ("location", "document.location", "document.URL", "document.documentURI")


# -- sources -------------------------------------------------------------------------------


def regions(
    ctx: ScriptContext,
    function_value: Callable[[JsNode | None], JsNode | None],
    url_sources: dict[tuple[int, int], JsNode],
) -> Iterator[tuple[JsNode, Taint | None, str]]:
    for node, _path in uses_of(ctx, ("navigator.mozSetMessageHandler",)):
        call = call_of(node)
        args = call.nodes("arguments") if call is not None else []
        if len(args) >= 2 and string_value(args[0]) == "activity":
            handler = function_value(args[1])
            if handler is not None:
                yield handler, Taint(ACTIVITY, "request", None), ACTIVITY
    worker = _looks_like_worker(ctx)
    for node, _path in uses_of(ctx, ("addEventListener",)):
        call = call_of(node)
        args = call.nodes("arguments") if call is not None else []
        if len(args) < 2:
            continue
        event = string_value(args[0])
        handler = function_value(args[1])
        if handler is None:
            continue
        if event == "systemmessage":
            yield handler, Taint(SYSTEM_MESSAGE, "sysevent", None), SYSTEM_MESSAGE
        elif event == "message" and not worker:
            yield handler, Taint(MESSAGE, "event", None), MESSAGE
    for node, path in uses_of(ctx, ("onsystemmessage", "onmessage")):
        parent = node.parent
        if (
            parent is None
            or parent.type != "AssignmentExpression"
            or parent.node("left") is not node
        ):
            continue
        handler = function_value(parent.node("right"))
        if handler is None:
            continue
        if path == "onsystemmessage":
            yield handler, Taint(SYSTEM_MESSAGE, "sysevent", None), SYSTEM_MESSAGE
        elif not worker:
            yield handler, Taint(MESSAGE, "event", None), MESSAGE
    # every URL read first: a region is analysed once, with all the reads inside it
    url_regions: dict[tuple[int, int], JsNode] = {}
    for node, _path in uses_of(ctx, URL_PATHS):
        if not _reads_url_input(node):
            continue
        url_sources[(node.start, node.end)] = node
        region = _enclosing_function(node) or ctx.tree.root
        url_regions.setdefault((region.start, region.end), region)
    for region in url_regions.values():
        yield region, None, URL


def source_sites(ctx: ScriptContext) -> int:
    """How many places input of another app could enter (a superset of the sources
    :func:`regions` gives: handlers are not looked up). Without one, KAI412 has nothing to
    follow; a region that gains or loses one changes the file's flows."""
    count = 0
    for node, _path in uses_of(ctx, ("navigator.mozSetMessageHandler",)):
        call = call_of(node)
        args = call.nodes("arguments") if call is not None else []
        if len(args) >= 2 and string_value(args[0]) == "activity":
            count += 1
    for node, _path in uses_of(ctx, ("addEventListener",)):
        call = call_of(node)
        args = call.nodes("arguments") if call is not None else []
        if len(args) >= 2 and string_value(args[0]) in ("systemmessage", "message"):
            count += 1
    for node, _path in uses_of(ctx, ("onsystemmessage", "onmessage")):
        parent = node.parent
        if (
            parent is not None
            and parent.type == "AssignmentExpression"
            and (parent.node("left") is node)
        ):
            count += 1
    return count + sum(1 for node, _path in uses_of(ctx, URL_PATHS) if _reads_url_input(node))


def _looks_like_worker(ctx: ScriptContext) -> bool:
    """A worker's ``message`` comes from its own page, not from another app."""
    name = os.path.basename(ctx.path or "").lower()
    return "importScripts" in ctx.text or "worker" in name or name in ("sw.js", "service-worker.js")


def _reads_url_input(node: JsNode) -> bool:
    """``location.search`` / ``new URL(location.href)``, not ``location.reload()``,
    ``location.hostname`` or ``location.href = x``."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "AssignmentExpression" and parent.node("left") is node:
        return False
    if parent.type == "MemberExpression" and parent.node("object") is node:
        name = property_name(parent)
        grand = parent.parent
        if (
            grand is not None
            and grand.type == "AssignmentExpression"
            and grand.node("left") is parent
        ):
            return False
        return name in ("search", "hash", "href", "toString")
    return True


def _enclosing_function(node: JsNode) -> JsNode | None:
    for ancestor in node.ancestors():
        if ancestor.type in FUNCTION_TYPES:
            return ancestor
    return None
