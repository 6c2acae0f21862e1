"""kaios_lsp.app.targets: a build's syntax target and what it keeps for Gecko.

Projects are written to tmp_path and read through DiskFiles. Every fix returned is applied,
the project is judged again, and the edited file must still parse.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from kaios_lsp.app import targets as t
from kaios_lsp.app.build.browserslist import parse_browserslistrc, resolve_browserslist
from kaios_lsp.app.build.setting import (
    BABEL_ESMODULES,
    ES5,
    ESNEXT,
    MAX_CONFIG_CHARS,
    BuildTargets,
    TargetSetting,
)
from kaios_lsp.app.files import DiskFiles
from kaios_lsp.parse.json.nodes import to_python
from kaios_lsp.parse.json.tree import parse as parse_json
from tests.support.paths import ROOT

DATA = json.loads(
    (ROOT / "kaios_lsp" / "facts" / "data" / "browser_syntax.json").read_text("utf-8")
)
JS_SYNTAX = json.loads(
    (ROOT / "kaios_lsp" / "facts" / "data" / "js_syntax.json").read_text("utf-8")
)
EXPECTED = json.loads(
    (ROOT / "tests" / "data" / "targets" / "browserslist_expected.json").read_text()
)
GECKO = {"2.5": 48, "3.0": 84}


def write(root: Path, files: dict[str, object]) -> str:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text, "utf-8")
    return str(root)


def judge(root: Path, files: dict[str, object]) -> BuildTargets:
    return t.find_build_targets(write(root, files), DiskFiles())


def setting_of(build: BuildTargets) -> TargetSetting:
    assert build.effective is not None, build
    return build.effective


def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def fix_and_recheck(root: Path, build: BuildTargets, version: str) -> BuildTargets:
    """Apply the fix for ``version``; the project must then be fine and the file still parse."""
    setting = setting_of(build)
    text = Path(setting.path).read_text("utf-8")
    fix = t.target_fix(setting, text, version)
    assert fix is not None, setting
    title, edits = fix
    assert title and edits
    new_text = apply(text, edits)
    Path(setting.path).write_text(new_text, "utf-8")
    if setting.path.endswith(".json"):
        if os.path.basename(setting.path).startswith("tsconfig"):
            result = parse_json(new_text)
            assert isinstance(to_python(result.root)[0], dict)
        else:
            json.loads(new_text)
    again = t.find_build_targets(str(root), DiskFiles())
    assert again.effective is not None
    assert t.kept_syntax(again.effective, GECKO[version]) == [], (new_text, again.effective)
    return again


# --- data ------------------------------------------------------------------------------------


def test_data_covers_every_syntax_feature_with_an_edition() -> None:
    assert list(DATA["features"]) == list(JS_SYNTAX["features"])
    assert DATA["source"] == JS_SYNTAX["source"]
    for feature_id, entry in DATA["features"].items():
        assert set(entry["versions"]) == set(DATA["browsers"]), feature_id
        assert entry["es"] is None or 2015 <= entry["es"] <= 2030, feature_id
        assert entry["versions"]["firefox"] == (
            None if JS_SYNTAX["features"][feature_id]["firefox"] is None
            else str(JS_SYNTAX["features"][feature_id]["firefox"])
        ), feature_id  # fmt: skip


# Read by hand from BCD 8.1.9 and tc39/proposals finished-proposals.md.
@pytest.mark.parametrize(
    ("feature_id", "browser", "version", "es"),
    [
        ("async-functions", "chrome", "55", 2017),
        ("async-functions", "safari", "10.1", 2017),
        ("async-functions", "ios_saf", "10.3", 2017),
        ("async-functions", "node", "7.6.0", 2017),
        ("async-functions", "ie", None, 2017),
        ("optional-chaining", "chrome", "80", 2020),
        ("optional-chaining", "samsung", "13.0", 2020),
        ("object-spread", "edge", "79", 2018),
        ("class-private-fields", "firefox", "90", 2022),
        ("exponentiation", "chrome", "52", 2016),
        ("regexp-v-flag", "chrome", "112", 2024),
        ("import-attributes", "chrome", "123", 2025),
        ("using-declarations", "chrome", "134", None),
        ("for-of-const", "firefox", "51", 2015),
    ],
)
def test_data_anchor(feature_id: str, browser: str, version: str | None, es: int | None) -> None:
    entry = DATA["features"][feature_id]
    assert entry["versions"][browser] == version
    assert entry["es"] == es


def test_browserslist_data_is_stamped() -> None:
    bl = DATA["browserslist"]
    assert bl["source"] == EXPECTED["source"]
    assert bl["source"].startswith("browserslist 4.") and "caniuse-lite 1.0." in bl["source"]
    assert len(bl["data_date"]) == 10
    assert {"defaults", "dead", "firefox esr", "last 2 versions"} <= set(bl["queries"])
    assert bl["aliases"]["ff"] == "firefox" and bl["aliases"]["explorer"] == "ie"


BCD = os.environ.get("KAIOS_LSP_BCD")


@pytest.mark.skipif(not BCD, reason="KAIOS_LSP_BCD (a BCD package/data.json) is not set")
def test_shipped_features_are_built_from_bcd() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_browser_targets
    finally:
        sys.path.pop(0)
    built = build_browser_targets.build_features(json.loads(Path(BCD or "").read_text("utf-8")))
    assert built == {k: DATA[k] for k in ("source", "browsers", "features")}


# --- browserslist ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", sorted(EXPECTED["queries"]))
def test_browserslist_matches_the_real_browserslist(query: str) -> None:
    resolved, reason = resolve_browserslist(query)
    assert reason is None
    expected = {b: float(v) for b, v in EXPECTED["queries"][query].items()}
    assert resolved == expected


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("> 0.5% in US", "regional"),
        ("extends @company/browserslist-config", "shareable"),
        ("last 2 years", "date"),
        ("not dead", "starts with"),
        ("netscape >= 4", "unknown browser"),
        ("chrome 9999", "unknown version"),
        ("cheese", "unknown browserslist query"),
        ("electron >= 20", "electron"),
        ("chrome > 80 and firefox > 70", "no browsers"),
    ],
)
def test_unresolvable_queries_say_why(query: str, why: str) -> None:
    resolved, reason = resolve_browserslist(query)
    assert resolved is None
    assert reason and why in reason


def test_list_and_case_insensitive_aliases() -> None:
    resolved, _ = resolve_browserslist(["FF >= 60", "Explorer 11", "iOS >= 12"])
    assert resolved == {"firefox": 60.0, "ie": 11.0, "ios_saf": 12.0}


def test_browserslistrc_sections() -> None:
    text = "# comment\nlast 1 version\n\n[production staging]\n> 1%\nfirefox >= 48 # mine\n\n[development]\nlast 1 chrome version\n"
    start, end, queries = parse_browserslistrc(text) or (0, 0, [])
    assert queries == ["> 1%", "firefox >= 48"]
    assert text[start:end] == "> 1%\nfirefox >= 48"
    assert parse_browserslistrc("chrome 80\n")[2] == ["chrome 80"]  # type: ignore[index]
    assert parse_browserslistrc("# nothing\n") is None


# --- kept syntax -----------------------------------------------------------------------------


def _setting(resolved: dict[str, float] | None) -> TargetSetting:
    return TargetSetting("/p", 0, 0, "browserslist", "test", "", resolved, None)


def test_firefox_48_keeps_nothing_the_phone_cannot_parse() -> None:
    assert t.kept_syntax(_setting({"firefox": 48.0}), 48) == []


def test_last_2_chrome_versions_breaks_both_phones() -> None:
    resolved, _ = resolve_browserslist("last 2 Chrome versions")
    kept_25 = t.kept_syntax(_setting(resolved), 48) or []
    kept_30 = t.kept_syntax(_setting(resolved), 84) or []
    assert {"async-functions", "exponentiation", "object-spread", "optional-chaining"} <= set(
        kept_25
    )
    assert {"class-private-fields", "class-static-blocks"} <= set(kept_30)
    assert "async-functions" not in kept_30  # Gecko 84 parses it
    assert "es-modules" not in kept_25  # module syntax is the bundler's business


def test_least_capable_target_decides() -> None:
    assert t.kept_syntax(_setting({"chrome": 120.0, "ie": 11.0}), 48) == []
    both = t.kept_syntax(_setting({"chrome": 120.0, "safari": 10.1}), 48) or []
    assert "async-functions" in both and "object-spread" not in both  # Safari 11.1


def test_browsers_without_data_are_dropped_as_babel_does() -> None:
    assert t.kept_syntax(_setting({"kaios": 2.5}), 48) == []
    assert t.kept_syntax(_setting({"kaios": 2.5, "op_mini": 0.0}), 48) == []
    assert "async-functions" in (t.kept_syntax(_setting({"kaios": 2.5, "chrome": 80.0}), 48) or [])


def test_es_year_targets() -> None:
    es2017 = t.kept_syntax(_setting({"es": 2017.0}), 48) or []
    assert {"async-functions", "exponentiation"} <= set(es2017)
    assert "object-spread" not in es2017
    assert t.kept_syntax(_setting({"es": 2017.0}), 84) == []
    assert t.kept_syntax(_setting({"es": float(ES5)}), 48) == []
    esnext = t.kept_syntax(_setting({"es": float(ESNEXT)}), 84) or []
    assert "using-declarations" in esnext
    assert t.kept_syntax(_setting({"es": 2020.0, "firefox": 48.0}), 48) == []


def test_unresolved_is_unknown() -> None:
    assert t.kept_syntax(_setting(None), 48) is None


def test_complete_es_year_per_engine() -> None:
    assert t.complete_es_year(48) == ES5  # for-of with const needs Gecko 51
    assert t.complete_es_year(84) == 2021  # private class fields (ES2022) need Gecko 90


# --- projects --------------------------------------------------------------------------------


def babel_pkg(**extra: object) -> dict:
    return {
        "name": "app",
        "devDependencies": {"@babel/core": "^7.24.0", "@babel/preset-env": "^7.24.0"},
        **extra,
    }


BABELRC = {"presets": ["@babel/preset-env"]}


def test_browserslist_firefox_48_is_fine(tmp_path: Path) -> None:
    build = judge(
        tmp_path, {"package.json": babel_pkg(browserslist=["firefox >= 48"]), ".babelrc": BABELRC}
    )
    assert build.transpiler == "babel"
    setting = setting_of(build)
    assert setting.tool == "browserslist" and setting.where == "browserslist in package.json"
    assert setting.query == '[\n    "firefox >= 48"\n  ]'
    assert t.kept_syntax(setting, 48) == []


@pytest.mark.parametrize("version", ["2.5", "3.0"])
def test_last_2_chrome_versions_string_is_fixed(tmp_path: Path, version: str) -> None:
    build = judge(
        tmp_path,
        {"package.json": babel_pkg(browserslist="last 2 Chrome versions"), ".babelrc": BABELRC},
    )
    setting = setting_of(build)
    text = (tmp_path / "package.json").read_text()
    assert text[setting.start : setting.end] == '"last 2 Chrome versions"'
    assert t.kept_syntax(setting, GECKO[version])
    again = fix_and_recheck(tmp_path, build, version)
    assert (
        again.effective
        and again.effective.query == f'"last 2 Chrome versions, firefox >= {GECKO[version]}"'
    )


def test_firefox_up_to_48_is_fine(tmp_path: Path) -> None:
    build = judge(
        tmp_path, {"package.json": babel_pkg(browserslist=["Firefox <= 48"]), ".babelrc": BABELRC}
    )
    assert t.kept_syntax(setting_of(build), 48) == []


def test_usage_query_resolves_from_shipped_data(tmp_path: Path) -> None:
    build = judge(
        tmp_path,
        {"package.json": babel_pkg(browserslist=["> 0.5%", "not dead"]), ".babelrc": BABELRC},
    )
    setting = setting_of(build)
    assert setting.resolved is not None
    assert "async-functions" in (t.kept_syntax(setting, 48) or [])
    fix_and_recheck(tmp_path, build, "2.5")


def test_defaults_is_fixed_by_union(tmp_path: Path) -> None:
    build = judge(
        tmp_path, {"package.json": babel_pkg(browserslist=["defaults"]), ".babelrc": BABELRC}
    )
    assert t.kept_syntax(setting_of(build), 48)
    again = fix_and_recheck(tmp_path, build, "2.5")
    assert json.loads((tmp_path / "package.json").read_text())["browserslist"] == [
        "defaults",
        "firefox >= 48",
    ]
    assert again.transpiler == "babel"


def test_kaios_query_with_babel_transpiles_everything(tmp_path: Path) -> None:
    build = judge(
        tmp_path, {"package.json": babel_pkg(browserslist="kaios >= 2.5"), ".babelrc": BABELRC}
    )
    setting = setting_of(build)
    assert setting.resolved == {"kaios": 2.5}
    assert t.kept_syntax(setting, 48) == []  # Babel drops kaios: empty targets = ES5


def test_browserslistrc_production_section(tmp_path: Path) -> None:
    rc = "# targets\n[production]\nlast 2 Chrome versions\nlast 2 Safari versions\n\n[development]\nlast 1 chrome version\n"
    build = judge(
        tmp_path, {"package.json": babel_pkg(), ".babelrc": BABELRC, ".browserslistrc": rc}
    )
    setting = setting_of(build)
    assert setting.path == str(tmp_path / ".browserslistrc")
    assert setting.where == ".browserslistrc [production]"
    assert setting.query == "last 2 Chrome versions\nlast 2 Safari versions"
    fix_and_recheck(tmp_path, build, "2.5")
    text = (tmp_path / ".browserslistrc").read_text()
    assert "last 2 Safari versions\nfirefox >= 48\n\n[development]" in text


def test_package_json_env_sections(tmp_path: Path) -> None:
    pkg = babel_pkg(
        browserslist={
            "production": [">0.2%", "not dead", "not op_mini all"],
            "development": ["last 1 chrome version"],
        }
    )
    build = judge(tmp_path, {"package.json": pkg, ".babelrc": BABELRC})
    setting = setting_of(build)
    assert setting.where == "browserslist (production) in package.json"
    assert setting.resolved is not None
    fix_and_recheck(tmp_path, build, "2.5")
    written = json.loads((tmp_path / "package.json").read_text())["browserslist"]
    assert written["production"][-1] == "firefox >= 48"
    assert written["development"] == ["last 1 chrome version"]


def test_preset_env_targets_beat_browserslist(tmp_path: Path) -> None:
    config = {
        "presets": [["@babel/preset-env", {"targets": {"chrome": "80"}, "useBuiltIns": "usage"}]]
    }
    build = judge(
        tmp_path,
        {"package.json": babel_pkg(browserslist=["firefox >= 48"]), "babel.config.json": config},
    )
    setting = setting_of(build)
    assert setting.tool == "babel"
    assert setting.where == "targets of @babel/preset-env in babel.config.json"
    assert setting.resolved == {"chrome": 80.0}
    assert len(build.settings) == 2
    assert "optional-chaining" in (t.kept_syntax(setting, 48) or [])
    again = fix_and_recheck(tmp_path, build, "2.5")
    assert again.effective and again.effective.resolved == {"chrome": 80.0, "firefox": 48.0}


def test_preset_env_firefox_entry_is_lowered(tmp_path: Path) -> None:
    config = {"presets": [["@babel/preset-env", {"targets": {"firefox": "60", "chrome": "61"}}]]}
    build = judge(tmp_path, {"package.json": babel_pkg(), "babel.config.json": config})
    assert t.kept_syntax(setting_of(build), 48)
    again = fix_and_recheck(tmp_path, build, "2.5")
    assert again.effective and again.effective.resolved == {"firefox": 48.0, "chrome": 61.0}


def test_preset_env_without_targets_compiles_to_es5(tmp_path: Path) -> None:
    build = judge(tmp_path, {"package.json": babel_pkg(), ".babelrc": BABELRC})
    assert build.transpiler == "babel"
    assert build.effective is None
    assert build.no_target_keeps_syntax is False


def test_ignore_browserslist_config(tmp_path: Path) -> None:
    config = {"presets": [["@babel/preset-env", {"ignoreBrowserslistConfig": True}]]}
    build = judge(
        tmp_path,
        {"package.json": babel_pkg(browserslist="last 2 Chrome versions"), ".babelrc": config},
    )
    assert build.effective is None and build.no_target_keeps_syntax is False
    assert [s.tool for s in build.settings] == ["browserslist"]


def test_esmodules_target(tmp_path: Path) -> None:
    config = {"presets": [["@babel/preset-env", {"targets": {"esmodules": True}}]]}
    build = judge(tmp_path, {"package.json": babel_pkg(), ".babelrc": config})
    setting = setting_of(build)
    assert setting.resolved == BABEL_ESMODULES
    assert "async-functions" in (t.kept_syntax(setting, 48) or [])
    fix_and_recheck(tmp_path, build, "2.5")


def test_babel_config_js_literal_and_not_literal(tmp_path: Path) -> None:
    js = (
        "module.exports = {\n  presets: [\n    ['@babel/preset-env', {\n"
        "      targets: { chrome: '80', safari: '13' }, // modern only\n    }],\n  ],\n};\n"
    )
    build = judge(tmp_path, {"package.json": babel_pkg(), "babel.config.js": js})
    setting = setting_of(build)
    assert setting.resolved == {"chrome": 80.0, "safari": 13.0}
    assert setting.query == "{ chrome: '80', safari: '13' }"
    fix_and_recheck(tmp_path, build, "2.5")
    assert "safari: '13', firefox: '48' }" in (tmp_path / "babel.config.js").read_text()

    other = tmp_path / "other"
    js = "const targets = require('./targets');\nmodule.exports = { presets: [['@babel/preset-env', { targets }]] };\n"
    build = judge(other, {"package.json": babel_pkg(), "babel.config.js": js})
    setting = setting_of(build)
    assert setting.resolved is None and setting.reason
    assert t.kept_syntax(setting, 48) is None
    assert t.target_fix(setting, js, "2.5") is None


def test_webpack_babel_loader_targets(tmp_path: Path) -> None:
    js = """module.exports = {
  module: { rules: [{ test: /\\.js$/, use: { loader: 'babel-loader', options: {
    presets: [['@babel/preset-env', { targets: "last 2 Chrome versions" }]] } } }] },
};
"""
    pkg = {"devDependencies": {"webpack": "^5.0.0", "babel-loader": "^9.0.0"}}
    build = judge(tmp_path, {"package.json": pkg, "webpack.config.js": js})
    assert build.transpiler == "babel"
    setting = setting_of(build)
    assert setting.where == "targets of @babel/preset-env in webpack.config.js"
    fix_and_recheck(tmp_path, build, "3.0")


def test_tsconfig_with_comments_and_trailing_commas(tmp_path: Path) -> None:
    tsconfig = """{
  // compiler settings
  "compilerOptions": {
    "target": "ES2017", /* modern phones */
    "module": "ESNext",
  },
}
"""
    pkg = {"devDependencies": {"typescript": "^5.4.0"}, "scripts": {"build": "tsc"}}
    build = judge(tmp_path, {"package.json": pkg, "tsconfig.json": tsconfig})
    assert build.transpiler == "typescript"
    setting = setting_of(build)
    assert setting.where == "compilerOptions.target in tsconfig.json"
    assert setting.query == '"ES2017"' and setting.resolved == {"es": 2017.0}
    assert "async-functions" in (t.kept_syntax(setting, 48) or [])
    assert t.kept_syntax(setting, 84) == []
    fix_and_recheck(tmp_path, build, "2.5")
    assert '"target": "ES5", /* modern phones */' in (tmp_path / "tsconfig.json").read_text()


def test_tsconfig_es2022_fixed_for_kaios_30(tmp_path: Path) -> None:
    pkg = {"devDependencies": {"typescript": "~5.9.0"}}
    build = judge(
        tmp_path, {"package.json": pkg, "tsconfig.json": {"compilerOptions": {"target": "es2022"}}}
    )
    assert t.kept_syntax(setting_of(build), 84)
    fix_and_recheck(tmp_path, build, "3.0")
    assert (
        json.loads((tmp_path / "tsconfig.json").read_text())["compilerOptions"]["target"]
        == "ES2021"
    )


def test_tsconfig_es5_and_extends(tmp_path: Path) -> None:
    pkg = {"devDependencies": {"typescript": "^5.0.0"}}
    files = {
        "package.json": pkg,
        "tsconfig.json": {"extends": "./config/tsconfig.base", "include": ["src"]},
        "config/tsconfig.base.json": {"compilerOptions": {"target": "ES5"}},
    }
    build = judge(tmp_path, files)
    setting = setting_of(build)
    assert setting.path == str(tmp_path / "config" / "tsconfig.base.json")
    assert t.kept_syntax(setting, 48) == []


@pytest.mark.parametrize(("spec", "keeps"), [("^5.4.0", False), ("^6.0.0", True), ("^7.0.0", None)])
def test_typescript_default_target(tmp_path: Path, spec: str, keeps: bool | None) -> None:
    build = judge(
        tmp_path, {"package.json": {"devDependencies": {"typescript": spec}}, "tsconfig.json": {}}
    )
    assert build.transpiler == "typescript" and build.effective is None
    assert build.no_target_keeps_syntax is keeps
    assert build.default is not None
    if keeps is False:
        assert t.kept_syntax(build.default, 48) == []
    elif keeps is True:
        assert "async-functions" in (t.kept_syntax(build.default, 48) or [])
    else:
        assert build.default.reason


@pytest.mark.parametrize(("vite", "fine_on_30"), [("^5.2.0", True), ("^8.0.0", False)])
def test_vite_without_build_target(tmp_path: Path, vite: str, fine_on_30: bool) -> None:
    pkg = {"devDependencies": {"vite": vite}, "scripts": {"build": "vite build"}}
    build = judge(
        tmp_path, {"package.json": pkg, "vite.config.js": "export default { base: './' };\n"}
    )
    assert build.transpiler == "vite" and build.effective is None
    assert build.no_target_keeps_syntax is True
    default = build.default
    assert default is not None and default.resolved
    assert "async-functions" in (t.kept_syntax(default, 48) or [])
    assert (t.kept_syntax(default, 84) == []) is fine_on_30


def test_vite_build_target_literal_is_fixed(tmp_path: Path) -> None:
    config = "import { defineConfig } from 'vite';\n\nexport default defineConfig({\n  build: {\n    target: 'es2018',\n    outDir: 'dist',\n  },\n});\n"
    pkg = {"devDependencies": {"vite": "^6.0.0"}}
    build = judge(tmp_path, {"package.json": pkg, "vite.config.ts": config})
    setting = setting_of(build)
    assert setting.where == "build.target in vite.config.ts" and setting.query == "'es2018'"
    fix_and_recheck(tmp_path, build, "2.5")
    assert "target: ['es2018', 'firefox48']," in (tmp_path / "vite.config.ts").read_text()


def test_esbuild_script_target(tmp_path: Path) -> None:
    pkg = {
        "devDependencies": {"esbuild": "^0.20.0"},
        "scripts": {"build": "esbuild src/app.js --bundle --target=es2020 --outfile=dist/app.js"},
    }
    build = judge(tmp_path, {"package.json": pkg})
    assert build.transpiler == "esbuild"
    setting = setting_of(build)
    assert setting.query == "es2020" and setting.resolved == {"es": 2020.0}
    assert setting.where == "--target of esbuild in the 'build' script of package.json"
    assert "optional-chaining" in (t.kept_syntax(setting, 48) or [])
    assert t.kept_syntax(setting, 84) == []
    fix_and_recheck(tmp_path, build, "2.5")
    script = json.loads((tmp_path / "package.json").read_text())["scripts"]["build"]
    assert "--target=es2020,firefox48 " in script


def test_esbuild_config_list_and_default(tmp_path: Path) -> None:
    js = "require('esbuild').build({\n  entryPoints: ['src/app.js'],\n  bundle: true,\n  target: ['es2017', 'chrome58'],\n});\n"
    build = judge(
        tmp_path, {"package.json": {"devDependencies": {"esbuild": "^0.20.0"}}, "build.js": js}
    )
    setting = setting_of(build)
    assert setting.resolved == {"es": 2017.0, "chrome": 58.0}
    fix_and_recheck(tmp_path, build, "2.5")
    assert "target: ['es2017', 'chrome58', 'firefox48']," in (tmp_path / "build.js").read_text()

    plain = judge(
        tmp_path / "plain", {"package.json": {"scripts": {"build": "esbuild app.js --bundle"}}}
    )
    assert plain.transpiler == "esbuild" and plain.effective is None
    assert plain.no_target_keeps_syntax is True
    assert plain.default and plain.default.resolved == {"es": float(ESNEXT)}


def test_webpack_without_babel_has_no_transpiler(tmp_path: Path) -> None:
    build = judge(
        tmp_path,
        {
            "package.json": {"devDependencies": {"webpack": "^5.90.0", "webpack-cli": "^5.0.0"}},
            "webpack.config.js": "module.exports = { entry: './src/app.js' };\n",
        },
    )
    assert build.transpiler is None and build.effective is None
    assert build.no_target_keeps_syntax is True


def test_parcel_default_and_engines(tmp_path: Path) -> None:
    build = judge(tmp_path, {"package.json": {"devDependencies": {"parcel": "^2.12.0"}}})
    assert build.transpiler == "parcel" and build.effective is None
    assert build.no_target_keeps_syntax is True
    assert build.default and "async-functions" in (t.kept_syntax(build.default, 48) or [])

    pkg = {"devDependencies": {"parcel": "^2.12.0"}, "engines": {"browsers": "> 1%"}}
    other = judge(tmp_path / "engines", {"package.json": pkg})
    setting = setting_of(other)
    assert setting.where == "engines.browsers in package.json"
    fix_and_recheck(tmp_path / "engines", other, "2.5")


def test_broken_package_json_never_raises(tmp_path: Path) -> None:
    half = '{\n  "name": "app",\n  "browserslist": ["last 2 Chrome versions"],\n  "devDependencies": {"@babel/preset-env": "^7'
    build = judge(tmp_path, {"package.json": half, ".babelrc": '{"presets": ["@babel/preset-env"'})
    setting = setting_of(build)  # the tolerant parser still reads what is typed so far
    assert build.transpiler == "babel" and setting.resolved and "chrome" in setting.resolved
    assert setting.query == '["last 2 Chrome versions"]'
    for text in ["", "{", "[1, 2", "null", '"str"', '{"browserslist": 5}', "\x00\xff"]:
        result = judge(tmp_path / "x", {"package.json": text})
        assert isinstance(result, BuildTargets)
    weird = judge(tmp_path / "w", {"package.json": {"browserslist": {"production": 5}}})
    assert weird.settings and weird.settings[0].reason


def test_bad_js_configs_never_raise(tmp_path: Path) -> None:
    for text in [
        "module.exports = { presets: [['@babel/preset-env', { targets: {",
        "targets: ",
        "'@babel/preset-env' targets: [1, {a: `x${y}`}]",
    ]:
        build = judge(
            tmp_path / str(abs(hash(text))), {"package.json": babel_pkg(), "babel.config.js": text}
        )
        assert isinstance(build, BuildTargets)


def test_huge_config_is_skipped_quickly(tmp_path: Path) -> None:
    huge = '{"browserslist": ["chrome 80"], "pad": "' + "x" * (MAX_CONFIG_CHARS + 10) + '"}'
    started = time.perf_counter()
    build = judge(tmp_path, {"package.json": huge})
    assert time.perf_counter() - started < 2
    assert build.settings == ()


def test_target_fix_refuses_stale_text_and_unknown_versions(tmp_path: Path) -> None:
    build = judge(
        tmp_path,
        {"package.json": babel_pkg(browserslist="last 2 Chrome versions"), ".babelrc": BABELRC},
    )
    setting = setting_of(build)
    text = (tmp_path / "package.json").read_text()
    assert t.target_fix(setting, "{}", "2.5") is None
    assert t.target_fix(setting, text, "9.9") is None


def test_typical_project_is_fast(tmp_path: Path) -> None:
    files = {
        "package.json": babel_pkg(
            browserslist=["> 0.5%", "last 2 versions", "not dead"], scripts={"build": "webpack"}
        ),
        ".babelrc": BABELRC,
        "tsconfig.json": {"compilerOptions": {"target": "ES2017"}},
    }
    root = write(tmp_path, files)
    disk = DiskFiles()
    t.find_build_targets(root, disk)
    started = time.perf_counter()
    for _ in range(20):
        build = t.find_build_targets(root, disk)
        assert build.effective is not None
        t.kept_syntax(build.effective, 48)
    assert (time.perf_counter() - started) / 20 < 0.005


def test_vite_target_outside_build_is_not_build_target(tmp_path: Path) -> None:
    config = (
        "export default {\n  build: { outDir: 'dist' },\n  esbuild: { target: 'es2022' },\n};\n"
    )
    build = judge(
        tmp_path,
        {"package.json": {"devDependencies": {"vite": "^5.0.0"}}, "vite.config.js": config},
    )
    assert build.effective is None and build.default is not None


def test_vite_legacy_plugin_is_not_judged(tmp_path: Path) -> None:
    pkg = {"devDependencies": {"vite": "^5.0.0", "@vitejs/plugin-legacy": "^5.0.0"}}
    build = judge(tmp_path, {"package.json": pkg})
    assert build.transpiler == "vite" and build.no_target_keeps_syntax is None
    assert build.default is not None and "plugin-legacy" in (build.default.reason or "")


def test_two_browserslist_configs_are_refused(tmp_path: Path) -> None:
    files = {
        "package.json": babel_pkg(browserslist=["chrome 80"]),
        ".babelrc": BABELRC,
        ".browserslistrc": "firefox >= 48\n",
    }
    build = judge(tmp_path, files)
    setting = setting_of(build)
    assert setting.resolved is None and "both package.json and .browserslistrc" in (
        setting.reason or ""
    )


@pytest.mark.parametrize(
    ("spec", "module", "keeps"),
    [("^5.0.0", "NodeNext", True), ("^4.9.0", "commonjs", False), ("^4.9.0", "node16", True)],
)
def test_typescript_default_depends_on_module(
    tmp_path: Path, spec: str, module: str, keeps: bool
) -> None:
    files = {
        "package.json": {"devDependencies": {"typescript": spec}},
        "tsconfig.json": {"compilerOptions": {"module": module}},
    }
    build = judge(tmp_path, files)
    assert build.no_target_keeps_syntax is keeps


def test_parcel_named_target_engines(tmp_path: Path) -> None:
    pkg = {
        "devDependencies": {"parcel": "^2.12.0"},
        "browserslist": "firefox >= 48",
        "targets": {"app": {"engines": {"browsers": ["last 2 Chrome versions"]}}},
    }
    build = judge(tmp_path, {"package.json": pkg})
    setting = setting_of(build)
    assert setting.where == "targets.app.engines.browsers in package.json"
    assert len(build.settings) == 2
    fix_and_recheck(tmp_path, build, "3.0")


def test_babel_function_config_and_package_babel(tmp_path: Path) -> None:
    js = (
        "module.exports = function (api) {\n  api.cache(true);\n  return {\n"
        '    presets: [["@babel/preset-env", { targets: ["chrome >= 70"] }]],\n  };\n};\n'
    )
    build = judge(tmp_path, {"package.json": babel_pkg(), "babel.config.js": js})
    assert setting_of(build).resolved == {"chrome": 70.0}
    fix_and_recheck(tmp_path, build, "2.5")
    assert '["chrome >= 70", "firefox >= 48"]' in (tmp_path / "babel.config.js").read_text()

    pkg = babel_pkg(babel={"presets": [["@babel/env", {"targets": "safari 10.1"}]]})
    other = judge(tmp_path / "pkg", {"package.json": pkg})
    setting = setting_of(other)
    assert setting.where == "targets of @babel/preset-env in package.json babel"
    fix_and_recheck(tmp_path / "pkg", other, "2.5")


PROJECTS = ROOT / "tests" / "data" / "projects"


@pytest.mark.parametrize(
    ("project", "transpiler", "fine_on_25"),
    [
        ("browserify-bundle", None, None),  # EXPECTED.md: no Babel, no browserslist
        ("grunt-template", None, None),  # EXPECTED.md: no transpiler
        ("parcel-chrome", "parcel", False),
        ("parcel-ff48", "parcel", True),
        ("preact-webpack", "babel", True),
        ("vue-cli", "babel", True),  # @vue/cli-plugin-babel/preset wraps preset-env
    ],
)
def test_shared_project_fixtures(
    project: str, transpiler: str | None, fine_on_25: bool | None
) -> None:
    root = PROJECTS / project
    if not root.is_dir():
        pytest.skip(f"{project} fixture not present")
    build = t.find_build_targets(str(root), DiskFiles())
    assert build.transpiler == transpiler
    if fine_on_25 is None:
        assert build.effective is None and build.no_target_keeps_syntax is True
    else:
        assert build.effective is not None
        assert (t.kept_syntax(build.effective, 48) == []) is fine_on_25


def test_vite_cli_target_and_crlf_browserslistrc(tmp_path: Path) -> None:
    pkg = {
        "devDependencies": {"vite": "^5.0.0"},
        "scripts": {"build": "vite build --target es2019"},
    }
    build = judge(tmp_path, {"package.json": pkg})
    setting = setting_of(build)
    assert setting.tool == "vite" and setting.resolved == {"es": 2019.0}
    fix_and_recheck(tmp_path, build, "2.5")

    rc = "[production]\r\nlast 2 Chrome versions\r\n[development]\r\nlast 1 chrome version\r\n"
    other = tmp_path / "crlf"
    write(other, {"package.json": babel_pkg(), ".babelrc": BABELRC})
    (other / ".browserslistrc").write_bytes(rc.encode())
    build = t.find_build_targets(str(other), DiskFiles())
    setting = setting_of(build)
    text = (other / ".browserslistrc").read_bytes().decode()
    fix = t.target_fix(setting, text, "2.5")
    assert fix is not None
    new_text = apply(text, fix[1])
    assert new_text == rc.replace("versions\r\n", "versions\r\nfirefox >= 48\r\n")
    assert parse_browserslistrc(new_text)[2] == ["last 2 Chrome versions", "firefox >= 48"]  # type: ignore[index]


def test_tsconfig_odd_target_is_unknown(tmp_path: Path) -> None:
    pkg = {"devDependencies": {"typescript": "^5.0.0"}}
    build = judge(
        tmp_path, {"package.json": pkg, "tsconfig.json": {"compilerOptions": {"target": 5}}}
    )
    setting = setting_of(build)
    assert setting.resolved is None and setting.reason
    assert t.target_fix(setting, (tmp_path / "tsconfig.json").read_text(), "2.5") is None
