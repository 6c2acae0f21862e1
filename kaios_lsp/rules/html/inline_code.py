"""Inline code on a page (scripts, on* handlers, javascript: URLs) that the app's policy blocks, with fixes that move it into files."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from urllib.parse import unquote

from kaios_lsp.facts.html_events import EVENT_HANDLER_ATTRIBUTES
from kaios_lsp.findings import FileChange, Finding, Fix, Severity, TextEdit
from kaios_lsp.parse.csp import (
    Directive,
    inline_allowed,
)
from kaios_lsp.parse.html import Attr, HtmlDocument, Tag
from kaios_lsp.rules.html.page import (
    WINDOW_EVENTS,
    Page,
    executable,
    inline_scripts,
    scope_names,
    script_type,
)
from kaios_lsp.rules.meta import Rule

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
)


INLINE_SCRIPT = "KAI301"


INLINE_HANDLER = "KAI302"


JAVASCRIPT_URL = "KAI303"


def inline_script_rule(page: Page) -> Iterable[Finding]:
    for tag in inline_scripts(page.doc, page.version):
        content = page.text[tag.content_start : tag.content_end]
        nonce = tag.value("nonce")

        def allows(d: Directive | None, nonce: str | None = nonce, content: str = content) -> bool:
            return inline_allowed(d, nonce, content)

        label = page.blocked("script-src-elem", tag.start, allows)
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
        deferred = script_type(other) == "module" or (
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
    module = script_type(tag) == "module"
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
    remove: list[Attr],
    ids: set[str | None],
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
    caveat = scope_names(code) if replace_href is None else []  # javascript: runs globally
    note = (
        f" (check {', '.join(caveat)}: inline, it meant the element's, form's or document's)"
        if caveat
        else ""
    )
    return Fix(f"Move the handler into {name}{note}", tuple(changes))


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


# The checks run on every page (declaring them here registers them; in this order within
# the module, since the extract fixes of one page share the names they create).
PAGE_CHECKS = (inline_script_rule, inline_handler_rule, javascript_url_rule)
