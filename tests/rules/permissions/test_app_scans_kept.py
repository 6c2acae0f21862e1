"""A manifest keystroke reuses what the app's scripts and pages said (KAI405's mentions,
KAI204's call sites, the app model) while they are unchanged; the findings are the same
as a fresh analysis's, before and after a script changes on disk or in the editor."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kaios_lsp.app import model
from kaios_lsp.app.files import DiskFiles, FileView, OverlayFiles, fingerprint
from kaios_lsp.app.manifest_context import DeferredScans
from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.findings import Finding, Severity
from kaios_lsp.rules.permissions import prompt_sites, unused_permissions

CONTACTS = "navigator.mozContacts.find({filterBy: ['name'], filterValue: 'a'});\n"
# ignores a refusal: KAI204 is a warning pointing here
NEARBY = "navigator.geolocation.getCurrentPosition(function (p) { show(p.coords); });\n"
NEARBY_HANDLED = (
    "navigator.geolocation.getCurrentPosition(function (p) { show(p.coords); },"
    " function (e) { alert(e.message); });\n"
)


def _forget_kept_results() -> None:
    model._models.clear()
    unused_permissions._mentioned.clear()
    prompt_sites._app_sites.clear()


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "contacts.js").write_text(CONTACTS, "utf-8")
    (tmp_path / "js" / "nearby.js").write_text(NEARBY, "utf-8")
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html>\n<script src="js/contacts.js" defer></script>\n'
        '<script src="js/nearby.js" defer></script>\n',
        "utf-8",
    )
    (tmp_path / "manifest.webapp").write_text(_manifest("Find friends"), "utf-8")
    _forget_kept_results()
    return tmp_path


def _manifest(description: str) -> str:
    return json.dumps(
        {
            "name": "Friends",
            "description": description,
            "type": "privileged",
            "launch_path": "/index.html",
            "developer": {"name": "Example"},
            "icons": {"56": "/icon.png"},
            "permissions": {
                "contacts": {"description": "Find friends", "access": "readonly"},
                "alarms": {"description": "Remind you"},
                "geolocation": {"description": "Friends nearby"},
            },
        },
        indent=2,
    )


def _analyse(app: Path, files: FileView, description: str) -> list[Finding]:
    path = str(app / "manifest.webapp")
    return analyze_document(path, _manifest(description), Config(), files).findings


def _kept_and_fresh(app: Path, files: FileView, description: str) -> list[Finding]:
    """The analysis with the kept results, checked against one without them."""
    kept = _analyse(app, files, description)
    _forget_kept_results()
    fresh = _analyse(app, files, description)
    assert kept == fresh
    return kept


def _unused(findings: list[Finding]) -> list[str]:
    return sorted(f.message.split('"')[1] for f in findings if f.rule == "KAI405")


def _prompt_severities(findings: list[Finding]) -> list[Severity | None]:
    return [f.severity for f in findings if f.rule == "KAI204"]


def test_keystrokes_reuse_the_scans_and_find_the_same(app: Path, monkeypatch):
    first = _kept_and_fresh(app, DiskFiles(), "Find friends")
    assert _unused(first) == ["alarms"]
    assert [len(f.related) for f in first if f.rule == "KAI204"] == [1]
    scans = []
    original = unused_permissions._mentioned_now
    monkeypatch.setattr(
        unused_permissions,
        "_mentioned_now",
        lambda *args: scans.append(args) or original(*args),
    )
    for typed in ("Find friendsx", "Find friends", "Find friendsxy"):
        assert _analyse(app, DiskFiles(), typed) == _kept_and_fresh(app, DiskFiles(), typed)
    before = len(scans)
    for typed in ("Find friends!", "Find friends!!"):
        _analyse(app, DiskFiles(), typed)
    assert len(scans) == before  # the scripts were not read again


def test_a_script_changed_on_disk_changes_the_findings(app: Path):
    files = DiskFiles()
    assert _unused(_kept_and_fresh(app, files, "a")) == ["alarms"]
    with open(app / "js" / "contacts.js", "a", encoding="utf-8") as handle:
        handle.write("navigator.mozAlarms.getAll();\n")
    assert _unused(_kept_and_fresh(app, files, "ab")) == []
    (app / "js" / "contacts.js").write_text("var nothing = 1;\n", "utf-8")
    assert _unused(_kept_and_fresh(app, files, "abc")) == ["alarms", "contacts"]


def test_a_script_edited_in_the_editor_changes_the_findings(app: Path):
    contacts = os.path.normpath(str(app / "js" / "contacts.js"))
    nearby = os.path.normpath(str(app / "js" / "nearby.js"))
    assert _unused(_kept_and_fresh(app, OverlayFiles({}), "a")) == ["alarms"]
    edited = OverlayFiles({contacts: CONTACTS + "navigator.mozAlarms.add(new Date());\n"})
    assert _unused(_kept_and_fresh(app, edited, "ab")) == []
    assert _prompt_severities(_analyse(app, edited, "abc")) == [Severity.WARNING]
    handled = OverlayFiles({contacts: CONTACTS, nearby: NEARBY_HANDLED})
    findings = _kept_and_fresh(app, handled, "abcd")
    assert _unused(findings) == ["alarms"]
    assert _prompt_severities(findings) == [Severity.HINT]
    # closed without saving: the disk's texts count again
    findings = _kept_and_fresh(app, OverlayFiles({}), "abcde")
    assert _prompt_severities(findings) == [Severity.WARNING]


def test_a_new_page_that_loads_nothing_changes_nothing_but_is_seen(app: Path):
    files = DiskFiles()
    _kept_and_fresh(app, files, "a")
    (app / "help.html").write_text("<p>navigator.mozAlarms</p>\n", "utf-8")
    assert _unused(_kept_and_fresh(app, files, "ab")) == []  # any mention counts


def test_scripts_left_to_another_process_are_asked_for_then_judged_as_if_parsed_here(
    app: Path,
) -> None:
    """The language server's manifest analysis leaves big scripts (here: any over 10
    characters) to its worker. That analysis names them and keeps nothing; once their
    call sites are given back, the findings are those of an analysis that parsed them."""
    path = str(app / "manifest.webapp")
    nearby = str(app / "js" / "nearby.js")
    files = DiskFiles()
    scans = DeferredScans(max_chars=10)
    partial = analyze_document(path, _manifest("Find"), Config(), files, scans=scans).findings
    assert scans.paths == [nearby]  # (contacts.js names no prompting API: nothing to parse)
    assert not any(r.path == nearby for f in partial for r in f.related)

    stamp = files.stamp(nearby)
    sites = prompt_sites.scan_script(nearby, NEARBY, Config())
    prompt_sites.keep_script_sites(nearby, Config(), stamp, fingerprint(NEARBY), sites)
    again = DeferredScans(max_chars=10)
    complete = analyze_document(path, _manifest("Find"), Config(), files, scans=again).findings
    assert again.paths == []
    assert any(r.path == nearby for f in complete for r in f.related)  # KAI204's call site
    _forget_kept_results()
    prompt_sites._script_sites.clear()
    assert complete == _analyse(app, files, "Find")  # parsed here, from scratch

    # opened in the editor as it is on disk (another stamp, the same text): found again
    prompt_sites._script_sites.clear()
    prompt_sites.keep_script_sites(nearby, Config(), stamp, fingerprint(NEARBY), sites)
    opened = OverlayFiles({os.path.normpath(nearby): NEARBY}, files)
    assert opened.stamp(nearby) != stamp
    after = DeferredScans(max_chars=10)
    assert analyze_document(path, _manifest("Find"), Config(), opened, scans=after).findings
    assert after.paths == []
