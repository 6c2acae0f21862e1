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
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from kaios_lsp.rules.js.sessions import ScriptSessions


def analyze_html(
    path: str | None,
    text: str,
    app: AppContext | None,
    files: FileView,
    config: Config,
    sessions: ScriptSessions | None = None,
) -> list[Finding]:
    """Every finding of a page. With the editor's ``sessions``, an inline script whose
    text and circumstances did not change since the last keystroke is not judged again
    (and a big one is judged incrementally)."""
    doc = sessions.scan_page(path, text) if sessions is not None and path else scan(text)
    page = Page(path, text, doc, app, files, config)
    for tag in csp_metas(page.doc):
        if tag.value("content") and in_head(page.doc, tag):
            page.metas.append((tag.end, parse_policy(tag.value("content") or "")))
    findings: list[Finding] = []
    for rule in collect("kaios_lsp.rules.html", "PAGE_CHECKS"):
        findings.extend(rule(page))
    findings.extend(inline_script_findings(page, sessions))
    return findings


def inline_script_findings(page: Page, sessions: ScriptSessions | None = None) -> Iterable[Finding]:
    """The JavaScript rules on each inline script, at the page's offsets, under the page's
    <meta> policies as well as the app's."""
    from kaios_lsp.parse.js.parse import ESPRIMA_BUDGET
    from kaios_lsp.rules.js.analyze import (
        analyze_script,  # the JS analysis loads its parsers lazily
        app_key,
    )

    for index, tag in enumerate(inline_scripts(page.doc, page.version)):
        code = page.text[tag.content_start : tag.content_end]
        metas = [
            ("the page's <meta> policy", policy)
            for start, policy in page.metas
            if start <= tag.start
        ]
        module = script_type(tag) == "module"
        # (an inline script's findings depend on its text, the app and the page's policies:
        # never on the pages that load a file, the one thing the key leaves out)
        key = (page.path, index, code, module, repr((metas, app_key(page.app), page.config)))
        found = sessions.recall(key) if sessions is not None else None
        if found is None:
            session = None
            if sessions is not None and len(code) > ESPRIMA_BUDGET:
                owner = page.app.manifest_path if page.app is not None else None
                session = sessions.get((page.path, owner, "inline", index))
            found = analyze_script(
                code,
                page.path,
                page.app,
                page.config,
                page.files,
                module=module,
                extra_policies=metas,
                session=session,
            )
            if sessions is not None:
                sessions.remember(key, found)
        for finding in found:
            yield finding.translated(tag.content_start)
