"""KAI405: a declared permission that no script of the app mentions."""

from __future__ import annotations

import json

from kaios_lsp.engine import analyze_document
from tests.rules.js.support import fix_text, write_app

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
