"""The syntax target of a project's build, and whether the phone can parse what it keeps.

A project with a build step (Babel, TypeScript, esbuild, Vite, Parcel…) ships what the
transpiler makes, not its sources. The transpiler rewrites every syntax its *target* lacks
and keeps the rest, so the question for a KaiOS app is not "is the source newer than Gecko
48?" but "does the build's target make it keep syntax Gecko 48 cannot parse?". This module
(with :mod:`kaios_lsp.app.build`, which reads each tool's config) finds the target settings,
works out which one the transpiler uses, resolves it to browser versions and answers that
question. It is pure: files are read through a FileView, nothing is executed, nothing raises
on bad input; what cannot be resolved is "unknown" with a reason.

Facts and their sources (npm packages read for this module):

* Which browser versions parse which syntax: ``kaios_lsp/facts/data/browser_syntax.json``, built by
  ``tools/build_browser_targets.py`` from @mdn/browser-compat-data 8.1.9; the ES edition of each
  feature from TC39's finished-proposals list (see that script).
* Browserslist semantics (browserslist 4.29.6 ``parse.js``, ``index.js``, ``node.js``): queries
  joined by ``,``/``or`` are a union, ``and`` intersects with what precedes, ``not`` removes from
  it and may not come first; browser names are case-insensitive with aliases
  (``browserslist.aliases``); a config's env section is ``config[env] || config.defaults`` with
  env ``production`` unless BROWSERSLIST_ENV/NODE_ENV say otherwise (``pickEnv``), and a
  ``.browserslistrc`` puts lines before any ``[section]`` in ``defaults`` (``parseConfig``).
  Babel resolves with ``mobileToDesktop: true``, so mobile Chrome/Firefox use the desktop version
  lists here too. Statistics and curated lists come from caniuse-lite 1.0.30001829, resolved at
  build time by the real browserslist (the data file says which versions and of what date).
* Babel (@babel/helper-compilation-targets 7.29.13 ``lib/index.js``, ``lib/targets.js``,
  ``lib/filter-items.js``; @babel/compat-data 7.29.7 ``data/native-modules.json``):
  ``getLowestVersions`` keeps only browsers in ``browserNameMap`` (and_chr, and_ff, android,
  chrome, edge, firefox, ie, ie_mob, ios_saf, node, deno, op_mob, opera, safari, samsung) and
  silently drops the others, e.g. ``kaios`` and ``op_mini``; explicit ``targets`` keys override
  the browserslist result; browserslist config is searched only when no targets are given and
  ``ignoreBrowserslistConfig`` is not set; no config gives ``[]``; ``targetsSupported`` answers
  false for empty targets, so every transform runs: preset-env with no targets compiles to ES5
  (Babel 7). ``esmodules: true`` replaces the browsers by the ``es6.module`` table.
* TypeScript ``compilerOptions.target`` default (``_computedOptions.target`` in ``lib/_tsc.js``):
  typescript 5.9.3 gives ES5 (ES2022/ESNext with ``module`` node16/node18/node20/nodenext);
  typescript 6.0.3 gives ``LatestStandard`` = ES2025 and deprecates ``ES5``; typescript 7.0.2
  ships a native compiler whose ``ScriptTarget`` enum (``dist/enums/scriptTarget.js``) starts at
  ES2015 (no ES3/ES5); its default is not readable from the package, so it stays unknown.
* esbuild ``target`` (https://esbuild.github.io/api/#target, esbuild 0.28.2 ``lib/main.d.ts``
  types it ``string | string[]``): ES editions (``es2017``), ``esnext`` and engine versions
  (``chrome58``, ``firefox48``, ``ios10``…); every feature must be supported by every entry.
  The default is ``esnext`` (per those docs): nothing is lowered.
* Vite ``build.target`` default (``dist/node`` of each npm ``vite``): Vite 3 ``'modules'`` =
  es2020, edge88, firefox78, chrome87, safari13; Vite 4-6 ``'modules'`` = es2020, edge88,
  firefox78, chrome87, safari14; Vite 7 ``'baseline-widely-available'`` = chrome107, edge107,
  firefox104, safari16; Vite 8 = chrome111, edge111, firefox114, safari16.4, ios16.4.
* Parcel 2 (@parcel/core 2.16.4 ``src/requests/TargetRequest.js``): browsers come from a
  target's ``engines.browsers``, else package.json ``engines.browsers``, else ``browserslist`` in
  package.json, else a ``browserslist``/``.browserslistrc`` file; with none a browser target
  uses ``DEFAULT_ENGINES.browsers`` = last 1 Chrome/Safari/Firefox/Edge version.

Module syntax (import/export, import.meta, dynamic import, top-level await…) is not judged:
whether it survives depends on the bundler and output format, not on the syntax target.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kaios_lsp.app.build.browserslist import version_key_of
from kaios_lsp.app.build.project import has_dep, load_package, scripts_mention
from kaios_lsp.app.build.setting import (
    ES5,
    ESNEXT,
    PARCEL_DEFAULT_BROWSERS,
    TOOL_NAMES,
    BuildTargets,
    TargetSetting,
)
from kaios_lsp.app.build.tools import (
    default_setting,
    find_babel,
    find_browserslist,
    js_target,
    parcel_setting,
    read_tsconfig,
    script_target,
    typescript_default,
    vite_defaults,
)
from kaios_lsp.app.files import FileView
from kaios_lsp.facts.browser_syntax import browser_syntax
from kaios_lsp.facts.js_syntax import engines, features

# Feature ids whose survival depends on the bundler, not the syntax target (see the docstring).
MODULE_FEATURES = frozenset(
    [
        "es-modules",
        "import-meta",
        "dynamic-import",
        "export-namespace",
        "module-string-names",
        "top-level-await",
        "import-attributes",
        "import-assertions",
        "import-source",
        "import-defer",
        "trailing-comma-in-dynamic-import",
    ]
)


# --------------------------------------------------------------------------------------------
# Data


@lru_cache(maxsize=1)
def _gecko_versions() -> dict[str, int | None]:
    """Feature id -> first Firefox (Gecko) version that parses it (js_syntax.json)."""
    return {feature_id: feature.firefox for feature_id, feature in features().items()}


@lru_cache(maxsize=1)
def _feature_table() -> tuple[tuple[str, int | None, dict[str, tuple[int, ...] | None]], ...]:
    """(id, es year, browser -> version key) for each feature, parsed once."""
    rows = []
    for feature_id, entry in browser_syntax()["features"].items():
        versions = {b: version_key_of(v) if v else None for b, v in entry["versions"].items()}
        rows.append((feature_id, entry["es"], versions))
    return tuple(rows)


def find_build_targets(
    project_root: str, files: FileView, package_json: dict[str, Any] | None = None
) -> BuildTargets:
    """Every syntax-target setting of the project, the one its transpiler uses, and which
    transpiler that is. Never raises; unreadable settings come back with a ``reason``."""
    try:
        return _find_build_targets(project_root, files, package_json)
    except Exception as error:  # pragma: no cover - last line of defence
        reason = f"build targets could not be read ({type(error).__name__})"
        unknown = TargetSetting(project_root, 0, 0, "browserslist", "project", "", None, reason)
        return BuildTargets((), unknown, None, None)


def _find_build_targets(
    project_root: str, files: FileView, package_json: dict[str, Any] | None
) -> BuildTargets:
    p = load_package(project_root, files, package_json)
    settings: list[TargetSetting] = []

    browserslist = find_browserslist(p)
    if browserslist is not None:
        settings.append(browserslist)
    babel = find_babel(p)
    if babel.targets is not None:
        settings.append(babel.targets)
    typescript, ts_module = read_tsconfig(p)
    if typescript is not None:
        settings.append(typescript)
    esbuild = script_target(p, "esbuild", "esbuild")
    esbuild_config = None
    if esbuild is None:
        names = [
            f"{stem}.{ext}"
            for stem in ("esbuild.config", "build", "scripts/build", "esbuild")
            for ext in ("js", "mjs", "cjs")
        ]
        found = js_target(p, names, "esbuild", r"esbuild", "esbuild target")
        if found is not None:
            esbuild_config = found[0]
            esbuild = found[2]
    if esbuild is not None:
        settings.append(esbuild)
    vite_names = [f"vite.config.{ext}" for ext in ("js", "mjs", "ts", "cjs", "mts", "cts")]
    vite_found = js_target(p, vite_names, "vite", r"\bbuild\s*:\s*\{", "build.target")
    vite = vite_found[2] if vite_found else None
    vite = script_target(p, "vite", "vite") or vite
    if vite is not None:
        settings.append(vite)
    parcel = parcel_setting(p)
    if parcel is not None:
        settings.append(parcel)

    uses_vite = has_dep(p, "vite") or vite_found is not None or scripts_mention(p, r"\bvite\b")
    uses_parcel = has_dep(p, "parcel", "@parcel/core", "parcel-bundler") or scripts_mention(
        p, r"\bparcel\b"
    )
    uses_esbuild = (
        esbuild is not None
        or esbuild_config is not None
        or scripts_mention(p, r"(?<![\w/-])esbuild\b")
        or (has_dep(p, "esbuild") and not uses_vite)
    )
    uses_typescript = typescript is not None or (
        has_dep(p, "typescript") and p.read("tsconfig.json") is not None
    )
    # Tools that bundle, concatenate or minify but leave the syntax as written.
    bundler = has_dep(p, "webpack", "rollup", "browserify", "watchify", "grunt", "gulp") or any(
        p.read(n) is not None
        for n in ("webpack.config.js", "rollup.config.js", "rollup.config.mjs")
    )

    if uses_vite:
        default = None
        if vite is None:
            defaults, label = vite_defaults(p)
            where = f"default build.target of {label}" if defaults else "default Vite build.target"
            query = ",".join(defaults) if defaults else None
            path = p.path(vite_found[0]) if vite_found else p.path("package.json")
            default = default_setting(path, "vite", where, query, label)
        if has_dep(p, "@vitejs/plugin-legacy"):
            # The legacy plugin adds nomodule chunks, built by Babel with its own targets, for
            # browsers without module scripts (Gecko 48 among them): not judged here.
            reason = "@vitejs/plugin-legacy builds legacy chunks with its own targets"
            legacy = default_setting(p.path("package.json"), "vite", "legacy chunks", None, reason)
            return BuildTargets(tuple(settings), vite, "vite", None, legacy)
        return BuildTargets(tuple(settings), vite, "vite", True, default)
    if uses_parcel:
        chosen = parcel or browserslist
        default = None
        if chosen is None:
            default = default_setting(
                p.path("package.json"),
                "parcel",
                "default browsers of Parcel 2",
                PARCEL_DEFAULT_BROWSERS,
            )
        return BuildTargets(tuple(settings), chosen, "parcel", True, default)
    if babel.uses_preset_env:
        effective = babel.targets
        if effective is None and not babel.ignore_browserslist:
            effective = browserslist
        return BuildTargets(tuple(settings), effective, "babel", False)
    if uses_esbuild:
        default = None
        if esbuild is None:
            default = default_setting(
                p.path("package.json"), "esbuild", "default esbuild target (esnext)", "esnext"
            )
        return BuildTargets(tuple(settings), esbuild, "esbuild", True, default)
    if uses_typescript:
        keeps, default = typescript_default(p, ts_module)
        return BuildTargets(
            tuple(settings), typescript, "typescript", keeps, None if typescript else default
        )
    if has_dep(p, "@swc/core", "swc-loader", "@swc/cli") or p.read(".swcrc") is not None:
        return BuildTargets(tuple(settings), None, "swc", None)
    return BuildTargets(tuple(settings), None, None, True if bundler else None)


# --------------------------------------------------------------------------------------------
# Judging


def _data_name(name: str) -> str | None:
    """The browser_syntax.json key for a resolved browser name (None: no syntax data)."""
    name = TOOL_NAMES.get(name, name)
    browsers = browser_syntax()["browsers"]
    return name if name in browsers else None


def kept_syntax(setting: TargetSetting, engine_firefox: int) -> list[str] | None:
    """Feature ids a build for ``setting`` keeps untranspiled that Gecko ``engine_firefox``
    cannot parse. A feature is kept when every targeted browser parses it (the least capable
    target decides); browsers without syntax data are left out, as Babel drops them; an ``es``
    entry keeps only features of that edition or older. [] = fine; None = unresolved."""
    resolved = setting.resolved
    if resolved is None:
        return None
    try:
        return _kept(resolved, int(engine_firefox))
    except (TypeError, ValueError):
        return None


def _kept(resolved: dict[str, float], engine_firefox: int) -> list[str]:
    es_year: float | None = None
    targets: list[tuple[str, tuple[int, ...]]] = []
    for name, version in resolved.items():
        if name == "es":
            es_year = version
            continue
        key, version_key = _data_name(name), version_key_of(float(version))
        if key is not None and version_key is not None:
            targets.append((key, version_key))
    if not targets and es_year is None:
        return []  # Babel with empty targets runs every transform (ES5)
    gecko = _gecko_versions()
    kept = []
    for feature_id, es, versions in _feature_table():
        if feature_id in MODULE_FEATURES:
            continue
        if es_year is not None and not (es_year >= ESNEXT or (es is not None and es <= es_year)):
            continue
        if all(versions.get(b) is not None and versions[b] <= v for b, v in targets):  # type: ignore[operator]
            first = gecko.get(feature_id)
            if first is None or first > engine_firefox:
                kept.append(feature_id)
    return kept


def complete_es_year(engine_firefox: int) -> int:
    """The newest ES edition whose syntax Gecko ``engine_firefox`` parses completely (module
    syntax aside), or ES5 (2009): what a TypeScript target for the phone can be."""
    gecko = _gecko_versions()
    missing = [
        es
        for feature_id, es, _ in _feature_table()
        if es is not None
        and feature_id not in MODULE_FEATURES
        and (gecko.get(feature_id) is None or gecko[feature_id] > engine_firefox)  # type: ignore[operator]
    ]
    if not missing:
        return max((es for _, es, _ in _feature_table() if es is not None), default=ES5)
    first_incomplete = min(missing)
    return first_incomplete - 1 if first_incomplete > 2015 else ES5


# --------------------------------------------------------------------------------------------
# Fixes


def _engine(version: str) -> int | None:
    value = engines().get(version) if isinstance(version, str) else None
    return int(value) if value is not None else None


def _append_item(text: str, start: int, end: int, item: str) -> tuple[int, int, str]:
    """Insert ``item`` as the last entry of the array/object literal text[start:end]."""
    close = end - 1
    body_end = close
    while body_end > start + 1 and text[body_end - 1] in " \t\r\n":
        body_end -= 1
    last = text[body_end - 1]
    inside = text[start + 1 : close]
    multiline = "\n" in inside
    if body_end == start + 1:  # empty
        return start + 1, close, item
    comma = "" if last == "," else ","
    if multiline:
        line_start = text.rfind("\n", start, body_end) + 1
        indent = re.match(r"[ \t]*", text[line_start:]).group()  # type: ignore[union-attr]
        newline = "\r\n" if "\r\n" in inside else "\n"
        return body_end, body_end, f"{comma}{newline}{indent}{item}"
    return body_end, body_end, f"{comma} {item}"


def _quote_like(text: str, start: int) -> str:
    return "'" if text[start : start + 1] == "'" else '"'


def target_fix(
    setting: TargetSetting, text: str, version: str
) -> tuple[str, list[tuple[int, int, str]]] | None:
    """A safe edit (title, [(start, end, new_text)] in ``text``, the setting's file) that makes
    the build transpile for KaiOS ``version`` without dropping the other targets; None when no
    edit is safe (unresolved or non-literal value, text changed since the setting was read)."""
    try:
        return _target_fix(setting, text, version)
    except Exception:  # never raise on bad input
        return None


def _target_fix(
    setting: TargetSetting, text: str, version: str
) -> tuple[str, list[tuple[int, int, str]]] | None:
    firefox = _engine(version)
    if firefox is None or setting.resolved is None or setting.end <= setting.start:
        return None
    start, end = setting.start, setting.end
    written = text[start:end]
    if written != setting.query or not written:
        return None
    kaios = f"KaiOS {version} (Gecko {firefox})"
    query = f"firefox >= {firefox}"
    opening = written[0]
    if setting.tool == "typescript":
        year = complete_es_year(firefox)
        name = "ES5" if year == ES5 else f"ES{year}"
        quote = _quote_like(text, start)
        return f"Set the TypeScript target to {name} for {kaios}", [
            (start, end, f"{quote}{name}{quote}")
        ]
    if setting.tool in ("esbuild", "vite"):
        entry = f"firefox{firefox}"
        if opening in "'\"":
            inner = written[1:-1]
            if setting.tool == "vite" and inner in ("modules", "baseline-widely-available"):
                return None
            quote = opening
            new = f"[{quote}{inner}{quote}, {quote}{entry}{quote}]"
            return f"Add {entry} to the {setting.tool} target for {kaios}", [(start, end, new)]
        if opening == "[":
            firefox_entry = re.search(r"""(['"])firefox[\d.]+\1""", written)
            if firefox_entry:
                s, e = start + firefox_entry.start(), start + firefox_entry.end()
                quote = firefox_entry.group(1)
                return f"Lower the firefox entry of the {setting.tool} target for {kaios}", [
                    (s, e, f"{quote}{entry}{quote}")
                ]
            quote = "'" if "'" in written else '"'
            return f"Add {entry} to the {setting.tool} target for {kaios}", [
                _append_item(text, start, end, f"{quote}{entry}{quote}")
            ]
        if re.fullmatch(r"[\w.,]+", written):  # a command-line --target value
            tokens = [t for t in written.split(",") if not t.lower().startswith("firefox")]
            return f"Add {entry} to the {setting.tool} target for {kaios}", [
                (start, end, ",".join([*tokens, entry]))
            ]
        return None
    if setting.tool == "browserslist" and setting.path.endswith(("browserslistrc", "browserslist")):
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        newline = "\r\n" if "\r\n" in text else "\n"
        insert_at = line_end - 1 if line_end > 0 and text[line_end - 1] == "\r" else line_end
        return f"Add '{query}' to browserslist for {kaios}", [
            (insert_at, insert_at, newline + query)
        ]
    # browserslist / babel / parcel values: a string query, an array of queries or (Babel) an
    # object of browser versions.
    if opening in "'\"":
        inner = written[1:-1]
        if "\\" in inner:
            return None
        new = f"{opening}{inner}, {query}{opening}"
        return f"Add '{query}' to the targets for {kaios}", [(start, end, new)]
    if opening == "[":
        quote = "'" if re.match(r"\[\s*'", written) else '"'
        return f"Add '{query}' to the targets for {kaios}", [
            _append_item(text, start, end, f"{quote}{query}{quote}")
        ]
    if opening == "{" and setting.tool == "babel":
        quote = '"' if setting.path.endswith(("json", ".babelrc")) else _obj_quote(written)
        member = re.search(r"""(['"]?)firefox\1\s*:\s*(['"]?)[\d.]+\2""", written)
        value = f"{quote}{firefox}{quote}"
        if member:
            m = re.search(r"""(['"]?)[\d.]+\1$""", member.group())
            s = start + member.start() + (m.start() if m else 0)
            return f"Target Firefox {firefox} for {kaios}", [(s, start + member.end(), value)]
        key = '"firefox"' if setting.path.endswith(("json", ".babelrc")) else "firefox"
        return f"Target Firefox {firefox} for {kaios}", [
            _append_item(text, start, end, f"{key}: {value}")
        ]
    return None


def _obj_quote(written: str) -> str:
    return "'" if "'" in written and '"' not in written else '"'
