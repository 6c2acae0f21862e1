"""The app model (pure core): the build around an app, template placeholders, what the
entry points open, the role of each file, and how findings are judged by it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaios_lsp.app import placeholders
from kaios_lsp.app.files import DiskFiles, OverlayFiles
from kaios_lsp.app.manifest import load_manifest
from kaios_lsp.app.model import (
    BUILD_INPUT,
    BUILD_OUTPUT,
    EXCLUDED,
    IN_PLACE,
    INPUT,
    OUTPUT,
    PLAIN,
    SHIPPED,
    TEST,
    UNREACHED,
    build_model,
    matches_any,
)
from kaios_lsp.app.project import find_build_project
from kaios_lsp.app.reach import script_references
from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.settings import apply_settings

PRIVILEGED = {"name": "App", "type": "privileged", "launch_path": "/index.html"}


def write(root: Path, files: dict[str, str | dict]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content) if isinstance(content, dict) else content, "utf-8")
    return root


def model_of(manifest: Path, exclude: tuple[str, ...] = ()):
    text = manifest.read_text("utf-8")
    kind = "webapp" if manifest.name == "manifest.webapp" else "webmanifest"
    return build_model(load_manifest(text, str(manifest), kind), DiskFiles(), exclude)


# -- the build around an app -------------------------------------------------------------


def test_a_plain_app_has_no_build(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "manifest.webapp": PRIVILEGED,
            "index.html": "<p>",
            "package.json": {
                "name": "app",
                "devDependencies": {"eslint": "^8.0.0"},
                "scripts": {"lint": "eslint ."},
            },
        },
    )
    assert find_build_project(str(tmp_path), DiskFiles()) is None
    assert model_of(tmp_path / "manifest.webapp").situation == PLAIN


def test_dependencies_scripts_and_configs_name_the_tools_and_the_output(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": {
                "devDependencies": {"webpack": "^5", "babel-loader": "^9", "@babel/core": "^7"},
                "scripts": {"build": "webpack --mode production"},
            },
            "webpack.config.js": "module.exports = { output: { path: path.resolve(__dirname, 'www') } };",
            ".babelrc": '{"presets": ["@babel/preset-env"]}',
        },
    )
    project = find_build_project(str(tmp_path / "src"), DiskFiles())
    assert project is not None and project.root == str(tmp_path)
    assert {"webpack", "babel"} <= set(project.tools)
    assert project.output_dirs == (str(tmp_path / "www"),)
    assert any("webpack.config.js" in reason for reason in project.reasons)


def test_script_flags_name_output_folders_files_and_entries(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": {
                "devDependencies": {"browserify": "^17", "parcel": "^2"},
                "scripts": {
                    "bundle": "browserify js/main.js -o js/bundle.js",
                    "build": "parcel build src/index.html --dist-dir out",
                },
            }
        },
    )
    project = find_build_project(str(tmp_path), DiskFiles())
    assert project is not None
    assert str(tmp_path / "out") in project.output_dirs
    assert project.output_files == (str(tmp_path / "js" / "bundle.js"),)
    assert str(tmp_path / "js" / "main.js") in project.entry_files


def test_a_half_typed_package_json_still_names_its_tools(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"devDependencies": {"vite": "^5.0.0",\n  "scripts": {'})
    project = find_build_project(str(tmp_path), DiskFiles())
    assert project is not None and project.tools == ("vite",)


def test_a_type_check_only_tsconfig_is_no_build(tmp_path: Path) -> None:
    write(tmp_path, {"tsconfig.json": '{"compilerOptions": {"allowJs": true, "noEmit": true}}'})
    assert find_build_project(str(tmp_path), DiskFiles()) is None


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": {"devDependencies": {"webpack": "^5"}}})
    (tmp_path / "apps" / "one" / ".git").mkdir(parents=True)
    assert find_build_project(str(tmp_path / "apps" / "one"), DiskFiles()) is None


# -- situations -------------------------------------------------------------------------

WEBPACK = {"devDependencies": {"webpack": "^5"}, "scripts": {"build": "webpack"}}


@pytest.mark.parametrize(
    ("files", "manifest", "situation"),
    [
        # the build copies public/ (Vue CLI, CRA)
        ({"package.json": WEBPACK, "public/index.html": "<p>"}, "public/manifest.webapp", INPUT),
        # the launch page is made by the build (HtmlWebpackPlugin from src/)
        ({"package.json": WEBPACK, "src/index.html": "<p>"}, "manifest.webapp", INPUT),
        # the launch page is a template
        (
            {"package.json": WEBPACK, "index.html": "<title><%= title %></title>"},
            "manifest.webapp",
            INPUT,
        ),
        # the build's output folder
        ({"package.json": WEBPACK, "dist/index.html": "<p>"}, "dist/manifest.webapp", OUTPUT),
        # the folder ships as written, the bundle beside its sources
        (
            {"package.json": WEBPACK, "index.html": "<script src=js/bundle.js></script>"},
            "manifest.webapp",
            IN_PLACE,
        ),
    ],
)
def test_situations(tmp_path: Path, files: dict, manifest: str, situation: str) -> None:
    write(tmp_path, {**files, manifest: PRIVILEGED})
    assert model_of(tmp_path / manifest).situation == situation


# -- template placeholders -------------------------------------------------------------


def test_placeholders_are_found_masked_to_the_same_length_and_zoned() -> None:
    text = '{\n  "version": "<%= pkg.version %>",\n  "icons": GRUNT_ICONS,\n  "name": "@@NAME"\n}'
    spans = placeholders.placeholder_spans(text, json=True)
    assert [text[s:e] for s, e in spans] == ["<%= pkg.version %>", "GRUNT_ICONS", "@@NAME"]
    masked = placeholders.mask_json(text, spans)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert json.loads(masked) == {"version": "<%= pkg.version %>", "icons": None, "name": "@@NAME"}
    zones = placeholders.zones(text, spans)
    assert [text[s:e] for s, e in zones] == ['"<%= pkg.version %>"', "GRUNT_ICONS", '"@@NAME"']


def test_a_bare_upper_case_name_outside_a_value_is_not_a_placeholder() -> None:
    assert placeholders.placeholder_spans('{"a": 1} // TODO_LATER', json=True) == []


def test_a_template_manifest_is_judged_around_its_placeholders(tmp_path: Path) -> None:
    text = (
        '{\n  "name": "Read later",\n  "version": "<%= pkg.version %>",\n'
        '  "type": "privileged",\n  "icons": GRUNT_ICONS,\n  "launch_path": "/index.html",\n'
        '  "permissions": {"settings": {"description": "Sync"}}\n}\n'
    )
    project = tmp_path / "project"
    write(
        project,
        {
            "package.json": {"devDependencies": {"grunt": "^1"}},
            "Gruntfile.js": "",
            "app/manifest.webapp": text,
        },
    )
    found = analyze_document(str(project / "app" / "manifest.webapp"), text).findings
    # settings: certified only, without access, unused; nothing about the placeholders
    assert sorted({f.rule for f in found}) == ["KAI105", "KAI202", "KAI203", "KAI405"]
    for finding in found:
        assert "<%" not in text[finding.start : finding.end]
        assert "GRUNT" not in text[finding.start : finding.end]
    # the same text in a plain app is broken JSON
    plain = tmp_path / "plain"
    plain.mkdir()
    found = analyze_document(str(plain / "manifest.webapp"), text).findings
    assert any(f.rule == "KAI001" for f in found)


# -- what runs --------------------------------------------------------------------------


def test_script_references_see_literals_prefixes_and_computed_loads() -> None:
    refs = script_references(
        "importScripts('worker/util.js'); var v = 'js/views/' + name + '.js';"
        "new Worker(`w/${kind}.js`);"
    )
    assert "worker/util.js" in refs.strings
    assert refs.prefixes == ["js/views/", "w/"]
    assert refs.computed is None  # the prefixes say where
    assert script_references("importScripts(url);").computed is not None
    umd = "if (typeof define === 'function' && define.amd) define([], f);"
    assert script_references(umd).computed is None  # a UMD test configures no loader


def test_entry_points_reach_pages_scripts_and_workers(tmp_path: Path) -> None:
    manifest = {**PRIVILEGED, "activities": {"pick": {"href": "/pick.html"}}}
    write(
        tmp_path,
        {
            "manifest.webapp": manifest,
            "index.html": '<script src="js/app.js"></script><a href="about.html">?</a>',
            "about.html": "<p>",
            "pick.html": "<script src=js/pick.js></script>",
            "js/app.js": "new Worker('js/worker.js'); LazyLoader.load(['js/lazy.js']);",
            "js/worker.js": "importScripts('helper.js');",  # relative to the worker
            "js/helper.js": "",
            "js/lazy.js": "",
            "js/pick.js": "",
            "js/unused.js": "",
            "demo/index.html": "<script>inline()</script>",
        },
    )
    model = model_of(tmp_path / "manifest.webapp")
    roles = {
        p: model.role(str(tmp_path / p)).kind
        for p in (
            "about.html",
            "pick.html",
            "js/app.js",
            "js/worker.js",
            "js/helper.js",
            "js/lazy.js",
            "js/pick.js",
            "js/unused.js",
            "demo/index.html",
        )
    }
    assert roles == {
        "about.html": SHIPPED,
        "pick.html": SHIPPED,
        "js/app.js": SHIPPED,
        "js/worker.js": SHIPPED,
        "js/helper.js": SHIPPED,
        "js/lazy.js": SHIPPED,
        "js/pick.js": SHIPPED,
        "js/unused.js": UNREACHED,
        "demo/index.html": UNREACHED,
    }


def test_a_computed_name_reaches_its_folder_and_a_fully_computed_one_everything(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "manifest.webapp": PRIVILEGED,
            "index.html": "<script src=js/loader.js></script>",
            "js/loader.js": "var s = document.createElement('script'); s.src = 'js/views/' + n + '.js';",
            "js/views/list.js": "",
            "js/other.js": "",
        },
    )
    model = model_of(tmp_path / "manifest.webapp")
    assert model.role(str(tmp_path / "js/views/list.js")).kind == SHIPPED
    assert model.role(str(tmp_path / "js/other.js")).kind == UNREACHED
    write(tmp_path, {"js/loader.js": "var s = document.createElement('script'); s.src = url;"})
    model = model_of(tmp_path / "manifest.webapp")
    assert model.reach.everything and model.role(str(tmp_path / "js/other.js")).kind == SHIPPED


def test_a_launch_page_in_the_wrong_letter_case_still_names_the_page(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "manifest.webapp": {**PRIVILEGED, "launch_path": "/Index.html"},
            "index.html": "<script src=app.js></script>",
            "app.js": "",
        },
    )
    assert model_of(tmp_path / "manifest.webapp").role(str(tmp_path / "app.js")).kind == SHIPPED


def test_without_a_launch_page_nothing_is_judged_unopened(tmp_path: Path) -> None:
    write(tmp_path, {"manifest.webapp": PRIVILEGED, "app.js": ""})
    assert model_of(tmp_path / "manifest.webapp").role(str(tmp_path / "app.js")).kind == SHIPPED


def test_node_modules_counts_only_when_a_page_loads_from_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "manifest.webapp": PRIVILEGED,
            "index.html": "<script src=node_modules/localforage/dist/localforage.js></script>",
            "node_modules/localforage/dist/localforage.js": "",
            "node_modules/localforage/src/index.js": "",
        },
    )
    model = model_of(tmp_path / "manifest.webapp")
    assert model.role(str(tmp_path / "node_modules/localforage/src/index.js")).kind == EXCLUDED


def test_roles_in_a_built_project(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": {
                "devDependencies": {"browserify": "^17"},
                "scripts": {"build": "browserify js/main.js -o js/bundle.js"},
            },
            "manifest.webapp": PRIVILEGED,
            "index.html": "<script src=js/bundle.js></script>",
            "js/bundle.js": "",
            "js/main.js": "var x = require('./lib/x');",
            "js/lib/x.js": "module.exports = 1;",
            "test/main_test.js": "",
            "js/old.js": "",
        },
    )
    model = model_of(tmp_path / "manifest.webapp")
    assert model.situation == IN_PLACE
    kinds = {
        p: model.role(str(tmp_path / p)).kind
        for p in ("js/bundle.js", "js/main.js", "js/lib/x.js", "test/main_test.js", "js/old.js")
    }
    assert kinds == {
        "js/bundle.js": BUILD_OUTPUT,
        "js/main.js": BUILD_INPUT,
        "js/lib/x.js": BUILD_INPUT,
        "test/main_test.js": TEST,
        "js/old.js": UNREACHED,
    }


# -- exclude ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "pattern", "matched"),
    [
        ("docs/index.html", "docs/**", True),
        ("docs/index.html", "docs/", True),
        ("a/docs/index.html", "docs/", True),  # no "/" inside: any depth
        ("a/docs/index.html", "/docs/**", False),  # anchored
        ("js/app.stories.js", "*.stories.js", True),
        ("js/app.js", "*.stories.js", False),
        ("js/deep/x.min.js", "js/**/*.min.js", True),
    ],
)
def test_exclude_globs(relative: str, pattern: str, matched: bool) -> None:
    assert matches_any(relative, [pattern]) is matched


def test_excluded_files_get_no_findings(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "manifest.webapp": PRIVILEGED,
            "index.html": "<p>",
            "docs/demo.html": "<script>demo()</script>",
        },
    )
    page = tmp_path / "docs" / "demo.html"
    config = apply_settings(Config(), {"exclude": ["docs/"]}, "test")
    assert analyze_document(str(page), page.read_text(), config).findings == []


# -- findings judged by role -------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("hint", ["hint"]),
        ("report", ["error"]),
        ("off", []),
    ],
)
def test_unreached_files_setting(tmp_path: Path, setting: str, expected: list[str]) -> None:
    write(
        tmp_path,
        {
            "manifest.webapp": PRIVILEGED,
            "index.html": "<p>",
            "demo.html": "<script>demo()</script>",
        },
    )
    config = apply_settings(Config(), {"unreachedFiles": setting}, "test")
    found = analyze_document(
        str(tmp_path / "demo.html"), "<script>demo()</script>", config
    ).findings
    assert [f.severity.label for f in found] == expected
    if setting == "hint":
        assert "no page of the app opens this file" in found[0].message


def test_settings_are_checked() -> None:
    config = apply_settings(Config(), {"exclude": "docs/", "unreachedFiles": "maybe"}, "t")
    assert config.exclude == ("docs/",)
    assert config.unreached_files == "hint" and any("unreachedFiles" in p for p in config.problems)
    config = apply_settings(Config(), {"exclude": [1]}, "t")
    assert any("exclude" in p for p in config.problems)


def test_build_input_is_judged_for_behaviour_not_for_the_shipped_syntax(tmp_path: Path) -> None:
    write(
        tmp_path, {"package.json": WEBPACK, "manifest.webapp": PRIVILEGED, "src/index.html": "<p>"}
    )
    code = "import x from 'lodash';\nexport async function go() { eval(x ?? '1'); }\n"
    found = analyze_document(str(tmp_path / "src" / "app.js"), code).findings
    assert [f.rule for f in found] == ["KAI402"]  # no KAI409 for import/async/??


def test_build_output_is_judged_for_syntax_and_policy_not_behaviour(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": WEBPACK,
            "dist/manifest.webapp": PRIVILEGED,
            "dist/index.html": "<script src=bundle.js></script>",
        },
    )
    code = "var a = b ?? c; navigator.mozAlarms.getAll(); eval(a);\n"
    write(tmp_path, {"dist/bundle.js": code})
    found = analyze_document(str(tmp_path / "dist" / "bundle.js"), code).findings
    assert sorted(f.rule for f in found) == ["KAI402", "KAI409"]  # no KAI404: the sources say it


def test_a_missing_file_in_build_input(tmp_path: Path) -> None:
    manifest = {**PRIVILEGED, "icons": {"56": "/icons/56.png", "112": "/icons/112.png"}}
    write(
        tmp_path,
        {
            "package.json": WEBPACK,
            "manifest.webapp": manifest,
            "src/index.html": "<p>",
            "assets/icons/56.png": "png",
        },
    )
    text = (tmp_path / "manifest.webapp").read_text()
    found = [
        f
        for f in analyze_document(str(tmp_path / "manifest.webapp"), text).findings
        if f.rule == "KAI116"
    ]
    # index.html: the build creates it; 56.png: the project has one to copy; 112.png: nowhere
    assert [text[f.start : f.end] for f in found] == ['"/icons/112.png"']


def test_scripts_of_a_build_project_belong_to_its_manifest_in_public(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": {"devDependencies": {"@vue/cli-service": "^4"}},
            "public/manifest.webapp": PRIVILEGED,
            "public/index.html": "<p>",
        },
    )
    code = "navigator.mozAlarms.getAll();"
    result = analyze_document(str(tmp_path / "src" / "main.js"), code)
    assert result.app is not None and result.app.manifest_path.endswith("public/manifest.webapp")
    assert [f.rule for f in result.findings] == ["KAI404"]


def test_a_file_two_apps_share_is_judged_for_both(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "manifest.webapp": {**PRIVILEGED, "permissions": {"alarms": {}}},
            "manifest.webmanifest": {"name": "App", "start_url": "/index.html", "b2g_features": {}},
            "index.html": "<script src=app.js></script>",
        },
    )
    code = "navigator.b2g.alarmManager.getAll();\nvar x = a ?? b;\n"
    found = analyze_document(str(tmp_path / "app.js"), code, files=OverlayFiles({}, DiskFiles()))
    rules = sorted(f.rule for f in found.findings)
    assert rules == ["KAI404", "KAI409"]  # 3.0 lacks the permission; 2.5 cannot parse ??


def test_a_page_template_is_judged_around_its_placeholders(tmp_path: Path) -> None:
    page = (
        '<!doctype html>\n<link rel="icon" href="<%= BASE_URL %>favicon.ico">\n'
        "<script>window.CONFIG = <%= JSON.stringify(config) %>;</script>\n"
        '<div onclick="<%= handler %>"></div>\n'
    )
    write(
        tmp_path,
        {
            "package.json": {"devDependencies": {"@vue/cli-service": "^4"}},
            "public/manifest.webapp": PRIVILEGED,
            "public/index.html": page,
        },
    )
    found = analyze_document(str(tmp_path / "public" / "index.html"), page).findings
    # the inline script and handler stay blocked after the build; the placeholder is no
    # syntax error, and no fix moves template code where the build would not fill it in
    assert sorted(f.rule for f in found) == ["KAI301", "KAI302"]
    assert all(not f.fixes for f in found)


# -- hostile input --------------------------------------------------------------------


def test_hostile_projects_never_crash_the_model(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "manifest.webapp": {**PRIVILEGED, "launch_path": "/../../../etc/passwd"},
            "index.html": "<script src='../../outside.js'></script><a href='//evil/x.html'>",
            "package.json": "[" * 5000 + "webpack",  # deep, broken, not an object
            ".babelrc": "\x00\x01\x02 binary",
            "tsconfig.json": '{"compilerOptions": {"target": ' + '"ES5", ' * 2000 + "}}",
            "js/app.js": "s.src = " + "'a' + " * 2000 + "x;",
        },
    )
    (tmp_path / "webpack.config.js").mkdir()  # a folder where a file is expected
    (tmp_path / "js" / "loop").symlink_to(tmp_path / "js")  # a symlink loop
    model = model_of(tmp_path / "manifest.webapp")
    assert model is not None
    model.describe()
    for name in ("index.html", "js/app.js", "package.json", "tsconfig.json"):
        path = tmp_path / name
        analyze_document(str(path), path.read_text("utf-8", "replace"))
