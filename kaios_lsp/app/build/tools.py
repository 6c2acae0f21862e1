"""Where each tool keeps its syntax target and what it says: browserslist configs, Babel
(preset-env), TypeScript (tsconfig), esbuild, Vite and Parcel, plus their built-in defaults."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kaios_lsp.app.build.browserslist import as_float, parse_browserslistrc, resolve_browserslist
from kaios_lsp.app.build.js_literal import NotLiteral, block_end, js_key, js_literal, skip
from kaios_lsp.app.build.project import (
    Project,
    is_query,
    major_of,
    node_at,
    read_json,
    resolved_setting,
    span,
    string_offsets,
    text_of,
)
from kaios_lsp.app.build.setting import (
    BABEL_ESMODULES,
    ES3,
    ES5,
    ESNEXT,
    TOOL_NAMES,
    VITE_DEFAULTS,
    TargetSetting,
)
from kaios_lsp.parse.json.nodes import ArrayNode, Node

# Babel presets that are @babel/preset-env or wrap it, passing ``targets`` through and reading
# browserslist otherwise (Vue CLI's @vue/babel-preset-app, Create React App's
# babel-preset-react-app).
_BABEL_PRESET_ENV = (
    "@babel/preset-env",
    "@babel/env",
    "babel-preset-env",
    "env",
    "@vue/cli-plugin-babel/preset",
    "@vue/babel-preset-app",
    "@vue/app",
    "babel-preset-react-app",
    "react-app",
)
_PRESET_ENV_NAMES = "|".join(re.escape(name) for name in _BABEL_PRESET_ENV)
_PRESET_ENV_MENTION = re.compile(rf"""['"](?:{_PRESET_ENV_NAMES})['"]""")


def _browserslist_from_package(p: Project) -> TargetSetting | None:
    value = p.package.get("browserslist")
    if value is None:
        return None
    node = node_at(p.package_tree, "browserslist")
    where = "browserslist in package.json"
    if isinstance(value, dict):  # env sections: production is what a build uses
        env = "production" if "production" in value else "defaults"
        if env not in value:
            return TargetSetting(
                p.path("package.json"),
                *span(node),
                "browserslist",
                where,
                text_of(p.package_text, node),
                None,
                "browserslist in package.json has no production or defaults section",
            )
        node = node_at(node, env)
        value = value[env]
        where = f"browserslist ({env}) in package.json"
    return resolved_setting(
        p.path("package.json"),
        *span(node),
        "browserslist",
        where,
        text_of(p.package_text, node),
        value,
    )


def _browserslist_from_file(p: Project) -> TargetSetting | None:
    found = p.first([".browserslistrc", "browserslist"])
    if found is None:
        return None
    name, text = found
    section = parse_browserslistrc(text)
    if section is None:
        return TargetSetting(
            p.path(name), 0, 0, "browserslist", f"{name}", "", None, f"{name} has no queries"
        )
    start, end, queries = section
    where = f"{name} [production]" if re.search(r"\[[^\]]*\bproduction\b", text) else name
    resolved, reason = resolve_browserslist(queries)
    return TargetSetting(
        p.path(name), start, end, "browserslist", where, text[start:end], resolved, reason
    )


def find_browserslist(p: Project) -> TargetSetting | None:
    """The project's browserslist config; unresolved when it has two (browserslist ``node.js``
    ``findConfig`` throws "contains both .browserslistrc and package.json with browsers")."""
    in_package = _browserslist_from_package(p)
    rc_files = [n for n in (".browserslistrc", "browserslist") if p.read(n) is not None]
    if (in_package is not None and rc_files) or len(rc_files) > 1:
        first = in_package or _browserslist_from_file(p)
        if first is not None:
            names = ["package.json"] * (in_package is not None) + rc_files
            reason = f"browserslist refuses a folder with both {' and '.join(names)}"
            return TargetSetting(
                first.path, first.start, first.end, first.tool, first.where, first.query, None,
                reason,
            )  # fmt: skip
    return in_package or _browserslist_from_file(p)


def _babel_targets(
    value: object, where: str, setting_args: tuple[str, int, int, str]
) -> TargetSetting:
    """A preset-env (or top-level) ``targets`` value resolved as helper-compilation-targets."""
    path, start, end, query = setting_args
    if is_query(value):
        return resolved_setting(path, start, end, "babel", where, query, value)
    if not isinstance(value, dict):
        return TargetSetting(path, start, end, "babel", where, query, None, "targets not literal")
    explicit = {k: v for k, v in value.items() if k not in ("browsers", "esmodules")}
    resolved: dict[str, float] = {}
    esmodules = value.get("esmodules")
    browsers = value.get("browsers")
    if esmodules is True or (esmodules == "intersect" and not browsers):
        resolved = dict(BABEL_ESMODULES)
    elif esmodules == "intersect":
        return TargetSetting(
            path, start, end, "babel", where, query, None, "esmodules: 'intersect' not resolved"
        )
    elif browsers:
        found, reason = resolve_browserslist(browsers) if is_query(browsers) else (None, "bad")
        if found is None:
            return TargetSetting(path, start, end, "babel", where, query, None, reason)
        resolved = found
    for name, version in explicit.items():
        key = TOOL_NAMES.get(name, name)
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            resolved[key] = float(version)
        elif isinstance(version, str) and (number := as_float(version)) is not None:
            resolved[key] = number
        else:
            reason = f"targets.{name} = {version!r} is not a version this module resolves"
            return TargetSetting(path, start, end, "babel", where, query, None, reason)
    return TargetSetting(path, start, end, "babel", where, query, resolved, None)


@dataclass
class Babel:
    uses_preset_env: bool = False
    targets: TargetSetting | None = None
    ignore_browserslist: bool = False
    unknown: TargetSetting | None = None  # a config that cannot be read literally


def _preset_env_options(presets: object) -> tuple[bool, object]:
    """(uses preset-env, its options) from a Babel ``presets`` list (JSON or literal JS)."""
    if not isinstance(presets, list):
        return False, None
    for entry in presets:
        name, options = (entry, None) if isinstance(entry, str) else (None, None)
        if isinstance(entry, list) and entry and isinstance(entry[0], str):
            name, options = entry[0], entry[1] if len(entry) > 1 else None
        if name in _BABEL_PRESET_ENV:
            return True, options
    return False, None


def _babel_from_json(
    p: Project, name: str, text: str | None, tree: Node | None, value: object
) -> Babel:
    """Babel config as JSON: babel.config.json, .babelrc(.json) or package.json ``babel``."""
    path = p.path(name)
    prefix = ("babel",) if name == "package.json" else ()
    if not isinstance(value, dict):
        return Babel()
    uses, options = _preset_env_options(value.get("presets"))
    babel = Babel(uses_preset_env=uses)
    label = f"{name} babel" if prefix else name
    if uses and isinstance(options, dict):
        babel.ignore_browserslist = options.get("ignoreBrowserslistConfig") is True
        if "targets" in options:
            presets_node = node_at(tree, *prefix, "presets")
            node = None
            if isinstance(presets_node, ArrayNode):
                for item in presets_node.items:
                    if isinstance(item, ArrayNode) and len(item.items) > 1:
                        first = item.items[0]
                        if first.kind == "string" and first.value in _BABEL_PRESET_ENV:
                            node = node_at(item.items[1], "targets")
            babel.targets = _babel_targets(
                options["targets"],
                f"targets of @babel/preset-env in {label}",
                (path, *span(node), text_of(text, node)),
            )
    if babel.targets is None and "targets" in value:
        node = node_at(tree, *prefix, "targets")
        babel.targets = _babel_targets(
            value["targets"], f"targets in {label}", (path, *span(node), text_of(text, node))
        )
    return babel


def _babel_from_js(path: str, name: str, text: str) -> Babel:
    """A JS file (babel.config.js, .babelrc.js, webpack.config.js): literal values only."""
    mention = _PRESET_ENV_MENTION.search(text)
    if mention is None:
        return Babel()
    babel = Babel(uses_preset_env=True)
    if re.search(r"ignoreBrowserslistConfig\s*:\s*true", text):
        babel.ignore_browserslist = True
    key = js_key(text, "targets", mention.end()) or js_key(text, "targets")
    where = f"targets of @babel/preset-env in {name}"
    if key is None:
        shorthand = re.search(r"[{,]\s*(targets)\s*[,}]", text)
        if shorthand:  # { targets } names a variable: its value is not in this file's text
            at = shorthand.start(1)
            reason = f"targets in {name} is a variable, not a literal"
            babel.targets = TargetSetting(path, at, at, "babel", where, "", None, reason)
        return babel
    try:
        value, start, end = js_literal(text, key.end())
    except NotLiteral as error:
        start = skip(text, key.end())
        babel.targets = TargetSetting(
            path, start, start, "babel", where, "", None, f"targets in {name}: {error.args[0]}"
        )
        return babel
    babel.targets = _babel_targets(value, where, (path, start, end, text[start:end]))
    return babel


def find_babel(p: Project) -> Babel:
    """Babel's config in its precedence: babel.config.*, .babelrc*, package.json ``babel``,
    then babel-loader options in a webpack config."""
    for name in ("babel.config.json", ".babelrc", ".babelrc.json"):
        text = p.read(name)
        if text is not None:
            tree, value = read_json(text)
            babel = _babel_from_json(p, name, text, tree, value)
            if babel.uses_preset_env:
                return babel
    for name in ("babel.config.js", "babel.config.cjs", "babel.config.mjs", ".babelrc.js"):
        text = p.read(name)
        if text is not None:
            babel = _babel_from_js(p.path(name), name, text)
            if babel.uses_preset_env:
                return babel
    if isinstance(p.package.get("babel"), dict):
        babel = _babel_from_json(
            p, "package.json", p.package_text, p.package_tree, p.package["babel"]
        )
        if babel.uses_preset_env:
            return babel
    found = p.first(["webpack.config.js", "webpack.config.cjs", "webpack.config.mjs"])
    if found and "babel-loader" in found[1]:
        babel = _babel_from_js(p.path(found[0]), found[0], found[1])
        if babel.uses_preset_env:
            return babel
    if "react-scripts" in p.deps:  # Create React App: babel-preset-react-app uses preset-env
        return Babel(uses_preset_env=True)
    return Babel()


def _es_year(token: str) -> int | None:
    low = token.lower()
    if low in ("esnext", "latest"):
        return ESNEXT
    if low == "es3":
        return ES3
    if low == "es5":
        return ES5
    if low in ("es6", "es2015"):
        return 2015
    m = re.fullmatch(r"es(20\d\d)", low)
    return int(m.group(1)) if m else None


def _esbuild_targets(tokens: list[str]) -> tuple[dict[str, float] | None, str | None]:
    """esbuild ``target`` entries: ES editions and engine versions; every entry must support a
    feature for it to be kept, so the lowest edition and each engine's version is kept."""
    resolved: dict[str, float] = {}
    for token in tokens:
        token = token.strip()
        if not token:
            continue
        year = _es_year(token)
        if year is not None:
            resolved["es"] = float(min(year, resolved.get("es", year)))
            continue
        m = re.fullmatch(r"([a-z_]+?)(\d+(?:\.\d+)*)", token.lower())
        if not m:
            return None, f"esbuild target `{token}` is not an ES edition or engine version"
        name = TOOL_NAMES.get(m.group(1), m.group(1))
        version = as_float(m.group(2))
        if version is not None:
            resolved[name] = min(version, resolved.get(name, version))
    if not resolved:
        return None, "empty esbuild target"
    return resolved, None


def script_target(p: Project, tool: str, command: str) -> TargetSetting | None:
    """``--target=X`` / ``--target X`` of a ``command`` in package.json scripts."""
    scripts = p.package.get("scripts")
    if not isinstance(scripts, dict):
        return None
    for name, script in scripts.items():
        if not isinstance(script, str) or not re.search(rf"(?<![\w/-]){command}\b", script):
            continue
        m = re.search(rf"{command}\b[^&|;]*?--target[= ]\s*([^\s&|;]+)", script)
        if not m:
            continue
        node = node_at(p.package_tree, "scripts", name)
        raw = m.group(1).strip("'\"")
        start, end = string_offsets(p.package_text, node, m.start(1), m.end(1))
        if raw != m.group(1):
            start, end = start + 1, end - 1
        where = f"--target of {command} in the {name!r} script of package.json"
        if tool == "vite" and raw in ("modules", "baseline-widely-available"):
            return _vite_keyword(p, raw, p.path("package.json"), start, end, where)
        resolved, reason = _esbuild_targets(raw.split(","))
        return TargetSetting(p.path("package.json"), start, end, tool, where, raw, resolved, reason)
    return None


def js_target(
    p: Project, names: Iterable[str], tool: str, anchor: str | None, label: str
) -> tuple[str, str, TargetSetting | None] | None:
    """``target:`` in the first JS config of ``names`` (after ``anchor`` such as ``build:``)."""
    found = p.first(names)
    if found is None:
        return None
    name, text = found
    begin, limit = 0, len(text)
    if anchor is not None:
        m = re.search(anchor, text)
        if m is None:
            return name, text, None
        begin = m.end()
        if text[m.end() - 1] == "{":
            limit = block_end(text, m.end() - 1)
    key = js_key(text, "target", begin, limit)
    if key is None:
        return name, text, None
    where = f"{label} in {name}"
    path = p.path(name)
    try:
        value, start, end = js_literal(text, key.end())
    except NotLiteral as error:
        start = skip(text, key.end())
        reason: str | None = f"{label} in {name} is not a literal ({error.args[0]})"
        return name, text, TargetSetting(path, start, start, tool, where, "", None, reason)
    query = text[start:end]
    if tool == "vite" and value in ("modules", "baseline-widely-available"):
        return name, text, _vite_keyword(p, str(value), path, start, end, where)
    tokens = [value] if isinstance(value, str) else value
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        reason = f"{label} in {name} is not a string or list of strings"
        return name, text, TargetSetting(path, start, end, tool, where, query, None, reason)
    resolved, reason = _esbuild_targets(tokens)
    return name, text, TargetSetting(path, start, end, tool, where, query, resolved, reason)


def vite_defaults(p: Project) -> tuple[tuple[str, ...] | None, str]:
    major = major_of(p.deps.get("vite"))
    if major is None:
        return None, "the Vite version is not declared in package.json"
    if major not in VITE_DEFAULTS:
        return None, f"the build.target default of Vite {major} is not known to this module"
    return VITE_DEFAULTS[major], f"Vite {major}"


def _vite_keyword(
    p: Project, keyword: str, path: str, start: int, end: int, where: str
) -> TargetSetting:
    """Vite's ``'modules'`` / ``'baseline-widely-available'``: the list of the installed major."""
    defaults, label = vite_defaults(p)
    major = major_of(p.deps.get("vite"))
    expected = "modules" if major is not None and major <= 6 else "baseline-widely-available"
    if defaults is None or keyword != expected:
        reason: str | None = f"build.target '{keyword}' of {label} is not known to this module"
        return TargetSetting(path, start, end, "vite", where, keyword, None, reason)
    resolved, reason = _esbuild_targets(list(defaults))
    return TargetSetting(path, start, end, "vite", where, keyword, resolved, reason)


def read_tsconfig(p: Project) -> tuple[TargetSetting | None, str | None]:
    """(compilerOptions.target, compilerOptions.module) of tsconfig.json, following local
    ``extends`` (the nearest file that sets each option wins)."""
    name = "tsconfig.json"
    seen: set[str] = set()
    target: TargetSetting | None = None
    module: str | None = None
    for _ in range(8):
        text = p.read(name)
        if text is None or name in seen:
            break
        seen.add(name)
        tree, value = read_json(text)
        if not isinstance(value, dict):
            break
        options = value.get("compilerOptions")
        options = options if isinstance(options, dict) else {}
        if module is None and isinstance(options.get("module"), str):
            module = options["module"].lower()
        if target is None and "target" in options:
            target = _ts_target(p.path(name), name, text, tree, options["target"])
        parent = value.get("extends")
        if not isinstance(parent, str) or not parent.startswith("."):
            break
        name = os.path.normpath(os.path.join(os.path.dirname(name), parent))
        if not name.endswith(".json"):
            name += ".json"
    return target, module


def _ts_target(path: str, name: str, text: str, tree: Node | None, target: object) -> TargetSetting:
    node = node_at(tree, "compilerOptions", "target")
    year = _es_year(target) if isinstance(target, str) else None
    resolved = {"es": float(year)} if year is not None else None
    reason = None if year is not None else f"unknown TypeScript target {target!r}"
    where = f"compilerOptions.target in {name}"
    return TargetSetting(
        path, *span(node), "typescript", where, text_of(text, node), resolved, reason
    )


def default_setting(
    path: str, tool: str, where: str, query: str | None, why: str = ""
) -> TargetSetting:
    """A tool's built-in target (no offsets): a browserslist query for Parcel, esbuild target
    entries joined by commas otherwise; ``query`` None = unknown because ``why``."""
    resolved: dict[str, float] | None
    reason: str | None
    if query is None:
        resolved, reason = None, why
    elif tool == "parcel":
        resolved, reason = resolve_browserslist(query)
    else:
        resolved, reason = _esbuild_targets(query.split(","))
    return TargetSetting(path, 0, 0, tool, where, query or "", resolved, reason)


# The default target of tsc 4.9.5 (``getEmitScriptTarget``) and 5.9.3 when ``module`` is one of
# these: ES2022 (node16, node18), ES2023 (node20), ESNext (nodenext).
_TS_MODULE_TARGETS = {"node16": 2022, "node18": 2022, "node20": 2023, "nodenext": ESNEXT}


def typescript_default(p: Project, module: str | None) -> tuple[bool | None, TargetSetting | None]:
    """What tsc targets without ``compilerOptions.target``, per the declared TypeScript major:
    ES3 up to 4.x, ES5 in 5.x (both unless ``module`` is node16…nodenext), ES2025 in 6.x."""
    major = major_of(p.deps.get("typescript"))
    path = p.path("tsconfig.json")
    if major is None or major >= 7:
        why = "not declared" if major is None else f"{major}: default not verified"
        reason = f"TypeScript version {why}"
        return None, TargetSetting(path, 0, 0, "typescript", "default tsc target", "", None, reason)
    if major >= 6:
        year = 2025
    elif module in _TS_MODULE_TARGETS and (major >= 5 or module in ("node16", "nodenext")):
        year = _TS_MODULE_TARGETS[module]
    else:
        year = ES5 if major == 5 else ES3
    name = {ES5: "ES5", ES3: "ES3", ESNEXT: "ESNext"}.get(year, f"ES{year}")
    where = f"default tsc target (TypeScript {major}: {name})"
    setting = TargetSetting(path, 0, 0, "typescript", where, name, {"es": float(year)}, None)
    return year > ES5, setting


def parcel_setting(p: Project) -> TargetSetting | None:
    """A Parcel target's ``engines.browsers`` or package.json ``engines.browsers``."""
    targets = p.package.get("targets")
    if isinstance(targets, dict):
        for name, target in targets.items():
            if isinstance(target, dict) and isinstance(target.get("engines"), dict):
                value = target["engines"].get("browsers")
                if value is not None:
                    node = node_at(p.package_tree, "targets", name, "engines", "browsers")
                    where = f"targets.{name}.engines.browsers in package.json"
                    return resolved_setting(
                        p.path("package.json"), *span(node), "parcel", where,
                        text_of(p.package_text, node), value,
                    )  # fmt: skip
    engines = p.package.get("engines")
    if isinstance(engines, dict) and engines.get("browsers") is not None:
        node = node_at(p.package_tree, "engines", "browsers")
        return resolved_setting(
            p.path("package.json"), *span(node), "parcel",
            "engines.browsers in package.json", text_of(p.package_text, node), engines["browsers"],
        )  # fmt: skip
    return None
