"""The taint KAI412's analysis carries: which input of another app a value holds, and how
reading a member or calling a method of it changes that (:mod:`.forgery_flow`)."""

from __future__ import annotations

from dataclasses import dataclass

from kaios_lsp.parse.js.tree import JsNode, identifier_name, property_name

ACTIVITY, SYSTEM_MESSAGE, URL, MESSAGE = "activity", "system-message", "url", "message"
# taint states: containers (a handler's parameter: "request", "options", "sysevent",
# "sysdata", "event") turn into data on the right reads; the page's whole URL is not data
# another app chose until a part of it is read (search, hash, a parameter)
PART, WHOLE, SPLIT = "part", "whole", "split"  # data; the page's whole URL; whole.split()
_URL_PARTS = frozenset({"search", "hash", "searchParams"})


@dataclass(frozen=True)
class Taint:
    kind: str
    state: str
    source: JsNode | None  # the expression that produced the data (None for a container)
    steps: tuple[JsNode, ...] = ()

    def to(self, state: str, source: JsNode | None = None) -> Taint:
        return Taint(self.kind, state, source if source is not None else self.source, self.steps)

    def via(self, step: JsNode) -> Taint:
        return Taint(self.kind, self.state, self.source, (*self.steps, step))


def member_taint(taint: Taint, name: str, node: JsNode) -> Taint | None:
    """Reading ``name`` of a tainted value."""
    state = taint.state
    if state == "request":
        return taint.to("options") if name == "source" else None
    if state == "options":
        return taint.to(PART, node) if name in ("data", "name") else None
    if state == "sysevent":
        return taint.to("sysdata") if name == "data" else None
    if state == "event":
        return taint.to(PART, node) if name == "data" else None
    if state in ("sysdata",):
        return None
    if state in (WHOLE, SPLIT):
        if name in _URL_PARTS:
            return taint.to(PART, node)
        if name == "href":
            return taint
        return None
    if name == "length":
        return None
    return taint  # a field of the data is data


def method_taint(taint: Taint, method: str, node: JsNode) -> Taint | None:
    state = taint.state
    if state == "sysdata":
        return taint.to("request") if method == "webActivityRequestHandler" else None
    if state not in (PART, WHOLE, SPLIT):
        return None
    if state == WHOLE:
        if method in ("toString", "replace", "trim"):
            return taint
        if method == "split":
            return taint.to(SPLIT)
        if method in ("get", "getAll"):
            return taint.to(PART, node)
        return taint.to(PART)
    if method in ("indexOf", "includes", "startsWith", "endsWith", "test", "has"):
        return None
    return taint.to(PART)


def chain_key(node: JsNode) -> str | None:
    """``state.to`` for a plain member chain of identifiers (``None`` otherwise)."""
    parts: list[str] = []
    current: JsNode | None = node
    while current is not None and current.type == "MemberExpression":
        name = property_name(current)
        if name is None:
            return None
        parts.append(name)
        current = current.node("object")
    root = identifier_name(current)
    if root is None or not parts:
        return None
    return ".".join([root, *reversed(parts)])
