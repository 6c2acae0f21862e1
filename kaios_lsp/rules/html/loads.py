"""What a page loads that the phone refuses: sources the policy blocks, plugins, misplaced <meta> policies, cleartext content on a secure page."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.csp import (
    Directive,
    url_allowed,
)
from kaios_lsp.rules.html.page import (
    Page,
    absolute,
    csp_metas,
    http_url,
    in_head,
    is_device_local,
    is_remote,
    own_scheme,
)
from kaios_lsp.rules.meta import Rule

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
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
)


BLOCKED_SOURCE = "KAI304"


PLUGIN = "KAI305"


META_CSP = "KAI306"


MIXED_CONTENT = "KAI307"


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


def blocked_source_rule(page: Page) -> Iterable[Finding]:
    for tag in page.doc.elements("script", "link"):
        if tag.name == "script":
            attr, directive, what = tag.attr("src"), "script-src-elem", "script"
        else:
            rel = (tag.value("rel") or "").lower().split()
            if "stylesheet" not in rel:
                continue
            attr, directive, what = tag.attr("href"), "style-src-elem", "stylesheet"
        if attr is None or not attr.value or not is_remote(attr.value):
            continue
        url = absolute(attr.value)

        def allows(d: Directive | None, url: str = url) -> bool:
            return url_allowed(url, d)

        label = page.blocked(directive, tag.start, allows)
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
    if is_device_local(url):
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


def plugin_rule(page: Page) -> Iterable[Finding]:
    for tag in page.doc.elements("object", "embed", "applet"):
        source = tag.value("data") or tag.value("src") or tag.value("code") or ""

        def allows(d: Directive | None, source: str = source) -> bool:
            return bool(source) and url_allowed(source, d)

        label = page.blocked("object-src", tag.start, allows)
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


def meta_csp_rule(page: Page) -> Iterable[Finding]:
    for tag in csp_metas(page.doc):
        if not in_head(page.doc, tag):
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
            url = http_url(attr.value)
            if url is None:
                continue
            if hosted and active and own_scheme(page) != "http":
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


# The checks run on every page (declaring them here registers them; in this order within
# the module, since the extract fixes of one page share the names they create).
PAGE_CHECKS = (meta_csp_rule, blocked_source_rule, plugin_rule, mixed_content_rule)
