"""The JavaScript rules (KAI401-KAI409) and suppression comments (KAI010), on the pure
analysis: flagged and not-flagged cases per rule, guards in every documented form, aliases,
both front ends, exact positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.parse.text import Encoding, LineIndex
from kaios_lsp.services.fixes import apply_edits
from kaios_lsp.settings import apply_settings

PRIV25 = {"name": "Demo", "type": "privileged"}
WEB25 = {"name": "Demo", "type": "web"}
PACKAGED30 = {"name": "Demo", "start_url": "/index.html"}
HOSTED_HTTP30 = {"name": "Demo", "start_url": "http://news.example.com/index.html"}


def write_app(root: Path, manifest: dict) -> str:
    name = "manifest.webmanifest" if "start_url" in manifest else "manifest.webapp"
    for old in ("manifest.webmanifest", "manifest.webapp"):
        (root / old).unlink(missing_ok=True)
    (root / name).write_text(json.dumps(manifest, indent=2), "utf-8")
    return name


def analyse(root: Path, code: str, manifest: dict | None = PRIV25, name="app.js", settings=None):
    if manifest is not None:
        write_app(root, manifest)
    config = apply_settings(Config(), settings, "test") if settings else Config()
    path = root / name
    path.write_text(code, "utf-8")
    return analyze_document(str(path), code, config).findings


def found(findings, rule: str, code: str) -> list[str]:
    return [code[f.start : f.end] for f in findings if f.rule == rule]


def fix_text(code: str, finding, title: str | None = None) -> str:
    fix = next(f for f in finding.fixes if title is None or title in f.title)
    return apply_edits(code, [e for c in fix.changes if c.path is None for e in c.edits])


# -- KAI402 eval-blocked -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, flagged",
    [
        ("eval(text);", "eval(text)"),
        ("window.eval(text);", "window.eval(text)"),
        ("var f = new Function('a', 'return a');", "new Function('a', 'return a')"),
        ("var f = Function('return 1');", "Function('return 1')"),
        ('setTimeout("tick()", 10);', 'setTimeout("tick()", 10)'),
        ("setInterval(`tick(${n})`, 10);", "setInterval(`tick(${n})`, 10)"),
        ("setTimeout('go(' + n + ')', 5);", "setTimeout('go(' + n + ')', 5)"),
        ("self.setImmediate('x()');", "self.setImmediate('x()')"),
    ],
)
def test_eval_class_calls_are_blocked_in_privileged_apps(tmp_path, code, flagged):
    findings = analyse(tmp_path, code)
    assert found(findings, "KAI402", code) == [flagged]


@pytest.mark.parametrize(
    "code",
    [
        "setTimeout(tick, 10);",
        "setTimeout(function () { tick(); }, 10);",
        "var evaluate = 1; obj.eval('x');",
        "function eval2(x) { return x; } eval2('1');",
        "function setTimeout(code) {} setTimeout('x');",  # the file's own function
    ],
)
def test_functions_and_lookalikes_are_not_eval(tmp_path, code):
    assert found(analyse(tmp_path, code), "KAI402", code) == []


def test_eval_is_allowed_in_web_apps(tmp_path):
    assert found(analyse(tmp_path, "eval(x);", WEB25), "KAI402", "eval(x);") == []


def test_string_timer_fix_and_json_choice(tmp_path):
    code = 'setTimeout("tick()", 10);\nvar data = eval(text);\n'
    findings = [f for f in analyse(tmp_path, code) if f.rule == "KAI402"]
    assert fix_text(code, findings[0]).startswith("setTimeout(function () { tick(); }, 10);")
    (json_fix,) = findings[1].fixes
    assert not json_fix.safe  # a choice, never applied by --fix
    assert "JSON.parse(text)" in fix_text(code, findings[1])


def test_vendor_code_gets_the_csp_rule_only(tmp_path):
    code = "new Function('x'); navigator.mozContacts.getAll();"
    (tmp_path / "vendor").mkdir()
    findings = analyse(tmp_path, code, name="vendor/angular.js")
    assert [f.rule for f in findings] == ["KAI402"]
    minified = analyse(tmp_path, code, name="lib.min.js")
    assert [f.rule for f in minified] == ["KAI402"]
    checked = analyse(tmp_path, code, name="lib.min.js", settings={"checkVendorCode": True})
    assert sorted(f.rule for f in checked) == ["KAI402", "KAI404"]


# -- KAI403 insecure-context-api ---------------------------------------------------------------

GUARDED = [
    "if ('serviceWorker' in navigator) { navigator.serviceWorker.register('sw.js'); }",
    "if (navigator.serviceWorker) { navigator.serviceWorker.register('sw.js'); }",
    "if (window.isSecureContext) { navigator.serviceWorker.register('sw.js'); }",
    "if (typeof navigator.serviceWorker !== 'undefined') navigator.serviceWorker.register('sw.js');",
    "navigator.serviceWorker && navigator.serviceWorker.register('sw.js');",
    "navigator.serviceWorker?.register('sw.js');",
    "function go() { if (!('serviceWorker' in navigator)) return; navigator.serviceWorker.register('sw.js'); }",
    "try { navigator.serviceWorker.register('sw.js'); } catch (e) {}",
    "var ok = navigator.serviceWorker ? navigator.serviceWorker.register('sw.js') : null;",
    "if (!navigator.serviceWorker) { fallback(); } else { navigator.serviceWorker.register('sw.js'); }",
]


@pytest.mark.parametrize("code", GUARDED)
def test_guarded_secure_context_uses_are_quiet(tmp_path, code):
    assert found(analyse(tmp_path, code, HOSTED_HTTP30), "KAI403", code) == []


def test_unguarded_use_on_an_insecure_origin_is_a_warning_with_a_guard_fix(tmp_path):
    code = "function start() {\n  navigator.serviceWorker.register('sw.js');\n}\n"
    (finding,) = [f for f in analyse(tmp_path, code, HOSTED_HTTP30) if f.rule == "KAI403"]
    assert finding.severity.label == "warning"
    assert code[finding.start : finding.end] == "navigator.serviceWorker"
    fixed = fix_text(code, finding)
    assert fixed == (
        "function start() {\n  if ('serviceWorker' in navigator) {\n"
        "    navigator.serviceWorker.register('sw.js');\n  }\n}\n"
    )
    assert found(analyse(tmp_path, fixed, HOSTED_HTTP30), "KAI403", fixed) == []


def test_packaged_3_0_is_uncertain_so_information(tmp_path):
    code = "navigator.mediaDevices.getUserMedia({ video: true }).catch(report);"
    (finding,) = [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI403"]
    assert finding.severity.label == "info"
    settled = analyse(tmp_path, code, PACKAGED30, settings={"secureContext": "secure"})
    assert found(settled, "KAI403", code) == []


def test_apis_missing_from_kaios_2_5_are_flagged_even_in_secure_apps(tmp_path):
    code = "navigator.clipboard.writeText(s);\ncaches.open('v1');\n"
    findings = [f for f in analyse(tmp_path, code) if f.rule == "KAI403"]
    # clipboard does not exist in Gecko 48; caches works in app:// (a secure context)
    assert [code[f.start : f.end] for f in findings] == ["navigator.clipboard"]
    assert "isSecureContext does not exist on KaiOS 2.5" in findings[0].message


def test_is_secure_context_on_2_5_is_always_false(tmp_path):
    code = "if (window.isSecureContext) { start(); }"
    assert found(analyse(tmp_path, code), "KAI403", code) == ["window.isSecureContext"]
    assert found(analyse(tmp_path, code, PACKAGED30), "KAI403", code) == []


def test_rejecting_api_gets_a_catch_fix(tmp_path):
    code = "caches.open('v1').then(fill);\n"
    (finding,) = [f for f in analyse(tmp_path, code, HOSTED_HTTP30) if f.rule == "KAI403"]
    fixed = fix_text(code, finding)
    assert fixed.startswith("caches.open('v1').then(fill).catch(function (error) {")
    assert found(analyse(tmp_path, fixed, HOSTED_HTTP30), "KAI403", fixed) == []


def test_aliases_are_followed_and_shadowing_is_respected(tmp_path):
    code = "var nav = navigator;\nnav.storage.persist();\n"
    assert found(analyse(tmp_path, code), "KAI403", code) == ["nav.storage"]
    shadow = "function f(navigator) { navigator.storage.persist(); }"
    assert found(analyse(tmp_path, shadow), "KAI403", shadow) == []
    reassigned = "var nav = navigator; nav = other; nav.storage.persist();"
    assert found(analyse(tmp_path, reassigned), "KAI403", reassigned) == []


def test_template_literal_lines_are_not_reindented_by_the_guard_fix(tmp_path):
    code = "navigator.clipboard.writeText(`line one\nline two`);\n"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI403"]
    fixed = fix_text(code, finding)
    assert "`line one\nline two`" in fixed  # the string's content is unchanged


# -- KAI404 missing-permission ----------------------------------------------------------------


@pytest.mark.parametrize(
    "code, permission",
    [
        ("var c = navigator.mozContacts.getAll();", "contacts"),
        ("var s = navigator.getDeviceStorage('sdcard');", "device-storage:sdcard"),
        ("var x = new XMLHttpRequest({ mozSystem: true });", "systemXHR"),
        ("navigator.mozAlarms.add(new Date(), 'ignoreTimezone');", "alarms"),
        ("var s = navigator.mozTCPSocket.open('h', 1);", "tcp-socket"),
        ("navigator.mozSetMessageHandler && window.navigator.mozAlarms.getAll();", "alarms"),
    ],
)
def test_api_without_its_permission_is_flagged_with_a_manifest_fix(tmp_path, code, permission):
    findings = [f for f in analyse(tmp_path, code) if f.rule == "KAI404"]
    assert len(findings) == 1 and f'"{permission}"' in findings[0].message
    fix = findings[0].fixes[0]
    (change,) = fix.changes
    manifest = tmp_path / "manifest.webapp"
    assert change.path == str(manifest)
    fixed = apply_edits(manifest.read_text(), change.edits)
    value = json.loads(fixed)
    assert permission in value["permissions"]
    assert value["permissions"][permission]["description"]
    manifest.write_text(fixed)
    assert [
        f for f in analyze_document(str(tmp_path / "app.js"), code).findings if f.rule == "KAI404"
    ] == []


def test_access_levels_are_offered_as_choices(tmp_path):
    code = "navigator.mozContacts.find({});"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI404"]
    titles = [f.title for f in finding.fixes]
    # the manifest's access values, not the table's read/write/create (which the installer
    # rejects: the permission would never be granted)
    levels = ["readonly", "readwrite", "readcreate", "createonly"]
    assert titles == [f'Add "contacts" ({level}) to the manifest' for level in levels]
    assert not any(f.safe for f in finding.fixes)
    manifest = tmp_path / "manifest.webapp"
    original = manifest.read_text()
    for fix in finding.fixes:
        (change,) = fix.changes
        text = apply_edits(original, list(change.edits))
        found = analyze_document(str(manifest), text).findings
        assert not [f for f in found if f.rule in ("KAI001", "KAI203")], fix.title


@pytest.mark.parametrize(
    "code",
    [
        "var a = new MozActivity({ name: 'pick' });",  # activities need no permission
        "var x = new XMLHttpRequest();",
        "var x = new XMLHttpRequest({ mozSystem: false });",
        "var s = navigator.getDeviceStorage(kind);",  # unknown storage: cannot tell
        "if (navigator.mozAlarms) { }",  # a feature test is not a use
    ],
)
def test_no_permission_needed_or_cannot_tell(tmp_path, code):
    assert found(analyse(tmp_path, code), "KAI404", code) == []


def test_3_0_uses_b2g_features_and_creates_it(tmp_path):
    code = "navigator.b2g.alarmManager.getAll();"
    (finding,) = [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI404"]
    (change,) = finding.fixes[0].changes
    manifest = tmp_path / "manifest.webmanifest"
    value = json.loads(apply_edits(manifest.read_text(), change.edits))
    assert "alarms" in value["b2g_features"]["permissions"]


def test_uses_of_one_api_are_grouped(tmp_path):
    code = "navigator.mozAlarms.add(a);\nnavigator.mozAlarms.getAll();\nnavigator.mozAlarms.remove(1);\n"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI404"]
    assert "(2 more uses in this file.)" in finding.message and len(finding.related) == 2


def test_app_type_that_cannot_get_it_has_no_add_fix(tmp_path):
    code = "var s = navigator.mozTCPSocket.open('h', 1);"
    (finding,) = [f for f in analyse(tmp_path, code, WEB25) if f.rule == "KAI404"]
    assert finding.fixes == () and "cannot get it at all" in finding.message


# -- KAI405 unused-permission -----------------------------------------------------------------


def test_declared_permission_no_script_mentions_is_a_hint(tmp_path):
    manifest = {
        "name": "Demo",
        "type": "privileged",
        "permissions": {
            "alarms": {"description": "Wake up"},
            "contacts": {"description": "Friends", "access": "readonly"},
            "audio-channel-content": {"description": "Play"},
        },
    }
    write_app(tmp_path, manifest)
    (tmp_path / "app.js").write_text("navigator.mozAlarms.getAll();")
    path = tmp_path / "manifest.webapp"
    text = path.read_text()
    findings = [f for f in analyze_document(str(path), text).findings if f.rule == "KAI405"]
    # contacts is unused; alarms is used; audio-channel-content has no API we know: not judged
    assert [text[f.start : f.end] for f in findings] == ['"contacts"']
    assert findings[0].severity.label == "hint" and findings[0].unnecessary
    fixed = fix_text(text, findings[0])
    assert "contacts" not in json.loads(fixed)["permissions"]
    (tmp_path / "page.html").write_text("<script>navigator.mozContacts.find({})</script>")
    again = analyze_document(str(path), text).findings
    assert [f for f in again if f.rule == "KAI405"] == []


# -- KAI406 unhandled-refusal -----------------------------------------------------------------


@pytest.mark.parametrize(
    "code, flagged",
    [
        (
            "navigator.geolocation.getCurrentPosition(show);",
            "navigator.geolocation.getCurrentPosition(show)",
        ),
        (
            "var id = navigator.geolocation.watchPosition(show, null);",
            "navigator.geolocation.watchPosition(show, null)",
        ),
        (
            "navigator.mediaDevices.getUserMedia({ video: true }).then(play);",
            "navigator.mediaDevices.getUserMedia({ video: true })",
        ),
        (
            "async function f() { var s = await navigator.mediaDevices.getUserMedia({ audio: true }); }",
            "navigator.mediaDevices.getUserMedia({ audio: true })",
        ),
        (
            "navigator.mozGetUserMedia({ audio: true }, play);",
            "navigator.mozGetUserMedia({ audio: true }, play)",
        ),
    ],
)
def test_prompting_apis_without_refusal_handling(tmp_path, code, flagged):
    findings = analyse(tmp_path, code, PACKAGED30, settings={"secureContext": "secure"})
    assert found(findings, "KAI406", code) == [flagged]


@pytest.mark.parametrize(
    "code",
    [
        "navigator.geolocation.getCurrentPosition(show, fail);",
        "navigator.mediaDevices.getUserMedia({ video: true }).then(play).catch(fail);",
        "navigator.mediaDevices.getUserMedia({ video: true }).then(play, fail);",
        "async function f() { try { await navigator.mediaDevices.getUserMedia({ audio: true }); } catch (e) {} }",
        "function f() { return navigator.mediaDevices.getUserMedia({ audio: true }); }",  # caller handles
        "var p = navigator.mediaDevices.getUserMedia({ audio: true });",
    ],
)
def test_refusal_handled_or_not_ours_to_judge(tmp_path, code):
    findings = analyse(tmp_path, code, PACKAGED30, settings={"secureContext": "secure"})
    assert found(findings, "KAI406", code) == []


def test_error_callback_fix(tmp_path):
    code = "navigator.geolocation.getCurrentPosition(show);"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI406"]
    fixed = fix_text(code, finding)
    assert fixed.startswith("navigator.geolocation.getCurrentPosition(show, function (error) {")
    assert found(analyse(tmp_path, fixed), "KAI406", fixed) == []


def test_device_storage_request_without_onerror(tmp_path):
    code = (
        "var sd = navigator.getDeviceStorage('sdcard');\n"
        "var req = sd.get('a.mp3');\n"
        "req.onsuccess = function () { play(this.result); };\n"
    )
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI406"]
    fixed = fix_text(code, finding)
    assert "req.onerror = function" in fixed
    assert found(analyse(tmp_path, fixed), "KAI406", fixed) == []


# -- KAI407 local-cookie, KAI408 cleartext-url ------------------------------------------------


def test_cookie_in_3_0_packaged_app_only(tmp_path):
    code = "document.cookie = 'a=1';"
    (finding,) = [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI407"]
    assert finding.severity.label == "info"
    assert found(analyse(tmp_path, code, PRIV25), "KAI407", code) == []


@pytest.mark.parametrize(
    "code, flagged, fixed",
    [
        (
            "fetch('http://api.example.com/a');",
            "http://api.example.com/a",
            "fetch('https://api.example.com/a');",
        ),
        (
            "xhr.open('GET', 'http://x.example.com/' + id);",
            "http://x.example.com/",
            "xhr.open('GET', 'https://x.example.com/' + id);",
        ),
        (
            "var ws = new WebSocket(`ws://chat.example.com/${room}`);",
            "ws://chat.example.com/${room}",
            "var ws = new WebSocket(`wss://chat.example.com/${room}`);",
        ),
        (
            "importScripts('lib.js', 'http://cdn.example.com/x.js');",
            "http://cdn.example.com/x.js",
            "importScripts('lib.js', 'https://cdn.example.com/x.js');",
        ),
    ],
)
def test_cleartext_urls(tmp_path, code, flagged, fixed):
    findings = analyse(tmp_path, code)
    (finding,) = [f for f in findings if f.rule == "KAI408"]
    assert code[finding.start : finding.end] == flagged
    assert fix_text(code, finding) == fixed


@pytest.mark.parametrize(
    "code",
    [
        "fetch('https://api.example.com/a');",
        "fetch('http://127.0.0.1:8081/ads');",
        "fetch('http://localhost/x');",
        "fetch('http://myapp.localhost/data.json');",
        "window.open('http://example.com');",  # a navigation, not a request from the app
        "fetch(base + '/a');",
    ],
)
def test_not_cleartext_requests(tmp_path, code):
    assert found(analyse(tmp_path, code), "KAI408", code) == []


# -- KAI409 unsupported-syntax and KAI401 syntax errors -----------------------------------------


def test_modern_syntax_on_2_5_is_an_error_with_the_feature_name(tmp_path):
    code = "const name = user?.profile?.name ?? 'guest';\n"
    findings = [f for f in analyse(tmp_path, code) if f.rule == "KAI409"]
    assert [code[f.start : f.end] for f in findings] == ["?.", "?.", "??"]
    assert "Optional chaining" in findings[0].message and "Gecko 48" in findings[0].message
    assert [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI409"] == []


def test_3_0_still_rejects_newer_syntax(tmp_path):
    code = "class A { #secret = 1; static { init(); } }\n"
    findings = [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI409"]
    assert {f.message.split(":")[0] for f in findings} == {
        "Private class fields (#x)",
        "Class static initialization blocks",
    }


@pytest.mark.parametrize(
    "code, fixed",
    [
        ("var n = 1_000_000;", "var n = 1000000;"),
        ("f(a, b,);", "f(a, b);"),
        ("try { x(); } catch { y(); }", "try { x(); } catch (error) { y(); }"),
        ("for (const item of list) { use(item); }", "for (let item of list) { use(item); }"),
    ],
)
def test_mechanical_syntax_fixes(tmp_path, code, fixed):
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI409"]
    assert fix_text(code, finding) == fixed
    assert [f for f in analyse(tmp_path, fixed) if f.rule in ("KAI409", "KAI401")] == []


def test_syntax_error_is_reported_once_and_other_rules_still_run(tmp_path):
    code = "eval(x);\nfunction broken( {\n"
    findings = analyse(tmp_path, code)
    assert [f.rule for f in findings if f.rule == "KAI401"] == ["KAI401"]
    assert found(findings, "KAI402", code) == ["eval(x)"]


def test_positions_are_utf16_with_emoji_and_cjk(tmp_path):
    code = "var label = '📷 相机'; eval(label);\n"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI402"]
    index = LineIndex(code)
    assert index.position(finding.start, Encoding.UTF16) == (0, 21)  # the emoji counts 2
    assert index.position(finding.start, Encoding.UTF32) == (0, 20)
    assert index.position(finding.start, Encoding.UTF8) == (0, 27)


# -- KAI010 and suppression comments ----------------------------------------------------------


def test_suppression_comments_in_every_form(tmp_path):
    code = (
        "// kaios-lsp-disable-next-line KAI402\n"
        "eval(a);\n"
        "eval(b); // kaios-lsp-disable-line eval-blocked\n"
        "/* kaios-lsp-disable KAI402 */\n"
        "eval(c);\n"
        "/* kaios-lsp-enable KAI402 */\n"
        "eval(d);\n"
    )
    findings = analyse(tmp_path, code)
    assert found(findings, "KAI402", code) == ["eval(d)"]
    assert found(findings, "KAI010", code) == []


def test_unused_suppression_is_a_hint_with_a_removal_fix(tmp_path):
    code = "var a = 1;\n// kaios-lsp-disable-next-line KAI402\nvar b = 2;\n"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI010"]
    assert finding.severity.label == "hint" and finding.unnecessary
    assert fix_text(code, finding) == "var a = 1;\nvar b = 2;\n"
    unknown = "// kaios-lsp-disable-next-line KAI999\neval(x);\n"
    findings = analyse(tmp_path, unknown)
    assert "unknown rule KAI999" in next(f for f in findings if f.rule == "KAI010").message


def test_html_suppression_and_inline_script_positions(tmp_path):
    write_app(tmp_path, PRIV25)
    page = (
        "<!doctype html>\n<p>相机 📷</p>\n"
        "<!-- kaios-lsp-disable-next-line KAI301 -->\n"
        "<script>\n  var v = '📷'; setTimeout('go()', 5);\n</script>\n"
    )
    path = tmp_path / "index.html"
    path.write_text(page)
    findings = analyze_document(str(path), page).findings
    assert [f.rule for f in findings] == ["KAI402"]  # KAI301 suppressed, the timer is not
    (timer,) = findings
    assert page[timer.start : timer.end] == "setTimeout('go()', 5)"
    assert LineIndex(page).position(timer.start, Encoding.UTF16) == (4, 16)


# -- bad input: a clear diagnostic or silence, never a crash ----------------------------------


def test_binary_and_deeply_nested_scripts(tmp_path):
    write_app(tmp_path, PRIV25)
    deep = "x = " + "(" * 3000 + "1" + ")" * 3000 + ";\neval(x);\n"
    findings = analyse(tmp_path, deep)
    assert found(findings, "KAI402", deep) == ["eval(x)"]
    nested = "var a = " + "[" * 5000 + "]" * 5000 + ";"
    analyse(tmp_path, nested)  # esprima's recursion limit: tree-sitter reads it
    from kaios_lsp.engine import decode

    _text, problems, analysable = decode(b"\x00\x01binary\x00" * 100)
    assert not analysable and problems[0].rule == "KAI008"


@pytest.mark.parametrize(
    "code",
    [
        "navigator.",
        "navigator.geolocation.getCurrentPosition(",
        "setTimeout('",
        "new XMLHttpRequest({ mozSystem: ",
        "`${",
        "/* kaios-lsp-disable",
        "class { #",
        "\ufeffeval(x)",
        "if (",
        "\u2028eval(x)\u2029",
    ],
)
def test_half_typed_code_keeps_ranges_inside_the_text(tmp_path, code):
    for finding in analyse(tmp_path, code):
        assert 0 <= finding.start <= finding.end <= len(code)
        for fix in finding.fixes:
            for change in fix.changes:
                if change.path is None:
                    apply_edits(code, list(change.edits))  # raises if out of range


def test_the_syntax_prefilters_stay_fast_on_hostile_text():
    import time

    from kaios_lsp.rules.js.features import _needless_captures

    hostile = [
        "f(a, " + "// a " * 20000 + "\n)",  # comment runs after a comma
        "/******/" * 50000,  # webpack's banner lines
        "x = '" + "0123456789abcdef" * 60000 + "';",  # a long hex blob
    ]
    start = time.perf_counter()
    for text in hostile:
        _needless_captures(text)
    assert time.perf_counter() - start < 1.0
    assert _needless_captures("f(a, /* x */)") == frozenset({"number"})
    assert _needless_captures("var big = 10n;") == frozenset({"arguments", "parameters"})
