"""Entry point of the JavaScript analysis: a script's text and its app in, findings out.

Used for ``.js``/``.mjs`` files and for the inline scripts of HTML pages (which pass the
page's ``<meta>`` policies and shift the findings to the page's offsets).
"""

from __future__ import annotations

import logging
from functools import cache

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.files import FileView
from kaios_lsp.app.model import BUILD_INPUT, BUILD_OUTPUT, TEST
from kaios_lsp.config import Config
from kaios_lsp.facts.js_apis import api_table
from kaios_lsp.findings import Finding
from kaios_lsp.parse.csp import Policy
from kaios_lsp.parse.js.parse import parse_script
from kaios_lsp.parse.js.treesitter_front import TsTree, parse_treesitter
from kaios_lsp.rules.js.context import ScriptContext, collect_names, is_vendor
from kaios_lsp.rules.js.eval_rules import TIMERS, eval_rule
from kaios_lsp.rules.js.features import syntax_findings
from kaios_lsp.rules.js.inline_code_rules import (
    INLINE_CODE_MEMBERS,
    INLINE_CODE_PATHS,
    inline_code_rule,
)
from kaios_lsp.rules.js.module_rules import classic_module_rule
from kaios_lsp.rules.js.network_rules import NETWORK_APIS, cleartext_rule, cookie_rule
from kaios_lsp.rules.js.one_per_token import one_syntax_finding_per_token
from kaios_lsp.rules.js.open_rules import OPEN_PATHS, open_rule
from kaios_lsp.rules.js.permission_use import missing_permission_rule
from kaios_lsp.rules.js.refusal_rules import (
    CALLBACK_PROMPTS,
    GEOLOCATION,
    PROMISE_PROMPTS,
    STORAGE_GETTERS,
    refusal_rule,
)
from kaios_lsp.rules.js.secure_rules import SECURE_APIS, secure_context_rule
from kaios_lsp.rules.js.uses import preload

log = logging.getLogger("kaios_lsp.analysis")

SYNTAX_ERROR = "KAI401"
CSP_RULES = (
    eval_rule,
    inline_code_rule,
)  # run on vendor and minified code too: they break it just the same
APP_RULES = (
    secure_context_rule,
    missing_permission_rule,
    refusal_rule,
    cookie_rule,
    cleartext_rule,
    open_rule,
    classic_module_rule,
)


@cache
def watched_paths() -> frozenset[str]:
    """Every global path some rule asks about (indexed in one pass per script)."""
    paths = {"eval", "Function", *TIMERS, "document.cookie", "isSecureContext"}
    paths |= set(INLINE_CODE_PATHS) | set(OPEN_PATHS)
    paths |= set(SECURE_APIS) | set(NETWORK_APIS)
    paths |= {*GEOLOCATION, *PROMISE_PROMPTS, *CALLBACK_PROMPTS, *STORAGE_GETTERS}
    for entry in api_table():
        for key in ("member", "call_arg", "new", "new_option"):
            if key in entry:
                paths.add(entry[key])
    return frozenset(paths)


def target_version(app: AppContext | None, config: Config) -> str | None:
    if app is not None:
        return app.version
    return config.target if config.target in ("2.5", "3.0") else None


def analyze_script(
    text: str,
    path: str | None,
    app: AppContext | None,
    config: Config,
    files: FileView,
    *,
    module: bool = False,
    extra_policies: list[tuple[str, Policy]] | None = None,
    front: str = "auto",
    role: str | None = None,
    dialect: str = "js",
) -> list[Finding]:
    """Every finding of one script, before configuration is applied.

    ``role`` is the file's role in the app model: build input is not judged for the
    exact shipped syntax (the build rewrites it), build output only for what the phone
    parses and its policy blocks (its behaviour is judged in the sources), test files of
    a built project never run on the phone at all."""
    parsed = parse_script(text, module=module, front=front, dialect=dialect)
    findings = [
        Finding(
            SYNTAX_ERROR,
            problem.start,
            max(problem.end, problem.start),
            f"Syntax error: {problem.message}. The whole script fails to load.",
        )
        for problem in parsed.syntax_errors
    ]
    version = target_version(app, config)
    ctx = ScriptContext(
        parsed.tree,
        path,
        app,
        config,
        files,
        version,
        module=module,
        vendor=is_vendor(path, text),
        extra_policies=list(extra_policies or ()),
    )
    collect_names(ctx)
    preload(ctx, watched_paths(), ("open", *INLINE_CODE_MEMBERS))
    vendor_only = ctx.vendor and not config.check_vendor_code
    rules = CSP_RULES if vendor_only or role == BUILD_OUTPUT else CSP_RULES + APP_RULES
    for rule in rules:
        try:
            findings.extend(rule(ctx))
        except Exception:  # a bug in one rule must not hide the others
            log.exception("rule %s failed on %s", rule.__name__, path)
    # JSX and TypeScript never reach the phone as written: a transpiler rewrites them
    if version is not None and role not in (BUILD_INPUT, TEST) and not parsed.build_step:
        tree = parsed.tree if isinstance(parsed.tree, TsTree) else parse_treesitter(text)
        assert isinstance(tree, TsTree)
        try:
            findings.extend(syntax_findings(text, version, module=module, tree=tree))
        except Exception:
            log.exception("syntax feature check failed on %s", path)
    return one_syntax_finding_per_token(findings)
