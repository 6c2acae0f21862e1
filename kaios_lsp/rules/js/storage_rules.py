"""KAI522: passwords, PINs, tokens, secrets, keys and credentials written to plain storage
(localStorage, sessionStorage, IndexedDB, document.cookie)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from kaios_lsp.findings import Finding, Severity
from kaios_lsp.parse.js.tree import JsNode, identifier_name, leading_text, property_name
from kaios_lsp.parse.js.tree import string_value as literal_string
from kaios_lsp.rules.js.context import ScriptContext
from kaios_lsp.rules.js.uses import members_reading, uses_of
from kaios_lsp.rules.meta import Rule

SENSITIVE_STORAGE = "KAI522"

_ADVICE = (
    "Anyone with the phone (or a backup of it) can read plain storage. Better not to store "
    "it (keep it in memory, ask again, or keep a short-lived token the server can revoke); "
    "if it must be kept, encrypt it with Web Crypto (crypto.subtle) under a key that is not "
    "itself stored in plain text, e.g. derived from the user's passphrase with PBKDF2."
)

RULES = (
    Rule(
        id="KAI522",
        name="sensitive-data-in-storage",
        title="Password, PIN, token or secret written to plain storage",
        severity=Severity.WARNING,
        category="Leaks",
        explanation="localStorage, sessionStorage, IndexedDB and cookies are kept unencrypted in the "
        "app's profile on the phone: anyone who has the phone, a backup or a debugging connection can "
        "read them. Flagged: localStorage/sessionStorage setItem calls and property assignments, "
        "IndexedDB put/add of objects, and document.cookie assignments, where the key (or the name of "
        "the value stored) names a password, PIN, token, secret, private key, API key or credential. "
        "Names are split into words (camelCase, snake_case): authToken and user_pin match, tokenizer, "
        "pinnedItems and spinnerColor do not. " + _ADVICE,
        bad='localStorage.setItem("authToken", response.token);',
        good='localStorage.setItem("theme", "dark");',
        example_file="app.js",
        fix_note="No mechanical fix: whether to keep the value at all, or how to encrypt it and "
        "where its key comes from, is the app's decision.",
    ),
)

_STORAGES = ("localStorage", "sessionStorage")
_SETTERS = tuple(f"{s}.setItem" for s in _STORAGES)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SENSITIVE_WORDS = frozenset(
    {
        "password", "passwords", "passwd", "pwd", "passcode", "passphrase", "pin", "pins",
        "token", "tokens", "jwt", "secret", "secrets", "credential", "credentials", "apikey",
        "privatekey",
    }
)  # fmt: skip
_SENSITIVE_PAIRS = frozenset({("api", "key"), ("private", "key"), ("secret", "key")})
# a part of every sensitive word and pair: a name without one is not split into words
_SENSITIVE_PARTS = ("pass", "pwd", "pin", "token", "jwt", "secret", "credential", "key")
_EMPTY = (None, "", "null", "undefined", "false")


def sensitive_name(name: str | None) -> bool:
    """Does this key or identifier name a password, PIN, token, secret or key (by its
    words: ``authToken``, ``user_pin``; not ``tokenizer``, ``pinned``, ``spinner``)?"""
    if not name:
        return False
    lowered = name.lower()
    if not any(part in lowered for part in _SENSITIVE_PARTS):
        return False
    words = [w.lower() for w in _WORDS.findall(name)]
    return any(w in _SENSITIVE_WORDS for w in words) or any(
        pair in _SENSITIVE_PAIRS for pair in pairwise(words)
    )


def storage_rule(ctx: ScriptContext) -> Iterator[Finding]:
    for node, path in uses_of(ctx, (*_SETTERS, *_STORAGES)):
        storage = path.split(".")[0]
        parent = node.parent
        if path in _SETTERS:
            call = parent if parent is not None and parent.node("callee") is node else None
            args = call.nodes("arguments") if call is not None else []
            if call is None or call.type != "CallExpression" or len(args) < 2:
                continue
            name = _sensitive_in(args[0], key=True) or _sensitive_in(args[1])
            if name is not None and not _empty(args[1]):
                yield _finding(call, f"{storage}.setItem stores '{name}'", storage)
        elif (
            parent is not None
            and parent.type == "MemberExpression"
            and parent.node("object") is node
            and _assigned(parent) is not None
        ):
            value = _assigned(parent)
            name = property_name(parent)
            if name in ("setItem", "getItem", "removeItem", "clear", "key", "length"):
                continue
            found = name if sensitive_name(name) else _sensitive_in(value)
            if found is not None and not _empty(value):
                yield _finding(parent, f"Assigning {storage}.{name} stores '{found}'", storage)
    yield from _indexeddb(ctx)
    yield from _cookies(ctx)


def _indexeddb(ctx: ScriptContext) -> Iterator[Finding]:
    for method in ("put", "add"):
        for callee in members_reading(ctx, method):
            call = callee.parent
            if call is None or call.type != "CallExpression" or call.node("callee") is not callee:
                continue
            owner = callee.node("object")
            if (
                owner is not None
                and owner.type == "MemberExpression"
                and property_name(owner) == "classList"
            ):
                continue  # element.classList.add(...)
            args = call.nodes("arguments")
            if not args or args[0].type != "ObjectExpression":
                continue
            for prop in args[0].nodes("properties"):
                key = prop.node("key")
                name = identifier_name(key) or literal_string(key)
                value = prop.node("value")
                if sensitive_name(name) and not _empty(value):
                    yield _finding(prop, f"{method}() stores '{name}' in IndexedDB", "IndexedDB")


def _cookies(ctx: ScriptContext) -> Iterator[Finding]:
    for node, _path in uses_of(ctx, ["document.cookie"]):
        value = _assigned(node)
        if value is None:
            continue
        cookie = (leading_text(value) or "").split("=", 1)[0].strip()
        name = cookie if sensitive_name(cookie) else _sensitive_in(value)
        if name is not None:
            assignment = node.parent
            assert assignment is not None
            yield _finding(assignment, f"A cookie stores '{name}'", "a cookie")


def _finding(node: JsNode, what: str, storage: str) -> Finding:
    return Finding(
        SENSITIVE_STORAGE,
        node.start,
        node.end,
        f"{what}, a password, PIN, token or secret by its name, in {storage} in plain text. "
        + _ADVICE,
    )


def _assigned(target: JsNode) -> JsNode | None:
    """The value of ``target = value`` (only a plain ``=``)."""
    parent = target.parent
    if (
        parent is not None
        and parent.type == "AssignmentExpression"
        and parent.get("operator") == "="
        and parent.node("left") is target
    ):
        return parent.node("right")
    return None


def _sensitive_in(node: JsNode | None, key: bool = False) -> str | None:
    """The first sensitive name in an expression: a key string, or the names of the
    variables, properties and calls the value is made of (not inside functions)."""
    if node is None:
        return None
    value = literal_string(node)
    if value is not None:
        return value if key and sensitive_name(value) else None
    for part in _walk(node):
        name = identifier_name(part)
        if name is None and part.type == "MemberExpression":
            name = property_name(part)
        if name is None and part.type == "Literal" and key:
            text = literal_string(part)
            name = text if text is not None else None
        if sensitive_name(name):
            return name
    return None


def _walk(node: JsNode) -> Iterator[JsNode]:
    """The node and its descendants in source order, not entering functions and objects
    (a stack, not nested generators: every level of those costs each node it passes up)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current.type not in (
            "FunctionExpression",
            "ArrowFunctionExpression",
            "ObjectExpression",
        ):
            stack.extend(reversed(current.children()))


def _empty(node: JsNode | None) -> bool:
    """``null``, ``''``, ``undefined``, ``false``: clearing the value, not storing it."""
    if node is None:
        return True
    if node.type == "Literal":
        value = node.get("value")
        return value in _EMPTY or value is False
    return identifier_name(node) == "undefined"


# The checks run on the app's own scripts (declaring them here registers them), and the
# global paths and member names they ask about (indexed in one pass per script).
SCRIPT_CHECKS = (storage_rule,)
WATCHED_PATHS = (*_SETTERS, *_STORAGES, "document.cookie")
WATCHED_MEMBERS = ("put", "add")
