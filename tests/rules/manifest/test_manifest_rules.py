"""Manifest validation: schema mapping, rules beyond the schema, no false alarms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaios_lsp.app.manifest import load_manifest
from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document, decode
from kaios_lsp.rules.manifest.schema_check import SchemaChecker
from kaios_lsp.services.fixes import apply_edits, same_file_edits
from kaios_lsp.settings import apply_settings

FULL_WEBAPP = {
    "name": "Podcast Lite",
    "short_name": "Podcasts",
    "display": "Podcasts",
    "subtitle": "Podcasts for your KaiOS phone",
    "description": "Discover and play podcasts.",
    "version": "1.2.0",
    "type": "privileged",
    "launch_path": "/index.html",
    "origin": "app://podcast-lite.example.com",
    "developer": {"name": "Demo Studio", "url": "https://demo.example.com"},
    "icons": {"56": "/icons/56.png", "112": "/icons/112.png"},
    "permissions": {
        "systemXHR": {"description": "feeds"},
        "device-storage:sdcard": {"description": "save", "access": "readwrite"},
    },
    "locales": {
        "en-US": {
            "name": "Podcast Lite",
            "subtitle": "Podcasts",
            "description": "d",
            "developer": {"name": "x", "url": "y"},
        },
        "zh-CN": {"name": "播客 🎧"},
    },
    "default_locale": "en-US",
    "orientation": ["portrait-primary", "landscape-primary"],
    "fullscreen": True,
    "cursor": False,
    "chrome": {"statusbar": "overlap"},
    "priority": "high",
    "theme_color": "#005665",
    "background_color": "transparent",
    "categories": ["entertainment", "news"],
    "activities": {
        "share": {
            "href": "/share.html",
            "disposition": "inline",
            "returnValue": True,
            "filters": {
                "type": ["url", "text/plain"],
                "url": {"required": True, "pattern": "https?:.{1,2048}", "patternFlags": "i"},
            },
        },
        "view": [{"href": "/index.html", "filters": {"type": "url"}}],
    },
    "messages": ["alarm", {"serviceworker-notification": "/index.html"}],
    "redirects": [{"from": "https://example.com/callback", "to": "/index.html"}],
    "entry_points": {
        "player": {"launch_path": "/index.html", "name": "Player", "icons": {"56": "/icons/56.png"}}
    },
    "csp": "default-src *; script-src 'self'",
    "appcache_path": "/cache.manifest",
    "role": "addon",
    "userAgentInfo": "PodcastLite/1.2.0",
    "dependencies": {"ads-sdk": "1.5.8"},
    "datastores-access": {},
    "datastores-owned": {},
    "connections": {},
    "receipts": [""],
    "precompile": ["game.js"],
    "widgetPages": ["/widget.html"],
    "deeplinks": {"regex": "^app://x", "action": "open-deeplink"},
    "inputs": {},
    "size": 1024,
}

FULL_WEBMANIFEST = {
    "id": "podcastlite",
    "name": "Podcast Lite",
    "short_name": "Podcasts",
    "description": "Discover and play podcasts.",
    "lang": "en-US",
    "dir": "ltr",
    "start_url": "/index.html",
    "scope": "/",
    "display": "standalone",
    "orientation": "portrait",
    "theme_color": "#00897b",
    "background_color": "#ffffff",
    "categories": ["utilities"],
    "icons": [
        {"src": "/icons/56.png", "type": "image/png", "sizes": "56x56"},
        {"src": "/icons/112.png", "type": "image/png", "sizes": "112x112", "purpose": "any"},
    ],
    "b2g_features": {
        "version": "3.0.0",
        "subtitle": "Podcasts",
        "display": "Podcasts",
        "type": "privileged",
        "developer": {"name": "Demo", "url": "https://demo.example.com"},
        "core": False,
        "cursor": False,
        "fullscreen": True,
        "chrome": {"statusbar": "overlap"},
        "focus_color": "#7dcb1e",
        "role": "",
        "default_locale": "en-US",
        "categories": ["utilities"],
        "locales": {"fr": {"name": "Podcasts", "subtitle": "Balados"}},
        "permissions": {"systemXHR": {"description": "feeds"}},
        "activities": {
            "share": {
                "filters": {"type": "url"},
                "returnValue": True,
                "allowedOrigins": ["http://other.localhost"],
            }
        },
        "messages": ["alarm", {"notification": "/index.html"}],
        "serviceworker": {
            "script_url": "sw.js",
            "options": {"scope": "/", "update_via_cache": "none"},
        },
        "dependencies": {"ads-sdk": "1.5.8"},
        "origin": "http://podcastlite.localhost",
        "deeplinks": {"config": "https://example.com/deeplinks.json"},
        "redirects": [],
        "inputs": {},
    },
}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    for name in ("index.html", "share.html", "sw.js", "game.js", "widget.html", "cache.manifest"):
        (tmp_path / name).write_text("x")
    (tmp_path / "icons").mkdir()
    for size in (56, 112):
        (tmp_path / "icons" / f"{size}.png").write_bytes(b"\x89PNG")
    return tmp_path


def check(app: Path, value_or_text, name: str = "manifest.webapp", config: Config | None = None):
    text = (
        value_or_text
        if isinstance(value_or_text, str)
        else json.dumps(value_or_text, indent=2, ensure_ascii=False)
    )
    result = analyze_document(str(app / name), text, config)
    # the fixture app's scripts are stubs: "unused permission" (KAI405) is tested with real
    # scripts in tests/rules/js/test_js_rules.py
    return text, [f for f in result.findings if f.rule != "KAI405"]


def at(text: str, findings, rule: str) -> list[str]:
    return [text[f.start : f.end] for f in findings if f.rule == rule]


def test_every_documented_2_5_member_validates_without_a_false_alarm(app: Path) -> None:
    text, findings = check(app, FULL_WEBAPP)
    # The one finding is information, not an alarm: the memory card permission prompts.
    assert [(f.rule, text[f.start : f.end]) for f in findings] == [
        ("KAI204", '"device-storage:sdcard"')
    ]


def test_every_documented_3_0_member_validates_without_a_false_alarm(app: Path) -> None:
    _text, findings = check(app, FULL_WEBMANIFEST, "manifest.webmanifest")
    assert [(f.rule, f.message) for f in findings] == []


def test_localised_3_0_manifest_names_are_recognised(app: Path) -> None:
    _, findings = check(app, {"name": "x", "lang": "fr", "bogus": 1}, "manifest.fr.webmanifest")
    assert [f.rule for f in findings if f.rule == "KAI101"] == ["KAI101"]


@pytest.mark.parametrize(
    ("patch", "rule", "underlined"),
    [
        ({"cursor": "yes"}, "KAI102", '"yes"'),
        ({"orientation": "sideways"}, "KAI103", '"sideways"'),
        ({"orientation": ["portrait", "upside"]}, "KAI103", '"upside"'),
        ({"launch_pth": "/index.html"}, "KAI101", '"launch_pth"'),
        ({"developer": {"name": "x", "uri": "y"}}, "KAI101", '"uri"'),
        ({"chrome": {"statusbar": "hidden"}}, "KAI103", '"hidden"'),
        ({"version": "v1.2"}, "KAI106", '"v1.2"'),
        ({"theme_color": "teal"}, "KAI106", '"teal"'),
        ({"size": -1}, "KAI106", "-1"),
        ({"role": 3}, "KAI102", "3"),
        ({"messages": "alarm"}, "KAI102", '"alarm"'),
        ({"type": "hosted"}, "KAI110", '"hosted"'),
        (
            {"activities": {"share": {"href": "/share.html", "disposition": "popup"}}},
            "KAI103",
            '"popup"',
        ),
    ],
)
def test_schema_errors_underline_the_exact_key_or_value(
    app: Path, patch: dict, rule: str, underlined: str
) -> None:
    text, findings = check(app, {**FULL_WEBAPP, **patch})
    assert at(text, findings, rule) == [underlined], [(f.rule, f.message) for f in findings]


def test_wrong_type_severity_follows_the_consequence(app: Path) -> None:
    _, findings = check(app, {**FULL_WEBAPP, "role": 3, "cursor": "yes"})
    by_value = {f.message.split(" ")[0]: f.severity.label for f in findings if f.rule == "KAI102"}
    assert by_value == {"role": "error", "cursor": "warning"}  # install fails vs. ignored


def test_missing_required_member_underlines_the_opening_brace_or_key(app: Path) -> None:
    text, findings = check(app, {"description": "x"})
    assert at(text, findings, "KAI104") == ["{"]
    text, findings = check(
        app,
        {**FULL_WEBMANIFEST, "b2g_features": {"serviceworker": {"options": {}}}},
        "manifest.webmanifest",
    )
    assert at(text, findings, "KAI104") == ['"serviceworker"']
    fix = next(f for f in findings if f.rule == "KAI104").fixes[0]
    fixed = apply_edits(text, same_file_edits(fix))
    assert json.loads(fixed)["b2g_features"]["serviceworker"]["script_url"] == ""


def test_no_required_member_error_while_the_object_is_still_being_typed(app: Path) -> None:
    text, findings = check(app, '{\n  "description": "x",\n  "ty')
    assert at(text, findings, "KAI104") == []
    assert any(f.rule == "KAI001" for f in findings)


def test_half_typed_value_is_not_also_a_schema_error(app: Path) -> None:
    text, findings = check(app, '{"name": "Demo", "cursor": tru}')
    assert [f.rule for f in findings if f.rule.startswith("KAI1")] == ["KAI105"] * 4 or all(
        f.rule in ("KAI001", "KAI105") for f in findings
    )
    assert at(text, findings, "KAI001") == ["tru"]


def test_unknown_member_suggests_the_closest_name_and_renames_it(app: Path) -> None:
    text, findings = check(app, {"name": "x", "laucnh_path": "/index.html"})
    finding = next(f for f in findings if f.rule == "KAI101")
    assert '"launch_path"' in finding.message
    fixed = apply_edits(text, same_file_edits(finding.fixes[0]))
    assert json.loads(fixed) == {"name": "x", "launch_path": "/index.html"}


def test_unknown_member_with_a_known_hint(app: Path) -> None:
    _, findings = check(app, {"name": "x", "b2g_features": {}})
    assert (
        "KaiOS 3.0 manifest.webmanifest" in next(f for f in findings if f.rule == "KAI101").message
    )
    _, findings = check(app, {"name": "x", "permissions": {}}, "manifest.webmanifest")
    assert "b2g_features.permissions" in next(f for f in findings if f.rule == "KAI101").message


@pytest.mark.parametrize("root", ["[]", "42", '"manifest"', "null", "true"])
def test_a_manifest_that_is_not_an_object(app: Path, root: str) -> None:
    _text, findings = check(app, root)
    assert [f.rule for f in findings] == ["KAI007"]
    assert findings[0].severity.label == "error"


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("launch_path", "https://example.com/index.html"),
        ("entry_points", {"p": {"launch_path": "app://x.example.com/index.html"}}),
        ("activities", {"share": [{"href": "http://example.com/s.html"}]}),
        ("messages", [{"alarm": "https://example.com/a.html"}]),
    ],
)
def test_absolute_urls_where_gecko_wants_paths(app: Path, where: str, value) -> None:
    text, findings = check(app, {**FULL_WEBAPP, where: value})
    finding = next(f for f in findings if f.rule == "KAI111")
    assert finding.severity.label == "error"
    fixed = apply_edits(text, same_file_edits(finding.fixes[0]))
    assert not [f for f in check(app, fixed)[1] if f.rule == "KAI111"]


def test_absolute_hrefs_in_3_0_b2g_features(app: Path) -> None:
    manifest = json.loads(json.dumps(FULL_WEBMANIFEST))
    manifest["b2g_features"]["activities"]["share"]["href"] = "https://example.com/x.html"
    text, findings = check(app, manifest, "manifest.webmanifest")
    assert at(text, findings, "KAI111") == ['"https://example.com/x.html"']


def test_origin_rules(app: Path) -> None:
    text, findings = check(app, {**FULL_WEBAPP, "origin": "https://demo.example.com"})
    finding = next(f for f in findings if f.rule == "KAI112")
    assert finding.severity.label == "error" and "INVALID_ORIGIN" in finding.message
    assert (
        json.loads(apply_edits(text, same_file_edits(finding.fixes[0])))["origin"]
        == "app://demo.example.com"
    )
    text, findings = check(app, {**FULL_WEBAPP, "type": "web"})
    finding = next(f for f in findings if f.rule == "KAI112")
    assert finding.severity.label == "warning" and text[finding.start : finding.end] == '"origin"'
    fixed = apply_edits(text, same_file_edits(finding.fixes[0]))
    assert "origin" not in json.loads(fixed)


def test_redirects_that_gecko_drops(app: Path) -> None:
    text, findings = check(
        app, {**FULL_WEBAPP, "redirects": [{"from": "/cb", "to": "https://example.com/done"}]}
    )
    assert at(text, findings, "KAI113") == ['"/cb"', '"https://example.com/done"']


def test_cursor_with_spatial_navigation(app: Path) -> None:
    manifest = {
        **FULL_WEBAPP,
        "cursor": True,
        "permissions": {"spatialnavigation-app-manage": {"description": "nav"}},
    }
    text, findings = check(app, manifest)
    finding = next(f for f in findings if f.rule == "KAI114")
    assert len(finding.fixes) == 2
    for fix in finding.fixes:
        fixed = apply_edits(text, same_file_edits(fix))
        assert not [f for f in check(app, fixed)[1] if f.rule == "KAI114"]
        json.loads(fixed)


def test_3_0_activities_without_service_worker(app: Path) -> None:
    manifest = json.loads(json.dumps(FULL_WEBMANIFEST))
    del manifest["b2g_features"]["serviceworker"]
    text, findings = check(app, manifest, "manifest.webmanifest")
    assert at(text, findings, "KAI115") == ['"activities"', '"messages"']
    fixed = apply_edits(
        text, same_file_edits(findings[[f.rule for f in findings].index("KAI115")].fixes[0])
    )
    assert json.loads(fixed)["b2g_features"]["serviceworker"] == {"script_url": "sw.js"}
    assert not [f for f in check(app, fixed, "manifest.webmanifest")[1] if f.rule == "KAI115"]


def test_missing_files_and_case_fix(app: Path) -> None:
    text, findings = check(
        app,
        {
            **FULL_WEBAPP,
            "launch_path": "/Index.html?x=1#top",
            "icons": {"56": "/icons/56.png", "112": "/icons/missing.png"},
        },
    )
    launch = next(f for f in findings if f.rule == "KAI116" and "launch_path" in f.message)
    assert launch.severity.label == "error"
    fixed = apply_edits(text, same_file_edits(launch.fixes[0]))
    assert json.loads(fixed)["launch_path"] == "/index.html?x=1#top"
    icon = next(f for f in findings if f.rule == "KAI116" and "icons.112" in f.message)
    assert icon.severity.label == "warning" and not icon.fixes


def test_missing_files_outside_the_app_and_mini_manifests(app: Path) -> None:
    _, findings = check(app, {**FULL_WEBAPP, "launch_path": "/../../etc/passwd"})
    assert any(f.rule == "KAI116" and "outside the app folder" in f.message for f in findings)
    _, findings = check(
        app,
        {
            **FULL_WEBAPP,
            "launch_path": "/nothere.html",
            "package_path": "https://example.com/app.zip",
        },
    )
    assert not [f for f in findings if f.rule == "KAI116"]


def test_missing_3_0_files(app: Path) -> None:
    manifest = json.loads(json.dumps(FULL_WEBMANIFEST))
    manifest["b2g_features"]["serviceworker"]["script_url"] = "worker.js"
    manifest["icons"][0]["src"] = "/icons/57.png"
    text, findings = check(app, manifest, "manifest.webmanifest")
    assert at(text, findings, "KAI116") == ['"/icons/57.png"', '"worker.js"']


def test_store_requirements_can_be_turned_off(app: Path) -> None:
    _, findings = check(app, {"name": "x"})
    assert {f.rule for f in findings} == {"KAI105"}
    config = apply_settings(Config(), {"rules": {"store-requirement": "off"}}, "test")
    _, findings = check(app, {"name": "x"}, config=config)
    assert findings == []


def test_configured_severity_overrides_the_default(app: Path) -> None:
    config = apply_settings(Config(), {"rules": {"KAI103": "hint"}}, "test")
    _, findings = check(app, {**FULL_WEBAPP, "orientation": "sideways"}, config=config)
    assert [f.severity.label for f in findings if f.rule == "KAI103"] == ["hint"]


def test_nesting_deeper_than_the_validation_limit(app: Path) -> None:
    text = '{"name": "x", "inputs": ' + "[" * 200 + "]" * 200 + "}"
    _, findings = check(app, text)
    assert [f.rule for f in findings if f.rule == "KAI009"] == ["KAI009"]


def test_ten_thousand_deep_manifest(app: Path) -> None:
    text = '{"name": "x", "locales": ' + '{"a":' * 10000 + "1" + "}" * 10000 + "}"
    _, findings = check(app, text)
    # KAI101: "a" is not a member of a locale; nothing below the depth limit is reported.
    assert {f.rule for f in findings} == {"KAI009", "KAI101", "KAI105"}


def test_decode_reports_invalid_utf8_at_its_position() -> None:
    data = '{"name": "演示'.encode() + b"\xc3\x28" + b'"}'
    text, findings, ok = decode(data)
    assert ok and text == '{"name": "演示\ufffd("}'
    assert [(f.rule, text[f.start : f.end]) for f in findings] == [("KAI008", "\ufffd")]
    assert "byte 16" in findings[0].message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"\x00\x01binary", "binary"), (b"\xff\xfe{\x00}\x00", "UTF-16"), (b"x" * 2048, "limit")],
)
def test_decode_refuses_what_it_cannot_read(data: bytes, fragment: str) -> None:
    _, findings, ok = decode(data, max_size=1024)
    assert not ok and fragment in findings[0].message


# -- member-by-member validation gives the same findings as whole-document validation ------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 300)
    | st.sampled_from(
        [
            "",
            "web",
            "privilaged",
            "portrait",
            "/index.html",
            "https://x.example/a",
            "#005665",
            "v1",
            "x" * 45,
            "overlap",
        ]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "href",
                    "filters",
                    "url",
                    "required",
                    "pattern",
                    "regexp",
                    "src",
                    "sizes",
                    "a",
                ]
            ),
            c,
            max_size=3,
        )
    ),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _set(value, path, new):
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


def _same_findings_split_or_whole(kind: str, value: object) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    manifest = load_manifest(text, "/nonexistent/manifest." + kind, kind)

    def run(split: bool):
        checker = SchemaChecker(f"manifest.{kind}", split=split)
        found = checker.check(text, manifest.root, manifest.value, manifest.broken)
        return sorted((f.rule, f.start, f.end, f.message, f.severity) for f in found)

    whole = run(False)
    assert run(True) == whole
    assert run(True) == whole  # and again, from the cache


@pytest.mark.parametrize(
    ("kind", "path", "new"),
    [
        ("webapp", ("icons", "56"), 3),
        ("webapp", ("icons", "56px"), "/x.png"),
        ("webapp", ("locales", "fr"), {"name": 1, "subtitle": "x" * 50, "bogus": True}),
        ("webapp", ("permissions", "systemXHR"), {"description": 2, "acess": "readonly"}),
        (
            "webapp",
            ("activities", "view", 0, "filters", "type"),
            {"regexp": "x", "required": "yes"},
        ),
        ("webapp", ("developer",), {"name": ["x"]}),
        ("webapp", ("orientation",), ["portrait", "sideways", 3]),
        ("webapp", ("redirects", 0), {"from": 1}),
        ("webapp", ("messages", 1), {"a": "/x", "b": "/y"}),
        ("webapp", ("name",), None),
        (
            "webmanifest",
            ("b2g_features", "serviceworker"),
            {"options": {"update_via_cache": "never"}},
        ),
        ("webmanifest", ("b2g_features", "locales", "fr"), {"subtitle": 3}),
        ("webmanifest", ("icons", 0), {"sizes": "56 x 56"}),
        ("webmanifest", ("b2g_features",), []),
        ("webmanifest", ("b2g_features", "core"), "true"),
    ],
)
def test_split_validation_equals_whole_validation_for_each_kind_of_member(kind, path, new) -> None:
    base = FULL_WEBAPP if kind == "webapp" else FULL_WEBMANIFEST
    _same_findings_split_or_whole(kind, _set(base, path, new))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["webapp", "webmanifest"]), st.data())
def test_split_validation_equals_whole_validation(kind: str, data) -> None:
    value = FULL_WEBAPP if kind == "webapp" else FULL_WEBMANIFEST
    for _ in range(data.draw(st.integers(1, 4))):
        paths = [p for p in _paths(value) if p]
        path = data.draw(st.sampled_from(paths))
        value = _set(value, path, data.draw(json_values))
    _same_findings_split_or_whole(kind, value)
