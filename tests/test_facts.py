"""Platform facts the rules state, each checked against its source (cited per test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaios_lsp.analysis.engine import analyze_document


def findings_of(app: Path, manifest, name: str = "manifest.webapp", rules=None):
    text = manifest if isinstance(manifest, str) else json.dumps(manifest, indent=2)
    (app / name).write_text(text)
    result = analyze_document(str(app / name), text)
    return text, [f for f in result.findings if rules is None or f.rule in rules]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<!doctype html>")
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
