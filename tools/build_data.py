"""Build kaios_lsp/facts/data/permissions.json from the research tables.

Input: ``../shared/reference/permissions.json`` and ``api-permissions.json`` (KaiOS 2.5
and 3.x permission tables read from Gecko sources, with notes and sources). Output: one
normalised table the analysis reads, with the sources kept. Run it after the research
tables change::

    python tools/build_data.py [REFERENCE_DIR]

``tests/facts/test_permission_table.py`` checks that the shipped file is what this script makes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"
OUTPUT = ROOT / "kaios_lsp" / "facts" / "data" / "permissions.json"
JS_OUTPUT = ROOT / "kaios_lsp" / "facts" / "data" / "js_apis.json"

# How the JavaScript analysis recognises each API of api-permissions.json, and which
# permissions (any one of them) it needs. Curated by hand from the free-text
# ``permission`` column; ``build_js_apis`` checks every name against both tables.
#   member: a dereference of this global path (navigator.mozContacts.find(...))
#   call_arg: a call whose argument ARG names the permission: TEMPLATE.format(arg)
#   new: a constructor call; new_option: ... with {OPTION: true} in its first argument
#   options: permissions picked by the keys of the first argument ({audio: true})
M = "member"
JS_API_DETECTION: dict[str, dict] = {
    "navigator.mozContacts": {M: "navigator.mozContacts", "permissions": ["contacts"]},
    "navigator.getDeviceStorage": {
        "call_arg": "navigator.getDeviceStorage",
        "arg": 0,
        "template": "device-storage:{}",
    },
    "navigator.getDeviceStorages": {
        "call_arg": "navigator.getDeviceStorages",
        "arg": 0,
        "template": "device-storage:{}",
    },
    "navigator.getDeviceStorageByNameAndType": {
        "call_arg": "navigator.getDeviceStorageByNameAndType",
        "arg": 1,
        "template": "device-storage:{}",
    },
    "navigator.b2g.getDeviceStorage": {
        "call_arg": "navigator.b2g.getDeviceStorage",
        "arg": 0,
        "template": "device-storage:{}",
    },
    "navigator.mozTCPSocket": {M: "navigator.mozTCPSocket", "permissions": ["tcp-socket"]},
    "new UDPSocket()": {"new": "UDPSocket", "permissions": ["udp-socket"]},
    "new XMLHttpRequest({mozSystem: true})": {
        "new_option": "XMLHttpRequest",
        "option": "mozSystem",
        "permissions": ["systemXHR"],
    },
    "navigator.mozAlarms": {M: "navigator.mozAlarms", "permissions": ["alarms"]},
    "navigator.mozMobileMessage": {M: "navigator.mozMobileMessage", "permissions": ["sms"]},
    "navigator.mozTelephony": {M: "navigator.mozTelephony", "permissions": ["telephony"]},
    "navigator.mozWifiManager": {M: "navigator.mozWifiManager", "permissions": ["wifi-manage"]},
    "navigator.mozBluetooth": {M: "navigator.mozBluetooth", "permissions": ["bluetooth"]},
    "navigator.mozFMRadio": {M: "navigator.mozFMRadio", "permissions": ["fmradio"]},
    "navigator.mozPower": {M: "navigator.mozPower", "permissions": ["power"]},
    "navigator.mozApps.mgmt": {
        M: "navigator.mozApps.mgmt",
        "permissions": ["webapps-manage", "homescreen-webapps-manage"],
    },
    "navigator.mozSettings": {
        M: "navigator.mozSettings",
        "permissions": ["settings", "settings:wallpaper.image"],
    },
    "navigator.mozCameras": {M: "navigator.mozCameras", "permissions": ["camera"]},
    "navigator.mozMobileConnections": {
        M: "navigator.mozMobileConnections",
        "permissions": ["mobileconnection", "mobilenetwork"],
    },
    "navigator.mozIccManager": {M: "navigator.mozIccManager", "permissions": ["mobileconnection"]},
    "navigator.mozVoicemail": {M: "navigator.mozVoicemail", "permissions": ["voicemail"]},
    "navigator.mozCellBroadcast": {
        M: "navigator.mozCellBroadcast",
        "permissions": ["cellbroadcast"],
    },
    "navigator.mozNfc": {M: "navigator.mozNfc", "permissions": ["nfc", "nfc-share"]},
    "navigator.mozInputMethod": {
        M: "navigator.mozInputMethod",
        "permissions": ["input", "input-manage"],
    },
    "navigator.mozDownloadManager": {
        M: "navigator.mozDownloadManager",
        "permissions": ["downloads"],
    },
    "navigator.mozNetworkStats": {
        M: "navigator.mozNetworkStats",
        "permissions": ["networkstats-manage"],
    },
    "navigator.mozPermissionSettings": {
        M: "navigator.mozPermissionSettings",
        "permissions": ["permissions"],
    },
    "navigator.mozTime": {M: "navigator.mozTime", "permissions": ["time"]},
    "navigator.mozPhoneNumberService": {
        M: "navigator.mozPhoneNumberService",
        "permissions": ["phonenumberservice"],
    },
    "navigator.getFeature": {M: "navigator.getFeature", "permissions": ["feature-detection"]},
    "navigator.hasFeature": {M: "navigator.hasFeature", "permissions": ["feature-detection"]},
    "navigator.getFlashlightManager": {
        M: "navigator.getFlashlightManager",
        "permissions": ["flashlight"],
    },
    "navigator.getFlipManager": {M: "navigator.getFlipManager", "permissions": ["flip"]},
    "navigator.softkeyManager": {M: "navigator.softkeyManager", "permissions": ["softkey"]},
    "navigator.spatialNavigationEnabled": {
        M: "navigator.spatialNavigationEnabled",
        "permissions": ["spatialnavigation-app-manage"],
        "assigned_too": True,
    },
    "navigator.kaiAuth": {M: "navigator.kaiAuth", "permissions": ["cloud-authorization"]},
    "navigator.externalapi": {M: "navigator.externalapi", "permissions": ["external-api"]},
    "navigator.dataCallManager": {M: "navigator.dataCallManager", "permissions": ["datacall"]},
    "navigator.customization": {M: "navigator.customization", "permissions": ["customization"]},
    "navigator.engineeringMode": {
        M: "navigator.engineeringMode",
        "permissions": ["engineering-mode"],
    },
    "navigator.seManager": {M: "navigator.seManager", "permissions": ["secureelement-manage"]},
    "navigator.push": {M: "navigator.push", "permissions": ["push"]},
    "navigator.getMobileIdAssertion": {
        M: "navigator.getMobileIdAssertion",
        "permissions": ["mobileid"],
    },
    "navigator.addIdleObserver": {M: "navigator.addIdleObserver", "permissions": ["idle"]},
    "new MozSpeakerManager()": {"new": "MozSpeakerManager", "permissions": ["speaker-control"]},
    "navigator.serviceWorker": {
        M: "navigator.serviceWorker",
        "permissions": ["serviceworker"],
        "versions": ["2.5"],
    },
    "navigator.geolocation": {M: "navigator.geolocation", "permissions": ["geolocation"]},
    "Notification": {
        M: "Notification",
        "new": "Notification",
        "permissions": ["desktop-notification"],
    },
    "navigator.mediaDevices.getUserMedia": {
        M: "navigator.mediaDevices.getUserMedia",
        "options": {"audio": "audio-capture", "video": "video-capture"},
    },
    "navigator.mozGetUserMedia": {
        M: "navigator.mozGetUserMedia",
        "options": {"audio": "audio-capture", "video": "video-capture"},
    },
    "navigator.getBattery": {M: "navigator.getBattery", "permissions": ["battery"]},
}
for _api in [
    "activityUtils:webapps-manage",
    "alarmManager:alarms",
    "downloadManager:downloads",
    "getFlashlightManager:flashlight",
    "getFlipManager:flip",
    "inputMethod:input",
    "tetheringManager:tethering",
    "mobileConnections:mobileconnection,mobilenetwork",
    "telephony:telephony",
    "iccManager:mobileconnection",
    "dataCallManager:datacall",
    "subsidyLockManager:mobileconnection",
    "voicemail:voicemail",
    "cellBroadcast:cellbroadcast",
    "mobileMessageManager:sms",
    "bluetooth:bluetooth",
    "cameras:camera",
    "wifiManager:wifi-manage",
    "fmRadio:fmradio",
    "authorizationManager:cloud-authorization",
    "engmodeManager:engmode",
    "usbManager:usb",
    "powerSupplyManager:powersupply",
    "rsu:rsu",
    "eUiccManager:euicc",
    "permissions:permissions",
    "virtualCursor:virtualcursor",
    "networkStats:networkstats-manage",
]:
    _name, _perms = _api.split(":")
    JS_API_DETECTION[f"navigator.b2g.{_name}"] = {
        M: f"navigator.b2g.{_name}",
        "permissions": _perms.split(","),
    }

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


# Vendor permissions known from device builds but in no public KaiOS table (nor in the
# reference tables): not "unknown" (KAI201) but device-specific (KAI213). What each app
# type gets is not known, so every action is None.
_UNKNOWN_25 = {"web": None, "privileged": None, "certified": None}
_UNKNOWN_30 = {"pwa": None, "signed": None, "core": None}
DEVICE_BUILD_EXTRAS = {
    "jrdextension": {
        "origin": "UNVERIFIED: TCL/Alcatel (JRD) device builds",
        "notes": (
            "TCL/Alcatel vendor extension behind navigator.jrdExtension (system properties, "
            "commands). The device Gecko's JrdExtension.js installs it only when "
            "testExactPermissionFromPrincipal(..., 'jrdextension') is ALLOW; the system Browser "
            "of TCL/Alcatel KaiOS 2.5 phones holds it (NCC Group KaiOS whitepaper 2020, via "
            "Tombarr/kaios-dev-blog content/posts/system-properties.md). Not in the public "
            "gecko-kaios or gecko-b2g tables; which app types get it is unknown."
        ),
    },
}


def _device_build_extra(name: str, row: dict) -> dict:
    return {
        "status": "device-build",
        "kaios25": dict(_UNKNOWN_25),
        "kaios30": dict(_UNKNOWN_30),
        "core_explicit": False,
        "access25": None,
        "access30": None,
        "substitute": None,
        "additional": None,
        "default_prompt25": None,
        "default_prompt30": None,
        "replaced_in_3": None,
        "not_needed_in_3": None,
        "origin": row["origin"],
        "notes": row["notes"],
        "apis": [],
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
    for name, row in DEVICE_BUILD_EXTRAS.items():
        if name not in permissions:  # the reference wins once it lists the permission
            permissions[name] = _device_build_extra(name, row)
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


def _versions(kaios: list[str]) -> list[str]:
    return sorted({"2.5" if k.startswith("2.5") else "3.0" for k in kaios if k[:1] in "23"})


def missing_kind(entry: dict) -> str | None:
    """What using an API without its permission does. Most navigator.b2g.* rows of the
    reference state it only in their notes ("Hidden (undefined) when a Func guard fails":
    kaiostech/gecko-b2g dom/webidl/B2G.webidl + dom/b2g/B2G.cpp); a row whose enforcement
    point is UNCERTAIN says so instead of a guess. None: present, but refused (prompts)."""
    stated = entry.get("missing_permission")
    if stated:
        return stated
    notes = entry.get("notes") or ""
    if "UNCERTAIN" in notes:
        return "unconfirmed"
    if "Throws SecurityError without ALLOW" in notes:
        return "call throws SecurityError"
    if "Same per-request permission model as 2.5" in notes:
        return "request error SecurityError"
    if "Hidden (undefined)" in notes or "exposed only with" in notes:
        return "undefined"
    # A WebIDL Func= guard that fails hides the member; a prompt permission may pass it.
    if re.search(r"\bFunc [\w:]+", notes) and "PROMPT" not in notes:
        return "undefined"
    return None


def build_js_apis(reference: Path, permissions: dict) -> dict:
    """The JavaScript analysis's API table: detection + permission facts per API."""
    apis = json.loads((reference / "api-permissions.json").read_text("utf-8"))
    table = permissions["permissions"]
    out = []
    for expression, detection in JS_API_DETECTION.items():
        if expression not in apis:
            raise SystemExit(f"{expression!r} is not in api-permissions.json")
        entry = apis[expression]
        text = entry.get("permission") or ""
        names = list(detection.get("permissions", []))
        names += list(detection.get("options", {}).values())
        for name in names:
            if name not in text:
                raise SystemExit(f"{expression}: {name!r} is not in {text!r}")
            if name not in table:
                raise SystemExit(f"{expression}: {name!r} is not a known permission")
        versions = detection.get("versions") or _versions(entry.get("kaios") or [])
        record = {k: v for k, v in detection.items() if k != "versions"}
        record.update(
            {
                "id": expression,
                "versions": versions,
                "prompt": bool(entry.get("prompt")),
                "missing": missing_kind(entry),
                "notes": entry.get("notes"),
                "source": entry.get("source", []),
            }
        )
        out.append(record)
    return {
        "about": (
            "KaiOS APIs the JavaScript analysis recognises and the permissions they need, "
            "built by tools/build_data.py from the kaios-lsp research tables."
        ),
        "apis": out,
    }


def main(argv: list[str]) -> int:
    reference = Path(argv[1]) if len(argv) > 1 else DEFAULT_REFERENCE
    data = build(reference)
    OUTPUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {OUTPUT} ({len(data['permissions'])} permissions)")
    js = build_js_apis(reference, data)
    JS_OUTPUT.write_text(json.dumps(js, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {JS_OUTPUT} ({len(js['apis'])} APIs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
