"""Every permission of the reference table, for every KaiOS 2.5 type and 3.x column.

Expectations are computed here from the research table itself (../shared/reference),
independently of kaios_lsp's permission module, and compared with what the analysis
reports for a manifest that declares the permission correctly otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.settings import apply_settings
from tests.support.paths import ROOT

REFERENCE = ROOT.parent / "shared" / "reference"
SHIPPED = ROOT / "kaios_lsp" / "facts" / "data" / "permissions.json"

if REFERENCE.is_dir():
    TABLE = json.loads((REFERENCE / "permissions.json").read_text("utf-8"))
else:  # outside the workplace the shipped copy stands in (the sync test below is skipped)
    TABLE = None
ROWS = TABLE["permissions"] if TABLE else json.loads(SHIPPED.read_text("utf-8"))["permissions"]
IMPLICIT = {
    "2.5": {
        "indexedDB",
        "battery-status",
        "network-information",
        "vibration",
        "device-capabilities",
    },
    "3.0": {"vibration", "networkstats-perm", "lock-orientation", "push"},
}
ACCESS_VALUE = {"read": "readonly", "create": "createonly"}


def reference_versions(row: dict) -> tuple[bool, bool, str]:
    """(in the public 2.5 table, in a 3.x table, kind) read from the row's ``kaios`` list."""
    kaios = row.get("kaios")
    if kaios is None:  # the shipped (normalised) format
        return row["kaios25"] is not None, row["kaios30"] is not None, row["status"]
    text = " ".join(kaios)
    if not kaios:
        return False, False, "removed"
    if "policy" in text:
        return False, False, "store-policy"
    if "device builds" in text:
        return text.startswith("2.5"), text.startswith("3"), "device-build"
    if "later" in text:
        return False, True, "later-3x"
    return "2.5" in kaios, "3.0" in kaios, "public"


def reference_action(row: dict, version: str, column: str) -> str:
    if "kaios" not in row:
        return (row["kaios25"] if version == "2.5" else row["kaios30"])[column]
    if version == "2.5":
        return row[column]
    k30 = row.get("kaios30")
    if k30:
        return k30[column]
    return row[{"pwa": "web", "signed": "privileged", "core": "certified"}[column]]


def reference_access(row: dict, version: str) -> list[str] | None:
    if "kaios" not in row:
        return row["access25"] if version == "2.5" else row["access30"]
    if version == "3.0" and row.get("kaios30"):
        return row["kaios30"].get("access")
    return row.get("access")


def expected_rules(name: str, row: dict, version: str, column: str) -> set[str]:
    in25, in30, kind = reference_versions(row)
    exists = in25 if version == "2.5" else in30
    if name in IMPLICIT[version]:
        return {"KAI208"}
    if kind == "removed":
        return {"KAI201"}
    if kind == "store-policy":
        return {"KAI214"}
    if kind in ("device-build", "later-3x") and exists:
        return {"KAI213"}
    if not exists:
        return {"KAI215"}
    action = reference_action(row, version, column)
    if action == "deny":
        granted_somewhere = any(
            reference_action(row, version, c) in ("allow", "prompt")
            for c in (
                ("web", "privileged", "certified")
                if version == "2.5"
                else ("pwa", "signed", "core")
            )
        )
        return {"KAI207"} if row.get("substitute") and granted_somewhere else {"KAI202"}
    if action == "prompt":
        return {"KAI204"}
    return set()


def manifest_for(name: str, row: dict, version: str, column: str) -> tuple[str, str, Config]:
    entry: dict = {"description": f"Why the app needs {name}"}
    access = reference_access(row, version)
    if access:
        entry["access"] = "readwrite" if "write" in access else ACCESS_VALUE[access[0]]
    config = Config()
    if version == "2.5":
        return (
            "manifest.webapp",
            json.dumps({"name": "Demo", "type": column, "permissions": {name: entry}}),
            config,
        )
    features: dict = {"permissions": {name: entry}}
    if column == "core":
        features["core"] = True
    if column == "pwa":
        config = apply_settings(config, {"distribution": "hosted"}, "test")
    return "manifest.webmanifest", json.dumps({"name": "Demo", "b2g_features": features}), config


CASES = [
    (name, version, column)
    for name in ROWS
    for version, columns in (
        ("2.5", ("web", "privileged", "certified")),
        ("3.0", ("pwa", "signed", "core")),
    )
    for column in columns
]


@pytest.mark.parametrize(("name", "version", "column"), CASES, ids=lambda v: str(v))
def test_each_permission_for_each_app_type(
    name: str, version: str, column: str, tmp_path: Path
) -> None:
    row = ROWS[name]
    file, text, config = manifest_for(name, row, version, column)
    findings = analyze_document(str(tmp_path / file), text, config).findings
    got = {f.rule for f in findings if f.rule.startswith("KAI2")}
    assert got == expected_rules(name, row, version, column), [f.message for f in findings]


@pytest.mark.parametrize("version", ["2.5", "3.0"])
def test_access_is_required_exactly_where_the_table_says(version: str, tmp_path: Path) -> None:
    checked = 0
    for name, row in ROWS.items():
        in25, in30, kind = reference_versions(row)
        if (
            kind != "public"
            or not (in25 if version == "2.5" else in30)
            or name in IMPLICIT[version]
        ):
            continue
        column = "certified" if version == "2.5" else "core"
        file, text, config = manifest_for(name, row, version, column)
        value = json.loads(text)
        entries = value["permissions"] if version == "2.5" else value["b2g_features"]["permissions"]
        if reference_access(row, version):
            del entries[name]["access"]
        else:
            entries[name]["access"] = "readonly"
        findings = analyze_document(str(tmp_path / file), json.dumps(value), config).findings
        assert "KAI203" in {f.rule for f in findings}, name
        checked += 1
    assert checked > 60


def _build_data():
    """tools/build_data.py as a module (the script that builds the shipped tables)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_data
    finally:
        sys.path.pop(0)
    return build_data


@pytest.mark.skipif(
    TABLE is None, reason="../shared/reference (the research tables) is not beside this checkout"
)
def test_shipped_permission_data_is_built_from_the_reference() -> None:
    build_data = _build_data()
    assert build_data.build(REFERENCE) == json.loads(SHIPPED.read_text("utf-8"))


@pytest.mark.skipif(
    TABLE is None, reason="../shared/reference (the research tables) is not beside this checkout"
)
def test_shipped_js_api_map_is_built_from_the_reference() -> None:
    build_data = _build_data()
    shipped = json.loads(
        (ROOT / "kaios_lsp" / "facts" / "data" / "js_apis.json").read_text("utf-8")
    )
    assert build_data.build_js_apis(REFERENCE, build_data.build(REFERENCE)) == shipped
    # every permission the JS rules can ask for exists in the permission table
    table = json.loads(SHIPPED.read_text("utf-8"))["permissions"]
    for api in shipped["apis"]:
        for name in [*(api.get("permissions") or []), *(api.get("options") or {}).values()]:
            assert name in table, (api["id"], name)
