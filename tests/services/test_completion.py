"""Completion at many cursor positions, in valid and half-typed manifests.

Each case is the text with a ``|`` where the cursor is. Applying an item means what an
editor does: replace its range, apply the additional edits, expand a snippet to its
default text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kaios_lsp.app.files import DiskFiles
from kaios_lsp.app.manifest import load_manifest
from kaios_lsp.engine import analyze_document
from kaios_lsp.findings import TextEdit
from kaios_lsp.services.completion import Item, Request, complete
from kaios_lsp.services.fixes import apply_edits


def expand_snippet(text: str) -> str:
    text = re.sub(r"\$\{\d+\|([^,|]*)[^}]*\}", r"\1", text)  # choice: first option
    text = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", text)  # placeholder: its text
    text = re.sub(r"\$\d+", "", text)
    return text.replace("\\$", "$").replace("\\}", "}")


def run(
    app: Path, marked: str, name: str = "manifest.webapp", snippets: bool = False
) -> tuple[str, list[Item]]:
    offset = marked.index("|")
    text = marked.replace("|", "", 1)
    kind = "webapp" if name == "manifest.webapp" else "webmanifest"
    manifest = load_manifest(text, str(app / name), kind)
    return text, complete(Request(manifest, offset, DiskFiles(), snippets=snippets))


def apply(text: str, item: Item) -> str:
    insert = expand_snippet(item.insert) if item.snippet else item.insert
    return apply_edits(text, [TextEdit(item.start, item.end, insert), *item.additional])


def pick(items: list[Item], label: str) -> Item:
    return next(i for i in items if i.label == label)


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<!doctype html>")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "share.html").write_text("<!doctype html>")
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "56.png").write_bytes(b"\x89PNG")
    (tmp_path / "sw.js").write_text("")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.html").write_text("")
    return tmp_path


@pytest.mark.parametrize(
    ("marked", "label", "result"),
    [
        ("{|}", "type", {"type": "web"}),
        ('{\n  "name": "x",\n  |\n}', "type", {"name": "x", "type": "web"}),
        (
            '{\n  "name": "x"\n  |\n}',
            "cursor",
            {"name": "x", "cursor": False},
        ),  # adds the missing comma
        ('{\n  |\n  "name": "x"\n}', "version", {"version": "", "name": "x"}),  # and a trailing one
        ('{"name": "x", "type": |}', "privileged", {"name": "x", "type": "privileged"}),
        ('{"name": "x", "type": "pri|"}', "privileged", {"name": "x", "type": "privileged"}),
        ('{"name": "x", "type": "pri|vileged"}', "certified", {"name": "x", "type": "certified"}),
        (
            '{"name": "x", "orientation": ["portrait", |]}',
            "landscape",
            {"name": "x", "orientation": ["portrait", "landscape"]},
        ),
        ('{"name": "x", "cursor": |}', "true", {"name": "x", "cursor": True}),
        (
            '{"name": "x", "chrome": {"statusbar": "|"}}',
            "overlap",
            {"name": "x", "chrome": {"statusbar": "overlap"}},
        ),
        ('{"name": "x", "icons": {|}}', "56", {"name": "x", "icons": {"56": ""}}),
        (
            '{"name": "x", "locales": {"en-US": {|}}}',
            "subtitle",
            {"name": "x", "locales": {"en-US": {"subtitle": ""}}},
        ),
        (
            '{"name": "x", "default_locale": "|", "locales": {"fr-FR": {}}}',
            "fr-FR",
            {"name": "x", "default_locale": "fr-FR", "locales": {"fr-FR": {}}},
        ),
        (
            '{"name": "x", "launch_path": "|"}',
            "/index.html",
            {"name": "x", "launch_path": "/index.html"},
        ),
        (
            '{"name": "x", "activities": {"share": {"href": "/p|"}}}',
            "/pages/share.html",
            {"name": "x", "activities": {"share": {"href": "/pages/share.html"}}},
        ),
        ('{"name": "x", "activities": {|}}', "share", {"name": "x", "activities": {"share": {}}}),
        (
            '{"name": "x", "permissions": {"contacts": {"access": "|"}}}',
            "readonly",
            {"name": "x", "permissions": {"contacts": {"access": "readonly"}}},
        ),
    ],
)
def test_items_and_the_text_they_produce(
    app: Path, marked: str, label: str, result: object
) -> None:
    text, items = run(app, marked)
    assert label in [i.label for i in items]
    assert json.loads(apply(text, pick(items, label))) == result


def test_members_already_present_are_not_offered(app: Path) -> None:
    _, items = run(app, '{"name": "x", "type": "web", |}')
    labels = [i.label for i in items]
    assert "name" not in labels and "type" not in labels and "launch_path" in labels


def test_unfinished_key_with_the_closing_brace_missing(app: Path) -> None:
    text, items = run(app, '{\n  "name": "x",\n  "per|')
    item = pick(items, "permissions")
    assert (item.start, item.end) == (text.index('"per'), len(text))
    result = apply(text, item)
    assert result.endswith('"permissions": {}')
    assert json.loads(result + "\n}") == {"name": "x", "permissions": {}}


def test_renaming_a_key_keeps_its_value(app: Path) -> None:
    text, items = run(app, '{"name": "x", "orient|ation": "portrait"}')
    assert json.loads(apply(text, pick(items, "orientation"))) == {
        "name": "x",
        "orientation": "portrait",
    }


def test_after_a_complete_value_nothing_is_offered(app: Path) -> None:
    assert run(app, '{"name": "x", "type": "web"|}')[1] == []
    assert run(app, '{"name": "x"}|')[1] == []


def test_permission_names_granted_first_denied_last(app: Path) -> None:
    _text, items = run(app, '{"name": "x", "type": "privileged", "permissions": {|}}')
    by_label = {i.label: i for i in items}
    assert by_label["systemXHR"].detail == "granted silently" and by_label[
        "systemXHR"
    ].sort.startswith("0")
    assert by_label["geolocation"].detail == "prompts the user"
    assert by_label["settings"].deprecated and by_label["settings"].sort.startswith("9")
    assert "virtualcursor" not in by_label  # 3.x only
    ordered = sorted(items, key=lambda i: i.sort + i.label)
    assert ordered[0].sort.startswith("0") and ordered[-1].sort.startswith("9")
    _, web_items = run(app, '{"name": "x", "type": "web", "permissions": {|}}')
    assert {i.label: i for i in web_items}[
        "systemXHR"
    ].detail == "denied to this app type (needs privileged or certified)"


def test_choosing_a_permission_inserts_access_and_description(app: Path) -> None:
    text, items = run(app, '{"name": "x", "type": "privileged", "permissions": {|}}')
    for label in ("contacts", "device-storage:sdcard", "geolocation", "systemXHR"):
        result = apply(text, pick(items, label))
        findings = analyze_document(str(app / "manifest.webapp"), result).findings
        assert not [f for f in findings if f.rule in ("KAI203", "KAI205", "KAI001")], (
            label,
            result,
        )


def test_snippets_when_the_client_supports_them(app: Path) -> None:
    _, items = run(app, "{|}", snippets=True)
    item = pick(items, "type")
    assert item.snippet and item.insert == '"type": "${1|web,privileged,certified|}"'
    assert pick(items, "cursor").insert == '"cursor": ${1|true,false|}'
    _, plain = run(app, "{|}")
    assert not pick(plain, "type").snippet and pick(plain, "type").insert == '"type": "web"'


def test_kaios_3_members_values_and_paths(app: Path) -> None:
    _, items = run(app, '{"name": "x", "b2g_features": {|}}', "manifest.webmanifest")
    assert {"serviceworker", "permissions", "core", "activities"} <= {i.label for i in items}
    _, items = run(
        app, '{"name": "x", "b2g_features": {"serviceworker": {|}}}', "manifest.webmanifest"
    )
    assert {i.label for i in items} == {"script_url", "options"}
    _, items = run(app, '{"name": "x", "display": "|"}', "manifest.webmanifest")
    assert [i.label for i in items] == ["fullscreen", "standalone", "minimal-ui", "browser"]
    _, items = run(app, '{"name": "x", "icons": [{"src": "|"}]}', "manifest.webmanifest")
    assert [i.label for i in items] == ["/icons/56.png"]
    _text, items = run(
        app,
        '{"name": "x", "b2g_features": {"serviceworker": {"script_url": "|"}}}',
        "manifest.webmanifest",
    )
    assert [i.label for i in items] == ["sw.js"]
    _, items = run(
        app, '{"name": "x", "b2g_features": {"permissions": {|}}}', "manifest.webmanifest"
    )
    assert "virtualcursor" in {i.label for i in items} and "spatialnavigation-app-manage" not in {
        i.label for i in items
    }


def test_every_item_has_documentation_or_detail(app: Path) -> None:
    _, items = run(app, "{|}")
    assert all(i.detail for i in items)
    assert all(i.documentation.startswith("**") for i in items)


def test_activity_filter_keys_and_filter_members(app: Path) -> None:
    text, items = run(app, '{"name": "x", "activities": {"share": {"filters": {|}}}}')
    assert {"type", "url", "number"} <= {i.label for i in items}
    assert json.loads(apply(text, pick(items, "type"))) == {
        "name": "x",
        "activities": {"share": {"filters": {"type": ""}}},
    }
    _, items = run(app, '{"name": "x", "activities": {"share": {"filters": {"url": {|}}}}}')
    assert {i.label for i in items} == {
        "required",
        "value",
        "pattern",
        "patternFlags",
        "min",
        "max",
    }
