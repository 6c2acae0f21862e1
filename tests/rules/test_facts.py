"""Platform facts the rules state, each checked against its source (cited per test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaios_lsp.engine import analyze_document


def findings_of(app: Path, manifest, name: str = "manifest.webapp", rules=None):
    text = manifest if isinstance(manifest, str) else json.dumps(manifest, indent=2)
    (app / name).write_text(text)
    result = analyze_document(str(app / name), text)
    return text, [f for f in result.findings if rules is None or f.rule in rules]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text('<!doctype html><script src="app.js"></script>')
    return tmp_path


# -- 1. a permission given as a string -------------------------------------------------
# roytam1/gecko-kaios dom/apps/PermissionsTable.jsm expandPermissions: "Invalid access"
# only when the row has access levels and the manifest gives none (or the reverse); the
# installer passes manifest.permissions[name].access, undefined for a string.


def test_string_value_of_a_permission_without_access_levels_is_still_granted(app: Path) -> None:
    manifest = {"name": "Demo", "type": "privileged", "permissions": {"systemXHR": ""}}
    text, found = findings_of(app, manifest, rules={"KAI102", "KAI203"})
    [finding] = found
    assert finding.rule == "KAI102" and finding.severity.label == "info"
    assert "still granted" in finding.message and "never granted" not in finding.message
    assert json.loads(text[finding.start : finding.end]) == ""
    [fix] = finding.fixes
    assert json.loads(fix.changes[0].edits[0].new_text) == {
        "description": "Explain why the app needs to load data from servers that do not send "
        "CORS headers (systemXHR)"
    }


def test_string_value_of_a_permission_with_access_levels_is_never_granted(app: Path) -> None:
    manifest = {"name": "Demo", "type": "privileged", "permissions": {"contacts": "readwrite"}}
    _, found = findings_of(app, manifest, rules={"KAI102", "KAI203", "KAI205"})
    [finding] = found
    assert finding.rule == "KAI102" and finding.severity.label == "warning"
    assert "never granted" in finding.message
    body = json.loads(finding.fixes[0].changes[0].edits[0].new_text)
    assert body["access"] == "readwrite"  # the access level the string held is kept


def test_a_sentence_given_as_the_value_becomes_the_description(app: Path) -> None:
    manifest = {"name": "Demo", "type": "privileged", "permissions": {"tcp-socket": "Chat"}}
    _, found = findings_of(app, manifest, rules={"KAI102"})
    assert json.loads(found[0].fixes[0].changes[0].edits[0].new_text) == {"description": "Chat"}


def test_null_permission_value_is_an_error(app: Path) -> None:
    manifest = {"name": "Demo", "type": "privileged", "permissions": {"alarms": None}}
    _, found = findings_of(app, manifest, rules={"KAI102"})
    assert [f.severity.label for f in found] == ["error"]


# -- 2. certified apps are pre-installed, never store-reviewed -----------------------------
# The permission table's certified column decides prompts (roytam1/gecko-kaios
# dom/apps/PermissionsTable.jsm: camera certified ALLOW).

CERTIFIED = {
    "name": "Dialer",
    "type": "certified",
    "version": "v2",
    "subtitle": "x" * 50,
    "launch_path": "/index.html",
    "permissions": {"camera": {}, "systemXHR": {"description": ""}, "geolocation": {}},
}


def test_store_only_requirements_do_not_apply_to_certified_apps(app: Path) -> None:
    _, found = findings_of(app, CERTIFIED, rules={"KAI105", "KAI106", "KAI205"})
    assert found == []


def test_the_same_manifest_as_a_store_app_gets_the_store_requirements(app: Path) -> None:
    store_app = {**CERTIFIED, "type": "privileged"}
    _, found = findings_of(app, store_app, rules={"KAI105", "KAI106", "KAI205"})
    assert {f.rule for f in found} == {"KAI105", "KAI106", "KAI205"}


def test_certified_prompts_come_from_the_certified_column(app: Path) -> None:
    text, found = findings_of(app, CERTIFIED, rules={"KAI204"})
    # camera is ALLOW for certified (a dialog only for privileged); geolocation prompts for all
    assert [text[f.start : f.end] for f in found] == ['"geolocation"']


def test_core_apps_are_not_store_reviewed_either(app: Path) -> None:
    manifest = {
        "name": "Core",
        "start_url": "/index.html",
        "b2g_features": {"core": True, "version": "x", "permissions": {"camera": {}}},
    }
    _, found = findings_of(app, manifest, "manifest.webmanifest", {"KAI105", "KAI106", "KAI205"})
    assert found == []


# -- 8. permissions the manifest itself uses -----------------------------------------------


def unused(app: Path, manifest: dict) -> list[str]:
    (app / "app.js").write_text("console.log('nothing here');\n")
    text, found = findings_of(app, manifest, rules={"KAI405"})
    return [json.loads(text[f.start : f.end]) for f in found]


def test_a_permission_entry_that_names_its_api_is_not_unused(app: Path) -> None:
    manifest = {
        "name": "Demo",
        "type": "privileged",
        "permissions": {
            "spatialnavigation-app-manage": {"navigator.spatialNavigationEnabled": False},
            "systemXHR": {"description": "feeds"},
        },
    }
    assert unused(app, manifest) == ["systemXHR"]


@pytest.mark.parametrize(
    ("permission", "message"),
    [
        ("alarms", "alarm"),
        ("desktop-notification", {"serviceworker-notification": "/index.html"}),
        ("push", "push-register"),
        ("bluetooth", "bluetooth-dialer-command"),
    ],
)
def test_system_messages_in_the_manifest_use_their_permission(
    app: Path, permission, message
) -> None:
    manifest = {
        "name": "Demo",
        "type": "certified",
        "messages": [message],
        "permissions": {permission: {"description": "x"}},
    }
    assert unused(app, manifest) == []


def test_unused_permission_of_a_certified_app_does_not_mention_store_review(app: Path) -> None:
    manifest = {"name": "Demo", "type": "certified", "permissions": {"alarms": {}}}
    (app / "app.js").write_text("1;\n")
    _, found = findings_of(app, manifest, rules={"KAI405"})
    assert found and "review" not in found[0].message


# -- 3. a description is for the store; only prompt permissions have a dialog -------------


@pytest.mark.parametrize("body", [{}, {"description": " "}])
def test_missing_description_of_an_always_allowed_permission_claims_no_dialog(
    app: Path, body
) -> None:
    manifest = {"name": "Demo", "type": "privileged", "permissions": {"systemXHR": body}}
    _, [finding] = findings_of(app, manifest, rules={"KAI205"})
    assert "store" in finding.message and "dialog has nothing" not in finding.message


def test_missing_description_of_a_prompt_permission_mentions_the_dialog(app: Path) -> None:
    manifest = {"name": "Demo", "type": "privileged", "permissions": {"geolocation": {}}}
    _, [finding] = findings_of(app, manifest, rules={"KAI205"})
    assert "dialog" in finding.message


# -- 4. KaiOS 3.0 api-daemon libraries ----------------------------------------------------
# The 3.0 packaged-app policy is "script-src 'self' http://127.0.0.1 http://shared.localhost"
# (capyloon/api-daemon daemon/config-device.toml; reference kaios-facts.md 3.2; csp.py).

API_DAEMON_PAGE = (
    "<!doctype html><html><head>\n"
    '<script src="http://127.0.0.1/api/v1/shared/core.js"></script>\n'
    '<script src="http://127.0.0.1/api/v1/apps/service.js"></script>\n'
    "</head><body></body></html>\n"
)
API_DAEMON_SCRIPT = (
    'fetch("http://127.0.0.1/api/v1/shared/core.js");\n'
    'var s = document.createElement("script"); s.src = "http://127.0.0.1/api/v1/apps/service.js";\n'
)
NETWORK_RULES = {"KAI304", "KAI307", "KAI308", "KAI311", "KAI408"}


@pytest.mark.parametrize(
    "start_url", ["/index.html", "https://app.example.com/index.html"], ids=["packaged", "pwa"]
)
def test_api_daemon_libraries_are_fine_in_kaios_3(app: Path, start_url: str) -> None:
    manifest = {"name": "Demo", "start_url": start_url, "b2g_features": {}}
    (app / "manifest.webmanifest").write_text(json.dumps(manifest))
    for name, text in (("index.html", API_DAEMON_PAGE), ("app.js", API_DAEMON_SCRIPT)):
        (app / name).write_text(text)
        found = analyze_document(str(app / name), text).findings
        assert [f.message for f in found if f.rule in NETWORK_RULES] == []


def test_api_daemon_library_in_a_2_5_app_is_never_to_be_shipped(app: Path) -> None:
    (app / "manifest.webapp").write_text('{"name": "Demo", "type": "privileged"}')
    found = analyze_document(str(app / "index.html"), API_DAEMON_PAGE).findings
    blocked = [f for f in found if f.rule == "KAI304"]
    assert len(blocked) == 2
    assert all("api-daemon" in f.message and "Ship a copy" not in f.message for f in blocked)
    assert [f for f in found if f.rule in {"KAI307", "KAI308"}] == []


def test_a_cdn_script_is_still_to_be_shipped(app: Path) -> None:
    (app / "manifest.webapp").write_text('{"name": "Demo", "type": "privileged"}')
    page = '<script src="https://cdn.example.com/lib.js"></script>'
    [finding] = [
        f for f in analyze_document(str(app / "x.html"), page).findings if f.rule == "KAI304"
    ]
    assert "Ship a copy" in finding.message


# -- 5. a wrong type's consequence is the wrong member's own ------------------------------
# kaiostech/gecko-b2g dom/b2g/activities/ActivitiesServiceFilter.jsm: for (filter in filters);
# roytam1/gecko-kaios dom/activities/ActivitiesService.jsm: if (!description.returnValue).


@pytest.mark.parametrize(
    ("name", "b2g"), [("manifest.webapp", False), ("manifest.webmanifest", True)]
)
def test_filters_given_as_a_list_filter_nothing_but_the_activity_registers(
    app: Path, name: str, b2g: bool
) -> None:
    handler = {"filters": ["image/*"]}
    if b2g:
        manifest = {
            "name": "Demo",
            "start_url": "/index.html",
            "b2g_features": {
                "activities": {"pick": handler},
                "serviceworker": {"script_url": "sw.js"},
            },
        }
    else:
        manifest = {"name": "Demo", "launch_path": "/index.html", "activities": {"pick": handler}}
    _, [finding] = findings_of(app, manifest, name, {"KAI102"})
    assert "registers no activity" not in finding.message
    assert "filter nothing" in finding.message and finding.severity.label == "warning"


def test_return_value_as_a_string_counts_as_true(app: Path) -> None:
    manifest = {"name": "Demo", "activities": {"pick": {"returnValue": "false"}}}
    _, [finding] = findings_of(app, manifest, rules={"KAI102"})
    assert "counts as true" in finding.message


def test_the_handler_itself_keeps_its_own_consequence(app: Path) -> None:
    manifest = {"name": "Demo", "activities": {"pick": 3}}
    _, [finding] = findings_of(app, manifest, rules={"KAI102"})
    assert "registers no activity" in finding.message


# -- 6. KAI404: absent APIs throw a TypeError; present ones refuse -----------------------
# Reference api-permissions.json: mozContacts [CheckAnyPermissions] -> undefined (2.5);
# navigator.b2g.* "Hidden (undefined) when a Func guard fails", getFlashlightManager
# "Throws SecurityError" (kaiostech/gecko-b2g dom/webidl/B2G.webidl, dom/b2g/B2G.cpp).


def kai404(app: Path, manifest: dict, name: str, script: str) -> list:
    (app / name).write_text(json.dumps(manifest))
    (app / "app.js").write_text(script)
    found = analyze_document(str(app / "app.js"), script).findings
    return [f for f in found if f.rule == "KAI404"]


PRIVILEGED = {"name": "Demo", "type": "privileged"}
SIGNED = {"name": "Demo", "start_url": "/index.html", "b2g_features": {}}


@pytest.mark.parametrize(
    ("manifest", "name", "script", "expected"),
    [
        (PRIVILEGED, "manifest.webapp", "navigator.mozContacts.find({});", "TypeError"),
        (SIGNED, "manifest.webmanifest", "navigator.b2g.alarmManager.getAll();", "TypeError"),
        (
            SIGNED,
            "manifest.webmanifest",
            "navigator.b2g.getFlashlightManager();",
            "throws a SecurityError",
        ),
        (
            PRIVILEGED,
            "manifest.webapp",
            "navigator.getDeviceStorage('sdcard').get('a');",
            "SecurityError",
        ),
        (
            PRIVILEGED,
            "manifest.webapp",
            "navigator.geolocation.getCurrentPosition(show, fail);",
            "refuses every call",
        ),
    ],
)
def test_missing_permission_says_what_the_api_does(
    app: Path, manifest, name, script, expected
) -> None:
    [finding] = kai404(app, manifest, name, script)
    assert expected in finding.message
    if expected == "TypeError":
        assert "refuses" not in finding.message


def test_unconfirmed_enforcement_is_information(app: Path) -> None:
    [finding] = kai404(app, PRIVILEGED, "manifest.webapp", "var s = new MozSpeakerManager();")
    assert "not confirmed" in finding.message and finding.severity.label == "info"


def test_every_b2g_api_says_what_happens_without_its_permission() -> None:
    from kaios_lsp.facts.js_apis import api_table

    for entry in api_table():
        if entry["id"].startswith("navigator.b2g."):
            assert entry["missing"], entry["id"]


# -- 7. eval / new Function as a feature probe ---------------------------------------------


def kai402(app: Path, script: str) -> list:
    (app / "manifest.webapp").write_text('{"name": "Demo", "type": "privileged"}')
    found = analyze_document(str(app / "app.js"), script).findings
    return [(f.severity.label, f.message) for f in found if f.rule == "KAI402"]


@pytest.mark.parametrize(
    "script",
    [
        # AngularJS csp() detection
        "function noUnsafeEval() {\n  try { new Function(''); return false; }\n"
        "  catch (e) { return true; }\n}",
        # promise polyfills' global lookup
        "var g;\ntry { g = Function('return this')(); } catch (e) { g = window; }",
        # a probe with an empty catch whose result nobody uses
        "var canEval = false;\ntry { eval('1'); canEval = true; } catch (e) {}",
    ],
)
def test_a_handled_eval_is_a_feature_probe(app: Path, script: str) -> None:
    [(severity, message)] = kai402(app, script)
    assert severity == "hint" and "feature probe" in message


@pytest.mark.parametrize(
    "script",
    [
        "try { run(new Function('a', body)); } catch (e) { log(e); throw e; }",
        "var f;\ntry { f = new Function('a', body); } catch (e) {}",  # f silently undefined
        "try { setup(function () { eval(code); }); } catch (e) { fallback(); }",  # runs later
        "new Function('a', body);",
    ],
)
def test_an_eval_whose_failure_is_not_handled_stays_an_error(app: Path, script: str) -> None:
    [(severity, message)] = kai402(app, script)
    assert severity == "error" and "feature probe" not in message


@pytest.mark.parametrize(
    "script",
    [
        # regenerator-runtime: the fallback for bundles in strict mode
        "try {\n  regeneratorRuntime = runtime;\n} catch (accidentalStrictMode) {\n"
        '  Function("r", "regeneratorRuntime = r")(runtime);\n}',
        "try { load(); } catch (e) { eval(backup); }",
    ],
)
def test_an_eval_in_a_catch_block_is_a_fallback_hint(app: Path, script: str) -> None:
    [(severity, message)] = kai402(app, script)
    assert severity == "hint" and "runs only when the try block threw" in message


def test_an_eval_in_a_function_defined_in_a_catch_block_stays_an_error(app: Path) -> None:
    script = "try { load(); } catch (e) { retry = function () { eval(backup); }; }"
    [(severity, _message)] = kai402(app, script)
    assert severity == "error"


# -- 10. vendor permissions from device builds ---------------------------------------------
# jrdextension: TCL/Alcatel device builds (Tombarr/kaios-dev-blog
# content/posts/system-properties.md; a device JrdExtension.js checks it), see
# tools/build_data.py DEVICE_BUILD_EXTRAS.


@pytest.mark.parametrize(
    ("manifest", "name"),
    [
        (
            {"name": "Demo", "type": "certified", "permissions": {"jrdextension": {}}},
            "manifest.webapp",
        ),
        (
            {
                "name": "Demo",
                "start_url": "/index.html",
                "b2g_features": {"permissions": {"jrdextension": {}}},
            },
            "manifest.webmanifest",
        ),
    ],
)
def test_vendor_permission_is_device_specific_not_unknown(app: Path, manifest, name) -> None:
    _, found = findings_of(app, manifest, name, {"KAI201", "KAI213", "KAI215"})
    assert [(f.rule, f.severity.label) for f in found] == [("KAI213", "warning")]
    assert "device builds" in found[0].message


def test_vendor_permission_hover_says_what_is_unknown() -> None:
    from kaios_lsp.facts.permissions import lookup
    from kaios_lsp.services.hover import permission_markdown

    permission = lookup("jrdextension")
    assert permission is not None and permission.status == "device-build"
    text = permission_markdown(permission, "2.5", "certified")
    assert "unknown" in text and "None" not in text


# -- 11. KAI310 only where a Referer or opener can leak --------------------------------------
# app:// pages send no Referer (Gecko sends one only from http/https/ftp pages, KAI311), and
# Gecko 48 predates rel=noopener (Firefox 52).

BLANK_LINK = '<meta name="referrer" content="no-referrer"><a href="https://other.example/" target="_blank">x</a>'


@pytest.mark.parametrize(
    ("name", "manifest", "distribution", "reported"),
    [
        ("manifest.webapp", {"name": "A", "type": "privileged"}, "auto", False),
        ("manifest.webapp", {"name": "A", "type": "web"}, "auto", False),
        ("manifest.webapp", {"name": "A", "type": "web"}, "hosted", True),
        ("manifest.webmanifest", {"name": "A", "start_url": "/index.html"}, "auto", True),
        ("manifest.webmanifest", {"name": "A", "start_url": "https://a.example/"}, "auto", True),
    ],
)
def test_target_blank_only_where_something_leaks(
    app: Path, name: str, manifest: dict, distribution: str, reported: bool
) -> None:
    from kaios_lsp.config import Config
    from kaios_lsp.settings import apply_settings

    (app / name).write_text(json.dumps(manifest))
    config = apply_settings(Config(), {"distribution": distribution}, "test")
    found = analyze_document(str(app / "index.html"), BLANK_LINK, config).findings
    assert any(f.rule == "KAI310" for f in found) == reported


# -- 9. one syntax finding per broken token ---------------------------------------------------


JSON_SYNTAX_RULES = ("KAI001", "KAI002", "KAI003", "KAI004")
JS_SYNTAX_RULES = ("KAI401", "KAI409")
BROKEN_JSON = [
    "{'a'}",
    "{''}",
    '{"a": 1,,}',
    "{a b: 1}",
    "{'name': 'Demo',}",
    '{"name": Demo}',
    "{'a': 'x\\qy'}",
    '{"a": [1 2,]}',
    '{"a" "b"}',
    '{"a": 1 /* open',
]
BROKEN_JS = [
    "class A { #x = ; }",
    "var a = 1_000_;",
    "x ?? ;",
    "var x = a?.;",
    "let x = 1n +;",
    "obj?.[",
    "try {} catch {",
    "var big = 10n.toString(;",
]


def syntax_starts(path: Path, text: str, rules: tuple[str, ...]) -> list[int]:
    found = analyze_document(str(path), text).findings
    return [f.start for f in found if f.rule in rules]


def assert_one_per_token(starts: list[int], text: str) -> None:
    assert len(starts) == len(set(starts)), (text, sorted(starts))


@pytest.mark.parametrize("text", BROKEN_JSON)
def test_broken_manifest_gets_one_finding_per_token(app: Path, text: str) -> None:
    assert_one_per_token(syntax_starts(app / "manifest.webapp", text, JSON_SYNTAX_RULES), text)


@pytest.mark.parametrize("text", BROKEN_JS)
def test_broken_script_gets_one_finding_per_token(app: Path, text: str) -> None:
    (app / "manifest.webapp").write_text('{"name": "Demo", "type": "privileged"}')
    starts = syntax_starts(app / "app.js", text, JS_SYNTAX_RULES)
    assert starts, text  # still reported
    assert_one_per_token(starts, text)


def test_the_kept_finding_is_the_helpful_one(app: Path) -> None:
    (app / "manifest.webapp").write_text('{"name": "Demo", "type": "privileged"}')
    found = analyze_document(str(app / "app.js"), "class A { #x = ; }").findings
    assert [f.rule for f in found if f.rule in JS_SYNTAX_RULES] == ["KAI409"]
    text = "{'a'}"
    found = analyze_document(str(app / "manifest.webapp"), text).findings
    [quotes] = [f for f in found if f.rule in JSON_SYNTAX_RULES]
    assert quotes.rule == "KAI004" and quotes.fixes


VALID_MANIFEST = (
    '{"name": "Demo", "type": "privileged", "permissions": {"alarms": {}}, "n": [1, 2.5]}'
)
VALID_SCRIPT = "var total = a ** 2;\nclass A { #x = 1; }\nvar y = o?.p ?? 1_000;\n"
DAMAGE = st.sampled_from([*"'\"{}[],:/*\\ #?_.n1-;=()`", "//", "/*", "TRUE", "..."])


def damaged(text: str):
    return st.lists(
        st.tuples(st.integers(0, len(text)), DAMAGE, st.booleans()), min_size=1, max_size=4
    ).map(lambda edits: _apply_damage(text, edits))


def _apply_damage(text: str, edits) -> str:
    for position, piece, replace in sorted(edits, reverse=True):
        end = position + 1 if replace else position
        text = text[:position] + piece + text[end:]
    return text


@settings(max_examples=150, deadline=None)
@given(damaged(VALID_MANIFEST))
def test_no_two_manifest_syntax_findings_share_a_start(text: str) -> None:
    from kaios_lsp.parse.json.tree import parse

    starts = [f.start for f in parse(text).findings if f.rule in JSON_SYNTAX_RULES]
    assert_one_per_token(starts, text)


@settings(max_examples=60, deadline=None)
@given(damaged(VALID_SCRIPT))
def test_no_two_script_syntax_findings_share_a_start(text: str) -> None:
    from kaios_lsp.app.files import DiskFiles
    from kaios_lsp.config import Config
    from kaios_lsp.rules.js.analyze import analyze_script

    config = Config(target="2.5")  # KAI409 needs a target engine
    found = analyze_script(text, None, None, config, DiskFiles())
    assert_one_per_token([f.start for f in found if f.rule in JS_SYNTAX_RULES], text)


def test_camera_in_a_certified_app_has_no_prompt_to_refuse(app: Path) -> None:
    script = "navigator.mediaDevices.getUserMedia({ video: true }).then(show);\n"
    script += "navigator.geolocation.getCurrentPosition(show);\n"
    for kind, expected in (("privileged", 2), ("certified", 1)):  # geolocation prompts for all
        (app / "manifest.webapp").write_text(json.dumps({"name": "Demo", "type": kind}))
        found = analyze_document(str(app / "app.js"), script).findings
        assert len([f for f in found if f.rule == "KAI406"]) == expected, kind


@pytest.mark.parametrize(
    ("member", "value"),
    [("locales", "x"), ("serviceworker", "sw.js"), ("activities", []), ("developer", "me")],
)
def test_untyped_b2g_features_members_do_not_inherit_install_fails(
    app: Path, member, value
) -> None:
    # capyloon/api-daemon services/apps/src/manifest.rs: these are Option<Value>, so the
    # apps service accepts any JSON; b2g_features' own "reads it as an object" is not theirs.
    manifest = {"name": "Demo", "start_url": "/index.html", "b2g_features": {member: value}}
    _, [finding] = findings_of(app, manifest, "manifest.webmanifest", {"KAI102"})
    assert "install fails" not in finding.message and finding.severity.label == "info"


def test_typed_b2g_features_members_still_fail_the_install(app: Path) -> None:
    manifest = {"name": "Demo", "start_url": "/index.html", "b2g_features": {"role": 3}}
    _, [finding] = findings_of(app, manifest, "manifest.webmanifest", {"KAI102"})
    assert "install fails" in finding.message and finding.severity.label == "error"


def test_hover_takes_prompts_from_the_certified_column() -> None:
    from kaios_lsp.facts.permissions import lookup
    from kaios_lsp.services.hover import permission_markdown

    camera = lookup("camera")
    assert camera is not None
    assert "granted silently" in permission_markdown(camera, "2.5", "certified")
    assert "prompts the user" in permission_markdown(camera, "2.5", "privileged")
