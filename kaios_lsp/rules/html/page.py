"""A page as the HTML rules see it: its tags, the policies in force at each point, which scripts the phone runs, and where the page's own origin is."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.files import FileView
from kaios_lsp.config import Config
from kaios_lsp.parse.csp import (
    Directive,
    Policy,
    blocking_policy,
)
from kaios_lsp.parse.html import HtmlDocument, Tag
from kaios_lsp.parse.js.esprima_front import load_esprima

# HTML's JavaScript MIME types (a script with another type is a data block: never run)
JS_TYPES = {
    "",
    "text/javascript",
    "application/javascript",
    "text/ecmascript",
    "application/ecmascript",
    "application/x-javascript",
    "application/x-ecmascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
    "module",
}


# Handlers on <body> and <frameset> that belong to the window.
WINDOW_EVENTS = {
    "load",
    "unload",
    "beforeunload",
    "hashchange",
    "popstate",
    "resize",
    "message",
    "online",
    "offline",
    "pagehide",
    "pageshow",
    "storage",
    "error",
    "focus",
    "blur",
    "languagechange",
    "afterprint",
    "beforeprint",
}


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "local-device.kaiostech.com")


@dataclass
class Page:
    path: str | None
    text: str
    doc: HtmlDocument
    app: AppContext | None
    files: FileView
    config: Config
    metas: list[tuple[int, Policy]] = field(default_factory=list)
    new_files: set[str] = field(default_factory=set)  # names other fixes of this page create
    read_cache: dict[str, str | None] = field(default_factory=dict)

    @property
    def folder(self) -> str | None:
        return os.path.dirname(self.path) if self.path else None

    @property
    def version(self) -> str:
        return self.app.version if self.app else "3.0"

    @property
    def stem(self) -> str:
        return os.path.splitext(os.path.basename(self.path or "page.html"))[0]

    def blocked(
        self, directive: str, at: int, allows: Callable[[Directive | None], bool]
    ) -> str | None:
        """Who blocks a load at offset ``at``: the first policy whose ``directive``
        refuses it, as words for a message; ``None`` when every policy allows it."""
        policies = list(self.app.policies) if self.app else []
        policies += [
            ("the page's <meta> policy", policy) for start, policy in self.metas if start <= at
        ]
        return blocking_policy(policies, directive, allows)


def script_type(tag: Tag) -> str:
    return (tag.value("type") or "").strip().lower().split(";")[0].strip()


def executable(tag: Tag, version: str = "3.0") -> bool:
    """Would the phone run this script? KaiOS 2.5 (Gecko 48) knows no modules: it skips
    type="module" and runs nomodule scripts; KaiOS 3.0 does the opposite."""
    kind = script_type(tag)
    if version == "2.5":
        return kind in JS_TYPES and kind != "module"
    return kind in JS_TYPES and not (tag.has("nomodule") and kind != "module")


def inline_scripts(doc: HtmlDocument, version: str = "3.0") -> list[Tag]:
    """Inline scripts the phone would run (handed to the JavaScript analysis too)."""
    return [
        tag
        for tag in doc.elements("script")
        if not tag.has("src")
        and executable(tag, version)
        and tag.content_start >= 0
        and doc.text[tag.content_start : tag.content_end].strip()
    ]


# Members an inline handler finds without `this.`: its scope chain holds the element, its
# form and the document. In a listener the same bare name means a global (or nothing).
_SCOPE_MEMBERS_TEXT = """
value checked disabled form name id className classList style dataset title submit reset
focus blur click select parentNode innerHTML textContent getElementById querySelector
querySelectorAll getElementsByTagName getElementsByClassName createElement write writeln
forms images links cookie body head elements length href src
"""


_SCOPE_MEMBERS = frozenset(_SCOPE_MEMBERS_TEXT.split())


def scope_names(code: str) -> list[str]:
    """Bare names in handler code that its inline scope chain may have resolved to
    element, form or document members; empty when the code cannot be tokenized."""
    esprima = load_esprima()  # (on first use: see parse/js/esprima_front.py)

    try:
        tokens = esprima.tokenize(code)
    except Exception:  # esprima raises its own error types; the fix title is optional help
        return []
    found: list[str] = []
    declared: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type != "Identifier" or token.value not in _SCOPE_MEMBERS:
            continue
        previous = tokens[index - 1].value if index > 0 else None
        following = tokens[index + 1].value if index + 1 < len(tokens) else None
        if previous in (".", "?."):
            continue  # a.title: a property, not a name
        if previous in ("{", ",") and following == ":" and _in_object_literal(tokens, index):
            continue  # {title: 'x'}: an object key
        if previous in ("var", "let", "const", "function"):
            declared.add(token.value)  # the handler's own variable
            continue
        if token.value not in found:
            found.append(token.value)
    return [name for name in found if name not in declared]


def _in_object_literal(tokens: list[Any], index: int) -> bool:  # esprima tokens
    """Is the token at ``index`` (after ``{`` or ``,``) directly inside ``{ ... }``, not a
    ``(a, b ? c : d)`` list? Walk back to the opening bracket of its nesting level."""
    depth = 0
    for token in reversed(tokens[:index]):
        value: str = token.value
        if token.type != "Punctuator":
            continue
        if value in (")", "]", "}"):
            depth += 1
        elif value in ("(", "[", "{"):
            if depth == 0:
                return value == "{"
            depth -= 1
    return False


def is_remote(url: str) -> bool:
    return bool(
        re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", url.strip()) or url.strip().startswith("//")
    )


def absolute(url: str) -> str:
    url = url.strip()
    return "https:" + url if url.startswith("//") else url


def is_device_local(url: str) -> bool:
    match = re.match(r"^[a-z][a-z0-9+.\-]*://([^/?#]*)", url, re.I)
    if match is None:
        return False
    host = re.sub(r":\d+$", "", match.group(1).rsplit("@", 1)[-1]).lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


# Start tags the HTML parser keeps in <head>; any other one opens <body>.
HEAD_CONTENT = {"html", "head", "meta", "title", "link", "style", "script", "base", "noscript"}
HEAD_CONTENT |= {"template", "basefont", "bgsound", "noframes"}


def csp_metas(doc: HtmlDocument) -> list[Tag]:
    return [
        tag
        for tag in doc.elements("meta")
        if (tag.value("http-equiv") or "").strip().lower() == "content-security-policy"
    ]


def in_head(doc: HtmlDocument, meta: Tag) -> bool:
    """Does the parser put this <meta> in <head>? Gecko enforces a CSP <meta> only there."""
    for tag in doc.tags:
        if tag is meta:
            return True
        if not tag.closing and tag.name not in HEAD_CONTENT:
            return False  # <body> or body content came first
    return True


def http_url(value: str | None) -> str | None:
    if not value:
        return None
    url = value.strip()
    if not url.lower().startswith("http://"):
        return None
    host = re.split(r"[/:?#]", url[7:], maxsplit=1)[0].lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return None  # the device itself (KaiAds, 3.0 packaged apps): not a network hop
    return url


def third_party(url: str | None, page: Page) -> bool:
    if not url:
        return False
    url = absolute(url)
    if not re.match(r"^https?://", url, re.I):
        return False
    host = re.split(r"[/:?#]", url.split("://", 1)[1], maxsplit=1)[0].lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return False
    own = own_host(page)
    return host != own


def own_origin(page: Page) -> re.Match[str] | None:
    """The hosted app's own scheme and host, when its manifest names them (start_url)."""
    if page.app is None:
        return None
    start = page.app.manifest.string("start_url") or ""
    return re.match(r"^(https?)://([^/:?#]+)", start, re.I)


def own_host(page: Page) -> str | None:
    match = own_origin(page)
    return match.group(2).lower() if match else None


def own_scheme(page: Page) -> str | None:
    """``http`` for a hosted app served over plain http: no mixed content there."""
    match = own_origin(page)
    return match.group(1).lower() if match else None


def walk(
    files: FileView, root: str, limit: int = 400
) -> Iterable[tuple[str, list[str], list[str]]]:
    queue = [root]
    seen = 0
    while queue and seen < limit:
        folder = queue.pop(0)
        names = files.list_dir(folder) or []
        seen += len(names)
        dirs = [
            n
            for n in names
            if not n.startswith(".")
            and n != "node_modules"
            and files.is_dir(os.path.join(folder, n))
        ]
        yield folder, dirs, [n for n in names if n not in dirs]
        queue.extend(os.path.join(folder, d) for d in dirs)
