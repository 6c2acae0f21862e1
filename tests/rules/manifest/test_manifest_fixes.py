"""Manifest quick fixes: each one, applied, gives a manifest with no new error or warning
(re-analysed with the engine), and the safe ones are only the unambiguous ones."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from kaios_lsp.engine import analyze_document
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.services.fixes import apply_edits, same_file_edits
from tests.rules.manifest.test_manifest_rules import FULL_WEBAPP, FULL_WEBMANIFEST


@pytest.fixture
def app(tmp_path: Path) -> Path:
    for name in ("index.html", "share.html", "sw.js", "game.js", "widget.html", "cache.manifest"):
        (tmp_path / name).write_text("x")
    (tmp_path / "icons").mkdir()
    for size in (56, 112):
        (tmp_path / "icons" / f"{size}.png").write_bytes(b"\x89PNG")
    return tmp_path


def copy(value):
    return json.loads(json.dumps(value))


def analyse(app: Path, text: str, name: str) -> list[Finding]:
    return analyze_document(str(app / name), text).findings


def alarms(findings: list[Finding], level: Severity = Severity.WARNING) -> Counter:
    """Findings at ``level`` or above (errors and warnings by default), by rule and
    message (offsets move when a fix is applied)."""
    return Counter(
        (f.rule, f.message) for f in findings if f.severity is not None and f.severity <= level
    )


def apply(text: str, fix: Fix) -> str:
    edits = same_file_edits(fix)
    assert edits is not None, fix.title
    return apply_edits(text, edits)


def assert_fix_is_clean(
    app: Path, text: str, name: str, fix: Fix, level: Severity = Severity.WARNING
) -> str:
    """Apply ``fix`` and re-analyse: no error or warning (or finding at ``level``) that was
    not there before."""
    fixed = apply(text, fix)
    json.loads(fixed)
    new = alarms(analyse(app, fixed, name), level) - alarms(analyse(app, text, name), level)
    assert not new, (fix.title, list(new))
    return fixed


def finding(app: Path, manifest, rule: str, name: str = "manifest.webapp", where: str = ""):
    text = manifest if isinstance(manifest, str) else json.dumps(manifest, indent=2)
    found = [
        f
        for f in analyse(app, text, name)
        if f.rule == rule and where in text[f.start : f.end] + f.message
    ]
    assert found, [(f.rule, f.message) for f in analyse(app, text, name)]
    return text, found[0]


# -- 1. wrong types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, True), (0, False), ("true", True), ("yes", True), ("No", False), ("false", False)],
)
def test_wrong_type_boolean_fix_writes_a_boolean(app: Path, value, expected) -> None:
    text, found = finding(app, {**FULL_WEBAPP, "fullscreen": value, "cursor": value}, "KAI102")
    if isinstance(value, str) and value in ("true", "false"):
        # "true"/"false" are allowed for fullscreen (Firefox OS form): only cursor is wrong
        assert '"cursor"' in text[found.start - 12 : found.start]
    (fix,) = found.fixes
    assert fix.safe
    fixed = assert_fix_is_clean(app, text, "manifest.webapp", fix)
    assert expected in (json.loads(fixed)["fullscreen"], json.loads(fixed)["cursor"])


def test_fullscreen_one_becomes_true_not_the_string_one(app: Path) -> None:
    text, found = finding(app, {**FULL_WEBAPP, "fullscreen": 1}, "KAI102")
    (fix,) = found.fixes
    assert fix.safe and fix.title == "Change to true"
    assert json.loads(assert_fix_is_clean(app, text, "manifest.webapp", fix))["fullscreen"] is True


@pytest.mark.parametrize("value", [2, "maybe", 1.5])
def test_no_boolean_fix_when_the_meaning_is_unclear(app: Path, value) -> None:
    _, found = finding(app, {**FULL_WEBAPP, "cursor": value}, "KAI102")
    assert found.fixes == ()


def test_3_0_core_yes_becomes_true(app: Path) -> None:
    manifest = copy(FULL_WEBMANIFEST)
    manifest["b2g_features"]["core"] = "yes"
    text, found = finding(app, manifest, "KAI102", "manifest.webmanifest")
    (fix,) = found.fixes
    assert fix.safe
    fixed = assert_fix_is_clean(app, text, "manifest.webmanifest", fix)
    assert json.loads(fixed)["b2g_features"]["core"] is True


WRONG_VALUES = [1, 0, 2, "yes", "no", "true", "1", "12", True, False, 12, 1.5]


@pytest.mark.parametrize(
    ("name", "base", "inside"),
    [
        ("manifest.webapp", FULL_WEBAPP, None),
        ("manifest.webmanifest", FULL_WEBMANIFEST, None),
        ("manifest.webmanifest", FULL_WEBMANIFEST, "b2g_features"),
    ],
)
def test_every_wrong_type_fix_leaves_no_new_alarm(app: Path, name, base, inside) -> None:
    """Every member of the full manifests set to scalars of the wrong type: whatever
    KAI102 fix is offered must give a value no rule flags (a path turned into "1" is
    flagged as a missing file, an origin "1" as a bad origin: those are not offered)."""
    members = list((base[inside] if inside else base).keys())
    checked = 0
    for member in members:
        for value in WRONG_VALUES:
            manifest = copy(base)
            (manifest[inside] if inside else manifest)[member] = value
            text = json.dumps(manifest, indent=2)
            for found in analyse(app, text, name):
                if found.rule != "KAI102":
                    continue
                for fix in found.fixes:
                    assert_fix_is_clean(app, text, name, fix)
                    checked += 1
    assert checked > 10


# -- 2. missing members -------------------------------------------------------------------


def _missing_cases():
    for member in ("name", "version", "description", "icons", "developer"):
        yield "manifest.webapp", FULL_WEBAPP, (member,)
    for member in (
        "name",
        "id",
        "description",
        "lang",
        "start_url",
        "icons",
        "theme_color",
        "background_color",
        "orientation",
    ):
        yield "manifest.webmanifest", FULL_WEBMANIFEST, (member,)
    yield "manifest.webmanifest", FULL_WEBMANIFEST, ("b2g_features", "serviceworker", "script_url")


@pytest.mark.parametrize(("name", "base", "path"), list(_missing_cases()))
def test_every_add_missing_member_fix_leaves_no_new_alarm(app: Path, name, base, path) -> None:
    manifest = copy(base)
    holder = manifest
    for step in path[:-1]:
        holder = holder[step]
    del holder[path[-1]]
    text = json.dumps(manifest, indent=2)
    fixes = [
        fix
        for f in analyse(app, text, name)
        if f.rule in ("KAI104", "KAI105")
        for fix in f.fixes
        if fix.title.startswith(f"Add {json.dumps(path[-1])}")
    ]
    assert fixes, path
    for fix in fixes:
        # a placeholder to fill in must not be flagged above hint
        fixed = json.loads(assert_fix_is_clean(app, text, name, fix, Severity.INFO))
        added = fixed
        for step in path:
            added = added[step]
        if added in ("", {}, [], {"name": "", "url": ""}):
            assert "(fill in)" in fix.title and not fix.safe, fix.title


def test_add_orientation_and_id_write_meaningful_values(app: Path) -> None:
    manifest = copy(FULL_WEBMANIFEST)
    del manifest["orientation"], manifest["id"]
    text = json.dumps(manifest, indent=2)
    fixes = {
        fix.title.split(":")[0]: fix
        for f in analyse(app, text, "manifest.webmanifest")
        for fix in f.fixes
    }
    orientation = json.loads(apply(text, fixes['Add "orientation"']))["orientation"]
    assert orientation == "portrait-primary"
    # W3C: without an id, the app's identity is its start_url
    assert json.loads(apply(text, fixes['Add "id"']))["id"] == manifest["start_url"]


def test_add_id_without_start_url_is_a_fill_in(app: Path) -> None:
    text, found = finding(
        app, {"name": "Podcast Lite", "description": "d"}, "KAI105", "manifest.webmanifest", "id"
    )
    (fix,) = found.fixes
    assert fix.title == 'Add "id" (fill in)' and not fix.safe
    assert (
        json.loads(assert_fix_is_clean(app, text, "manifest.webmanifest", fix))["id"]
        == "podcast-lite"
    )


def test_add_name_never_inserts_an_empty_name(app: Path) -> None:
    text, found = finding(app, {"description": "x"}, "KAI104")
    (fix,) = found.fixes
    assert "(fill in)" in fix.title
    assert json.loads(assert_fix_is_clean(app, text, "manifest.webapp", fix))["name"]


def test_no_icons_fix_when_the_app_has_no_icon_files(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("x")
    manifest = {k: v for k, v in FULL_WEBAPP.items() if k != "icons"}
    _, found = finding(tmp_path, manifest, "KAI105", where="icons")
    assert found.fixes == ()


# -- 3. fixes for well-known wrong shapes ---------------------------------------------------


def test_developer_string_becomes_the_developer_object(app: Path) -> None:
    text, found = finding(app, {**FULL_WEBAPP, "developer": "Demo Studio"}, "KAI102")
    (fix,) = found.fixes
    assert fix.safe
    fixed = assert_fix_is_clean(app, text, "manifest.webapp", fix)
    assert json.loads(fixed)["developer"] == {"name": "Demo Studio", "url": ""}


def test_2_5_icons_list_is_keyed_by_the_sizes_in_the_names(app: Path) -> None:
    text, found = finding(
        app, {**FULL_WEBAPP, "icons": ["/icons/56.png", "/icons/112.png"]}, "KAI102"
    )
    (fix,) = found.fixes
    assert fix.safe
    fixed = assert_fix_is_clean(app, text, "manifest.webapp", fix)
    assert json.loads(fixed)["icons"] == {"56": "/icons/56.png", "112": "/icons/112.png"}


def test_2_5_icons_list_without_sizes_gets_no_fix(app: Path) -> None:
    _, found = finding(app, {**FULL_WEBAPP, "icons": ["/icons/logo.png"]}, "KAI102")
    assert found.fixes == ()


def test_locales_list_is_merged_into_one_object(app: Path) -> None:
    locales = [{"en-US": {"name": "Podcasts"}}, {"fr": {"name": "Balados"}}]
    text, found = finding(
        app, {**FULL_WEBAPP, "locales": locales, "default_locale": "en-US"}, "KAI102"
    )
    (fix,) = found.fixes
    fixed = assert_fix_is_clean(app, text, "manifest.webapp", fix)
    assert json.loads(fixed)["locales"] == {
        "en-US": {"name": "Podcasts"},
        "fr": {"name": "Balados"},
    }


@pytest.mark.parametrize(
    ("name", "base"), [("manifest.webapp", FULL_WEBAPP), ("manifest.webmanifest", FULL_WEBMANIFEST)]
)
def test_notification_permission_means_desktop_notification(app: Path, name, base) -> None:
    manifest = copy(base)
    holder = manifest if name == "manifest.webapp" else manifest["b2g_features"]
    holder["permissions"] = {"notification": {"description": "Tell when saved"}}
    text, found = finding(app, manifest, "KAI201", name)
    assert '"desktop-notification"' in found.message
    (fix,) = found.fixes
    assert fix.safe
    fixed = json.loads(assert_fix_is_clean(app, text, name, fix))
    holder = fixed if name == "manifest.webapp" else fixed["b2g_features"]
    assert list(holder["permissions"]) == ["desktop-notification"]


def test_orientation_inside_b2g_features_moves_to_the_top_level(app: Path) -> None:
    manifest = copy(FULL_WEBMANIFEST)
    del manifest["orientation"]
    manifest["b2g_features"]["orientation"] = "landscape"
    text, found = finding(app, manifest, "KAI101", "manifest.webmanifest", "orientation")
    assert "top level" in found.message
    (fix,) = found.fixes
    assert fix.safe
    fixed = json.loads(assert_fix_is_clean(app, text, "manifest.webmanifest", fix))
    assert fixed["orientation"] == "landscape" and "orientation" not in fixed["b2g_features"]


def test_csp_directive_with_a_colon(app: Path) -> None:
    text, found = finding(
        app, {**FULL_WEBAPP, "csp": "default-src *; img-src: 'self' data:"}, "KAI211"
    )
    (fix,) = found.fixes
    assert fix.safe
    fixed = assert_fix_is_clean(app, text, "manifest.webapp", fix)
    assert json.loads(fixed)["csp"] == "default-src *; img-src 'self' data:"
    assert not [f for f in analyse(app, fixed, "manifest.webapp") if f.rule == "KAI211"]


def test_no_colon_fix_when_the_directive_is_already_there(app: Path) -> None:
    _, found = finding(
        app, {**FULL_WEBAPP, "csp": "img-src: 'self'; img-src data:"}, "KAI211", where="img-src:"
    )
    assert found.fixes == ()


# -- 4. one problem, one "Remove" -----------------------------------------------------------


def test_denied_and_unused_permission_offers_one_removal(app: Path) -> None:
    (app / "app.js").write_text("navigator.mozAlarms.add(new Date(), 'honorTimezone');\n")
    manifest = {
        **FULL_WEBAPP,
        "permissions": {"telephony": {"description": "Call"}, "alarms": {"description": "Wake"}},
    }
    text = json.dumps(manifest, indent=2)
    findings = [
        f for f in analyse(app, text, "manifest.webapp") if text[f.start : f.end] == '"telephony"'
    ]
    assert {f.rule for f in findings} >= {"KAI202", "KAI405"}
    removals = [
        tuple(same_file_edits(fix) or ())
        for f in findings
        for fix in f.fixes
        if fix.title.startswith("Remove")
    ]
    assert len(removals) == len(set(removals)) == 1


# -- 5. 'none' blocks the app's own files ------------------------------------------------------


@pytest.mark.parametrize(
    ("csp", "kinds"),
    [
        ("script-src 'none'", ["scripts"]),
        ("style-src 'none'", ["stylesheets"]),
        ("default-src 'none'", ["scripts", "stylesheets"]),
        ("default-src 'none'; img-src 'self';", ["scripts", "stylesheets"]),
    ],
)
def test_csp_none_blocks_the_apps_own_files(app: Path, csp: str, kinds: list[str]) -> None:
    (app / "style.css").write_text("body { color: black; }")  # game.js and sw.js: scripts
    text = json.dumps({**FULL_WEBAPP, "csp": csp}, indent=2)
    found = [f for f in analyse(app, text, "manifest.webapp") if f.rule == "KAI212"]
    assert [k for k in kinds if any(f"own {k}" in f.message for f in found)] == kinds
    for f in found:
        assert text[f.start : f.end] == "'none'"
        (fix,) = f.fixes
        fixed = assert_fix_is_clean(app, text, "manifest.webapp", fix)
        still = [g for g in analyse(app, fixed, "manifest.webapp") if g.rule == "KAI212"]
        assert len(still) == len(found) - 1


def test_csp_hover_describes_the_manifest_policy_too(app: Path) -> None:
    from kaios_lsp.app.manifest import load_manifest
    from kaios_lsp.config import Config
    from kaios_lsp.services.hover import effective_csp_markdown

    text = json.dumps({**FULL_WEBAPP, "csp": "default-src 'none'"})
    hover = effective_csp_markdown(
        load_manifest(text, str(app / "manifest.webapp"), "webapp"), Config()
    )
    assert "Scripts: none load, not even the app's own files." in hover
    assert "Inline styles are blocked." in hover
    assert "Scripts: only the app's own files" not in hover


def test_csp_none_is_deliberate_in_an_app_without_styles(app: Path) -> None:
    text = json.dumps({**FULL_WEBAPP, "csp": "script-src 'self'; style-src 'none'"})
    assert not [f for f in analyse(app, text, "manifest.webapp") if f.rule == "KAI212"]


# -- 6. protocol-relative paths -------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "fixed_value"),
    [
        ("launch_path", "//cdn.example.com/index.html", "/index.html"),
        ("activities", {"share": {"href": "//cdn.example.com/share.html"}}, None),
        ("messages", [{"alarm": "//cdn.example.com/index.html"}], None),
        ("entry_points", {"p": {"launch_path": "//cdn.example.com/index.html"}}, None),
    ],
)
def test_protocol_relative_paths_fail_the_2_5_install(app: Path, where, value, fixed_value) -> None:
    """AppsUtils.jsm isAbsoluteURI("//host/x") is true, so checkManifest rejects it."""
    text, found = finding(app, {**FULL_WEBAPP, where: value}, "KAI111")
    assert found.severity == Severity.ERROR and "protocol-relative" in found.message
    assert text[found.start : found.end].startswith('"//cdn.example.com/')
    (fix,) = found.fixes
    assert not fix.safe
    fixed = json.loads(assert_fix_is_clean(app, text, "manifest.webapp", fix))
    if fixed_value is not None:
        assert fixed[where] == fixed_value


def test_protocol_relative_path_without_a_local_file_gets_no_fix(app: Path) -> None:
    _, found = finding(app, {**FULL_WEBAPP, "launch_path": "//cdn.example.com/app.html"}, "KAI111")
    assert found.fixes == ()


def test_protocol_relative_href_in_3_0_is_a_warning(app: Path) -> None:
    manifest = copy(FULL_WEBMANIFEST)
    manifest["b2g_features"]["activities"]["share"]["href"] = "//cdn.example.com/share.html"
    _, found = finding(app, manifest, "KAI111", "manifest.webmanifest")
    assert found.severity == Severity.WARNING and "not confirmed" in found.message


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("No", False)])
def test_fullscreen_yes_no_strings_become_booleans(app: Path, value, expected) -> None:
    text, found = finding(app, {**FULL_WEBAPP, "fullscreen": value}, "KAI103")
    assert "allowed: true, false" in found.message
    (fix,) = found.fixes
    assert fix.safe
    fixed = assert_fix_is_clean(app, text, "manifest.webapp", fix)
    assert json.loads(fixed)["fullscreen"] is expected


def test_protocol_relative_paths_checkmanifest_does_not_check_are_warnings(app: Path) -> None:
    """checkManifest checks an activity's href only in the one-object form and a locale's
    entry_points, not a locale's launch_path: those resolve to another app: host."""
    manifest = {
        **FULL_WEBAPP,
        "locales": {"fr": {"launch_path": "//cdn.example.com/index.html"}},
        "activities": {"share": [{"href": "//cdn.example.com/share.html"}]},
    }
    text = json.dumps(manifest, indent=2)
    found = [f for f in analyse(app, text, "manifest.webapp") if f.rule == "KAI111"]
    assert [f.severity for f in found] == [Severity.WARNING, Severity.WARNING]
    for f in found:
        assert_fix_is_clean(app, text, "manifest.webapp", f.fixes[0])


@pytest.mark.parametrize(
    ("name", "base", "path"),
    [
        ("manifest.webapp", FULL_WEBAPP, ("activities", "share", "returnValue")),
        ("manifest.webapp", FULL_WEBAPP, ("activities", "share", "disposition")),
        ("manifest.webapp", FULL_WEBAPP, ("developer", "name")),
        ("manifest.webapp", FULL_WEBAPP, ("developer", "url")),
        ("manifest.webapp", FULL_WEBAPP, ("chrome", "statusbar")),
        ("manifest.webapp", FULL_WEBAPP, ("locales", "en-US", "name")),
        ("manifest.webapp", FULL_WEBAPP, ("permissions", "device-storage:sdcard", "access")),
        ("manifest.webmanifest", FULL_WEBMANIFEST, ("b2g_features", "serviceworker", "script_url")),
        ("manifest.webmanifest", FULL_WEBMANIFEST, ("icons", 0, "sizes")),
        ("manifest.webmanifest", FULL_WEBMANIFEST, ("b2g_features", "chrome", "statusbar")),
    ],
)
def test_nested_wrong_type_fixes_leave_no_new_alarm(app: Path, name, base, path) -> None:
    for value in WRONG_VALUES:
        manifest = copy(base)
        holder = manifest
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = value
        text = json.dumps(manifest, indent=2)
        for found in analyse(app, text, name):
            if found.rule in ("KAI102", "KAI103"):
                for fix in found.fixes:
                    assert_fix_is_clean(app, text, name, fix)


def test_csp_hover_on_3_0_keeps_the_manifest_policy_apart(app: Path) -> None:
    """Whether KaiOS 3.0 applies a manifest csp is not confirmed: the summary of the
    default stands, and what the manifest csp would change is said separately."""
    from kaios_lsp.app.manifest import load_manifest
    from kaios_lsp.config import Config
    from kaios_lsp.services.hover import effective_csp_markdown

    text = json.dumps(
        {"name": "x", "b2g_features": {"type": "privileged", "csp": "script-src 'none'"}}
    )
    hover = effective_csp_markdown(
        load_manifest(text, str(app / "manifest.webmanifest"), "webmanifest"), Config()
    )
    before, after = hover.split("If KaiOS 3.0 applies the manifest csp (not confirmed):")
    assert "Scripts: only the app's own files" in before
    assert "Scripts: none load, not even the app's own files." in after
