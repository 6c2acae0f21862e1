"""What the Content Security Policy of a KaiOS app does to its HTML pages, plus mixed
content, Subresource Integrity and referrer leaks.

A privileged or certified packaged app runs under a default policy (``script-src 'self'
...; object-src 'none'``), the 2.5 manifest ``csp`` adds a second one and a page's
``<meta http-equiv="Content-Security-Policy">`` a third; a load must pass all of them.
Blocked inline code simply does not run on the phone, silently. Web apps have no default
policy, so only their own manifest or meta policies can block anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

import esprima

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.files import FileView
from kaios_lsp.config import Config
from kaios_lsp.facts.html_events import EVENT_HANDLER_ATTRIBUTES
from kaios_lsp.findings import FileChange, Finding, Fix, Severity, TextEdit
from kaios_lsp.parse.csp import (
    Directive,
    Policy,
    blocking_policy,
    inline_allowed,
    parse_policy,
    url_allowed,
)
from kaios_lsp.parse.html import HtmlDocument, Tag, scan
from kaios_lsp.rules.meta import Rule

INLINE_SCRIPT = "KAI301"
INLINE_HANDLER = "KAI302"
JAVASCRIPT_URL = "KAI303"
BLOCKED_SOURCE = "KAI304"
PLUGIN = "KAI305"
META_CSP = "KAI306"
MIXED_CONTENT = "KAI307"
MISSING_SRI = "KAI308"
SRI_CROSSORIGIN = "KAI309"
TARGET_BLANK = "KAI310"
REFERRER = "KAI311"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI301",
        name="inline-script",
        title="Inline <script> blocked by the app's policy",
        severity=Severity.ERROR,
        category="HTML",
        explanation="Privileged and certified packaged apps run under script-src 'self' (plus the KaiAds local server): "
        "inline scripts never run, silently. Not reported for src= scripts, empty scripts, data blocks "
        "(text/template, application/json, importmap...), or web apps (no default policy). The fix moves "
        "the code verbatim into a new file next to the page and loads it with <script src> at the same place "
        "(with defer only where that keeps the order of the page's scripts).",
        bad='<script>document.title = "Ready";</script>',
        good='<script src="ready.js"></script>',
        fixable=True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Moves the code verbatim into a new .js file beside the page and loads it with "
        "<script src> in the same place (defer only where the page's script order stays the same).",
    ),
    Rule(
        id="KAI302",
        name="inline-handler",
        title="Inline event handler blocked by the app's policy",
        severity=Severity.ERROR,
        category="HTML",
        explanation="onclick=, onload= and every other on* attribute is inline script: blocked by script-src without "
        "'unsafe-inline'. The fix removes the attribute, gives the element an id if it has none, and adds "
        "an addEventListener call with the same code (keeping `this` and `return false`) to a script of the "
        "page, created if needed. Scripts are checked too, under this rule because they make the same "
        "thing: el.setAttribute('onclick', '...') creates an inline handler attribute the policy blocks, and "
        "el.onclick = 'go()' (a string that contains a call) never runs on any browser (the property takes a "
        "function; a string is stored as null).",
        bad='<button onclick="play()">Play</button>',
        good='<button id="play">Play</button>',
        fixable=True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Page: the handler moves into <page>-handlers.js as an addEventListener call (the element "
        "gets an id; `this` and `return false` keep working). The listener calls event.preventDefault() "
        "first when the code navigates itself (history.*, location, window.open, submit) on an element that "
        "navigates or submits by default, or when the link's href is a javascript: URL (the KAI303 fix makes "
        'it "#"): else the two navigations race. The title names bare names the inline scope chain may '
        "have resolved to the element, form or document (check value). Script: setAttribute('onX', "
        "'code') and el.onX = 'code' become el.onX = function (event) { code; } for one-line literal code; "
        "code built at run time has no mechanical fix.",
    ),
    Rule(
        id="KAI303",
        name="javascript-url",
        title="javascript: URL blocked by the app's policy",
        severity=Severity.ERROR,
        category="HTML",
        explanation="javascript: URLs in href, src, action or formaction are inline script. The fix turns a no-op "
        '(javascript:void(0)) into "#", or moves the code into a click listener. Scripts are checked '
        "too (a javascript: URL is blocked however it is followed): a.href = 'javascript:...', "
        "setAttribute('href', 'javascript:...'), location.href/location = 'javascript:...', "
        "location.assign/replace('javascript:...') and window.open('javascript:...').",
        bad='<a href="javascript:play()">Play</a>',
        good='<a href="#" id="play">Play</a>',
        fixable=True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note='Page: javascript:void(0) becomes "#"; other code on an <a> moves into a click listener '
        'that calls event.preventDefault() first (so "#" does not navigate too) and the href becomes '
        '"#". src, action and formaction have no mechanical fix (what should load or submit is the '
        "developer's). Script: an element href of javascript:void(0) becomes '#'; location and window.open "
        "with code have no mechanical fix (call the code directly or from a listener: the developer's "
        "choice).",
    ),
    Rule(
        id="KAI304",
        name="blocked-source",
        title="Script or stylesheet from an origin the policy blocks",
        severity=Severity.ERROR,
        category="HTML",
        explanation="The default policy allows scripts only from the app itself and the KaiAds local server "
        "(http://127.0.0.1:8081, http://local-device.kaiostech.com:8081), and stylesheets only from the app: "
        "a CDN script or web font stylesheet never loads. Ship a copy inside the package. Files the phone "
        "itself serves are never to be shipped: the KaiOS 3.0 api-daemon libraries "
        "(http://127.0.0.1/api/v1/shared/core.js, .../apps/service.js) are allowed by the 3.0 packaged-app "
        "policy (script-src 'self' http://127.0.0.1 http://shared.localhost) and are not reported there; "
        "elsewhere the message says they belong to KaiOS 3.0.",
        bad='<script src="https://cdn.example.com/lib.js"></script>',
        good='<script src="lib.js"></script>',
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="No mechanical fix: the script or stylesheet must ship inside the app (a copy the developer chooses and licenses) or the policy must allow its origin, which a packaged app's default policy cannot.",
    ),
    Rule(
        id="KAI305",
        name="plugin-element",
        title="<object>, <embed> or <applet> blocked",
        severity=Severity.ERROR,
        category="HTML",
        explanation="object-src 'none' refuses every plugin, and KaiOS has none anyway.",
        bad='<object data="player.swf"></object>',
        good='<audio src="podcast.mp3"></audio>',
        fixable=True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Removes the element (it never loads on KaiOS); what replaces it (<audio>, <video>, "
        "<img>) is the developer's choice.",
    ),
    Rule(
        id="KAI306",
        name="meta-csp",
        title="Page sets its own Content Security Policy",
        severity=Severity.INFO,
        category="HTML",
        explanation='A <meta http-equiv="Content-Security-Policy"> is enforced in addition to the app\'s policies: it '
        "can only add restrictions, and only for what follows it in the page. kaios-lsp applies it to the "
        "checks of this page. Gecko ignores one outside <head> (after <body> or body content): that "
        "is reported as a warning, with a fix that removes it.",
        bad='<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">',
        good='<meta charset="utf-8">',
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="No fix: information only; the page's own policy is enforced in addition to the app's.",
    ),
    Rule(
        id="KAI307",
        name="mixed-content",
        title="http:// resource (cleartext or mixed content)",
        severity=Severity.WARNING,
        category="HTML",
        explanation="An http:// script, frame, stylesheet or form is blocked as mixed content on a hosted app served over "
        "https (error); elsewhere, and for images and media, it travels in clear text (warning). The device "
        "itself (127.0.0.1, localhost, *.localhost) is not flagged. The fix switches to https:// on the same host.",
        bad='<img src="http://cdn.example.com/logo.png">',
        good='<img src="https://cdn.example.com/logo.png">',
        fixable=True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Switches the URL to https:// on the same host (a choice: the server must serve it).",
    ),
    Rule(
        id="KAI308",
        name="missing-sri",
        title="Cross-origin script or stylesheet without integrity",
        severity=Severity.WARNING,
        category="HTML",
        explanation="Hosted apps and PWAs: a script or stylesheet from another origin runs with the app's rights; "
        'Subresource Integrity (integrity="sha384-...") makes the browser refuse a changed file. When a file '
        "with the same name is in the app folder, the fix offers its hash (check it is the same file); the "
        "network is never fetched.",
        bad='<script src="https://cdn.example.com/lib.js"></script>',
        good='<script src="https://cdn.example.com/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" crossorigin="anonymous"></script>',
        example_file="index.html",
        example_app=(
            "manifest.webmanifest",
            '{"name": "Demo", "start_url": "https://app.example.com/"}',
        ),
        fix_note="A hash is offered only when an identical local copy of the file is in the app folder (the network is never fetched); otherwise no mechanical fix.",
    ),
    Rule(
        id="KAI309",
        name="sri-crossorigin",
        title="integrity without crossorigin",
        severity=Severity.WARNING,
        category="HTML",
        explanation="A cross-origin response fetched without CORS cannot be checked against its integrity, so the browser "
        'refuses it. Add crossorigin="anonymous".',
        bad='<script src="https://cdn.example.com/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>',
        good='<script src="https://cdn.example.com/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" crossorigin="anonymous"></script>',
        fixable=True,
        example_file="index.html",
        example_app=(
            "manifest.webmanifest",
            '{"name": "Demo", "start_url": "https://app.example.com/"}',
        ),
        fix_note='Adds crossorigin="anonymous" to the tag.',
    ),
    Rule(
        id="KAI310",
        name="target-blank",
        title="target=_blank link without rel=noopener noreferrer",
        severity=Severity.HINT,
        category="HTML",
        explanation='A page opened with target="_blank" gets window.opener (it can navigate your app) and your page\'s '
        'address as Referer. Add rel="noopener noreferrer". Not for KaiOS 2.5 packaged apps: their app:// '
        "pages send no Referer (as for KAI311), and Gecko 48 predates noopener, so the fix would not apply "
        "there. Scripts too: window.open('https://other.example/', '_blank') (or without a target, which "
        "means _blank) to another origin, unless the features already say noopener,noreferrer.",
        bad='<a href="https://example.com/" target="_blank">Site</a>',
        good='<a href="https://example.com/" target="_blank" rel="noopener noreferrer">Site</a>',
        fixable=True,
        example_file="index.html",
        example_app=("manifest.webmanifest", '{"name": "Demo", "start_url": "/index.html"}'),
        fix_note='Page: adds rel="noopener noreferrer" (or the missing words to rel). Script on KaiOS 3.0: '
        "adds 'noopener,noreferrer' as window.open's features (Firefox 52+ honours noopener; unknown "
        "features are ignored), only where the call's result is unused (with noopener window.open returns "
        "null). Script on a KaiOS 2.5 hosted app (Gecko 48 has no noopener): (window.open(...) || "
        "{}).opener = null cuts the opener; the Referer needs KAI311's referrer policy.",
    ),
    Rule(
        id="KAI311",
        name="referrer-leak",
        title="Page sends its address to third parties",
        severity=Severity.HINT,
        category="HTML",
        explanation="Without a referrer policy, requests and links to other origins carry the app page's address "
        '(Referer). The fix adds <meta name="referrer" content="no-referrer">; reported once per page. '
        "Not for KaiOS 2.5 packaged apps: Gecko sends no Referer from app:// pages.",
        bad='<head></head><img src="https://cdn.example.com/logo.png">',
        good='<head><meta name="referrer" content="no-referrer"></head><img src="https://cdn.example.com/logo.png">',
        fixable=True,
        example_file="index.html",
        example_app=("manifest.webmanifest", '{"name": "Demo", "start_url": "/index.html"}'),
        fix_note='Adds <meta name="referrer" content="no-referrer"> to the head.',
    ),
)


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
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "local-device.kaiostech.com")
_ACTIVE = {
    ("script", "src"),
    ("iframe", "src"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
    ("object", "data"),
    ("embed", "src"),
    ("frame", "src"),
}
_PASSIVE = {
    ("img", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("source", "src"),
    ("track", "src"),
    ("input", "src"),
}
# <link rel=...> that make the page fetch something (a plain link navigates only when followed)
_LINK_FETCHES_ACTIVE = {"stylesheet", "preload", "modulepreload", "prefetch", "manifest", "import"}
_LINK_FETCHES_PASSIVE = {"icon", "apple-touch-icon"}
_URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster"}


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


def analyze_html(
    path: str | None, text: str, app: AppContext | None, files: FileView, config: Config
) -> list[Finding]:
    page = Page(path, text, scan(text), app, files, config)
    for tag in _csp_metas(page.doc):
        if tag.value("content") and _in_head(page.doc, tag):
            page.metas.append((tag.end, parse_policy(tag.value("content") or "")))
    findings: list[Finding] = []
    for rule in HTML_RULES:
        findings.extend(rule(page))
    findings.extend(inline_script_findings(page))
    return findings


def inline_script_findings(page: Page) -> Iterable[Finding]:
    """The JavaScript rules on each inline script, at the page's offsets, under the page's
    <meta> policies as well as the app's."""
    from kaios_lsp.rules.js.analyze import (
        analyze_script,  # the JS analysis loads its parsers lazily
    )

    for tag in inline_scripts(page.doc, page.version):
        code = page.text[tag.content_start : tag.content_end]
        metas = [
            ("the page's <meta> policy", policy)
            for start, policy in page.metas
            if start <= tag.start
        ]
        found = analyze_script(
            code,
            page.path,
            page.app,
            page.config,
            page.files,
            module=_script_type(tag) == "module",
            extra_policies=metas,
        )
        for finding in found:
            yield finding.translated(tag.content_start)


# -- CSP --------------------------------------------------------------------------------------


def _script_type(tag: Tag) -> str:
    return (tag.value("type") or "").strip().lower().split(";")[0].strip()


def executable(tag: Tag, version: str = "3.0") -> bool:
    """Would the phone run this script? KaiOS 2.5 (Gecko 48) knows no modules: it skips
    type="module" and runs nomodule scripts; KaiOS 3.0 does the opposite."""
    kind = _script_type(tag)
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


def inline_script_rule(page: Page) -> Iterable[Finding]:
    for tag in inline_scripts(page.doc, page.version):
        content = page.text[tag.content_start : tag.content_end]
        nonce = tag.value("nonce")
        label = page.blocked(
            "script-src-elem",
            tag.start,
            lambda d, nonce=nonce, content=content: inline_allowed(d, nonce, content),
        )
        if label is None:
            continue
        fixes = (_extract_script_fix(page, tag),) if page.path else ()
        yield Finding(
            INLINE_SCRIPT,
            tag.start,
            tag.end,
            f"Inline <script> is blocked by {label}: this code never runs on the phone. Move it into a .js file "
            "of the app.",
            fixes=fixes,
        )


def _new_script_name(page: Page, suffix: str) -> str:
    folder = page.folder or ""
    n = 1
    while True:
        name = f"{page.stem}-{suffix}{'' if n == 1 else '-' + str(n)}.js"
        if name not in page.new_files and not page.files.exists(os.path.join(folder, name)):
            page.new_files.add(name)
            return name
        n += 1


def defer_keeps_order(doc: HtmlDocument, tag: Tag, code: str, version: str = "3.0") -> bool:
    """Can this classic inline script become ``defer`` without changing when it runs
    relative to the page's other scripts? Only if no deferred or module script comes
    before it, no synchronous script after it, and it does not document.write."""
    if "document.write" in code:
        return False
    before = True
    for other in doc.elements("script"):
        if other is tag:
            before = False
            continue
        if not executable(other, version):
            continue
        deferred = _script_type(other) == "module" or (
            other.has("src") and (other.has("defer") or other.has("async"))
        )
        if before and deferred:
            return False
        if not before and not deferred:
            return False
    return True


def _extract_script_fix(page: Page, tag: Tag) -> Fix:
    assert page.path is not None
    code = page.text[tag.content_start : tag.content_end]
    name = _new_script_name(page, "inline")
    module = _script_type(tag) == "module"
    defer = not module and defer_keeps_order(page.doc, tag, code, page.version)
    head = page.text[tag.start : tag.end]
    close = "/>" if head.endswith("/>") else ">"
    opening = (
        head[: len(head) - len(close)].rstrip()
        + f' src="{name}"'
        + (" defer" if defer else "")
        + ">"
    )
    end = tag.close_end if tag.close_end >= 0 else tag.content_end
    replacement = opening + "</script>"
    title = f"Move the script into {name}" + (
        " (loaded with defer: it still runs in the same order)" if defer else ""
    )
    return Fix(
        title,
        (
            FileChange(os.path.join(page.folder or "", name), create=True, content=code),
            FileChange(None, (TextEdit(tag.start, end, replacement),)),
        ),
    )


def _handler_target(tag: Tag, event: str) -> str | None:
    if tag.name in ("body", "frameset") and event in WINDOW_EVENTS:
        return "window"
    return None


def inline_handler_rule(page: Page) -> Iterable[Finding]:
    ids = {t.value("id") for t in page.doc.elements() if t.value("id")}
    counter = [0]
    for tag in page.doc.elements():
        for attr in tag.attrs:
            if attr.name not in EVENT_HANDLER_ATTRIBUTES:
                continue  # one="1", a framework's onfoo: data, not code
            if tag.attr(attr.name) is not attr:
                continue  # a repeated attribute: the browser ignores it
            label = page.blocked("script-src-attr", tag.start, lambda d: inline_allowed(d))
            if label is None:
                continue
            fixes: tuple[Fix, ...] = ()
            if page.path and attr.value is not None and attr.value.strip():
                event = attr.name[2:]
                fixes = (
                    _move_handler_fix(
                        page,
                        tag,
                        event,
                        attr.value,
                        [attr],
                        ids,
                        counter,
                        prevent_default=_must_prevent_default(tag, event, attr.value),
                    ),
                )
            yield Finding(
                INLINE_HANDLER,
                attr.start,
                attr.end,
                f"The inline {attr.name} handler is blocked by {label}: it never runs on the phone. Attach it "
                "with addEventListener in a .js file.",
                fixes=fixes,
            )


# Code that leaves or replaces the page: run from a listener while the element's own
# default action (following href="#", submitting the form) also goes ahead, the two race.
_NAVIGATES = re.compile(
    r"\bhistory\s*\.\s*(?:back|forward|go|pushState|replaceState)\b"
    r"|\blocation\s*(?:\.\s*(?:href|hash|pathname|search)\s*)?=(?!=)"
    r"|\blocation\s*\.\s*(?:assign|replace|reload)\s*\("
    r"|(?<![\w$.])open\s*\(|\bwindow\s*\.\s*open\s*\("
    r"|\.\s*(?:submit|requestSubmit)\s*\(|(?<![\w$.])submit\s*\("
)


def _has_default_navigation(tag: Tag, event: str) -> bool:
    """Does this event on this element navigate or submit by default?"""
    if event == "submit":
        return tag.name == "form"
    if event != "click":
        return False
    if tag.name in ("a", "area"):
        return tag.attr("href") is not None
    kind = (tag.value("type") or "").strip().lower()
    if tag.name == "button":
        return kind not in ("button", "reset", "menu")
    return tag.name == "input" and kind in ("submit", "image")


def _must_prevent_default(tag: Tag, event: str, code: str) -> bool:
    """A moved listener must cancel the default action first when the code navigates
    itself, or when the link's href is a javascript: URL that the fix (KAI303) turns into
    "#": else ``history.back()`` and the ``#`` navigation race."""
    if "preventDefault" in code:
        return False  # the code decides itself
    href = (tag.value("href") or "").strip().lower()
    if event == "click" and tag.name in ("a", "area") and href.startswith("javascript:"):
        return True
    return _has_default_navigation(tag, event) and _NAVIGATES.search(code) is not None


def _listener_code(target: str, event: str, code: str, prevent_default: bool = False) -> str:
    body = code.strip()
    if prevent_default:
        body = "event.preventDefault();\n  " + body
    if re.search(r"\breturn\b", body):
        # An inline handler that returns false cancels the event; keep that, and `this`.
        return (
            f"{target}.addEventListener({json.dumps(event)}, function (event) {{\n"
            f"  if (function () {{\n    {body}\n  }}.call(this, event) === false) {{\n"
            "    event.preventDefault();\n  }\n});\n"
        )
    return f"{target}.addEventListener({json.dumps(event)}, function (event) {{\n  {body}\n}});\n"


def _move_handler_fix(
    page: Page,
    tag: Tag,
    event: str,
    code: str,
    remove: list,
    ids: set,
    counter: list[int],
    prevent_default: bool = False,
    replace_href: str | None = None,
) -> Fix:
    assert page.path is not None
    edits: list[TextEdit] = []
    for attr in remove:
        start = attr.start
        while start > tag.start and page.text[start - 1] in " \t\r\n":
            start -= 1
        if replace_href is not None and attr.name == "href":
            edits.append(TextEdit(attr.value_start, attr.value_end, replace_href))
        else:
            edits.append(TextEdit(start, attr.end, ""))
    target = _handler_target(tag, event)
    if target is None:
        element_id = tag.value("id")
        if not element_id:
            while True:
                counter[0] += 1
                element_id = f"kaios-{tag.name}-{counter[0]}"
                if element_id not in ids:
                    ids.add(element_id)
                    break
            at = tag.start + 1 + len(tag.name)
            edits.append(TextEdit(at, at, f' id="{element_id}"'))
        target = f"document.getElementById({json.dumps(element_id)})"
    listener = _listener_code(target, event, code, prevent_default)
    name = f"{page.stem}-handlers.js"
    folder = page.folder or ""
    script_path = os.path.join(folder, name)
    changes: list[FileChange] = []
    if script_path not in page.read_cache:  # one read per page, not one per handler
        page.read_cache[script_path] = (
            page.files.read_text(script_path) if page.files.exists(script_path) else None
        )
    existing = page.read_cache[script_path]
    if existing is None:
        # No 'use strict': inline handlers run in sloppy mode, and the moved code must too.
        header = "// Event handlers moved out of the page: the app's CSP blocks inline ones.\n\n"
        changes.append(FileChange(script_path, create=True, content=header + listener))
    else:
        separator = "" if existing.endswith("\n") or not existing else "\n"
        changes.append(
            FileChange(script_path, (TextEdit(len(existing), len(existing), separator + listener),))
        )
    if not any(t.value("src") == name for t in page.doc.elements("script")):
        body_end = page.doc.closing("body")
        at = body_end.start if body_end else len(page.text)
        edits.append(TextEdit(at, at, f'<script src="{name}" defer></script>\n'))
    changes.append(FileChange(None, tuple(edits)))
    caveat = _scope_names(code) if replace_href is None else []  # javascript: runs globally
    note = (
        f" (check {', '.join(caveat)}: inline, it meant the element's, form's or document's)"
        if caveat
        else ""
    )
    return Fix(f"Move the handler into {name}{note}", tuple(changes))


# Members an inline handler finds without `this.`: its scope chain holds the element, its
# form and the document. In a listener the same bare name means a global (or nothing).
_SCOPE_MEMBERS_TEXT = """
value checked disabled form name id className classList style dataset title submit reset
focus blur click select parentNode innerHTML textContent getElementById querySelector
querySelectorAll getElementsByTagName getElementsByClassName createElement write writeln
forms images links cookie body head elements length href src
"""
_SCOPE_MEMBERS = frozenset(_SCOPE_MEMBERS_TEXT.split())


def _scope_names(code: str) -> list[str]:
    """Bare names in handler code that its inline scope chain may have resolved to
    element, form or document members; empty when the code cannot be tokenized."""
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


def _in_object_literal(tokens: list, index: int) -> bool:
    """Is the token at ``index`` (after ``{`` or ``,``) directly inside ``{ ... }``, not a
    ``(a, b ? c : d)`` list? Walk back to the opening bracket of its nesting level."""
    depth = 0
    for token in reversed(tokens[:index]):
        value = token.value
        if token.type != "Punctuator":
            continue
        if value in (")", "]", "}"):
            depth += 1
        elif value in ("(", "[", "{"):
            if depth == 0:
                return value == "{"
            depth -= 1
    return False


def javascript_url_rule(page: Page) -> Iterable[Finding]:
    ids = {t.value("id") for t in page.doc.elements() if t.value("id")}
    counter = [100]
    for tag in page.doc.elements():
        for attr in tag.attrs:
            if attr.name not in ("href", "src", "action", "formaction") or attr.value is None:
                continue
            value = attr.value.strip()
            if not value.lower().startswith("javascript:"):
                continue
            label = page.blocked("script-src-elem", tag.start, lambda d: inline_allowed(d))
            if label is None:
                continue
            code = unquote(value[len("javascript:") :]).strip()  # browsers percent-decode it
            fixes: tuple[Fix, ...] = ()
            if tag.name == "a" and attr.name == "href" and page.path:
                if code.rstrip(";") in ("", "void(0)", "void 0", "void(null)"):
                    fixes = (Fix.replace('Use href="#"', attr.value_start, attr.value_end, "#"),)
                else:
                    fixes = (
                        _move_handler_fix(
                            page,
                            tag,
                            "click",
                            code,
                            [attr],
                            ids,
                            counter,
                            prevent_default=True,
                            replace_href="#",
                        ),
                    )
            yield Finding(
                JAVASCRIPT_URL,
                attr.start,
                attr.end,
                f"javascript: URLs are blocked by {label}: following this {attr.name} runs nothing on the phone.",
                fixes=fixes,
            )


def _is_remote(url: str) -> bool:
    return bool(
        re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", url.strip()) or url.strip().startswith("//")
    )


def _absolute(url: str) -> str:
    url = url.strip()
    return "https:" + url if url.startswith("//") else url


def blocked_source_rule(page: Page) -> Iterable[Finding]:
    for tag in page.doc.elements("script", "link"):
        if tag.name == "script":
            attr, directive, what = tag.attr("src"), "script-src-elem", "script"
        else:
            rel = (tag.value("rel") or "").lower().split()
            if "stylesheet" not in rel:
                continue
            attr, directive, what = tag.attr("href"), "style-src-elem", "stylesheet"
        if attr is None or not attr.value or not _is_remote(attr.value):
            continue
        url = _absolute(attr.value)
        label = page.blocked(directive, tag.start, lambda d, url=url: url_allowed(url, d))
        if label is None:
            continue
        yield Finding(
            BLOCKED_SOURCE,
            attr.value_start,
            attr.value_end,
            f"This {what} is blocked by {label}: it never loads on the phone. "
            + _blocked_source_advice(url, what),
        )


# KaiOS 3.0 api-daemon libraries (http://127.0.0.1/api/v1/shared/core.js, .../apps/service.js):
# served by the phone itself and allowed by the 3.0 packaged-app policy (script-src ...
# http://127.0.0.1; csp.py, reference kaios-facts.md 3.2).
_API_DAEMON_LIBRARY = re.compile(r"^http://(?:127\.0\.0\.1|localhost)(?::80)?/api/v1/", re.I)


def _blocked_source_advice(url: str, what: str) -> str:
    """What to do instead. A file the phone itself serves is never 'shipped' in the package."""
    if _API_DAEMON_LIBRARY.match(url):
        return (
            "It is a KaiOS 3.0 api-daemon library, served by the phone at http://127.0.0.1/api/v1/ "
            "and meant to be loaded from there (never shipped in the package): the KaiOS 3.0 "
            "packaged-app policy allows it, this one does not."
        )
    if _is_device_local(url):
        return (
            "It is served by the phone itself, so a copy in the package is no substitute: load it "
            "from an origin the policy allows"
            + (
                " (the KaiAds SDK at http://127.0.0.1:8081 is allowed)."
                if what == "script"
                else "."
            )
        )
    return "Ship a copy inside the app package" + (
        " (the KaiAds SDK is served from http://127.0.0.1:8081 and is allowed)."
        if what == "script"
        else "."
    )


def _is_device_local(url: str) -> bool:
    match = re.match(r"^[a-z][a-z0-9+.\-]*://([^/?#]*)", url, re.I)
    if match is None:
        return False
    host = re.sub(r":\d+$", "", match.group(1).rsplit("@", 1)[-1]).lower()
    return host in _LOCAL_HOSTS or host.endswith(".localhost")


def plugin_rule(page: Page) -> Iterable[Finding]:
    for tag in page.doc.elements("object", "embed", "applet"):
        source = tag.value("data") or tag.value("src") or tag.value("code") or ""
        label = page.blocked(
            "object-src",
            tag.start,
            lambda d, source=source: bool(source) and url_allowed(source, d),
        )
        if label is None:
            continue
        closing = next(
            (t for t in page.doc.tags if t.closing and t.name == tag.name and t.start >= tag.end),
            None,
        )
        end = closing.end if closing is not None and tag.name != "embed" else tag.end
        yield Finding(
            PLUGIN,
            tag.start,
            tag.end,
            f"<{tag.name}> is blocked by {label}: KaiOS has no plugins and the policy refuses every plugin load.",
            fixes=(Fix.replace(f"Remove the <{tag.name}> element", tag.start, end, ""),),
        )


# Start tags the HTML parser keeps in <head>; any other one opens <body>.
_HEAD_CONTENT = {"html", "head", "meta", "title", "link", "style", "script", "base", "noscript"}
_HEAD_CONTENT |= {"template", "basefont", "bgsound", "noframes"}


def _csp_metas(doc: HtmlDocument) -> list[Tag]:
    return [
        tag
        for tag in doc.elements("meta")
        if (tag.value("http-equiv") or "").strip().lower() == "content-security-policy"
    ]


def _in_head(doc: HtmlDocument, meta: Tag) -> bool:
    """Does the parser put this <meta> in <head>? Gecko enforces a CSP <meta> only there."""
    for tag in doc.tags:
        if tag is meta:
            return True
        if not tag.closing and tag.name not in _HEAD_CONTENT:
            return False  # <body> or body content came first
    return True


def meta_csp_rule(page: Page) -> Iterable[Finding]:
    for tag in _csp_metas(page.doc):
        if not _in_head(page.doc, tag):
            yield Finding(
                META_CSP,
                tag.start,
                tag.end,
                "This Content Security Policy <meta> is outside <head>, so it is ignored. Move it into "
                "<head> before the scripts it should cover, or remove it.",
                fixes=(Fix.replace("Remove the ignored <meta>", tag.start, tag.end, ""),),
                severity=Severity.WARNING,
            )
            continue
        others = [label for label, _ in page.app.policies] if page.app else []
        extra = " in addition to " + " and ".join(others) if others else ""
        yield Finding(
            META_CSP,
            tag.start,
            tag.end,
            f"This page sets its own Content Security Policy{extra}: it can only add restrictions, and only "
            "for what comes after it in the page.",
        )


# -- mixed content, integrity, referrer ---------------------------------------------------------


def _http_url(value: str | None) -> str | None:
    if not value:
        return None
    url = value.strip()
    if not url.lower().startswith("http://"):
        return None
    host = re.split(r"[/:?#]", url[7:], maxsplit=1)[0].lower()
    if host in _LOCAL_HOSTS or host.endswith(".localhost"):
        return None  # the device itself (KaiAds, 3.0 packaged apps): not a network hop
    return url


def mixed_content_rule(page: Page) -> Iterable[Finding]:
    if page.app is None:
        return
    hosted = page.app.hosted
    for tag in page.doc.elements():
        for attr in tag.attrs:
            if attr.name not in _URL_ATTRS:
                continue
            if tag.name == "link" and attr.name == "href":
                rel = set((tag.value("rel") or "").lower().split())
                active, passive = (
                    bool(rel & _LINK_FETCHES_ACTIVE),
                    bool(rel & _LINK_FETCHES_PASSIVE),
                )
            else:
                active, passive = (
                    (tag.name, attr.name) in _ACTIVE,
                    (tag.name, attr.name) in _PASSIVE,
                )
            if not (active or passive) or tag.attr(attr.name) is not attr:
                continue
            url = _http_url(attr.value)
            if url is None:
                continue
            if hosted and active and _own_scheme(page) != "http":
                severity = Severity.ERROR
                message = (
                    f"Mixed content: a hosted app is served over https, so the browser blocks this http:// "
                    f"{tag.name}. Use https://."
                )
            else:
                severity = Severity.WARNING
                message = (
                    f"Cleartext http:// {tag.name} load: anyone on the network can read or change it"
                    + (" (and on an https page it shows as insecure)" if hosted else "")
                    + ". Use https://."
                )
            start = attr.value_start + (len(attr.value or "") - len((attr.value or "").lstrip()))
            fixes = (Fix.replace("Use https://", start, start + len("http://"), "https://"),)
            yield Finding(
                MIXED_CONTENT,
                attr.value_start,
                attr.value_end,
                message,
                fixes=fixes,
                severity=severity,
            )


def _third_party(url: str | None, page: Page) -> bool:
    if not url:
        return False
    url = _absolute(url)
    if not re.match(r"^https?://", url, re.I):
        return False
    host = re.split(r"[/:?#]", url.split("://", 1)[1], maxsplit=1)[0].lower()
    if host in _LOCAL_HOSTS or host.endswith(".localhost"):
        return False
    own = _own_host(page)
    return host != own


def _own_origin(page: Page) -> re.Match | None:
    """The hosted app's own scheme and host, when its manifest names them (start_url)."""
    if page.app is None:
        return None
    start = page.app.manifest.string("start_url") or ""
    return re.match(r"^(https?)://([^/:?#]+)", start, re.I)


def _own_host(page: Page) -> str | None:
    match = _own_origin(page)
    return match.group(2).lower() if match else None


def _own_scheme(page: Page) -> str | None:
    """``http`` for a hosted app served over plain http: no mixed content there."""
    match = _own_origin(page)
    return match.group(1).lower() if match else None


def sri_rule(page: Page) -> Iterable[Finding]:
    if page.app is None or page.app.packaged:
        return
    for tag in page.doc.elements("script", "link"):
        if tag.name == "link" and "stylesheet" not in (tag.value("rel") or "").lower().split():
            continue
        attr = tag.attr("src" if tag.name == "script" else "href")
        if attr is None or not _third_party(attr.value, page):
            continue
        integrity = tag.attr("integrity")
        insert_at = tag.end - (2 if page.text[tag.start : tag.end].endswith("/>") else 1)
        if integrity is None:
            fixes: tuple[Fix, ...] = ()
            local = _local_copy(page, attr.value or "")
            if local is not None:
                digest = base64.b64encode(hashlib.sha384(local[1]).digest()).decode()
                fixes = (
                    Fix.replace(
                        f"Add integrity from the local copy {local[0]} (check it is the same file)",
                        insert_at,
                        insert_at,
                        f' integrity="sha384-{digest}" crossorigin="anonymous"',
                    ),
                )
            yield Finding(
                MISSING_SRI,
                attr.start,
                attr.end,
                f"This {tag.name} comes from another origin without integrity: if that server is compromised, it runs "
                'with your app\'s rights. Add integrity="sha384-..." (Subresource Integrity) and crossorigin.',
                fixes=fixes,
            )
        elif not tag.has("crossorigin"):
            yield Finding(
                SRI_CROSSORIGIN,
                integrity.start,
                integrity.end,
                "integrity without crossorigin: the cross-origin response cannot be checked, so the browser refuses "
                'to use it. Add crossorigin="anonymous".',
                fixes=(
                    Fix.replace(
                        'Add crossorigin="anonymous"',
                        insert_at,
                        insert_at,
                        ' crossorigin="anonymous"',
                        safe=True,
                    ),
                ),
            )


def _local_copy(page: Page, url: str) -> tuple[str, bytes] | None:
    """A file of the app folder with the same name as the remote resource."""
    if page.app is None:
        return None
    name = os.path.basename(url.split("?", 1)[0].split("#", 1)[0])
    if not name:
        return None
    root = page.app.app_root
    for folder, _dirs, files in _walk(page.files, root):
        if name in files:
            path = os.path.join(folder, name)
            text = page.files.read_text(path)
            if text is not None and "\ufffd" not in text:  # not UTF-8: the hash would be wrong
                return os.path.relpath(path, root), text.encode("utf-8")
    return None


def _walk(
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


def target_blank_rule(page: Page) -> Iterable[Finding]:
    if page.app is not None and page.app.version == "2.5" and page.app.packaged:
        # app:// pages send no Referer (see referrer_rule), and Gecko 48 predates noopener
        # (Firefox 52): nothing leaks that the fix could stop.
        return
    for tag in page.doc.elements("a", "area", "form"):
        target = (tag.value("target") or "").strip().lower()
        url = tag.value("href") if tag.name != "form" else tag.value("action")
        if target != "_blank" or not _third_party(url, page):
            continue
        rel = tag.attr("rel")
        tokens = (rel.value or "").lower().split() if rel else []
        if "noopener" in tokens and "noreferrer" in tokens:
            continue
        if rel is None:
            at = tag.end - (2 if page.text[tag.start : tag.end].endswith("/>") else 1)
            fix = Fix.replace(
                'Add rel="noopener noreferrer"', at, at, ' rel="noopener noreferrer"', safe=True
            )
        else:
            wanted = " ".join(
                [*tokens, *(t for t in ("noopener", "noreferrer") if t not in tokens)]
            )
            fix = Fix.replace(
                "Add noopener noreferrer to rel", rel.start, rel.end, f'rel="{wanted}"', safe=True
            )
        target_attr = tag.attr("target")
        assert target_attr is not None
        yield Finding(
            TARGET_BLANK,
            target_attr.start,
            target_attr.end,
            'target="_blank" to another origin without rel="noopener noreferrer": the opened page gets a handle on '
            "this window (window.opener) and your app's address as Referer.",
            fixes=(fix,),
        )


def referrer_rule(page: Page) -> Iterable[Finding]:
    if page.app is None:
        return
    if page.app.version == "2.5" and page.app.packaged:
        return  # app:// pages: Gecko sends a Referer only from http, https and ftp pages
    if any((t.value("name") or "").lower() == "referrer" for t in page.doc.elements("meta")):
        return
    for tag in page.doc.elements():
        attr = next(
            (a for a in tag.attrs if a.name in _URL_ATTRS and _third_party(a.value, page)), None
        )
        if attr is None:
            continue
        head = page.doc.first("head")
        at = head.end if head is not None else 0
        yield Finding(
            REFERRER,
            attr.start,
            attr.end,
            "This page loads or links third-party URLs and sends them its own address as Referer (the app's origin "
            'and page). Add <meta name="referrer" content="no-referrer"> to keep it private.',
            fixes=(
                Fix.replace(
                    'Add <meta name="referrer" content="no-referrer">',
                    at,
                    at,
                    '\n<meta name="referrer" content="no-referrer">',
                    safe=True,
                ),
            ),
        )
        return


HtmlRule = Callable[[Page], Iterable[Finding]]
HTML_RULES: tuple[HtmlRule, ...] = (
    meta_csp_rule,
    inline_script_rule,
    inline_handler_rule,
    javascript_url_rule,
    blocked_source_rule,
    plugin_rule,
    mixed_content_rule,
    sri_rule,
    target_blank_rule,
    referrer_rule,
)
