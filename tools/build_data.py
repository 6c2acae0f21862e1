"""Build kaios_lsp/data/permissions.json from the research tables.

Input: ``../shared/reference/permissions.json`` and ``api-permissions.json`` (KaiOS 2.5
and 3.x permission tables read from Gecko sources, with notes and sources). Output: one
normalised table the analysis reads, with the sources kept. Run it after the research
tables change::

    python tools/build_data.py [REFERENCE_DIR]

``tests/test_permission_data.py`` checks that the shipped file is what this script makes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"
OUTPUT = ROOT / "kaios_lsp" / "data" / "permissions.json"

# Permissions KaiOS 3.x removed, and what replaces them (kaios-facts.md section 1.2, from
# kaios.dev's permission list checked against the gecko-b2g table).
REPLACED_IN_3 = {
    "spatialnavigation-app-manage": "virtualcursor",
    "time": "system-time",
    "deviceconfig": "device-configuration",
    "kaios-accounts": "account-observer-kaiaccount",
    "kaios-accounts:service": "account-observer-kaiaccount",
    "engineering-mode": "engmode",
}
NOT_NEEDED_IN_3 = {
    "serviceworker": "service workers need no permission in KaiOS 3.0",
    "push": "push is granted to every installed app in KaiOS 3.x",
}


def _status(kaios: list[str]) -> tuple[str, bool, bool]:
    """(status, exists in 2.5, exists in 3.x) from the table's ``kaios`` list."""
    joined = " ".join(kaios)
    if not kaios:
        return "removed", False, False
    if "device builds" in joined:
        return "device-build", joined.startswith("2.5"), joined.startswith("3")
    if "policy" in joined:
        return "store-policy", False, False
    if "later" in joined:
        return "later-3x", False, True
    return "public", "2.5" in kaios, "3.0" in kaios


def _apis_by_permission(apis: dict, names: set[str]) -> dict[str, list[str]]:
    """API expressions each permission unlocks, parsed from the free-text ``permission``."""
    out: dict[str, list[str]] = {}
    device_storage = sorted(n for n in names if n.startswith("device-storage:"))
    audio_channels = sorted(n for n in names if n.startswith("audio-channel-"))
    for expression, entry in apis.items():
        text = entry.get("permission") or ""
        found = {n for n in names if re.search(rf"(?<![\w:-]){re.escape(n)}(?![\w:-])", text)}
        if "device-storage:<type>" in text:
            found.update(device_storage)
        if "audio-channel-<name>" in text:
            found.update(audio_channels)
        for name in found:
            out.setdefault(name, []).append(expression)
    return {name: sorted(set(exprs)) for name, exprs in out.items()}


def build(reference: Path) -> dict:
    table = json.loads((reference / "permissions.json").read_text("utf-8"))
    apis = json.loads((reference / "api-permissions.json").read_text("utf-8"))
    rows = table["permissions"]
    unlocks = _apis_by_permission(apis, set(rows))
    permissions = {}
    for name, row in rows.items():
        status, in25, in30 = _status(row.get("kaios") or [])
        k30 = row.get("kaios30")
        if in30 and not in25 and not k30:
            # 3.x-only rows keep their pwa/signed/core values in the 2.5 columns.
            k30 = {
                "pwa": row["web"],
                "signed": row["privileged"],
                "core": row["certified"],
                "access": row.get("access"),
            }

        entry = {
            "status": status,
            "kaios25": {t: row[t] for t in ("web", "privileged", "certified")} if in25 else None,
            "kaios30": {t: k30[t] for t in ("pwa", "signed", "core")} if in30 and k30 else None,
            "core_explicit": bool(k30 and k30.get("core_explicit")),
            "access25": row.get("access") if in25 else None,
            "access30": (k30 or {}).get("access") if in30 else None,
            "substitute": row.get("substitute"),
            "additional": row.get("additional"),
            "default_prompt25": row.get("default_prompt_action") if in25 else None,
            "default_prompt30": (k30 or {}).get("default_prompt_action") if in30 else None,
            "replaced_in_3": REPLACED_IN_3.get(name),
            "not_needed_in_3": NOT_NEEDED_IN_3.get(name),
            "origin": row.get("origin"),
            "notes": row.get("notes"),
            "apis": unlocks.get(name, []),
        }
        if status == "store-policy":
            entry["kaios25"] = None
        permissions[name] = entry
    defaults = table.get("default_granted", {})
    return {
        "about": (
            "KaiOS permission tables for kaios-lsp, built by tools/build_data.py from the "
            "kaios-lsp research tables. Actions: allow, prompt (runtime dialog), deny. 2.5 "
            "columns are manifest types web/privileged/certified; 3.x columns are pwa "
            "(hosted), signed (packaged) and core (packaged + b2g_features.core)."
        ),
        "sources": table.get("source", {}),
        "implicit": {
            "2.5": ["indexedDB", *defaults.get("kaios25_implicit_no_manifest_needed", [])],
            "2.5_appcache": ["offline-app", "pin-app"],
            "3.0": [item.split(" ")[0] for item in defaults.get("kaios30", [])],
        },
        "permissions": permissions,
    }


def main(argv: list[str]) -> int:
    reference = Path(argv[1]) if len(argv) > 1 else DEFAULT_REFERENCE
    data = build(reference)
    OUTPUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {OUTPUT} ({len(data['permissions'])} permissions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
