"""What a page gives away to the sites it links to: the opener (target=_blank) and the referrer."""

from __future__ import annotations

from collections.abc import Iterable

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.rules.html.loads import (
    _URL_ATTRS,
)
from kaios_lsp.rules.html.page import (
    Page,
    third_party,
)
from kaios_lsp.rules.meta import Rule

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
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


TARGET_BLANK = "KAI310"


REFERRER = "KAI311"


def target_blank_rule(page: Page) -> Iterable[Finding]:
    if page.app is not None and page.app.version == "2.5" and page.app.packaged:
        # app:// pages send no Referer (see referrer_rule), and Gecko 48 predates noopener
        # (Firefox 52): nothing leaks that the fix could stop.
        return
    for tag in page.doc.elements("a", "area", "form"):
        target = (tag.value("target") or "").strip().lower()
        url = tag.value("href") if tag.name != "form" else tag.value("action")
        if target != "_blank" or not third_party(url, page):
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
            (a for a in tag.attrs if a.name in _URL_ATTRS and third_party(a.value, page)), None
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


# The checks run on every page (declaring them here registers them; in this order within
# the module, since the extract fixes of one page share the names they create).
PAGE_CHECKS = (target_blank_rule, referrer_rule)
