"""Every HTML rule on a page: the page's own rules (one module per family in this folder),
then the JavaScript rules on each inline script it runs.

A privileged or certified packaged app runs under a default policy (``script-src 'self'
...; object-src 'none'``), the 2.5 manifest ``csp`` adds a second one and a page's
``<meta http-equiv="Content-Security-Policy">`` a third; a load must pass all of them.
Blocked inline code simply does not run on the phone, silently. Web apps have no default
policy, so only their own manifest or meta policies can block anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.files import FileView
from kaios_lsp.config import Config
from kaios_lsp.findings import Finding
from kaios_lsp.parse.csp import (
    parse_policy,
)
from kaios_lsp.parse.html import scan
from kaios_lsp.rules.html.page import (
    Page,
    csp_metas,
    in_head,
    inline_scripts,
    script_type,
)
from kaios_lsp.rules.meta import collect


def analyze_html(
    path: str | None, text: str, app: AppContext | None, files: FileView, config: Config
) -> list[Finding]:
    page = Page(path, text, scan(text), app, files, config)
    for tag in csp_metas(page.doc):
        if tag.value("content") and in_head(page.doc, tag):
            page.metas.append((tag.end, parse_policy(tag.value("content") or "")))
    findings: list[Finding] = []
    for rule in collect("kaios_lsp.rules.html", "PAGE_CHECKS"):
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
            module=script_type(tag) == "module",
            extra_policies=metas,
        )
        for finding in found:
            yield finding.translated(tag.content_start)
