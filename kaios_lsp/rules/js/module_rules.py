"""KAI401 for ``import``/``export`` in a script a page loads as a classic script.

``import x from './a.js'`` and ``export`` are module syntax: in a script a page loads with
``<script src="app.js">`` (no ``type="module"``) they are a SyntaxError, and the whole
script fails to load, on every KaiOS version. A ``.js`` file is read as a classic script
(tree-sitter accepts the statements either way, so the syntax check alone stays quiet);
this rule asks the app's pages how they load it. Only for shipped files: build input is
rewritten by the bundler (the app model gives it another role and this rule never runs).

Fix (KaiOS 3.0 only): add ``type="module"`` to the page's ``<script>`` tags that load it.
It is a choice, never applied by ``--fix``: a module runs deferred and in strict mode,
and its top-level names are no longer globals that other scripts could read. KaiOS 2.5
(Gecko 48) runs no module scripts at all: there the code needs a build step (a bundler).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from kaios_lsp.app.model import SHIPPED
from kaios_lsp.findings import FileChange, Finding, Fix, TextEdit
from kaios_lsp.parse.html import scan
from kaios_lsp.rules.js.context import ScriptContext, file_fact, region_text

SYNTAX_ERROR = "KAI401"
MODULE_STATEMENTS = (
    "ImportDeclaration",
    "ExportNamedDeclaration",
    "ExportDefaultDeclaration",
    "ExportAllDeclaration",
)
PAGE_SUFFIXES = (".html", ".htm")
_MODULE_LINE = re.compile(r"^[ \t]*(?:import|export)\b", re.MULTILINE)
MAX_PAGES = 200


def classic_module_rule(ctx: ScriptContext) -> Iterator[Finding]:
    app, path = ctx.app, ctx.path
    if ctx.module or app is None or app.model is None or not path:
        return
    if app.role.kind != SHIPPED:
        return  # build input is bundled, build output judged in its sources, tests never ship
    if not file_fact(ctx, "import/export lines", _module_lines, any):
        return  # (a cheap look first: no line starts with import or export)
    statements = [n for n in ctx.tree.root.children() if n.type in MODULE_STATEMENTS]
    if not statements:
        return
    loaders = _classic_loaders(ctx, os.path.normpath(path))
    if not loaders:
        return  # no page loads it, or every page loads it as a module
    first = min(statements, key=lambda n: n.start)
    keyword = ctx.text[first.start : first.start + 6]
    names = ", ".join(sorted({_relative(app.app_root, page) for page, _ in loaders}))
    if app.version == "2.5":
        advice = (
            "KaiOS 2.5 (Gecko 48) runs no module scripts at all: bundle the code with a build "
            "step, or write it without import/export."
        )
        fixes: tuple[Fix, ...] = ()
    else:
        advice = f'Load it with <script type="module" src="..."> (or remove the {keyword}).'
        fixes = (_module_fix(loaders),)
    yield Finding(
        SYNTAX_ERROR,
        first.start,
        first.start + len(keyword),
        f"Syntax error on the phone: {names} loads this file as a classic script (no "
        f'type="module"), where {keyword} is a SyntaxError, so the whole script fails to '
        f"load on every KaiOS version. {advice}",
        fixes=fixes,
    )


def _module_lines(ctx: ScriptContext) -> bool:
    return _MODULE_LINE.search(region_text(ctx)) is not None


def _classic_loaders(ctx: ScriptContext, target: str) -> list[tuple[str, list[TextEdit]]]:
    """(page, the edits that make its tags load the script as a module) for each page
    that loads it without ``type="module"``."""
    app = ctx.app
    assert app is not None and app.model is not None
    pages = [p for p in app.model.package_files if p.lower().endswith(PAGE_SUFFIXES)]
    root = app.model.package_root
    out: list[tuple[str, list[TextEdit]]] = []
    for page in pages[:MAX_PAGES]:
        text = ctx.files.read_text(page)
        if not text or "<script" not in text.lower():
            continue
        edits = []
        for tag in scan(text).elements("script"):
            src = tag.value("src")
            if not src or _resolve(src, page, root) != target:
                continue
            kind = (tag.value("type") or "").strip().lower()
            if kind not in ("", "text/javascript", "application/javascript"):
                continue  # a module already, or not run at all (a template, JSON data)
            attr = tag.attr("type")
            if attr is not None:
                edits.append(TextEdit(attr.start, attr.end, 'type="module"'))
            else:
                at = tag.start + len("<script")
                edits.append(TextEdit(at, at, ' type="module"'))
        if edits:
            out.append((page, edits))
    return out


def _resolve(url: str, page: str, root: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "app") or (parts.netloc and not parts.scheme):
        return None
    path = unquote(parts.path)
    if not path:
        return None
    if path.startswith("/"):
        joined = os.path.join(root, *path.lstrip("/").split("/"))
    else:
        joined = os.path.join(os.path.dirname(page), *posixpath.normpath(path).split("/"))
    return os.path.normpath(joined)


def _relative(root: str, path: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def _module_fix(loaders: list[tuple[str, list[TextEdit]]]) -> Fix:
    return Fix(
        'Load it as a module: <script type="module">',
        tuple(FileChange(page, tuple(edits)) for page, edits in loaders),
    )


# The checks run on every script (declaring them here registers them), and the global
# paths they ask about (indexed in one pass per script).
# It looks at the file's first import/export and the pages that load it: the whole file.
classic_module_rule.scope = "file"  # type: ignore[attr-defined]

SCRIPT_CHECKS = (classic_module_rule,)
