"""Entry point of the JavaScript analysis: a script's text and its app in, findings out.

Used for ``.js``/``.mjs`` files and for the inline scripts of HTML pages (which pass the
page's ``<meta>`` policies and shift the findings to the page's offsets).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable
from functools import cache

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.files import FileView
from kaios_lsp.app.model import BUILD_INPUT, BUILD_OUTPUT, TEST
from kaios_lsp.config import Config
from kaios_lsp.findings import Finding, Severity
from kaios_lsp.parse.csp import Policy
from kaios_lsp.parse.js.parse import ESPRIMA_BUDGET, ParsedScript, parse_script
from kaios_lsp.parse.js.tree import JsTree
from kaios_lsp.parse.js.treesitter_front import TsTree, parse_treesitter
from kaios_lsp.rules.js.context import LONG_LINE, ScriptContext, collect_names, is_vendor
from kaios_lsp.rules.js.features import syntax_findings
from kaios_lsp.rules.js.incremental import ScriptSession
from kaios_lsp.rules.js.one_per_token import one_syntax_finding_per_token
from kaios_lsp.rules.js.uses import preload
from kaios_lsp.rules.meta import Rule, collect

log = logging.getLogger("kaios_lsp.analysis")

ScriptRule = Callable[[ScriptContext], Iterable[Finding]]

SYNTAX_ERROR = "KAI401"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI401",
        name="js-syntax-error",
        title="JavaScript syntax error",
        severity=Severity.ERROR,
        category="JavaScript",
        explanation="The script does not parse, so none of it runs. Reported only when the code is really invalid "
        "(tree-sitter agrees), never because esprima is older than the language; the position is the "
        "first place the parser could not recover from. Also import/export in a .js file that a page of "
        'the app loads as a classic script (<script src> without type="module"): a SyntaxError there on '
        "every KaiOS version (the page is named). Only for shipped files: build input is rewritten by "
        "the bundler.",
        bad="function ready() {\n  document.title = 'Ready';\n",
        good="function ready() {\n  document.title = 'Ready';\n}",
        example_file="app.js",
        fix_note="No mechanical fix for a real syntax error: what the code should have been is unknown; "
        "the message points at the token where parsing fails. For import/export in a classic script on "
        'KaiOS 3.0 the fix adds type="module" to the page\'s <script> tags (a choice, never applied by '
        "--fix: a module runs deferred, in strict mode, and its top-level names are no longer globals); "
        "KaiOS 2.5 runs no modules, so there the code needs a bundler: no fix.",
    ),
)


@cache
def script_checks() -> tuple[tuple[ScriptRule, ...], tuple[ScriptRule, ...]]:
    """(checks run on every script, checks run on the app's own code only), as the rule
    modules of this package declare them."""
    return (
        collect("kaios_lsp.rules.js", "VENDOR_SCRIPT_CHECKS"),
        collect("kaios_lsp.rules.js", "SCRIPT_CHECKS"),
    )


@cache
def watched_paths() -> frozenset[str]:
    """Every global path some rule asks about (indexed in one pass per script)."""
    paths: set[str] = set()
    for declared in collect("kaios_lsp.rules.js", "WATCHED_PATHS"):
        paths.update(declared() if callable(declared) else (declared,))
    return frozenset(paths)


@cache
def watched_members() -> tuple[str, ...]:
    """Every member name some rule asks about, whatever object it is read from."""
    return tuple(collect("kaios_lsp.rules.js", "WATCHED_MEMBERS"))


def syntax_errors(parsed: ParsedScript) -> list[Finding]:
    """KAI401 for the script's real syntax error (at most one: see parse/js/parse.py)."""
    return [
        Finding(
            SYNTAX_ERROR,
            problem.start,
            max(problem.end, problem.start),
            f"Syntax error: {problem.message}. The whole script fails to load.",
        )
        for problem in parsed.syntax_errors
    ]


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
    session: ScriptSession | None = None,
) -> list[Finding]:
    """Every finding of one script, before configuration is applied.

    ``role`` is the file's role in the app model: build input is not judged for the
    exact shipped syntax (the build rewrites it), build output only for what the phone
    parses and its policy blocks (its behaviour is judged in the sources), test files of
    a built project never run on the phone at all. With a ``session`` (an open document),
    an edit costs what it changed (see rules/js/incremental.py); the findings are the same."""
    if session is not None:
        if dialect == "js" and front == "auto" and len(text) > ESPRIMA_BUDGET:
            return _analyze_in_session(
                session, text, path, app, config, files, module, extra_policies, role
            )
        session.reset()
    parsed = parse_script(text, module=module, front=front, dialect=dialect)
    findings = syntax_errors(parsed)
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
    preload(ctx, watched_paths(), watched_members())
    vendor_only = ctx.vendor and not config.check_vendor_code
    every_script, app_code = script_checks()
    rules = every_script if vendor_only or role == BUILD_OUTPUT else every_script + app_code
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


def _analyze_in_session(
    session: ScriptSession,
    text: str,
    path: str | None,
    app: AppContext | None,
    config: Config,
    files: FileView,
    module: bool,
    extra_policies: list[tuple[str, Policy]] | None,
    role: str | None,
) -> list[Finding]:
    version = target_version(app, config)
    vendor = is_vendor(path, "") or session.has_long_line(text, LONG_LINE)  # (path, then lines)
    every_script, app_code = script_checks()
    vendor_only = vendor and not config.check_vendor_code
    rules = every_script if vendor_only or role == BUILD_OUTPUT else every_script + app_code
    region_rules = [r for r in rules if getattr(r, "scope", "region") != "file"]
    file_rules = [r for r in rules if getattr(r, "scope", "region") == "file"]
    policies = list(extra_policies or ())
    setting = (path, app_key(app), config, module, role, version, repr(policies), vendor)

    def make_context(tree: JsTree) -> ScriptContext:
        return ScriptContext(
            tree,
            path,
            app,
            config,
            files,
            version,
            module=module,
            vendor=vendor,
            extra_policies=list(policies),
        )

    def prepare(ctx: ScriptContext) -> None:
        preload(ctx, watched_paths(), watched_members())

    judge_syntax = version is not None and role not in (BUILD_INPUT, TEST)

    def syntax(view: TsTree) -> list[Finding]:
        assert version is not None
        try:
            return syntax_findings(text, version, module=module, tree=view)
        except Exception:
            log.exception("syntax feature check failed on %s", path)
            return []

    parsed, found, syntax_found = session.analyze(
        text,
        setting,
        make_context,
        region_rules,
        file_rules,
        prepare,
        syntax if judge_syntax else None,
    )
    findings = syntax_errors(parsed)
    findings += found
    if judge_syntax and not parsed.build_step:
        findings += syntax_found
    # copies: the session keeps its own, and the engine words and rates what it returns
    return one_syntax_finding_per_token([copy.copy(f) for f in findings])


def app_key(app: AppContext | None) -> tuple[object, ...] | None:
    """What of the app the script's region findings may depend on (its model only
    matters to whole-file rules, which run every time)."""
    if app is None:
        return None
    return (
        app.manifest.path,
        app.manifest.text,
        app.version,
        app.column,
        app.packaged,
        repr(app.policies),
        frozenset(app.permissions),
        app.role,
    )
