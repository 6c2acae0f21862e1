"""Entry point of the analysis core: a document's text in, resolved findings out.

The server and the CLI both call :func:`analyze_document`; they differ only in where
text comes from (editor buffers or disk) and where findings go.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from kaios_lsp.app import placeholders
from kaios_lsp.app.context import AppContext, app_contexts
from kaios_lsp.app.dependent import OneLook, RecordingFiles
from kaios_lsp.app.files import DiskFiles, FileView, OverlayFiles
from kaios_lsp.app.manifest import ANALYSIS, Manifest, load_manifest, manifest_kind
from kaios_lsp.app.manifest_context import DeferredScans, ManifestContext
from kaios_lsp.app.model import (
    BUILD_INPUT,
    BUILD_OUTPUT,
    EXCLUDED,
    INPUT,
    SHIPPED,
    TEST,
    UNREACHED,
    AppModel,
    FileRole,
    build_model,
)
from kaios_lsp.app.project import CONFIG_FILES, TARGET_CONFIG_NAMES
from kaios_lsp.config import Config
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.manifest_reuse import ManifestAnalysis, Reuse, reuse_for, rule_key
from kaios_lsp.parse.js.parse import dialect_for
from kaios_lsp.parse.json.nodes import ObjectNode
from kaios_lsp.rules.catalog import RULES as CATALOG
from kaios_lsp.rules.catalog import lookup
from kaios_lsp.rules.html.analyze import analyze_html
from kaios_lsp.rules.manifest.schema_check import ROOT_GROUP, SchemaChecker
from kaios_lsp.rules.meta import collect, reads_of, reads_present_of
from kaios_lsp.rules.suppress import UNUSED_SUPPRESSION, apply_suppressions

if TYPE_CHECKING:  # (the JavaScript analysis loads on first use of a script)
    from kaios_lsp.rules.js.incremental import ScriptSession
    from kaios_lsp.rules.js.sessions import ScriptSessions

log = logging.getLogger("kaios_lsp.analysis")

UNREADABLE = "KAI008"
HTML_SUFFIXES = (".html", ".htm")
JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")

# Every manifest rule a schema cannot express: each rule module declares its own
# MANIFEST_CHECKS (findings are sorted by position afterwards, so the order is immaterial).
MANIFEST_CHECKS = collect("kaios_lsp.rules", "MANIFEST_CHECKS")
# Checks of the text itself, whatever the kind of file (secrets, source map comments): each
# rule module declares its TEXT_CHECKS, functions of (path, text, role kind) -> findings.
# They run on the files that end up in the package: shipped, build output and unreached
# files (unreached ones still ship; judge_by_role makes those findings hints), and files of
# no app (role None); never on build input, tests or excluded files.
TEXT_CHECKS = collect("kaios_lsp.rules", "TEXT_CHECKS")
TEXT_CHECK_ROLES = frozenset({SHIPPED, BUILD_OUTPUT, UNREACHED})

_BINARY_SAMPLE = 8192
# fixes of one app's findings re-checked against the other app of a shared file (each one
# analyses the file again): enough for real files, bounded for huge ones
MAX_SHARED_FIX_CHECKS = 30
BUILD_CONFIG_FILES = TARGET_CONFIG_NAMES | set(CONFIG_FILES)


@dataclass
class DocumentAnalysis:
    """What one analysis of one document version produced."""

    path: str | None
    kind: str | None
    findings: list[Finding] = field(default_factory=list)
    manifest: Manifest | None = None
    app: AppContext | None = None  # for pages and scripts: the app they belong to
    model: AppModel | None = None  # for a manifest: its app's model, as the rules saw it


def decode(data: bytes, max_size: int | None = None) -> tuple[str, list[Finding], bool]:
    """Decode file bytes as UTF-8 the way KaiOS would read them.

    Returns (text, findings, analysable). Invalid byte sequences become U+FFFD and are
    reported at their exact place; binary or oversized files are reported and marked
    not analysable.
    """
    findings: list[Finding] = []
    if max_size is not None and len(data) > max_size:
        findings.append(
            Finding(
                UNREADABLE,
                0,
                0,
                f"The file is {len(data) / 2**20:.1f} MiB, over the {max_size / 2**20:g} MiB "
                "limit (maxFileSize): it was not analysed.",
            )
        )
        return "", findings, False
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        findings.append(
            Finding(
                UNREADABLE,
                0,
                0,
                "The file is UTF-16 encoded: KaiOS reads manifests as UTF-8, "
                "so it cannot be read. Save it as UTF-8.",
            )
        )
        return "", findings, False
    if b"\x00" in data[:_BINARY_SAMPLE]:
        findings.append(
            Finding(
                UNREADABLE,
                0,
                0,
                "The file looks binary (it contains NUL bytes): it was not analysed.",
            )
        )
        return "", findings, False
    try:
        return data.decode("utf-8"), findings, True
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    position = 0
    offset = 0  # code points emitted so far
    reported = 0
    while position < len(data):
        try:
            chunk = data[position:].decode("utf-8")
            parts.append(chunk)
            break
        except UnicodeDecodeError as exc:
            good = data[position : position + exc.start].decode("utf-8")
            parts.append(good)
            offset += len(good)
            bad = data[position + exc.start : position + exc.end]
            parts.append("\ufffd")
            if reported < 20:
                findings.append(
                    Finding(
                        UNREADABLE,
                        offset,
                        offset + 1,
                        f"Invalid UTF-8 byte sequence {bad.hex(' ')} at byte {position + exc.start}: "
                        "KaiOS decodes files as UTF-8, so this becomes U+FFFD (or the file cannot be "
                        "read). Re-save the file as UTF-8.",
                    )
                )
                reported += 1
            offset += 1
            position += exc.end
    return "".join(parts), findings, True


def _resolve(findings: list[Finding], config: Config) -> list[Finding]:
    """Apply rule defaults and user overrides; drop rules that are off."""
    out: list[Finding] = []
    for finding in findings:
        rule = CATALOG.get(finding.rule)
        default = finding.severity or (rule.severity if rule else Severity.WARNING)
        severity = (
            config.severity(finding.rule, default) if finding.rule in config.rules else default
        )
        if severity is None:
            continue
        finding.severity = severity
        out.append(finding)
    out.sort(key=Finding.sort_key)
    return out


def analyze_manifest(
    manifest: Manifest,
    files: FileView,
    config: Config | None = None,
    model: AppModel | None = None,
    scans: DeferredScans | None = None,
    reuse: Reuse | None = None,
) -> list[Finding]:
    """Every manifest finding, before configuration is applied (``reuse``: what the
    analysis of the version this one was typed from may give, see ``manifest_reuse.Reuse``).

    A manifest that is build input with template placeholders (``<%= pkg.version %>``,
    ``GRUNT_ICONS``) is judged with each placeholder standing for a neutral value; nothing
    is said about the placeholders themselves, the build fills them in."""
    zones: list[tuple[int, int]] = []
    if model is not None and model.situation == INPUT:
        spans = placeholders.placeholder_spans(manifest.text, json=True)
        if spans:
            zones = placeholders.zones(manifest.text, spans)
            masked = placeholders.mask_json(manifest.text, spans)
            manifest = load_manifest(masked, manifest.path, manifest.kind)
    findings = _manifest_findings(manifest, files, config, model, scans, reuse)
    if zones:
        findings = _outside_placeholders(findings, zones)
    return findings


def _outside_placeholders(findings: list[Finding], zones: list[tuple[int, int]]) -> list[Finding]:
    kept = []
    for finding in findings:
        if placeholders.within(finding.start, finding.end, zones):
            continue
        if finding.rule in JSON_SYNTAX_RULES and placeholders.touches(
            finding.start, finding.end, zones
        ):
            continue
        finding.fixes = tuple(
            fix
            for fix in finding.fixes
            if not any(
                change.path is None
                and any(placeholders.touches(e.start, e.end, zones) for e in change.edits)
                for change in fix.changes
            )
        )
        kept.append(finding)
    return kept


JSON_SYNTAX_RULES = frozenset({"KAI001", "KAI002", "KAI003", "KAI004"})


def _manifest_findings(
    manifest: Manifest,
    files: FileView,
    config: Config | None,
    model: AppModel | None,
    scans: DeferredScans | None = None,
    reuse: Reuse | None = None,
) -> list[Finding]:
    config = config or Config()
    findings = list(manifest.parsed.findings)
    # (not manifest.root: reading the tree through it moves the offsets an edit left for
    # later, see Manifest.settle; the schema check below reads those of the member the
    # edit was in only, unless it validates more)
    root = manifest.parsed.root
    if not isinstance(root, ObjectNode):
        return findings + _rule_findings(ManifestContext(manifest, files, config, model, scans))
    if reuse is not None and not reuse.fits(manifest, config, model):
        reuse = None  # (a manifest judged with its placeholders masked, a new app model)
    recording = files if isinstance(files, RecordingFiles) else RecordingFiles(files)
    analysis = ManifestAnalysis(config, model, recording.answers)
    checker = SchemaChecker(f"manifest.{manifest.kind}")
    try:
        analysis.schema_basis = checker.basis(manifest.text, manifest.value)
        kept = reuse.schema(analysis.schema_basis) if reuse is not None else None
        if reuse is None or not kept or ROOT_GROUP not in kept or len(reuse.edits) > 1:
            # (what is validated again is not only the member the last edit was in)
            manifest.settle()
        analysis.schema = checker.check_groups(
            manifest.text, root, manifest.value, manifest.broken, kept
        )
        findings.extend(checker.merged(analysis.schema))
    except RecursionError:
        log.warning("schema validation of %s gave up: too deeply nested", manifest.path)
    context = ManifestContext(manifest, recording, config, model, scans)
    findings += _rule_findings(context, reuse, analysis)
    if reuse is not None:  # (what the reused rules asked, answered the same just now)
        answers = recording.answers
        for method, asked in reuse.analysis.answers.items():
            mine = answers.get(method)
            answers[method] = {**asked, **mine} if mine else asked  # (never changed again)
    if recording.keepable and not (scans is not None and scans.paths):
        manifest.derived[ANALYSIS] = analysis
    return findings


@cache
def _declared(
    checks: tuple[Callable[..., Any], ...],
) -> tuple[tuple[Callable[..., Any], str, frozenset[str] | None, frozenset[str]], ...]:
    """(check, its key, what it reads, whose presence it reads) of each manifest check."""
    return tuple((c, rule_key(c), reads_of(c), reads_present_of(c)) for c in checks)


def _rule_findings(
    context: ManifestContext,
    reuse: Reuse | None = None,
    analysis: ManifestAnalysis | None = None,
) -> list[Finding]:
    findings: list[Finding] = []
    for rule, key, reads, present in _declared(MANIFEST_CHECKS):
        found = reuse.rule(key, reads, present) if reuse is not None else None
        if found is None:
            try:
                found = list(rule(context))
            except Exception:  # a bug in one rule must not hide the others
                log.exception("rule %s failed on %s", rule.__name__, context.manifest.path)
                continue
        if analysis is not None:
            analysis.rules[key] = found
        findings.extend(found)
    return findings


def analyze_document(
    path: str | None,
    text: str,
    config: Config | None = None,
    files: FileView | None = None,
    *,
    manifest: Manifest | None = None,
    sessions: ScriptSessions | None = None,
    scans: DeferredScans | None = None,
) -> DocumentAnalysis:
    """Analyse one document. ``path`` (absolute) decides what kind of file it is.

    Pass an already parsed ``manifest`` of this text to avoid parsing it again, and the
    editor's ``sessions`` so that a script's next version costs what its edit changed.
    A manifest's analysis given ``scans`` leaves the big scripts to be parsed elsewhere
    (see :class:`~kaios_lsp.app.manifest_context.DeferredScans`).
    """
    config = config or Config()
    files = files or DiskFiles()
    name = os.path.basename(path) if path else ""
    kind = manifest.kind if manifest is not None else manifest_kind(name, text, config.target)
    if kind is None and name.lower().endswith(HTML_SUFFIXES):
        kind = "html"
    if kind is None and name in BUILD_CONFIG_FILES:
        kind = "build"  # build configuration: never shipped; may hold the build's targets
    if kind is None and name.lower().endswith(JS_SUFFIXES) and dialect_for(name) is not None:
        kind = "js"  # (.d.ts files only declare types: nothing in them runs)
    if kind is None and name.lower().endswith(".json") and name not in BUILD_CONFIG_FILES:
        kind = "json"  # any other JSON file: only the text checks, and only in an app
    result = DocumentAnalysis(path, kind)
    if kind is None:
        return result
    if kind == "json":
        return _analyze_plain_json(result, path, text, files, config)
    if kind == "build" and len(text) <= config.max_file_size:
        findings = _guarded(_build_config_findings, path, text, files, config)
        if findings is None:
            result.kind = None  # a package.json of no KaiOS app: not ours to judge
            return result
        result.findings = _resolve(findings, config)
        return result
    if len(text) > config.max_file_size:
        result.findings = _resolve(
            [
                Finding(
                    UNREADABLE,
                    0,
                    0,
                    f"The file has {len(text):,} characters, over the max_file_size limit "
                    f"of {config.max_file_size:,}: it was not analysed.",
                )
            ],
            config,
        )
        return result
    if kind in ("html", "js"):
        apps: list[AppContext | None] = (
            list(app_contexts(path, files, config, text)) if path else []
        )
        result.app = apps[0] if apps else None
        role = result.app.role if result.app is not None else None
        if role is not None and role.kind == EXCLUDED:
            return result  # the project says it never ships
        dialect = dialect_for(name) or "js"
        # bundler sources are modules; on the phone only .mjs is one by its name
        module = name.lower().endswith((".mjs", ".mts")) or dialect != "js"

        def analyse(
            app: AppContext | None,
            version_text: str,
            session: ScriptSession | ScriptSessions | None = None,
        ) -> list[Finding]:
            if kind == "html":
                return _guarded(analyze_html, path, version_text, app, files, config, session)
            return _guarded(
                _analyze_js, path, version_text, app, files, config, module, dialect, session
            )

        def session_for(app: AppContext | None) -> ScriptSession | ScriptSessions | None:
            if sessions is None or path is None:
                return None
            if kind == "html":
                return sessions  # (a page's inline scripts: one session or memo each)
            return sessions.get((path, app.manifest_path if app is not None else None))

        # (the text checks first: their transient memory never adds to a big tree's)
        text_findings = _text_findings(path, text, role.kind if role is not None else None)
        per_app = [analyse(app, text, session_for(app)) for app in apps or [None]]
        if len(per_app) > 1:
            _keep_fixes_safe_for_every_app(text, per_app, apps, analyse)
        findings = _merge_apps(per_app, apps) + text_findings
        if role is not None and role.kind == BUILD_INPUT:
            findings = _around_template_placeholders(text, findings)
        result.findings = judge_by_role(
            _suppressed(text, _resolve(findings, config), config),
            role,
            config,
            apps[0].version if apps else None,
        )
        return result
    if manifest is None:
        manifest = load_manifest(text, path, kind)
    result.manifest = manifest
    # the rules and the kept results they use ask the same questions (the server may
    # pass its own one look, shared with publishing the findings)
    if not isinstance(files, OneLook):
        files = OneLook(files)
    # a keystroke inside a string reuses what it cannot have changed (manifest_reuse.Reuse),
    # as long as the other files answer the questions the last analysis asked the same
    reuse = reuse_for(manifest, files, config)
    recording = RecordingFiles(files)
    if reuse is not None and reuse.keeps_model:
        model = cast("AppModel | None", reuse.analysis.model)
    else:
        model = _guarded(_model_of, path, manifest, recording, config)
    result.model = model or None
    findings = analyze_manifest(manifest, recording, config, result.model, scans, reuse)
    if not (model and model.situation == INPUT):  # a manifest the build copies: judged there
        findings += _manifest_text_findings(path, manifest, reuse)
    result.findings = _resolve(findings, config)
    return result


def _manifest_text_findings(
    path: str | None, manifest: Manifest, reuse: Reuse | None
) -> list[Finding]:
    """The TEXT_CHECKS on a shipped manifest, reusing those an edit cannot change."""
    analysis = manifest.derived.get(ANALYSIS)  # (this version's, if it is kept)
    findings: list[Finding] = []
    for check in TEXT_CHECKS:
        found = reuse.text(check, manifest.text) if reuse is not None else None
        if found is None:
            found = list(_guarded(check, path, manifest.text, SHIPPED))
        if isinstance(analysis, ManifestAnalysis):
            analysis.text[rule_key(check)] = found
        findings.extend(found)
    return findings


def _analyze_plain_json(
    result: DocumentAnalysis, path: str | None, text: str, files: FileView, config: Config
) -> DocumentAnalysis:
    """A JSON file that is no manifest nor build configuration: only the text checks, and
    only when it belongs to an app (a JSON file of no KaiOS app is not ours to judge)."""
    apps = app_contexts(path, files, config, text) if path else []
    if not apps or len(text) > config.max_file_size:
        result.kind = None
        return result
    result.app = apps[0]
    findings = _text_findings(path, text, apps[0].role.kind)
    result.findings = judge_by_role(_resolve(findings, config), apps[0].role, config)
    return result


def _text_findings(path: str | None, text: str, role: str | None) -> list[Finding]:
    """The TEXT_CHECKS, on a file that ends up in the package (see TEXT_CHECK_ROLES)."""
    if role is not None and role not in TEXT_CHECK_ROLES:
        return []
    findings: list[Finding] = []
    for check in TEXT_CHECKS:
        findings.extend(_guarded(check, path, text, role))
    return findings


def _around_template_placeholders(text: str, findings: list[Finding]) -> list[Finding]:
    """A page or script template the build fills in (``<%= BASE_URL %>``, ``{{ title }}``):
    nothing is said about the placeholders (an inline script around one is no syntax
    error), and no fix moves one where the build would not fill it in."""
    spans = placeholders.placeholder_spans(text)
    if not spans:
        return findings
    kept = []
    for finding in findings:
        if placeholders.touches(finding.start, finding.end, spans) and finding.rule in (
            "KAI401",
            "KAI409",
        ):
            continue
        finding.fixes = tuple(fix for fix in finding.fixes if not _moves_placeholder(fix, spans))
        kept.append(finding)
    return kept


def _moves_placeholder(fix: Fix, spans: list[tuple[int, int]]) -> bool:
    for change in fix.changes:
        if change.create and placeholders.placeholder_spans(change.content):
            return True
        if any(placeholders.placeholder_spans(edit.new_text) for edit in change.edits):
            return True
        if change.path is None and any(
            placeholders.touches(e.start, e.end, spans) for e in change.edits
        ):
            return True
    return False


def _keep_fixes_safe_for_every_app(text: str, per_app, apps, analyse) -> None:
    """A file two apps share: a fix one app's finding offers must not break the other
    (a window.isSecureContext guard for KaiOS 3.0 never passes on 2.5's Gecko 48)."""
    shared = [{(f.rule, f.start, f.end) for f in findings} for findings in per_app]
    budget = MAX_SHARED_FIX_CHECKS
    for index, findings in enumerate(per_app):
        for finding in findings:
            if not finding.fixes:
                continue
            place = (finding.rule, finding.start, finding.end)
            if all(place in other for other in shared):
                continue  # every app has it: its fix is every app's fix
            kept = []
            for fix in finding.fixes:
                budget -= 1
                if budget < 0 or _breaks_another(text, fix, index, per_app, apps, analyse):
                    continue  # (past the budget an unchecked fix is not offered)
                kept.append(fix)
            finding.fixes = tuple(kept)


def _breaks_another(text: str, fix: Fix, index: int, per_app, apps, analyse) -> bool:
    from kaios_lsp.services.fixes import apply_edits

    edits = [e for c in fix.changes if c.path is None for e in c.edits]
    if not edits:
        return False
    fixed = apply_edits(text, edits)
    for other, findings in enumerate(per_app):
        if other == index:
            continue
        before = Counter(f.rule for f in findings if _alarming(f))
        after = Counter(f.rule for f in analyse(apps[other], fixed) if _alarming(f))
        if any(count > before[rule] for rule, count in after.items()):
            return True
    return False


def _alarming(finding: Finding) -> bool:
    rule = CATALOG.get(finding.rule)
    severity = finding.severity or (rule.severity if rule else Severity.WARNING)
    return severity <= Severity.WARNING


def _merge_apps(per_app: list[list[Finding]], apps: list) -> list[Finding]:
    """One list for a file two apps share (a 2.5 and a 3.0 manifest side by side): a
    finding both apps have at the same place is reported once, saying so."""
    if len(per_app) == 1:
        return per_app[0]
    merged: dict[tuple[str, int, int], Finding] = {}
    out: list[Finding] = []
    for findings, app in zip(per_app, apps, strict=True):
        for finding in findings:
            key = (finding.rule, finding.start, finding.end)
            first = merged.get(key)
            if first is None:
                merged[key] = finding
                out.append(finding)
            elif finding.message != first.message and app is not None:
                name = os.path.basename(app.manifest_path)
                first.message += f" (Also for {name}, KaiOS {app.version}.)"
    return out


def _build_config_findings(path, text: str, files: FileView, config: Config):
    from kaios_lsp.rules.build.build_rules import build_target_findings

    if path is None:
        return None
    # the text being analysed is what the project has (an unsaved buffer, a test)
    here = OverlayFiles({os.path.normpath(path): text}, files)
    return build_target_findings(path, text, here, config.target)


def _model_of(path, manifest: Manifest, files: FileView, config: Config) -> AppModel | None:
    return build_model(manifest, files, config.exclude, reach=False)


# On KaiOS 3.0 any page of an app can be opened by another app with the URL it chooses
# (window.open('http://bank.localhost/transfer.html?to=...')): a page no entry point opens
# still runs then, so what such an opening can make the app do is not demoted there.
OPENED_BY_URL_RULES = frozenset({"KAI412"})


def judge_by_role(
    findings: list[Finding], role: FileRole | None, config: Config, version: str | None = None
) -> list[Finding]:
    """Findings in a file no entry point opens (or a test file) are hints with the reason,
    or as usual, or nothing, as the ``unreachedFiles`` setting says."""
    if role is None or role.kind not in (UNREACHED, TEST) or not findings:
        return findings
    if config.unreached_files == "report":
        return findings
    kept = []
    if role.kind == UNREACHED and version == "3.0":
        kept = [f for f in findings if f.rule in OPENED_BY_URL_RULES]
        findings = [f for f in findings if f.rule not in OPENED_BY_URL_RULES]
    if config.unreached_files == "off":
        return kept
    for finding in findings:
        finding.severity = Severity.HINT
        finding.message = f"{finding.message} (Only a hint: {role.reason}.)"
    return findings + kept


def _analyze_js(
    path, text, app, files, config, module, dialect="js", session=None
) -> list[Finding]:
    from kaios_lsp.rules.js.analyze import (
        analyze_script,  # parsers load on first use of a script
    )

    role = app.role.kind if app is not None else None
    return analyze_script(
        text, path, app, config, files, module=module, role=role, dialect=dialect, session=session
    )


def _suppressed(text: str, findings: list[Finding], config: Config) -> list[Finding]:
    """Apply suppression comments; KAI010 reports the ones that suppress nothing."""
    active = {rule for rule in CATALOG if config.severity(rule, CATALOG[rule].severity) is not None}
    result = apply_suppressions(text, findings, active, resolve=lookup)
    if len(result) != len(findings) or any(f.rule == UNUSED_SUPPRESSION for f in result):
        return _resolve(result, config)  # KAI010 findings get the configured level
    return result


def _guarded(analysis, path: str | None, *args) -> list[Finding]:
    """Run one analysis; a bug in it is logged, never raised to the editor."""
    try:
        return analysis(path, *args)
    except Exception:
        log.exception("%s failed on %s", analysis.__name__, path)
        return []
