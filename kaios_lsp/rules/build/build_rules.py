"""KAI410/KAI411: the build's targets keep syntax the phone cannot parse.

In a project with a build step, the sources may use any syntax: the transpiler rewrites
what its *target* lacks. So instead of one "newer than Gecko 48" per line of source
(which would be wrong when the target is right), the build itself is judged, once:

* KAI410, at the target setting (browserslist, Babel ``targets``, TypeScript ``target``,
  esbuild/Vite ``target``, Parcel ``engines``): the targets make the build keep syntax the
  sources use and the phone's engine (Gecko 48 for KaiOS 2.5, 84 for 3.0) cannot parse.
  The fix adds the phone to the targets (the other targets stay).
* KAI411, at the build tool in ``package.json``: there is no target at all and the tool's
  default keeps that syntax (esbuild, Vite, Parcel's default browsers, webpack without a
  transpiler).

Both fire only when the sources really use such syntax (the first use is related
information); a target that cannot be resolved is left alone and the log says why.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from kaios_lsp.app import targets as build_targets
from kaios_lsp.app.build.setting import BuildTargets, TargetSetting
from kaios_lsp.app.files import FileView
from kaios_lsp.app.manifest import manifest_kind
from kaios_lsp.app.model import DEFAULT_EXCLUDED, list_package
from kaios_lsp.app.project import COPY_FOLDERS, BuildProject, find_build_project
from kaios_lsp.findings import Finding, Fix, Related, Severity, TextEdit
from kaios_lsp.parse.json.edit import insert_member
from kaios_lsp.parse.json.nodes import ObjectNode
from kaios_lsp.parse.json.tree import parse
from kaios_lsp.rules.meta import Rule

log = logging.getLogger("kaios_lsp.analysis")

BUILD_TARGET = "KAI410"
BUILD_WITHOUT_TARGET = "KAI411"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI410",
        name="build-target",
        title="The build's targets keep syntax the phone cannot parse",
        severity=Severity.ERROR,
        category="Build",
        explanation="In a project with a build step the sources may use any syntax: the transpiler rewrites "
        "what its target lacks. kaios-lsp judges that target instead of every line of source: "
        "browserslist, Babel preset-env targets, TypeScript target, esbuild/Vite target, Parcel "
        "engines. When the targets only name browsers that parse a syntax (async functions, "
        "object spread, ?. ...) that KaiOS 2.5's Gecko 48 (or 3.0's Gecko 84) cannot, the build "
        "keeps it and the built script fails to load. Error when the sources use such syntax (the "
        "first use is shown), information when they do not yet. The fix adds the phone to the "
        "targets and keeps the others. Browser support: MDN browser-compat-data; browserslist "
        "queries resolved with browserslist and caniuse-lite (see kaios_lsp/facts/data/browser_syntax.json).",
        bad='{"devDependencies": {"@babel/core": "^7.24.0", "@babel/preset-env": "^7.24.0"},\n'
        ' "babel": {"presets": ["@babel/preset-env"]},\n'
        ' "browserslist": ["last 2 Chrome versions"]}',
        good='{"devDependencies": {"@babel/core": "^7.24.0", "@babel/preset-env": "^7.24.0"},\n'
        ' "babel": {"presets": ["@babel/preset-env"]},\n'
        ' "browserslist": ["last 2 Chrome versions", "firefox >= 48"]}',
        fixable=True,
        example_file="package.json",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note='Adds the phone to the targets, keeping the others: "firefox >= 48" (2.5) or "firefox >= 84" (3.0) in a browserslist, firefox in Babel targets, firefox48 in esbuild/Vite lists, ES5/ES2021 for TypeScript. Not marked safe: it changes what the build emits. No fix when the setting is not a literal kaios-lsp can edit.',
    ),
    Rule(
        id="KAI411",
        name="build-without-target",
        title="The build has no target and keeps modern syntax",
        severity=Severity.WARNING,
        category="Build",
        explanation="A build tool whose default keeps modern syntax (esbuild: esnext; Vite: its per-version "
        "browser list; Parcel 2: the last Chrome, Safari, Firefox and Edge; webpack without a "
        "transpiler: nothing is rewritten) and no target in the project: what the sources use "
        "reaches the phone as written. Reported once, at the tool in package.json: a warning "
        "when the sources use syntax the phone cannot parse (the first use is shown), "
        "information when they do not yet. For Parcel the fix adds a browserslist with the "
        "phone; for the others the message says where to set the target.",
        bad='{"devDependencies": {"parcel": "^2.12.0"},\n "scripts": {"build": "parcel build src/index.html"}}',
        good='{"devDependencies": {"parcel": "^2.12.0"},\n "scripts": {"build": "parcel build src/index.html"},\n'
        ' "browserslist": ["firefox >= 48"]}',
        fixable=True,
        example_file="package.json",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Parcel: adds a browserslist with the phone to package.json. Vite, esbuild, webpack without a transpiler: no mechanical fix (the target lives in a JavaScript config or a command line); the message says where to set it.",
    ),
)

ENGINES = {"2.5": 48, "3.0": 84}
SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")
MAX_SOURCE_BYTES = 4 * 1024 * 1024
_MANIFESTS = ("manifest.webapp", "manifest.webmanifest", "manifest.json")


def project_versions(project: BuildProject, files: FileView, target: str = "auto") -> list[str]:
    """The KaiOS versions of the apps this build makes (its manifests: at the project root,
    in the folders it copies, in its output)."""
    folders = [project.root, *(os.path.join(project.root, n) for n in COPY_FOLDERS)]
    folders += list(project.output_dirs)
    versions: set[str] = set()
    for folder in folders:
        for name in _MANIFESTS:
            path = os.path.join(folder, name)
            if not files.exists(path):
                continue
            kind = manifest_kind(
                name, files.read_text(path) if name == "manifest.json" else None, target
            )
            if kind is not None:
                versions.add("2.5" if kind == "webapp" else "3.0")
    return sorted(versions)


def build_target_findings(
    path: str, text: str, files: FileView, target: str = "auto"
) -> list[Finding] | None:
    """The findings of a build config file; ``None`` when it belongs to no KaiOS app."""
    folder = os.path.dirname(os.path.abspath(path))
    project = find_build_project(folder, files)
    if project is None or project.root != folder:
        return None
    versions = project_versions(project, files, target)
    if not versions:
        return None
    version = versions[0]  # the oldest engine: its fix covers the newer one too
    engine = ENGINES[version]
    found = build_targets.find_build_targets(folder, files, project.package_json)
    for candidate in found.settings:
        if candidate.reason:
            log.info(
                "build target %s (%s) not judged: %s",
                candidate.query,
                candidate.where,
                candidate.reason,
            )
    setting = found.effective
    if setting is not None:
        if os.path.normpath(setting.path) != os.path.normpath(path) or setting.resolved is None:
            return []
        kept = build_targets.kept_syntax(setting, engine) or []
        if not kept:
            return []
        uses = _source_uses(project, files, set(kept))
        return [_target_finding(setting, text, version, engine, kept, uses)]
    return _no_target_findings(path, text, project, found, version, engine, files)


def _engine_words(version: str, engine: int) -> str:
    return f"KaiOS {version}'s engine (Gecko {engine})"


def _feature_names(ids: Iterable[str]) -> str:
    from kaios_lsp.facts.js_syntax import features

    table = features()
    names = [table[i].name for i in ids if i in table]
    shown = names[:3]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _target_finding(
    setting: TargetSetting,
    text: str,
    version: str,
    engine: int,
    kept: list[str],
    uses: list[SourceUse],
) -> Finding:
    fixes: tuple[Fix, ...] = ()
    proposal = build_targets.target_fix(setting, text, version)
    if proposal is not None:
        title, edits = proposal
        fixes = (Fix.edits(title, [TextEdit(s, e, t) for s, e, t in edits]),)
    head = (
        f"{setting.where} ({' '.join(setting.query.split())}) makes the build keep syntax that "
        f"{_engine_words(version, engine)} cannot parse"
    )
    if uses:
        features = list(dict.fromkeys(u[0] for u in uses))
        message = (
            f"{head}: {_feature_names(features)}, used in the sources, reach the phone as "
            "written and the built script fails to load with a SyntaxError. Add the phone to "
            "the targets (the sources may then keep the modern syntax)."
        )
        severity = Severity.ERROR
    else:
        message = (
            f"{head} ({_feature_names(kept)}); the sources use none of it today, but the first "
            "use (or a dependency that uses it) will stop the app from loading. Add the phone "
            "to the targets."
        )
        severity = Severity.INFO
    return Finding(
        BUILD_TARGET,
        setting.start,
        max(setting.end, setting.start + 1),
        message,
        fixes=fixes,
        severity=severity,
        related=_related(uses),
    )


def _no_target_findings(
    path: str,
    text: str,
    project: BuildProject,
    found: BuildTargets,
    version: str,
    engine: int,
    files: FileView,
) -> list[Finding]:
    default = found.default
    if default is not None and default.resolved is not None:
        kept = build_targets.kept_syntax(default, engine) or []
        how = f"its default target ({default.query.strip() or default.where}) keeps"
    elif found.no_target_keeps_syntax and found.transpiler is None:
        kept = None  # no transpiler: every syntax of the sources reaches the phone
        how = "nothing in it transpiles, so it keeps"
    else:
        return []
    if os.path.basename(path) != "package.json" or kept == []:
        return []
    uses = _source_uses(project, files, set(kept) if kept is not None else None, engine)
    if not uses and kept is None:
        return []  # no transpiler and nothing modern in the sources: fine as it is
    tool = found.transpiler or project.tools[0]
    start, end = _tool_location(text, tool, project)
    features = list(dict.fromkeys(u[0] for u in uses)) or list(kept or [])
    used = "the sources use" if uses else "the sources use none of it today, but it would keep"
    fixes: tuple[Fix, ...] = ()
    if tool == "parcel":
        fixes = _browserslist_fix(text, version, engine)
    advice = {
        "vite": f"set build.target in the Vite config (for example 'firefox{engine}', with "
        "@vitejs/plugin-legacy for KaiOS 2.5)",
        "esbuild": f"pass --target=firefox{engine} to esbuild",
        "parcel": f'add "browserslist": ["firefox >= {engine}"] to package.json',
    }.get(tool, f"add a transpiler (Babel's preset-env with browserslist firefox >= {engine})")
    return [
        Finding(
            BUILD_WITHOUT_TARGET,
            start,
            end,
            f"The build ({tool}) has no syntax target and {how} syntax that "
            f"{_engine_words(version, engine)} cannot parse ({used} "
            f"{_feature_names(features)}): it reaches the phone as written. To fix, {advice}.",
            fixes=fixes,
            severity=Severity.WARNING if uses else Severity.INFO,
            related=_related(uses),
        )
    ]


def _tool_location(text: str, tool: str, project: BuildProject) -> tuple[int, int]:
    """The tool's entry in package.json (dependency key or build script), else the start."""
    root = parse(text).root
    if isinstance(root, ObjectNode):
        for section in ("devDependencies", "dependencies", "scripts"):
            container = root.value_of(section)
            if not isinstance(container, ObjectNode):
                continue
            for member in container.members:
                key = str(member.key.value)
                value = member.value.value if member.value is not None else ""
                if tool in key or (section == "scripts" and tool in str(value)):
                    return member.key.start, member.key.end
    return 0, min(1, len(text))


def _browserslist_fix(text: str, version: str, engine: int) -> tuple[Fix, ...]:
    root = parse(text).root
    if not isinstance(root, ObjectNode) or root.get("browserslist") is not None:
        return ()
    edit = insert_member(text, root, "browserslist", f'["firefox >= {engine}"]')
    return (Fix.edits(f'Add "browserslist": ["firefox >= {engine}"] (KaiOS {version})', [edit]),)


def _related(uses: list[SourceUse]) -> tuple[Related, ...]:
    out = []
    for feature, use_path, start, end in uses[:3]:
        out.append(Related(start, end, f"{_feature_names([feature])} here", use_path))
    return tuple(out)


# -- what the sources use --------------------------------------------------------------------

_uses_cache: dict[tuple[str, object], tuple[tuple[str, int, int], ...]] = {}

# (feature, file, start, end) of a use of a feature in the build's sources
SourceUse = tuple[str, str, int, int]


def _source_uses(
    project: BuildProject, files: FileView, kept: set[str] | None, engine: int | None = None
) -> list[SourceUse]:
    """(feature, file, start, end) of each kept feature the build input uses, first use of
    each feature first. ``kept=None``: every feature ``engine`` cannot parse."""
    from kaios_lsp.app.model import file_stamp
    from kaios_lsp.facts.js_syntax import features
    from kaios_lsp.parse.js.parse import dialect_for

    def unsupported_by_engine(feature: str, engine: int | None) -> bool:
        known = features().get(feature)
        if known is None or engine is None or feature in build_targets.MODULE_FEATURES:
            return False
        return known.firefox is None or known.firefox > engine

    if kept is not None and not kept:
        return []
    listing = list_package(project.root, files) or []
    firsts: dict[str, SourceUse] = {}
    total = 0
    for source in listing:
        if not source.endswith(SOURCE_SUFFIXES) or source.endswith(".d.ts"):
            continue
        relative = os.path.relpath(source, project.root).split(os.sep)
        if project.in_output(source) or set(relative) & (DEFAULT_EXCLUDED | {"test", "tests"}):
            continue
        dialect = dialect_for(source)
        if dialect is None or os.path.basename(source).startswith(("webpack.", "vite.", "rollup.")):
            continue
        key = (source, file_stamp(files, source))
        uses = _uses_cache.get(key)
        if uses is None:
            text = files.read_text(source) or ""
            total += len(text)
            if total > MAX_SOURCE_BYTES:
                break
            uses = _uses_of(text, dialect)
            _uses_cache[key] = uses
        for feature, start, end in uses:
            wanted = feature in kept if kept is not None else unsupported_by_engine(feature, engine)
            if wanted and feature not in firsts:
                firsts[feature] = (feature, source, start, end)
    return list(firsts.values())


def _uses_of(text: str, dialect: str) -> tuple[tuple[str, int, int], ...]:
    from kaios_lsp.parse.js.treesitter_front import TsTree, parse_treesitter
    from kaios_lsp.rules.js.features import syntax_uses

    tree = parse_treesitter(text, dialect)
    if not isinstance(tree, TsTree):
        return ()
    seen: dict[str, tuple[str, int, int]] = {}
    for use in syntax_uses(tree):
        seen.setdefault(use.feature, (use.feature, use.start, use.end))
    return tuple(seen.values())
