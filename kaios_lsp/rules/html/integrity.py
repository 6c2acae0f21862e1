"""Subresource Integrity for third-party scripts and styles, and the crossorigin attribute it needs."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.rules.html.page import (
    Page,
    third_party,
    walk,
)
from kaios_lsp.rules.meta import Rule

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
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
)


MISSING_SRI = "KAI308"


SRI_CROSSORIGIN = "KAI309"


def sri_rule(page: Page) -> Iterable[Finding]:
    if page.app is None or page.app.packaged:
        return
    for tag in page.doc.elements("script", "link"):
        if tag.name == "link" and "stylesheet" not in (tag.value("rel") or "").lower().split():
            continue
        attr = tag.attr("src" if tag.name == "script" else "href")
        if attr is None or not third_party(attr.value, page):
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
    for folder, _dirs, files in walk(page.files, root):
        if name in files:
            path = os.path.join(folder, name)
            text = page.files.read_text(path)
            if text is not None and "\ufffd" not in text:  # not UTF-8: the hash would be wrong
                return os.path.relpath(path, root), text.encode("utf-8")
    return None


# The checks run on every page (declaring them here registers them; in this order within
# the module, since the extract fixes of one page share the names they create).
PAGE_CHECKS = (sri_rule,)
