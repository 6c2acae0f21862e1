"""KAI204 links each prompting permission to the calls that show its dialog: a warning
with KAI406's fixes as cross-file edits when a call ignores a refusal, a hint when every
call handles it, the plain information when no call is found (KAI405 says more when the
permission is not used at all)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaios_lsp.engine import analyze_document
from kaios_lsp.findings import Severity
from kaios_lsp.rules.permissions import prompt_sites
from kaios_lsp.services.fixes import apply_edits

UNHANDLED = "function locate() {\n  navigator.geolocation.getCurrentPosition(function (p) { show(p); });\n}\n"
HANDLED = (
    "function locate() {\n"
    "  navigator.geolocation.getCurrentPosition(function (p) { show(p); }, function (e) { fail(e); });\n"
    "}\n"
)


def make_app(
    root: Path,
    permissions: dict,
    scripts: dict[str, str],
    *,
    app_type: str = "privileged",
    kind: str = "webapp",
    page_scripts: list[str] | None = None,
) -> Path:
    """An app whose index.html loads ``page_scripts`` (default: every script given)."""
    if kind == "webapp":
        manifest = {
            "name": "Demo",
            "launch_path": "/index.html",
            "type": app_type,
            "permissions": permissions,
        }
        path = root / "manifest.webapp"
    else:
        manifest = {
            "name": "Demo",
            "start_url": "https://stations.example.com/index.html"
            if app_type == "pwa"
            else "/index.html",
            "b2g_features": {"permissions": permissions},
        }
        if app_type == "core":
            manifest["b2g_features"]["core"] = True
        path = root / "manifest.webmanifest"
    path.write_text(json.dumps(manifest, indent=2))
    loaded = list(scripts) if page_scripts is None else page_scripts
    tags = "".join(f'<script src="{name}" defer></script>' for name in loaded)
    (root / "index.html").write_text(f"<!doctype html><html><head>{tags}</head></html>")
    for name, code in scripts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(code)
    return path


def findings_of(path: Path, rule: str | None = None):
    found = analyze_document(str(path), path.read_text()).findings
    return [f for f in found if rule is None or f.rule == rule]


def kai204(manifest: Path, name: str):
    text = manifest.read_text()
    found = [
        f for f in findings_of(manifest, "KAI204") if text[f.start : f.end] == json.dumps(name)
    ]
    assert len(found) <= 1
    return found[0] if found else None


def apply_fix(document: Path, fix) -> None:
    for change in fix.changes:
        target = Path(change.path) if change.path is not None else document
        assert not change.create
        target.write_text(apply_edits(target.read_text(), list(change.edits)))


def alarming(paths: list[Path]) -> list[tuple[str, str]]:
    return sorted(
        (p.name, f.rule)
        for p in paths
        for f in findings_of(p)
        if f.severity is not None and f.severity <= Severity.WARNING
    )


GEO = {"geolocation": {"description": "Show nearby stations"}}


def test_unhandled_call_makes_a_warning_whose_fix_edits_the_script(tmp_path):
    manifest = make_app(tmp_path, GEO, {"js/app.js": UNHANDLED})
    script = tmp_path / "js" / "app.js"
    finding = kai204(manifest, "geolocation")
    assert finding.severity == Severity.WARNING
    assert "getCurrentPosition() in js/app.js:2" in finding.message
    (related,) = finding.related
    assert related.path == str(script)
    assert UNHANDLED[related.start : related.end].startswith("navigator.geolocation.getCurrent")
    (fix,) = finding.fixes
    assert fix.title == "Add an error callback in js/app.js:2"
    (change,) = fix.changes
    assert change.path == str(script)
    # exactly the edit KAI406 offers at the call site
    (kai406,) = findings_of(script, "KAI406")
    assert change.edits == kai406.fixes[0].changes[0].edits
    # KAI406 links back to the permission in the manifest
    (back,) = kai406.related
    text = manifest.read_text()
    assert back.path == str(manifest) and text[back.start : back.end] == '"geolocation"'

    before = alarming([manifest, script])
    apply_fix(manifest, fix)
    assert "function (error)" in script.read_text()
    after = kai204(manifest, "geolocation")
    assert after.severity == Severity.HINT
    assert "handles a refusal" in after.message and not after.fixes
    assert findings_of(script, "KAI406") == []
    assert set(alarming([manifest, script])) <= set(before) - {
        ("manifest.webapp", "KAI204"),
        ("app.js", "KAI406"),
    }


def test_handled_call_is_a_hint_and_no_call_is_the_plain_information(tmp_path):
    (tmp_path / "a").mkdir()
    handled = make_app(tmp_path / "a", GEO, {"app.js": HANDLED})
    finding = kai204(handled, "geolocation")
    assert finding.severity == Severity.HINT and not finding.fixes
    assert [r.path for r in finding.related] == [str(tmp_path / "a" / "app.js")]

    (tmp_path / "b").mkdir()
    uncalled = make_app(tmp_path / "b", GEO, {"app.js": "console.log('hi');\n"})
    finding = kai204(uncalled, "geolocation")
    assert finding.severity == Severity.INFO  # the catalog's default: as before
    assert finding.related == () and finding.fixes == ()
    assert "Handle the refusal" in finding.message


def test_scripts_no_page_opens_do_not_count(tmp_path):
    manifest = make_app(
        tmp_path, GEO, {"app.js": "console.log(1);\n", "old.js": UNHANDLED}, page_scripts=["app.js"]
    )
    assert kai204(manifest, "geolocation").severity == Severity.INFO


def test_only_permissions_that_prompt_for_this_app_type(tmp_path):
    camera = "navigator.mediaDevices.getUserMedia({ video: true }).then(play);\n"
    permissions = {
        "camera": {"description": "Scan codes"},
        "video-capture": {"description": "Scan codes"},
    }
    (tmp_path / "certified").mkdir()
    certified = make_app(
        tmp_path / "certified", permissions, {"app.js": camera}, app_type="certified"
    )
    assert findings_of(certified, "KAI204") == []  # granted without a dialog
    assert findings_of(tmp_path / "certified" / "app.js", "KAI406") == []

    (tmp_path / "privileged").mkdir()
    privileged = make_app(tmp_path / "privileged", permissions, {"app.js": camera})
    assert kai204(privileged, "video-capture").severity == Severity.WARNING
    # nothing in the app opens the camera through mozCameras: camera is not linked
    assert kai204(privileged, "camera").severity == Severity.INFO
    (tmp_path / "privileged" / "app.js").write_text(
        camera + "navigator.mozCameras.getCamera('back').then(start);\n"
    )
    (fix,) = kai204(privileged, "camera").fixes
    apply_fix(privileged, fix)
    assert (
        ".then(start).catch(function (error) {" in (tmp_path / "privileged" / "app.js").read_text()
    )
    assert kai204(privileged, "camera").severity == Severity.HINT
    (tmp_path / "certified" / "app.js").write_text(
        "navigator.mozCameras.getCamera('back').then(start);\n"
    )
    assert findings_of(certified, "KAI204") == []
    assert findings_of(tmp_path / "certified" / "app.js", "KAI406") == []
    (fix,) = kai204(privileged, "video-capture").fixes
    assert fix.title == "Handle the refusal with .catch(...) in app.js:1"


def test_desktop_notification_defaults_to_allow_on_2_5(tmp_path):
    manifest = make_app(
        tmp_path,
        {"desktop-notification": {"description": "Remind you"}},
        {"app.js": "Notification.requestPermission();\nnew Notification('hi');\n"},
    )
    finding = kai204(manifest, "desktop-notification")
    assert finding.severity == Severity.INFO and "without a dialog" in finding.message


def test_get_user_media_links_only_what_it_asks_for(tmp_path):
    permissions = {
        "audio-capture": {"description": "Record"},
        "video-capture": {"description": "Film"},
    }
    manifest = make_app(
        tmp_path,
        permissions,
        {"app.js": "navigator.mediaDevices.getUserMedia({ audio: true }).then(record);\n"},
    )
    assert kai204(manifest, "audio-capture").severity == Severity.WARNING
    assert kai204(manifest, "video-capture").severity == Severity.INFO


def test_device_storage_request_without_onerror(tmp_path):
    code = (
        "var sd = navigator.getDeviceStorage('sdcard');\n"
        "var req = sd.get('a.mp3');\n"
        "req.onsuccess = function () { play(this.result); };\n"
    )
    permissions = {"device-storage:sdcard": {"description": "Play", "access": "readonly"}}
    manifest = make_app(tmp_path, permissions, {"app.js": code})
    finding = kai204(manifest, "device-storage:sdcard")
    assert finding.severity == Severity.WARNING
    (fix,) = finding.fixes
    apply_fix(manifest, fix)
    assert "req.onerror = function" in (tmp_path / "app.js").read_text()
    assert kai204(manifest, "device-storage:sdcard").severity == Severity.HINT


def test_several_call_sites_get_one_fix_each_and_one_for_all(tmp_path):
    other = "navigator.geolocation.watchPosition(track);\n"
    manifest = make_app(tmp_path, GEO, {"a.js": UNHANDLED, "b.js": other})
    finding = kai204(manifest, "geolocation")
    titles = [fix.title for fix in finding.fixes]
    assert titles == [
        "Add an error callback in a.js:2",
        "Add an error callback in b.js:1",
        "Handle the refusal at every call site",
    ]
    everything = finding.fixes[-1]
    assert sorted(Path(c.path).name for c in everything.changes) == ["a.js", "b.js"]
    apply_fix(manifest, everything)
    assert kai204(manifest, "geolocation").severity == Severity.HINT
    assert (
        findings_of(tmp_path / "a.js", "KAI406") == findings_of(tmp_path / "b.js", "KAI406") == []
    )


def test_kaios_3_packaged_app(tmp_path):
    manifest = make_app(tmp_path, GEO, {"app.js": UNHANDLED}, kind="webmanifest", app_type="signed")
    finding = kai204(manifest, "geolocation")
    assert finding.severity == Severity.WARNING and finding.fixes


def test_build_output_does_not_count_and_build_input_does(tmp_path):
    (tmp_path / "package.json").write_text(
        json.dumps(
            {"name": "demo", "scripts": {"build": "webpack"}, "devDependencies": {"webpack": "5"}}
        )
    )
    (tmp_path / "webpack.config.js").write_text(
        "module.exports = { entry: './src/index.js', output: { path: __dirname + '/dist' } };\n"
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.js").write_text(HANDLED)
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "bundle.js").write_text(UNHANDLED)
    public = tmp_path / "public"
    public.mkdir()
    manifest = public / "manifest.webapp"
    manifest.write_text(
        json.dumps(
            {"name": "Demo", "launch_path": "/index.html", "type": "privileged", "permissions": GEO}
        )
    )
    finding = kai204(manifest, "geolocation")
    assert finding is not None
    assert finding.severity == Severity.HINT, finding.message
    assert [Path(r.path).name for r in finding.related] == ["index.js"]


def test_each_script_is_parsed_once_per_version(tmp_path, monkeypatch):
    from kaios_lsp.parse.js import parse

    manifest = make_app(tmp_path, GEO, {"app.js": UNHANDLED, "other.js": "console.log(1);\n"})
    calls = []
    real = parse.parse_script

    def counting(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(parse, "parse_script", counting)
    prompt_sites._script_sites.clear()
    kai204(manifest, "geolocation")
    assert calls == [UNHANDLED]  # other.js names no prompting API: never parsed
    kai204(manifest, "geolocation")
    assert calls == [UNHANDLED]  # cached
    (tmp_path / "app.js").write_text(HANDLED)
    assert kai204(manifest, "geolocation").severity == Severity.HINT
    assert calls == [UNHANDLED, HANDLED]


@pytest.mark.parametrize("setting, expected", [("off", None), ("error", Severity.ERROR)])
def test_the_configuration_still_decides(tmp_path, setting, expected):
    from kaios_lsp.config import Config
    from kaios_lsp.settings import apply_settings

    manifest = make_app(tmp_path, GEO, {"app.js": UNHANDLED})
    config = apply_settings(Config(), {"rules": {"KAI204": setting}}, "test")
    found = [
        f
        for f in analyze_document(str(manifest), manifest.read_text(), config).findings
        if f.rule == "KAI204"
    ]
    assert [f.severity for f in found] == ([expected] if expected else [])


NOTIFY = {"desktop-notification": {"description": "Remind you"}}


@pytest.mark.parametrize(
    "code, fixed_part",
    [
        ("Notification.requestPermission();\n", ".then(function (permission) {"),
        (
            "Notification.requestPermission().then(function () {\n  new Notification('Hi');\n});\n",
            "function (permission) {\n  if (permission !== 'granted') { return; }",
        ),
        (
            "Notification.requestPermission(function () { new Notification('Hi'); });\n",
            "function (permission) { if (permission !== 'granted') { return; } new",
        ),
    ],
)
def test_ignored_notification_answer_in_a_hosted_3_0_app(tmp_path, code, fixed_part):
    manifest = make_app(tmp_path, NOTIFY, {"app.js": code}, kind="webmanifest", app_type="pwa")
    script = tmp_path / "app.js"
    (kai406,) = findings_of(script, "KAI406")
    assert '"denied"' in kai406.message
    finding = kai204(manifest, "desktop-notification")
    assert finding.severity == Severity.WARNING
    (fix,) = finding.fixes
    apply_fix(manifest, fix)
    assert fixed_part in script.read_text()
    assert findings_of(script, "KAI406") == []
    assert kai204(manifest, "desktop-notification").severity == Severity.HINT


@pytest.mark.parametrize(
    "code",
    [
        "Notification.requestPermission().then(function (p) { if (p === 'granted') notify(); });\n",
        "Notification.requestPermission();\nif (Notification.permission === 'granted') notify();\n",
        "var asked = Notification.requestPermission();\n",
    ],
)
def test_notification_answer_read(tmp_path, code):
    manifest = make_app(tmp_path, NOTIFY, {"app.js": code}, kind="webmanifest", app_type="pwa")
    assert findings_of(tmp_path / "app.js", "KAI406") == []
    assert kai204(manifest, "desktop-notification").severity == Severity.HINT


def test_notification_granted_without_dialog_is_not_judged_at_the_call(tmp_path):
    """2.5 (and 3.0 packaged) apps: desktop-notification defaults to allow, so there is no
    dialog to refuse; KAI204 says to check Notification.permission."""
    make_app(tmp_path, NOTIFY, {"app.js": "Notification.requestPermission();\n"})
    assert findings_of(tmp_path / "app.js", "KAI406") == []


def test_the_fix_safety_harness_accepts_every_fix(tmp_path):
    """tests/test_fix_safety.py's checks on a complete app with call sites of each kind."""
    from tests.test_fix_safety import check_every_fix

    manifest = {
        "name": "Stations",
        "version": "1.0.0",
        "description": "Nearby stations",
        "launch_path": "/index.html",
        "type": "privileged",
        "developer": {"name": "Demo", "url": "https://example.com"},
        "icons": {"56": "/icons/56.png", "112": "/icons/112.png"},
        "permissions": {
            "geolocation": {"description": "Show nearby stations"},
            "audio-capture": {"description": "Record a note"},
            "device-storage:sdcard": {"description": "Save notes", "access": "readwrite"},
        },
    }
    (tmp_path / "icons").mkdir()
    for size in (56, 112):
        (tmp_path / "icons" / f"{size}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    storage = (
        "var sd = navigator.getDeviceStorage('sdcard');\n"
        "var req = sd.get('a.mp3');\n"
        "req.onsuccess = function () { play(this.result); };\n"
    )
    media = "navigator.mediaDevices.getUserMedia({ audio: true }).then(record);\n"
    make_app(tmp_path, {}, {"js/app.js": UNHANDLED, "js/store.js": storage, "js/rec.js": media})
    (tmp_path / "manifest.webapp").write_text(json.dumps(manifest, indent=2))
    assert check_every_fix(tmp_path) == 6  # 3 KAI406 and, one per permission, 3 KAI204


def test_permission_hover_lists_the_calls(tmp_path):
    from kaios_lsp.app.files import DiskFiles
    from kaios_lsp.app.manifest import load_manifest
    from kaios_lsp.services.hover import manifest_hover

    path = make_app(tmp_path, GEO, {"js/app.js": UNHANDLED, "js/ok.js": HANDLED})
    text = path.read_text()
    manifest = load_manifest(text, str(path), "webapp")
    hover = manifest_hover(manifest, text.index('"geolocation"') + 2, None, DiskFiles())
    assert "**Calls that show this prompt**" in hover.markdown
    assert "`getCurrentPosition()` in js/app.js:2 — **ignores a refusal**" in hover.markdown
    assert "`getCurrentPosition()` in js/ok.js:2 — handles a refusal" in hover.markdown
    assert (
        "Calls that show" not in manifest_hover(manifest, text.index('"geolocation"') + 2).markdown
    )


def test_inline_scripts_count_where_they_run(tmp_path):
    page = (
        "<!doctype html><html><head>\n<script>\n"
        "navigator.geolocation.getCurrentPosition(function (p) { show(p); });\n"
        "</script></head></html>\n"
    )
    (tmp_path / "web").mkdir()
    web = make_app(tmp_path / "web", GEO, {}, app_type="web")
    (tmp_path / "web" / "index.html").write_text(page)
    finding = kai204(web, "geolocation")
    assert finding.severity == Severity.WARNING
    assert "getCurrentPosition() in index.html:3" in finding.message
    (related,) = finding.related
    assert page[related.start : related.end].startswith("navigator.geolocation")
    (fix,) = finding.fixes
    apply_fix(web, fix)
    fixed = (tmp_path / "web" / "index.html").read_text()
    assert "show(p); }, function (error) {" in fixed
    assert kai204(web, "geolocation").severity == Severity.HINT
    assert findings_of(tmp_path / "web" / "index.html", "KAI406") == []

    # the privileged default policy blocks inline scripts: that call never runs
    (tmp_path / "privileged").mkdir()
    privileged = make_app(tmp_path / "privileged", GEO, {})
    (tmp_path / "privileged" / "index.html").write_text(page)
    assert kai204(privileged, "geolocation").severity == Severity.INFO


def test_a_suppressed_kai406_counts_as_handled(tmp_path):
    code = (
        "// kaios-lsp-disable-next-line KAI406\n"
        "navigator.geolocation.getCurrentPosition(function (p) { show(p); });\n"
    )
    manifest = make_app(tmp_path, GEO, {"app.js": code})
    assert findings_of(tmp_path / "app.js", "KAI406") == []
    assert kai204(manifest, "geolocation").severity == Severity.HINT
