"""KAI404: APIs used without their permission, the manifest fix with access levels, on 2.5 and 3.0."""

from __future__ import annotations

import json

import pytest

from kaios_lsp.engine import analyze_document
from kaios_lsp.services.fixes import apply_edits
from tests.rules.js.support import PACKAGED30, WEB25, analyse, found

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
