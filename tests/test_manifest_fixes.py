"""Manifest quick fixes: each one, applied, gives a manifest with no new error or warning
(re-analysed with the engine), and the safe ones are only the unambiguous ones."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from kaios_lsp.analysis.engine import analyze_document
from kaios_lsp.analysis.findings import Finding, Fix, Severity
from kaios_lsp.analysis.fixes import apply_edits, same_file_edits
from tests.test_manifest_rules import FULL_WEBAPP, FULL_WEBMANIFEST


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


def alarms(findings: list[Finding]) -> Counter:
    """Errors and warnings, by rule and message (offsets move when a fix is applied)."""
    return Counter(
        (f.rule, f.message)
        for f in findings
        if f.severity is not None and f.severity <= Severity.WARNING
    )


def apply(text: str, fix: Fix) -> str:
    edits = same_file_edits(fix)
    assert edits is not None, fix.title
    return apply_edits(text, edits)


def assert_fix_is_clean(app: Path, text: str, name: str, fix: Fix) -> str:
    """Apply ``fix`` and re-analyse: no error or warning that was not there before."""
    fixed = apply(text, fix)
    json.loads(fixed)
    new = alarms(analyse(app, fixed, name)) - alarms(analyse(app, text, name))
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
        fixed = json.loads(assert_fix_is_clean(app, text, name, fix))
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
