"""KAI204: the calls in the app's scripts that show each prompt permission's dialog.

A permission that prompts (for this app's type and version) is linked to the calls that
trigger its dialog (geolocation, getUserMedia, DeviceStorage requests...), found by the
same code as KAI406 (:func:`.js.refusal_rules.prompt_calls`):

* some call ignores a refusal: a warning on the permission, with the call sites as
  related information and, as quick fixes, KAI406's own fixes at those call sites (edits
  to the scripts: ``FileChange(path=script)``);
* every call handles a refusal (or passes the promise on): a hint;
* no call found (none, or one we cannot see: computed names, an app too big to read):
  the plain information, as before (KAI405 says when the permission is unused).

Only scripts that run count: shipped and reached from an entry point, or build input;
never build output, test files or scripts no page opens; inline scripts of those pages
unless a policy blocks them. Each script (page) is parsed once per version (cached by its
stamp), and only when its text names a prompting API; the app's call sites are kept while
its scripts and pages stay the same (a manifest keystroke only checks their stamps).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from kaios_lsp.app.dependent import WhileUnchanged
from kaios_lsp.app.files import PerVersion
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.app.model import (
    BUILD_INPUT,
    IN_PLACE,
    INPUT,
    SHIPPED,
    UNREACHED,
    build_model,
    file_stamp,
)
from kaios_lsp.facts.permissions import ALLOW, Permission
from kaios_lsp.findings import FileChange, Finding, Fix, Related, Severity, TextEdit
from kaios_lsp.parse.json.nodes import Member
from kaios_lsp.rules.meta import resolver

if TYPE_CHECKING:
    from kaios_lsp.app.files import FileView
    from kaios_lsp.app.manifest import Manifest
    from kaios_lsp.app.manifest_context import DeferredScans
    from kaios_lsp.app.model import AppModel
    from kaios_lsp.config import Config
    from kaios_lsp.parse.csp import Directive, Policy
    from kaios_lsp.rules.js.refusal_rules import PromptCall

log = logging.getLogger("kaios_lsp.analysis")

_COLLECT_AFTER = 64 * 1024  # characters of script; a full collection costs ~30 ms

PROMPTS = "KAI204"
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
PAGE_SUFFIXES = (".html", ".htm")
MAX_SCRIPTS = 2000
MAX_FIXES = 10  # one fix per call site, then one for all of them
MAX_RELATED = 20
# Only a script that names one of these is parsed (the rest cannot hold a call site).
_WORDS = re.compile(
    r"\b(?:getCurrentPosition|watchPosition|getUserMedia|mozGetUserMedia|getDeviceStorage|requestPermission|getCamera)\b"
)


@dataclass(frozen=True)
class CallSite:
    """A call that shows a permission prompt, in one script (offsets in that script)."""

    path: str
    line: int  # 1-based, for messages
    start: int
    end: int
    api: str
    permissions: tuple[str, ...]
    unhandled: bool
    fixes: tuple[Fix, ...]  # edits to the script (path=None), as KAI406 offers them

    def where(self, root: str) -> str:
        return f"{os.path.relpath(self.path, root).replace(os.sep, '/')}:{self.line}"


# The policies of an app, as texts (a key for caches): [(who sets it, policy text)].
_PolicyTexts = tuple[tuple[str, str], ...]

# A script's call sites, per version of it and the vendor-code setting; a page's, per
# version of it and (the setting, the app's version, the app's policy texts).
_script_sites: PerVersion[tuple[CallSite, ...]] = PerVersion()
_page_sites: PerVersion[tuple[CallSite, ...]] = PerVersion()


def script_call_sites(
    path: str, files: FileView, config: Config, scans: DeferredScans | None = None
) -> tuple[CallSite, ...]:
    """The prompting calls of one script, parsed once per version of it (with ``scans``,
    a big one that needs parsing is left to ``scans``: nothing, for now)."""

    def scan(text: str) -> tuple[CallSite, ...]:
        if scans is not None and len(text) > scans.max_chars and _WORDS.search(text):
            scans.paths.append(path)
            raise _Deferred
        return _scan(path, text, config)

    try:
        return _script_sites.get(
            files, path, bool(config.check_vendor_code), scan, (), stamp=file_stamp(files, path)
        )
    except _Deferred:
        return ()


class _Deferred(Exception):
    """A script left to :class:`DeferredScans` (nothing is kept for it)."""


def scan_script(path: str, text: str, config: Config) -> tuple[CallSite, ...]:
    """The prompting calls of a script's text, parsed here (for :class:`DeferredScans`:
    give them back with :func:`keep_script_sites`)."""
    return _scan(path, text, config)


def keep_script_sites(
    path: str,
    config: Config,
    stamp: object,
    text: tuple[int, int] | None,
    sites: tuple[CallSite, ...],
) -> None:
    """Keep the call sites parsed elsewhere from the script's version ``stamp`` (taken
    before its text was read), as :func:`script_call_sites` keeps its own; with the
    text's fingerprint ``text`` (see app/files.fingerprint), the same text under another
    stamp (a script opened as it is on disk) finds them again."""
    _script_sites.keep(path, bool(config.check_vendor_code), stamp, text, sites)


def _scan(
    path: str, text: str, config: Config, dialect: str | None = None, module: bool | None = None
) -> tuple[CallSite, ...]:
    """The call sites of a script's text (offsets and line numbers in ``text``)."""
    if not _WORDS.search(text):
        return ()
    sites = _scan_tree(path, text, config, dialect, module)
    _parsed_since_collection[0] += len(text)
    if _parsed_since_collection[0] > _COLLECT_AFTER:
        # A manifest's analysis scans every script of its app: free the trees (their
        # nodes and their parents refer to each other, so only a full collection does)
        # every 64K characters parsed, or they all wait for the GC together (tens of MB
        # for an app of many small scripts).
        _parsed_since_collection[0] = 0
        gc.collect()
    return sites


_parsed_since_collection = [0]  # characters of script parsed since the last collection


def _scan_tree(
    path: str, text: str, config: Config, dialect: str | None, module: bool | None
) -> tuple[CallSite, ...]:
    from kaios_lsp.parse.js.parse import dialect_for, parse_script
    from kaios_lsp.rules.js.context import ScriptContext, collect_names, is_vendor
    from kaios_lsp.rules.js.refusal_rules import (
        CALLBACK_PROMPTS,
        GEOLOCATION,
        PROMISE_PROMPTS,
        STORAGE_GETTERS,
        WATCHED_MEMBERS,
        prompt_calls,
    )
    from kaios_lsp.rules.js.uses import preload

    if is_vendor(path, text) and not config.check_vendor_code:
        return ()  # KAI406 does not judge minified or third-party code either
    name = os.path.basename(path).lower()
    dialect = dialect or dialect_for(name)
    if dialect is None:
        return ()
    if module is None:
        module = name.endswith((".mjs", ".mts")) or dialect != "js"
    try:
        parsed = parse_script(text, module=module, front="tree-sitter", dialect=dialect)
        # no files: prompt_calls() never reads other files
        ctx = ScriptContext(parsed.tree, path, None, config, None, None, module=module)  # type: ignore[arg-type]
        collect_names(ctx)
        preload(
            ctx,
            {*GEOLOCATION, *PROMISE_PROMPTS, *CALLBACK_PROMPTS, *STORAGE_GETTERS},
            WATCHED_MEMBERS,
        )
        calls = list(prompt_calls(ctx))
    except Exception:
        log.exception("prompt call sites of %s", path)
        return ()
    calls = _not_suppressed(text, calls)
    return tuple(
        CallSite(
            path,
            text.count("\n", 0, call.start) + 1,
            call.start,
            call.end,
            call.api,
            call.permissions,
            call.unhandled,
            call.fixes,
        )
        for call in calls
        if call.permissions
    )


def _not_suppressed(text: str, calls: list[PromptCall]) -> list[PromptCall]:
    """A call whose KAI406 the developer suppressed (``// kaios-lsp-disable-line KAI406``)
    counts as handled: the manifest does not nag about it either."""
    from kaios_lsp.rules.js import refusal_rules
    from kaios_lsp.rules.js.refusal_rules import UNHANDLED_REFUSAL
    from kaios_lsp.rules.suppress import apply_suppressions

    unhandled = [c for c in calls if c.unhandled]
    if not unhandled or "kaios-lsp" not in text:
        return calls
    probes = [Finding(UNHANDLED_REFUSAL, c.start, c.end, "") for c in unhandled]
    kept = {
        (f.start, f.end)
        for f in apply_suppressions(text, probes, resolve=resolver(refusal_rules.RULES))
        if f.rule == UNHANDLED_REFUSAL
    }
    return [
        c if not c.unhandled or (c.start, c.end) in kept else replace(c, unhandled=False, fixes=())
        for c in calls
    ]


def page_call_sites(path: str, ctx: ManifestContext) -> tuple[CallSite, ...]:
    """The prompting calls of a page's inline scripts that run (not blocked by the app's
    policy or the page's <meta> one), at the page's offsets; once per version of the page
    and of the app's policies."""
    policies = _app_policies(ctx)
    return _page_sites.get(
        ctx.files,
        path,
        (bool(ctx.config.check_vendor_code), ctx.manifest.version, policies),
        lambda text: _page_scan(path, text, ctx, _parsed_policies(policies)),
        (),
        stamp=file_stamp(ctx.files, path),
    )


def _page_scan(
    path: str, text: str, ctx: ManifestContext, policies: list[tuple[str, Policy]]
) -> tuple[CallSite, ...]:
    if not _WORDS.search(text):
        return ()
    from kaios_lsp.app.context import AppContext
    from kaios_lsp.parse.csp import inline_allowed, parse_policy
    from kaios_lsp.parse.html import scan
    from kaios_lsp.rules.html.page import Page, csp_metas, in_head, inline_scripts, script_type

    manifest = ctx.manifest
    app = AppContext(manifest, manifest.version, "", True, list(policies))
    page = Page(path, text, scan(text), app, ctx.files, ctx.config)
    for tag in csp_metas(page.doc):
        if tag.value("content") and in_head(page.doc, tag):
            page.metas.append((tag.end, parse_policy(tag.value("content") or "")))
    sites: list[CallSite] = []
    for tag in inline_scripts(page.doc, manifest.version):
        code = text[tag.content_start : tag.content_end]
        nonce = tag.value("nonce")

        def allows(d: Directive | None, nonce: str | None = nonce, code: str = code) -> bool:
            return inline_allowed(d, nonce, code)

        if page.blocked("script-src-elem", tag.start, allows):
            continue  # never runs: KAI301 says so
        delta = tag.content_start
        lines = text.count("\n", 0, delta)
        for site in _scan(path, code, ctx.config, "js", script_type(tag) == "module"):
            sites.append(
                CallSite(
                    path,
                    site.line + lines,
                    site.start + delta,
                    site.end + delta,
                    site.api,
                    site.permissions,
                    site.unhandled,
                    tuple(_moved(fix, delta) for fix in site.fixes),
                )
            )
    return tuple(sites)


def _moved(fix: Fix, delta: int) -> Fix:
    return Fix(
        fix.title,
        tuple(
            FileChange(
                c.path,
                tuple(TextEdit(e.start + delta, e.end + delta, e.new_text) for e in c.edits),
                c.create,
                c.content,
            )
            if c.path is None
            else c
            for c in fix.changes
        ),
        fix.safe,
    )


def _app_policies(ctx: ManifestContext) -> _PolicyTexts:
    """The app's own policies (the packaged default and the manifest csp), as
    app_context builds them: [(who sets it, policy text)] (parsed by _parsed_policies
    only when a page is scanned: a keystroke whose pages are unchanged needs the texts
    alone, as a key)."""
    from kaios_lsp.parse.csp import default_policy

    cached: _PolicyTexts | None = ctx.__dict__.get("_prompt_policies")
    if cached is not None:
        return cached
    manifest = ctx.manifest
    config = ctx.config
    version = manifest.version
    column = manifest.permission_column(config.distribution)
    texts: list[tuple[str, str]] = []
    if manifest.distribution(config.distribution) == "packaged":
        default = default_policy(version, column, config.default_csp)
        if default:
            texts.append(("the default policy", default))
    features = manifest.features
    csp = features.value_of("csp") if features is not None else None
    if (
        csp is not None
        and csp.kind == "string"
        and (version == "2.5" or config.kaios3_manifest_csp)
    ):
        texts.append(("the manifest csp", str(csp.value)))
    result = tuple(texts)
    ctx.__dict__["_prompt_policies"] = result
    return result


def _parsed_policies(texts: _PolicyTexts) -> list[tuple[str, Policy]]:
    from kaios_lsp.parse.csp import parse_policy

    return [(who, parse_policy(text)) for who, text in texts]


def app_scripts_and_pages(ctx: ManifestContext) -> tuple[AppModel, list[str]] | None:
    """(app model, the scripts and pages of the app or its build project), or ``None``
    when that cannot be told (an unsaved manifest, too many files)."""
    model = _model_with_reach(ctx)
    return _scripts_and_pages(model, ctx.files) if model is not None else None


def _model_with_reach(ctx: ManifestContext) -> AppModel | None:
    manifest = ctx.manifest
    if manifest.path is None:
        return None
    model = ctx.model
    if model is None or model.situation != INPUT:
        model = build_model(manifest, ctx.files, ctx.config.exclude)  # with reach
    return model


def _scripts_and_pages(model: AppModel, files: FileView) -> tuple[AppModel, list[str]] | None:
    if model.situation == INPUT:
        from kaios_lsp.rules.permissions.app_scripts import app_scripts

        build = model.build
        root = build.root if build is not None else model.package_root
        listing = app_scripts(root, files, build.output_dirs if build is not None else ())
        if listing is None:
            return None
    else:
        if not model.complete:
            return None
        listing = model.package_files
    found = [p for p in listing if p.lower().endswith(SCRIPT_SUFFIXES + PAGE_SUFFIXES)]
    return (model, found) if len(found) <= MAX_SCRIPTS else None


def runs(model: AppModel, path: str, files: FileView) -> bool:
    """Does this script or page count: shipped and opened by an entry point, or build
    input (never build output, a test file, an excluded one or one no page opens)?"""
    role = model.role(path)
    if role.kind == UNREACHED and model.situation == IN_PLACE:
        role = model.role(path, files.read_text(path))
    return role.kind in (SHIPPED, BUILD_INPUT)


_UNKNOWN = object()

# The call sites of an app, per model (by identity: build_model gives the same object
# back while the app's files and what the manifest says of them stay the same), the
# settings and manifest values the scan depends on, while the scripts and pages are the
# same: a keystroke in the manifest neither lists nor stamps them one by one.
_app_sites: WhileUnchanged[tuple[AppModel, tuple[CallSite, ...] | None]] = WhileUnchanged(16)


def app_call_sites(ctx: ManifestContext) -> list[CallSite] | None:
    """Every prompting call in the app's scripts and pages that run (``None``: cannot
    tell). The role of a file is only asked for when it has a call site."""
    cached = ctx.__dict__.get("_prompt_sites", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cast("list[CallSite] | None", cached)  # what the end of this function stores
    model = _model_with_reach(ctx)
    sites: list[CallSite] | None = None
    if model is not None:
        config = ctx.config
        key = (
            id(model),
            bool(config.check_vendor_code),
            ctx.manifest.version,
            _app_policies(ctx),
        )
        # (the result keeps its model alive: no other model can have that id meanwhile)
        deferred = len(ctx.scans.paths) if ctx.scans is not None else 0
        _, found = _app_sites.get(
            ctx.files,
            key,
            lambda view: (model, _call_sites(ctx, model, view)),
            keep=lambda _: ctx.scans is None or len(ctx.scans.paths) == deferred,
        )
        sites = None if found is None else list(found)
    ctx.__dict__["_prompt_sites"] = sites
    return sites


def _call_sites(
    ctx: ManifestContext, model: AppModel, files: FileView
) -> tuple[CallSite, ...] | None:
    found = _scripts_and_pages(model, files)
    if found is None:
        return None
    view = replace(ctx, files=files)
    sites: list[CallSite] = []
    for path in found[1]:
        if path.lower().endswith(PAGE_SUFFIXES):
            here = page_call_sites(path, view)
        else:
            here = script_call_sites(path, files, ctx.config, ctx.scans)
        if here and runs(model, path, files):
            sites.extend(here)
    return tuple(sites)


def sites_for(ctx: ManifestContext, name: str) -> list[CallSite]:
    """The call sites that show the prompt of permission ``name``."""
    return [s for s in app_call_sites(ctx) or () if name in s.permissions]


def prompt_finding(
    ctx: ManifestContext,
    entry: Member,
    permission: Permission,
    version: str,
    column: str,
    words: dict[str, str],
) -> Finding:
    """KAI204 on a permission whose action is ``prompt`` for this app's column."""
    name = json.dumps(permission.name)
    key = entry.key
    if permission.default_prompt(version, column) == ALLOW:
        return Finding(
            PROMPTS,
            key.start,
            key.end,
            f"{name} is granted at install without a dialog (its prompt defaults to allow for "
            f"{words[column]}), but the user can turn it off in Settings: check "
            "Notification.permission before relying on it.",
        )
    asks = (
        f"{name} prompts: the first time the app uses it, KaiOS asks the user whether the app "
        f"may {permission.dialog}, and the user may refuse."
    )
    sites = sites_for(ctx, permission.name)
    if not sites:
        return Finding(
            PROMPTS,
            key.start,
            key.end,
            asks + " Handle the refusal (error callback or rejected promise).",
        )
    # call sites are only found for a saved manifest (app_scripts_and_pages): path is set
    root = (
        ctx.model.project_root
        if ctx.model is not None
        else os.path.dirname(cast(str, ctx.manifest.path))
    )
    unhandled = [s for s in sites if s.unhandled]
    related = tuple(
        Related(
            s.start,
            s.end,
            f"{s.api} shows the {name} prompt"
            + (" and ignores a refusal" if s.unhandled else " and handles a refusal"),
            s.path,
        )
        for s in (unhandled + [s for s in sites if not s.unhandled])[:MAX_RELATED]
    )
    if not unhandled:
        shown = ", ".join(f"{s.api} in {s.where(root)}" for s in sites[:3])
        more = f" and {len(sites) - 3} more" if len(sites) > 3 else ""
        return Finding(
            PROMPTS,
            key.start,
            key.end,
            f"{asks} Every call that shows it handles a refusal: {shown}{more}.",
            related=related,
            severity=Severity.HINT,
        )
    shown = ", ".join(f"{s.api} in {s.where(root)}" for s in unhandled[:3])
    more = f" and {len(unhandled) - 3} more" if len(unhandled) > 3 else ""
    return Finding(
        PROMPTS,
        key.start,
        key.end,
        f"{asks} {'This call ignores' if len(unhandled) == 1 else 'These calls ignore'} a "
        f"refusal, so the app waits forever with no word to the user: {shown}{more}.",
        fixes=refusal_fixes(unhandled, root),
        related=related,
        severity=Severity.WARNING,
    )


def refusal_fixes(sites: list[CallSite], root: str) -> tuple[Fix, ...]:
    """KAI406's fixes at the call sites, as edits to the scripts: one per call site and,
    for several, one that handles them all."""
    fixes: list[Fix] = []
    edits_by_file: dict[str, list[TextEdit]] = {}
    for site in sites:
        if not site.fixes:
            continue
        fix = site.fixes[0]
        edits = tuple(e for c in fix.changes if c.path is None for e in c.edits)
        if not edits or any(c.path is not None or c.create for c in fix.changes):
            continue
        if len(fixes) < MAX_FIXES:
            fixes.append(Fix(f"{fix.title} in {site.where(root)}", (FileChange(site.path, edits),)))
        taken = edits_by_file.setdefault(site.path, [])
        if not any(_overlap(e, t) for e in edits for t in taken):
            taken.extend(edits)
    if len(fixes) > 1:
        changes = tuple(
            FileChange(path, tuple(sorted(edits, key=lambda e: (e.start, e.end))))
            for path, edits in edits_by_file.items()
        )
        fixes.append(Fix("Handle the refusal at every call site", changes))
    return tuple(fixes)


def _overlap(a: TextEdit, b: TextEdit) -> bool:
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def call_sites_markdown(manifest: Manifest, offset: int, config: Config, files: FileView) -> str:
    """For the permission hover: the calls that show this permission's prompt (empty
    when the hover is not on a prompting permission, or nothing calls it)."""
    from kaios_lsp.app.manifest import WEBAPP
    from kaios_lsp.facts.permissions import PROMPT, lookup
    from kaios_lsp.parse.json.nodes import member_at, node_path

    member, in_key = member_at(manifest.root, offset)
    if member is None or not in_key or manifest.path is None:
        return ""
    path = node_path(member)
    features_path = [] if manifest.kind == WEBAPP else ["b2g_features"]
    if len(path) != len(features_path) + 2 or path[:-1] != [*features_path, "permissions"]:
        return ""
    permission = lookup(str(path[-1]))
    column = manifest.permission_column(config.distribution)
    if permission is None or permission.action(manifest.version, column) != PROMPT:
        return ""
    model = build_model(manifest, files, config.exclude, reach=False)
    ctx = ManifestContext(manifest, files, config, model)
    sites = sites_for(ctx, permission.name)
    if not sites:
        return ""
    root = model.project_root if model is not None else os.path.dirname(manifest.path)
    lines = [
        f"- `{s.api}` in {s.where(root)}"
        + (" — **ignores a refusal**" if s.unhandled else " — handles a refusal")
        for s in sites[:10]
    ]
    if len(sites) > 10:
        lines.append(f"- … and {len(sites) - 10} more")
    return "**Calls that show this prompt**\n\n" + "\n".join(lines)
