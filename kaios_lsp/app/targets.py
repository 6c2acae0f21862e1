"""The syntax target of a project's build, and whether the phone can parse what it keeps.

A project with a build step (Babel, TypeScript, esbuild, Vite, Parcel…) ships what the
transpiler makes, not its sources. The transpiler rewrites every syntax its *target* lacks
and keeps the rest, so the question for a KaiOS app is not "is the source newer than Gecko
48?" but "does the build's target make it keep syntax Gecko 48 cannot parse?". This module
finds the target settings, works out which one the transpiler uses, resolves it to browser
versions and answers that question. It is pure: files are read through a FileView, nothing is
executed, nothing raises on bad input; what cannot be resolved is "unknown" with a reason.

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

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kaios_lsp.app.files import FileView
from kaios_lsp.parse.json.nodes import ArrayNode, Node, ObjectNode, to_python
from kaios_lsp.parse.json.tree import parse as parse_json

DATA_DIR = Path(__file__).resolve().parent.parent / "facts" / "data"
MAX_CONFIG_CHARS = 1_000_000  # a config file bigger than this is not read
ESNEXT = 9999  # the ES "year" of esnext/ESNext: every standard and proposal syntax is kept
ES5 = 2009
ES3 = 1999

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

# Target names of Babel (``targets`` object keys) and esbuild mapped to browserslist names.
_TOOL_NAMES = {
    "ios": "ios_saf",
    "opera_mobile": "op_mob",
    "ie_mob": "ie",
    "nodejs": "node",
    "samsunginternet_android": "samsung",
    "chrome_android": "and_chr",
    "firefox_android": "and_ff",
}

# @babel/compat-data 7.29.7 data/native-modules.json "es6.module" (what esmodules: true means).
BABEL_ESMODULES = {
    "chrome": 61.0,
    "and_chr": 61.0,
    "edge": 16.0,
    "firefox": 60.0,
    "and_ff": 60.0,
    "node": 13.2,
    "opera": 48.0,
    "op_mob": 45.0,
    "safari": 10.1,
    "ios_saf": 10.3,
    "samsung": 8.2,
    "android": 61.0,
}

# Vite build.target defaults per major version (see the module docstring).
VITE_DEFAULTS: dict[int, tuple[str, ...]] = {
    3: ("es2020", "edge88", "firefox78", "chrome87", "safari13"),
    4: ("es2020", "edge88", "firefox78", "chrome87", "safari14"),
    5: ("es2020", "edge88", "firefox78", "chrome87", "safari14"),
    6: ("es2020", "edge88", "firefox78", "chrome87", "safari14"),
    7: ("chrome107", "edge107", "firefox104", "safari16"),
    8: ("chrome111", "edge111", "firefox114", "safari16.4", "ios16.4"),
}
PARCEL_DEFAULT_BROWSERS = (
    "last 1 Chrome version, last 1 Safari version, last 1 Firefox version, last 1 Edge version"
)
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


@dataclass(frozen=True)
class TargetSetting:
    path: str  # absolute path of the file that holds the setting
    start: int  # offsets (code points) of the value's text in that file
    end: int
    tool: str  # "browserslist", "babel", "typescript", "esbuild", "vite", "parcel"
    where: str  # human words: "browserslist in package.json"…
    query: str  # the setting as written
    resolved: dict[str, float] | None  # browser (or "es": edition year) -> lowest version
    reason: str | None  # why it could not be resolved (None when resolved)


@dataclass(frozen=True)
class BuildTargets:
    settings: tuple[TargetSetting, ...]  # every target setting found
    effective: TargetSetting | None  # the one the transpiler uses
    transpiler: str | None  # "babel", "typescript", "esbuild", "swc", "vite", "parcel" or None
    no_target_keeps_syntax: bool | None  # with no target: True keeps modern syntax, False ES5
    # The transpiler's built-in target when no setting is written (Vite's build.target default,
    # Parcel's default browsers, esbuild's esnext, TypeScript's default); start == end == 0.
    default: TargetSetting | None = field(default=None)


# --------------------------------------------------------------------------------------------
# Data


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads((DATA_DIR / "browser_syntax.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _gecko_versions() -> dict[str, int | None]:
    """Feature id -> first Firefox (Gecko) version that parses it (js_syntax.json)."""
    table = json.loads((DATA_DIR / "js_syntax.json").read_text("utf-8"))["features"]
    return {feature_id: entry["firefox"] for feature_id, entry in table.items()}


@lru_cache(maxsize=1)
def _feature_table() -> tuple[tuple[str, int | None, dict[str, tuple[int, ...] | None]], ...]:
    """(id, es year, browser -> version key) for each feature, parsed once."""
    rows = []
    for feature_id, entry in _data()["features"].items():
        versions = {b: _version_key(v) if v else None for b, v in entry["versions"].items()}
        rows.append((feature_id, entry["es"], versions))
    return tuple(rows)


def _version_key(version: str | float) -> tuple[int, ...] | None:
    """``"10.1"`` -> (10, 1); ``"3.0-3.1"`` -> (3,); trailing zeros dropped; None if no number."""
    text = repr(version) if isinstance(version, float) else str(version)
    m = re.match(r"\d+(?:\.\d+)*", text.split("-")[0].strip())
    if not m:
        return None
    parts = [int(p) for p in m.group().split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _as_float(version: str) -> float | None:
    m = re.match(r"\d+(?:\.\d+)?", version.split("-")[0])
    return float(m.group()) if m else None


# --------------------------------------------------------------------------------------------
# Browserslist


class _Unresolved(Exception):
    """A query (or config) this module cannot resolve; args[0] says why."""


_ATOM_CACHE: dict[str, frozenset[str]] = {}


def _agent(name: str) -> tuple[str, list[str], list[str]] | None:
    """(canonical name, released versions, all versions) as browserslist ``byName`` with
    ``mobileToDesktop``; None for an unknown browser."""
    bl = _data()["browserslist"]
    key = name.lower()
    key = bl["aliases"].get(key, key)
    agents = bl["agents"]
    if key not in agents:
        return None
    desktop = bl["desktop"].get(key)
    if desktop and key == "android":
        legacy = [v for v in agents[key]["released"] if re.match(r"^(?:[2-4]\.|[34]$)", v)]
        chrome = agents["chrome"]["released"]
        evergreen = chrome[chrome.index("37") :] if "37" in chrome else chrome
        return key, legacy + evergreen, legacy + evergreen
    source = agents[desktop] if desktop else agents[key]
    return key, source["released"], source["released"] + source["unreleased"]


def _precomputed(key: str) -> frozenset[str]:
    table = _data()["browserslist"]["queries"].get(key)
    if table is None:
        raise _Unresolved(f"browserslist query `{key}` is not in the shipped data")
    return frozenset(f"{b} {v}" for b, versions in table.items() for v in versions)


_SIGNS = {
    ">": float.__gt__,
    ">=": float.__ge__,
    "<": float.__lt__,
    "<=": float.__le__,
}


def _compare(sign: str, version: str, bound: str) -> bool:
    """browserslist ``generateFilter``: parseFloat, the upper end of a range for > and >=."""
    value = _as_float(version.split("-")[-1]) if sign in (">", ">=") else _as_float(version)
    limit = _as_float(bound)
    return value is not None and limit is not None and _SIGNS[sign](value, limit)


def _usage_select(sign: str, percent: float) -> frozenset[str]:
    out = set()
    for name, agent in _data()["browserslist"]["agents"].items():
        for version, share in agent["usage"].items():
            usage = float(share)
            if _SIGNS[sign](usage, percent):
                out.add(f"{name} {version}")
    return frozenset(out)


def _cover(percent: float) -> frozenset[str]:
    """browserslist ``coverQuery`` on global usage."""
    usage = [
        (u, f"{name} {v}")
        for name, agent in _data()["browserslist"]["agents"].items()
        for v, u in agent["usage"].items()
    ]
    usage.sort(key=lambda item: -item[0])
    total, out = 0.0, set()
    for share, item in usage:
        if share == 0:
            break
        total += share
        out.add(item)
        if total >= percent:
            break
    return frozenset(out)


def _checked_agent(name: str) -> tuple[str, list[str], list[str]]:
    agent = _agent(name)
    if agent is None:
        raise _Unresolved(f"unknown browser `{name}` in browserslist query")
    return agent


def _select(query: str) -> frozenset[str]:
    """The "browser version" items of one browserslist clause (no ``not``)."""
    q = re.sub(r"\s+", " ", query.strip())
    low = q.lower()
    if m := re.fullmatch(r"last (\d+) (?:major )?versions?", low):
        return _precomputed(low if low.endswith("s") else low + "s")
    if re.fullmatch(r"last \d+ (?:electron|node) (?:major )?versions?", low):
        raise _Unresolved(f"`{q}` names electron/node releases, not browsers")
    if m := re.fullmatch(r"last (\d+) (\w+) major versions?", low):
        name, released, _ = _checked_agent(m.group(2))
        majors = sorted({int(float(_as_float(v) or 0)) for v in released})[-int(m.group(1)) :]
        low_major = majors[0] if majors else 0
        return frozenset(f"{name} {v}" for v in released if (_as_float(v) or 0) >= low_major)
    if m := re.fullmatch(r"last (\d+) (\w+) versions?", low):
        name, released, _ = _checked_agent(m.group(2))
        count = int(m.group(1))
        return frozenset(f"{name} {v}" for v in (released[-count:] if count else []))
    if low == "unreleased versions":
        return _precomputed(low)
    if m := re.fullmatch(r"unreleased (\w+) versions?", low):
        name, released, versions = _checked_agent(m.group(1))
        return frozenset(f"{name} {v}" for v in versions if v not in released)
    if re.fullmatch(r"last [\d.]+ years?", low):
        raise _Unresolved(f"`{q}` depends on today's date")
    if m := re.fullmatch(r"since (\d+)(?:-(\d+))?(?:-(\d+))?", low):
        since = f"{int(m.group(1)):04d}-{int(m.group(2) or 1):02d}-{int(m.group(3) or 1):02d}"
        bl = _data()["browserslist"]
        out = set()
        for name in bl["agents"]:  # release dates of the desktop browser with mobileToDesktop
            dates = bl["agents"][bl["desktop"].get(name, name)]["dates"]
            out |= {f"{name} {v}" for v, day in dates.items() if day >= since}
        return frozenset(out)
    if m := re.fullmatch(r"(>=?|<=?) ?(\d+|\d+\.\d+|\.\d+)%", low):
        return _usage_select(m.group(1), float(m.group(2)))
    if re.fullmatch(r"(>=?|<=?) ?(\d+|\d+\.\d+|\.\d+)% in .+", low):
        raise _Unresolved(f"`{q}` needs regional or custom usage statistics (not shipped)")
    if m := re.fullmatch(r"cover (\d+|\d+\.\d+|\.\d+)%", low):
        return _cover(float(m.group(1)))
    if re.fullmatch(r"cover .+ in .+", low):
        raise _Unresolved(f"`{q}` needs regional or custom usage statistics (not shipped)")
    if re.fullmatch(r"(?:(?:fully|partially) )?supports [\w-]+", low):
        return _precomputed(low)
    if low.startswith("electron"):
        raise _Unresolved(f"`{q}`: electron versions are not resolved")
    if m := re.fullmatch(r"node ?(?:(>=?|<=?) ?)?([\d.]+)(?: ?- ?[\d.]+)?", low):
        if m.group(1) in ("<", "<="):
            raise _Unresolved(f"`{q}`: an upper bound on node versions is not resolved")
        return frozenset({f"node {m.group(2)}"})
    if low in ("current node", "maintained node versions"):
        raise _Unresolved(f"`{q}` depends on the build machine or today's date")
    if m := re.fullmatch(r"(\w+) ([\d.]+) ?- ?([\d.]+)", low):
        name, released, _ = _checked_agent(m.group(1))
        lo, hi = m.group(2), m.group(3)
        return frozenset(
            f"{name} {v}" for v in released if _compare(">=", v, lo) and _compare("<=", v, hi)
        )
    if m := re.fullmatch(r"(\w+) ?(>=?|<=?) ?([\d.]+)", low):
        name, released, _ = _checked_agent(m.group(1))
        return frozenset(f"{name} {v}" for v in released if _compare(m.group(2), v, m.group(3)))
    if re.fullmatch(r"(\w+) ?(>=?|<=?) ?esr", low):
        raise _Unresolved(f"`{q}`: a range from the ESR version is not resolved")
    if re.fullmatch(r"(?:firefox|ff|fx) esr", low):
        return _precomputed("firefox esr")
    if re.search(r"(?:operamini|op_mini) all", low):
        return frozenset({"op_mini all"})
    if low == "phantomjs 1.9":
        return frozenset({"safari 5"})
    if low == "phantomjs 2.1":
        return frozenset({"safari 6"})
    if m := re.fullmatch(r"(\w+) (tp|[\d.]+)", low):
        name, _, versions = _checked_agent(m.group(1))
        version = m.group(2)
        if version == "tp":
            return frozenset({f"{name} TP"})
        alias = version + ".0" if "." not in version else re.sub(r"\.0$", "", version)
        for candidate in (version, alias):
            if candidate in versions:
                return frozenset({f"{name} {candidate}"})
            for v in versions:  # a joined range such as "15.2-15.3" or "3.0-3.1"
                if "-" in v and v.split("-")[0] == candidate:
                    return frozenset({f"{name} {v}"})
        if len(versions) == 1:
            return frozenset({f"{name} {versions[0]}"})
        raise _Unresolved(f"unknown version {version} of {name} in browserslist query")
    if low == "browserslist config":
        raise _Unresolved("`browserslist config` refers to a config this module does not follow")
    if low.startswith("extends "):
        raise _Unresolved(f"`{q}` is a shareable config in node_modules (not read)")
    if low in ("defaults", "dead"):
        return _precomputed(low)
    raise _Unresolved(f"unknown browserslist query `{q}`")


def _clauses(queries: list[str]) -> list[tuple[str, bool, str]]:
    """(compose, not, text) per clause, as browserslist ``parse.js``."""
    out: list[tuple[str, bool, str]] = []
    blocks: list[str] = []
    pending: list[str] = []
    for block in queries:
        if not block:
            continue
        pending.append(block)
        if re.search(r"(?:,|\s(?:and|or))\s*$", block, re.IGNORECASE) and block.strip(", "):
            continue
        blocks.append("\n".join(pending))
        pending = []
    if pending:
        blocks.append("\n".join(pending))
    for block in blocks:
        compose = "or"
        for piece in re.split(r"(,\s*|\s+and\s+|\s+or\s+)", block, flags=re.IGNORECASE):
            sep = piece.strip().lower()
            if sep in (",", "or") and re.fullmatch(r",\s*|\s+or\s+", piece, re.IGNORECASE):
                compose = "or"
                continue
            if sep == "and" and re.fullmatch(r"\s+and\s+", piece, re.IGNORECASE):
                compose = "and"
                continue
            text = piece.strip()
            if not text:
                if piece:
                    raise _Unresolved("empty clause in browserslist query")
                continue
            negate = re.match(r"not\s+(?!\s)", text, re.IGNORECASE)
            out.append((compose, bool(negate), text[negate.end() :] if negate else text))
    return out


def _evaluate(queries: list[str]) -> frozenset[str]:
    result: list[str] = []
    for index, (compose, negate, text) in enumerate(_clauses(queries)):
        if negate and index == 0:
            raise _Unresolved(f"browserslist query starts with `not {text}`")
        key = text.lower()
        if key not in _ATOM_CACHE:
            if len(_ATOM_CACHE) > 512:
                _ATOM_CACHE.clear()
            _ATOM_CACHE[key] = _select(text)
        items = _ATOM_CACHE[key]
        if not negate and compose == "or":
            result.extend(items)
        else:
            result = [item for item in result if (item in items) != negate]
    return frozenset(result)


def _lowest(items: Iterable[str]) -> dict[str, float]:
    """browser -> lowest version targeted (``all`` of Opera Mini counts as 0; TP is skipped)."""
    lowest: dict[str, float] = {}
    for item in items:
        name, _, version = item.partition(" ")
        if version == "TP":
            continue
        value = 0.0 if version == "all" else _as_float(version)
        if value is None:
            continue
        lowest[name] = min(value, lowest.get(name, value))
    return lowest


def resolve_browserslist(query: str | list[str]) -> tuple[dict[str, float] | None, str | None]:
    """(browser -> lowest version, None) or (None, reason) for a browserslist query or list."""
    queries = [query] if isinstance(query, str) else list(query)
    if not all(isinstance(q, str) for q in queries):
        return None, "browserslist queries must be strings"
    try:
        items = _evaluate(queries)
    except _Unresolved as error:
        return None, error.args[0]
    except (KeyError, ValueError, IndexError, TypeError) as error:  # pragma: no cover - data bug
        return None, f"browserslist query could not be resolved ({error!r})"
    if not items:
        return None, "browserslist query selects no browsers (browserslist refuses it)"
    return _lowest(items), None


def parse_browserslistrc(text: str, env: str = "production") -> tuple[int, int, list[str]] | None:
    """(start, end, queries) of the section a build uses (``env``, else the lines before any
    section), browserslist ``parseConfig``/``pickEnv``; None when it has no queries."""
    sections: dict[str, list[tuple[int, int, str]]] = {"defaults": []}
    current = ["defaults"]
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.split("#", 1)[0]
        stripped = body.strip()
        section = re.fullmatch(r"\[\s*(.+?)\s*\]", stripped)
        if section:
            current = section.group(1).split()
            for name in current:
                sections.setdefault(name, [])
        elif stripped:
            offset = pos
            for part in body.split(","):
                if part.strip():
                    start = offset + len(part) - len(part.lstrip())
                    end = offset + len(part.rstrip())
                    for name in current:
                        sections[name].append((start, end, part.strip()))
                offset += len(part) + 1
        pos += len(line)
    chosen = sections.get(env) or sections["defaults"]
    if not chosen:
        return None
    return chosen[0][0], chosen[-1][1], [q for _, _, q in chosen]


# --------------------------------------------------------------------------------------------
# Reading literals in JS config files (no evaluation)


class _NotLiteral(Exception):
    pass


_JS_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_JS_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_JS_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _skip(text: str, pos: int) -> int:
    m = _JS_SPACE.match(text, pos)
    return m.end() if m else pos


def _js_string(text: str, pos: int) -> tuple[str, int]:
    quote = text[pos]
    out = []
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == quote:
            return "".join(out), i + 1
        if ch == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t"}.get(text[i + 1], text[i + 1]))
            i += 2
            continue
        if ch == "\n" and quote != "`":
            break
        if quote == "`" and text.startswith("${", i):
            raise _NotLiteral("template with substitutions")
        out.append(ch)
        i += 1
    raise _NotLiteral("unterminated string")


def js_literal(text: str, pos: int, depth: int = 0) -> tuple[object, int, int]:
    """(value, start, end) of the JS literal (string, number, boolean, null, array or object of
    literals) at ``pos``; _NotLiteral for anything else (a variable, a call, a spread…)."""
    if depth > 40:
        raise _NotLiteral("too deep")
    pos = _skip(text, pos)
    if pos >= len(text):
        raise _NotLiteral("end of text")
    ch = text[pos]
    if ch in "'\"`":
        value, end = _js_string(text, pos)
        return value, pos, end
    if ch == "[":
        items, i = [], _skip(text, pos + 1)
        while i < len(text) and text[i] != "]":
            value, _, i = js_literal(text, i, depth + 1)
            items.append(value)
            i = _skip(text, i)
            if i < len(text) and text[i] == ",":
                i = _skip(text, i + 1)
            elif i < len(text) and text[i] != "]":
                raise _NotLiteral("unexpected text in array")
        if i >= len(text):
            raise _NotLiteral("unterminated array")
        return items, pos, i + 1
    if ch == "{":
        obj: dict[str, object] = {}
        i = _skip(text, pos + 1)
        while i < len(text) and text[i] != "}":
            if text[i] in "'\"":
                key, i = _js_string(text, i)
            elif m := _JS_IDENT.match(text, i) or _JS_NUMBER.match(text, i):
                key, i = m.group(), m.end()
            else:
                raise _NotLiteral("computed key or spread in object")
            i = _skip(text, i)
            if i >= len(text) or text[i] != ":":
                raise _NotLiteral("shorthand or method in object")
            value, _, i = js_literal(text, i + 1, depth + 1)
            obj[key] = value
            i = _skip(text, i)
            if i < len(text) and text[i] == ",":
                i = _skip(text, i + 1)
            elif i < len(text) and text[i] != "}":
                raise _NotLiteral("unexpected text in object")
        if i >= len(text):
            raise _NotLiteral("unterminated object")
        return obj, pos, i + 1
    if m := _JS_NUMBER.match(text, pos):
        end = m.end()
        if end < len(text) and (text[end].isalnum() or text[end] in "_$"):
            raise _NotLiteral("not a number")
        return float(m.group()), pos, end
    if m := _JS_IDENT.match(text, pos):
        words = {"true": True, "false": False, "null": None, "undefined": None}
        if m.group() in words:
            after = _skip(text, m.end())
            if after >= len(text) or text[after] in ",]}):;\n":
                return words[m.group()], pos, m.end()
        raise _NotLiteral(f"`{m.group()}` is not a literal")
    raise _NotLiteral("not a literal")


def _block_end(text: str, open_at: int) -> int:
    """Offset after the ``}`` closing the ``{`` at ``open_at`` (strings and comments skipped;
    the end of the text when unbalanced)."""
    depth, i = 0, open_at
    while i < len(text):
        ch = text[i]
        if ch in "'\"`":
            try:
                i = _js_string(text, i)[1]
            except _NotLiteral:
                i += 1
            continue
        if text.startswith(("//", "/*"), i):
            i = _skip(text, i)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _js_key(text: str, key: str, start: int = 0, end: int | None = None) -> re.Match | None:
    """The first ``key:`` (bare or quoted) in text[start:end]."""
    pattern = re.compile(rf"(?<![\w$.])(?:{key}|'{key}'|\"{key}\")\s*:")
    return pattern.search(text, start, len(text) if end is None else end)


# --------------------------------------------------------------------------------------------
# Finding settings


@dataclass
class _Project:
    root: str
    files: FileView
    package: dict
    package_text: str | None
    package_tree: Node | None
    deps: dict[str, str]

    def path(self, name: str) -> str:
        return os.path.join(self.root, name)

    def read(self, name: str) -> str | None:
        path = self.path(name)
        try:
            if not self.files.exists(path) or self.files.is_dir(path):
                return None
            text = self.files.read_text(path)
        except Exception:  # a FileView of the caller; a failure is "no file"
            return None
        if text is None or len(text) > MAX_CONFIG_CHARS:
            return None
        return text

    def first(self, names: Iterable[str]) -> tuple[str, str] | None:
        for name in names:
            text = self.read(name)
            if text is not None:
                return name, text
        return None


def _json(text: str) -> tuple[Node | None, object]:
    """Tolerant parse (comments, trailing commas, half-typed): (tree, python value)."""
    try:
        result = parse_json(text)
        value, _ = to_python(result.root)
        return result.root, value
    except Exception:  # never raise on bad input
        return None, None


def _node_at(root: Node | None, *keys: str) -> Node | None:
    node = root
    for key in keys:
        if not isinstance(node, ObjectNode):
            return None
        node = node.value_of(key)
    return node


def _resolved_setting(
    path: str, start: int, end: int, tool: str, where: str, query: str, value: object
) -> TargetSetting:
    """A setting whose value is a browserslist query (string or list of strings)."""
    if not _is_query(value):
        reason = f"{where} is not a browserslist string or list of strings"
        return TargetSetting(path, start, end, tool, where, query, None, reason)
    resolved, reason = resolve_browserslist(value)  # type: ignore[arg-type]
    return TargetSetting(path, start, end, tool, where, query, resolved, reason)


def _is_query(value: object) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def _browserslist_from_package(p: _Project) -> TargetSetting | None:
    value = p.package.get("browserslist")
    if value is None:
        return None
    node = _node_at(p.package_tree, "browserslist")
    where = "browserslist in package.json"
    if isinstance(value, dict):  # env sections: production is what a build uses
        env = "production" if "production" in value else "defaults"
        if env not in value:
            return TargetSetting(
                p.path("package.json"),
                *_span(node),
                "browserslist",
                where,
                _text(p.package_text, node),
                None,
                "browserslist in package.json has no production or defaults section",
            )
        node = _node_at(node, env)
        value = value[env]
        where = f"browserslist ({env}) in package.json"
    return _resolved_setting(
        p.path("package.json"),
        *_span(node),
        "browserslist",
        where,
        _text(p.package_text, node),
        value,
    )


def _span(node: Node | None) -> tuple[int, int]:
    return (node.start, node.end) if node is not None else (0, 0)


def _text(text: str | None, node: Node | None) -> str:
    if text is None or node is None:
        return ""
    return text[node.start : node.end]


def _browserslist_from_file(p: _Project) -> TargetSetting | None:
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


def _browserslist(p: _Project) -> TargetSetting | None:
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


def _babel_targets(value: object, where: str, setting_args: tuple) -> TargetSetting:
    """A preset-env (or top-level) ``targets`` value resolved as helper-compilation-targets."""
    path, start, end, query = setting_args
    if _is_query(value):
        return _resolved_setting(path, start, end, "babel", where, query, value)
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
        found, reason = resolve_browserslist(browsers) if _is_query(browsers) else (None, "bad")
        if found is None:
            return TargetSetting(path, start, end, "babel", where, query, None, reason)
        resolved = found
    for name, version in explicit.items():
        key = _TOOL_NAMES.get(name, name)
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            resolved[key] = float(version)
        elif isinstance(version, str) and (number := _as_float(version)) is not None:
            resolved[key] = number
        else:
            reason = f"targets.{name} = {version!r} is not a version this module resolves"
            return TargetSetting(path, start, end, "babel", where, query, None, reason)
    return TargetSetting(path, start, end, "babel", where, query, resolved, None)


@dataclass
class _Babel:
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


def _babel_from_json(p: _Project, name: str, text: str | None, tree, value) -> _Babel:
    """Babel config as JSON: babel.config.json, .babelrc(.json) or package.json ``babel``."""
    path = p.path(name)
    prefix = ("babel",) if name == "package.json" else ()
    if not isinstance(value, dict):
        return _Babel()
    uses, options = _preset_env_options(value.get("presets"))
    babel = _Babel(uses_preset_env=uses)
    label = f"{name} babel" if prefix else name
    if uses and isinstance(options, dict):
        babel.ignore_browserslist = options.get("ignoreBrowserslistConfig") is True
        if "targets" in options:
            presets_node = _node_at(tree, *prefix, "presets")
            node = None
            if isinstance(presets_node, ArrayNode):
                for item in presets_node.items:
                    if isinstance(item, ArrayNode) and len(item.items) > 1:
                        first = item.items[0]
                        if first.kind == "string" and first.value in _BABEL_PRESET_ENV:
                            node = _node_at(item.items[1], "targets")
            babel.targets = _babel_targets(
                options["targets"],
                f"targets of @babel/preset-env in {label}",
                (path, *_span(node), _text(text, node)),
            )
    if babel.targets is None and "targets" in value:
        node = _node_at(tree, *prefix, "targets")
        babel.targets = _babel_targets(
            value["targets"], f"targets in {label}", (path, *_span(node), _text(text, node))
        )
    return babel


def _babel_from_js(path: str, name: str, text: str) -> _Babel:
    """A JS file (babel.config.js, .babelrc.js, webpack.config.js): literal values only."""
    mention = _PRESET_ENV_MENTION.search(text)
    if mention is None:
        return _Babel()
    babel = _Babel(uses_preset_env=True)
    if re.search(r"ignoreBrowserslistConfig\s*:\s*true", text):
        babel.ignore_browserslist = True
    key = _js_key(text, "targets", mention.end()) or _js_key(text, "targets")
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
    except _NotLiteral as error:
        start = _skip(text, key.end())
        babel.targets = TargetSetting(
            path, start, start, "babel", where, "", None, f"targets in {name}: {error.args[0]}"
        )
        return babel
    babel.targets = _babel_targets(value, where, (path, start, end, text[start:end]))
    return babel


def _find_babel(p: _Project) -> _Babel:
    """Babel's config in its precedence: babel.config.*, .babelrc*, package.json ``babel``,
    then babel-loader options in a webpack config."""
    for name in ("babel.config.json", ".babelrc", ".babelrc.json"):
        text = p.read(name)
        if text is not None:
            tree, value = _json(text)
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
        return _Babel(uses_preset_env=True)
    return _Babel()


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
        name = _TOOL_NAMES.get(m.group(1), m.group(1))
        version = _as_float(m.group(2))
        if version is not None:
            resolved[name] = min(version, resolved.get(name, version))
    if not resolved:
        return None, "empty esbuild target"
    return resolved, None


def _major(spec: str | None) -> int | None:
    """The major version a dependency range such as ``^5.2.0`` or ``~4`` asks for."""
    if not isinstance(spec, str):
        return None
    m = re.search(r"(?<![\w.])(\d+)(?:\.|$|\s|\b)", spec.replace("npm:", ""))
    return int(m.group(1)) if m and not spec.startswith(("file:", "link:", "git")) else None


def _script_target(p: _Project, tool: str, command: str) -> TargetSetting | None:
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
        node = _node_at(p.package_tree, "scripts", name)
        raw = m.group(1).strip("'\"")
        start, end = _string_offsets(p.package_text, node, m.start(1), m.end(1))
        if raw != m.group(1):
            start, end = start + 1, end - 1
        where = f"--target of {command} in the {name!r} script of package.json"
        if tool == "vite" and raw in ("modules", "baseline-widely-available"):
            return _vite_keyword(p, raw, p.path("package.json"), start, end, where)
        resolved, reason = _esbuild_targets(raw.split(","))
        return TargetSetting(p.path("package.json"), start, end, tool, where, raw, resolved, reason)
    return None


def _string_offsets(text: str | None, node: Node | None, start: int, end: int) -> tuple[int, int]:
    """Offsets in the file of [start, end) of a JSON string's decoded value."""
    if text is None or node is None:
        return 0, 0
    raw = text[node.start + 1 : node.end - 1]
    if "\\" not in raw:
        return node.start + 1 + start, node.start + 1 + end
    decoded = node.value if isinstance(node.value, str) else ""
    piece = decoded[start:end]
    where = raw.find(piece)
    if where < 0:
        return node.start, node.end
    return node.start + 1 + where, node.start + 1 + where + len(piece)


def _js_target(
    p: _Project, names: Iterable[str], tool: str, anchor: str | None, label: str
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
            limit = _block_end(text, m.end() - 1)
    key = _js_key(text, "target", begin, limit)
    if key is None:
        return name, text, None
    where = f"{label} in {name}"
    path = p.path(name)
    try:
        value, start, end = js_literal(text, key.end())
    except _NotLiteral as error:
        start = _skip(text, key.end())
        reason = f"{label} in {name} is not a literal ({error.args[0]})"
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


def _vite_defaults(p: _Project) -> tuple[tuple[str, ...] | None, str]:
    major = _major(p.deps.get("vite"))
    if major is None:
        return None, "the Vite version is not declared in package.json"
    if major not in VITE_DEFAULTS:
        return None, f"the build.target default of Vite {major} is not known to this module"
    return VITE_DEFAULTS[major], f"Vite {major}"


def _vite_keyword(
    p: _Project, keyword: str, path: str, start: int, end: int, where: str
) -> TargetSetting:
    """Vite's ``'modules'`` / ``'baseline-widely-available'``: the list of the installed major."""
    defaults, label = _vite_defaults(p)
    major = _major(p.deps.get("vite"))
    expected = "modules" if major is not None and major <= 6 else "baseline-widely-available"
    if defaults is None or keyword != expected:
        reason = f"build.target '{keyword}' of {label} is not known to this module"
        return TargetSetting(path, start, end, "vite", where, keyword, None, reason)
    resolved, reason = _esbuild_targets(list(defaults))
    return TargetSetting(path, start, end, "vite", where, keyword, resolved, reason)


def _tsconfig(p: _Project) -> tuple[TargetSetting | None, str | None]:
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
        tree, value = _json(text)
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


def _ts_target(path: str, name: str, text: str, tree, target: object) -> TargetSetting:
    node = _node_at(tree, "compilerOptions", "target")
    year = _es_year(target) if isinstance(target, str) else None
    resolved = {"es": float(year)} if year is not None else None
    reason = None if year is not None else f"unknown TypeScript target {target!r}"
    where = f"compilerOptions.target in {name}"
    return TargetSetting(
        path, *_span(node), "typescript", where, _text(text, node), resolved, reason
    )


def _default_setting(
    path: str, tool: str, where: str, query: str | None, why: str = ""
) -> TargetSetting:
    """A tool's built-in target (no offsets): a browserslist query for Parcel, esbuild target
    entries joined by commas otherwise; ``query`` None = unknown because ``why``."""
    if query is None:
        resolved, reason = None, why
    elif tool == "parcel":
        resolved, reason = resolve_browserslist(query)
    else:
        resolved, reason = _esbuild_targets(query.split(","))
    return TargetSetting(path, 0, 0, tool, where, query or "", resolved, reason)


def _has(p: _Project, *names: str) -> bool:
    return any(n in p.deps for n in names)


def _scripts_mention(p: _Project, pattern: str) -> bool:
    scripts = p.package.get("scripts")
    if not isinstance(scripts, dict):
        return False
    return any(isinstance(s, str) and re.search(pattern, s) for s in scripts.values())


def _load_package(project_root: str, files: FileView, package_json: dict | None) -> _Project:
    text = None
    try:
        path = os.path.join(project_root, "package.json")
        if files.exists(path):
            text = files.read_text(path)
    except Exception:
        text = None
    if text is not None and len(text) > MAX_CONFIG_CHARS:
        text = None
    tree, value = _json(text) if text is not None else (None, None)
    if not isinstance(value, dict):
        value = package_json if isinstance(package_json, dict) else {}
        if not isinstance(value, dict):
            value = {}
    deps: dict[str, str] = {}
    for key in ("dependencies", "devDependencies"):
        table = value.get(key)
        if isinstance(table, dict):
            deps.update({k: v for k, v in table.items() if isinstance(k, str)})
    return _Project(project_root, files, value, text, tree, deps)


def find_build_targets(
    project_root: str, files: FileView, package_json: dict | None = None
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
    project_root: str, files: FileView, package_json: dict | None
) -> BuildTargets:
    p = _load_package(project_root, files, package_json)
    settings: list[TargetSetting] = []

    browserslist = _browserslist(p)
    if browserslist is not None:
        settings.append(browserslist)
    babel = _find_babel(p)
    if babel.targets is not None:
        settings.append(babel.targets)
    typescript, ts_module = _tsconfig(p)
    if typescript is not None:
        settings.append(typescript)
    esbuild = _script_target(p, "esbuild", "esbuild")
    esbuild_config = None
    if esbuild is None:
        names = [
            f"{stem}.{ext}"
            for stem in ("esbuild.config", "build", "scripts/build", "esbuild")
            for ext in ("js", "mjs", "cjs")
        ]
        found = _js_target(p, names, "esbuild", r"esbuild", "esbuild target")
        if found is not None:
            esbuild_config = found[0]
            esbuild = found[2]
    if esbuild is not None:
        settings.append(esbuild)
    vite_names = [f"vite.config.{ext}" for ext in ("js", "mjs", "ts", "cjs", "mts", "cts")]
    vite_found = _js_target(p, vite_names, "vite", r"\bbuild\s*:\s*\{", "build.target")
    vite = vite_found[2] if vite_found else None
    vite = _script_target(p, "vite", "vite") or vite
    if vite is not None:
        settings.append(vite)
    parcel = _parcel_setting(p)
    if parcel is not None:
        settings.append(parcel)

    uses_vite = _has(p, "vite") or vite_found is not None or _scripts_mention(p, r"\bvite\b")
    uses_parcel = _has(p, "parcel", "@parcel/core", "parcel-bundler") or _scripts_mention(
        p, r"\bparcel\b"
    )
    uses_esbuild = (
        esbuild is not None
        or esbuild_config is not None
        or _scripts_mention(p, r"(?<![\w/-])esbuild\b")
        or (_has(p, "esbuild") and not uses_vite)
    )
    uses_typescript = typescript is not None or (
        _has(p, "typescript") and p.read("tsconfig.json") is not None
    )
    # Tools that bundle, concatenate or minify but leave the syntax as written.
    bundler = _has(p, "webpack", "rollup", "browserify", "watchify", "grunt", "gulp") or any(
        p.read(n) is not None
        for n in ("webpack.config.js", "rollup.config.js", "rollup.config.mjs")
    )

    if uses_vite:
        default = None
        if vite is None:
            defaults, label = _vite_defaults(p)
            where = f"default build.target of {label}" if defaults else "default Vite build.target"
            query = ",".join(defaults) if defaults else None
            path = p.path(vite_found[0]) if vite_found else p.path("package.json")
            default = _default_setting(path, "vite", where, query, label)
        if _has(p, "@vitejs/plugin-legacy"):
            # The legacy plugin adds nomodule chunks, built by Babel with its own targets, for
            # browsers without module scripts (Gecko 48 among them): not judged here.
            reason = "@vitejs/plugin-legacy builds legacy chunks with its own targets"
            legacy = _default_setting(p.path("package.json"), "vite", "legacy chunks", None, reason)
            return BuildTargets(tuple(settings), vite, "vite", None, legacy)
        return BuildTargets(tuple(settings), vite, "vite", True, default)
    if uses_parcel:
        chosen = parcel or browserslist
        default = None
        if chosen is None:
            default = _default_setting(
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
            default = _default_setting(
                p.path("package.json"), "esbuild", "default esbuild target (esnext)", "esnext"
            )
        return BuildTargets(tuple(settings), esbuild, "esbuild", True, default)
    if uses_typescript:
        keeps, default = _typescript_default(p, ts_module)
        return BuildTargets(
            tuple(settings), typescript, "typescript", keeps, None if typescript else default
        )
    if _has(p, "@swc/core", "swc-loader", "@swc/cli") or p.read(".swcrc") is not None:
        return BuildTargets(tuple(settings), None, "swc", None)
    return BuildTargets(tuple(settings), None, None, True if bundler else None)


# The default target of tsc 4.9.5 (``getEmitScriptTarget``) and 5.9.3 when ``module`` is one of
# these: ES2022 (node16, node18), ES2023 (node20), ESNext (nodenext).
_TS_MODULE_TARGETS = {"node16": 2022, "node18": 2022, "node20": 2023, "nodenext": ESNEXT}


def _typescript_default(
    p: _Project, module: str | None
) -> tuple[bool | None, TargetSetting | None]:
    """What tsc targets without ``compilerOptions.target``, per the declared TypeScript major:
    ES3 up to 4.x, ES5 in 5.x (both unless ``module`` is node16…nodenext), ES2025 in 6.x."""
    major = _major(p.deps.get("typescript"))
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


def _parcel_setting(p: _Project) -> TargetSetting | None:
    """A Parcel target's ``engines.browsers`` or package.json ``engines.browsers``."""
    targets = p.package.get("targets")
    if isinstance(targets, dict):
        for name, target in targets.items():
            if isinstance(target, dict) and isinstance(target.get("engines"), dict):
                value = target["engines"].get("browsers")
                if value is not None:
                    node = _node_at(p.package_tree, "targets", name, "engines", "browsers")
                    where = f"targets.{name}.engines.browsers in package.json"
                    return _resolved_setting(
                        p.path("package.json"), *_span(node), "parcel", where,
                        _text(p.package_text, node), value,
                    )  # fmt: skip
    engines = p.package.get("engines")
    if isinstance(engines, dict) and engines.get("browsers") is not None:
        node = _node_at(p.package_tree, "engines", "browsers")
        return _resolved_setting(
            p.path("package.json"), *_span(node), "parcel",
            "engines.browsers in package.json", _text(p.package_text, node), engines["browsers"],
        )  # fmt: skip
    return None


# --------------------------------------------------------------------------------------------
# Judging


def _data_name(name: str) -> str | None:
    """The browser_syntax.json key for a resolved browser name (None: no syntax data)."""
    name = _TOOL_NAMES.get(name, name)
    browsers = _data()["browsers"]
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
        key, version_key = _data_name(name), _version_key(float(version))
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


@lru_cache(maxsize=1)
def _engines() -> dict[str, int]:
    """KaiOS version -> Gecko version (js_syntax.json ``engines``)."""
    return json.loads((DATA_DIR / "js_syntax.json").read_text("utf-8"))["engines"]


def _engine(version: str) -> int | None:
    value = _engines().get(version) if isinstance(version, str) else None
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
