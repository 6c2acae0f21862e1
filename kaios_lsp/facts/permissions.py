"""KaiOS permission facts: what each app type gets, and in which words to say it.

The table (``data/permissions.json``) is built from the KaiOS 2.5.1 Gecko
``PermissionsTable.jsm`` and KaiOS 3.x gecko-b2g tables (see ``sources`` in the file and
``tools/build_data.py``). 2.5 columns are the manifest ``type``; 3.x columns are pwa
(hosted), signed (packaged) and core (packaged with ``b2g_features.core``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypedDict

ALLOW, PROMPT, DENY = "allow", "prompt", "deny"
COLUMNS = {"2.5": ("web", "privileged", "certified"), "3.0": ("pwa", "signed", "core")}

# Manifest access values and the table suffixes they grant (PermissionsInstaller.jsm).
ACCESS_VALUES = {
    "readonly": ("read",),
    "readwrite": ("read", "create", "write"),
    "readcreate": ("read", "create"),
    "createonly": ("create",),
}


def manifest_access_values(table_levels: Iterable[str] | None) -> list[str]:
    """The manifest ``access`` values that grant any of a permission's table levels
    (``read``/``write``/``create``): what a manifest may write, readonly first."""
    levels = set(table_levels or ())
    return [value for value, grants in ACCESS_VALUES.items() if set(grants) & levels]


# What the permission dialog asks the user, in our own words.
_DIALOG = {
    "geolocation": "share your location",
    "camera": "use the camera",
    "video-capture": "record video with the camera",
    "audio-capture": "record sound with the microphone",
    "device-storage:pictures": "read and change your pictures",
    "device-storage:videos": "read and change your videos",
    "device-storage:music": "read and change your music",
    "device-storage:sdcard": "read and change files on the memory card",
    "desktop-notification": "show notifications",
    "mobileid": "verify your phone number",
    "kaios-accounts:service": "use your KaiOS account",
    "moz-firefox-accounts": "use your Firefox account",
    "test-permission": "use a test permission",
}

_PURPOSE = {
    "systemXHR": "load data from servers that do not send CORS headers (systemXHR)",
    "tcp-socket": "open TCP connections",
    "contacts": "read or change your contacts",
    "alarms": "wake up at a set time",
    "audio-channel-content": "keep playing audio in the background",
    "audio-channel-notification": "play notification sounds",
    "audio-channel-alarm": "play alarm sounds",
    "push": "receive push messages",
    "serviceworker": "run a service worker",
    "mobilenetwork": "read the mobile network name",
    "bluetooth": "use Bluetooth",
    "fmradio": "play FM radio",
    "spatialnavigation-app-manage": "control spatial navigation",
    "virtualcursor": "control the virtual cursor",
    "feature-detection": "detect device features",
    "volumemanager": "change the volume",
    "speaker-control": "switch the speaker",
    "storage": "store more data than the default quota",
}


@dataclass(frozen=True)
class Permission:
    name: str
    status: str  # public, device-build, store-policy, removed, later-3x
    kaios25: dict[str, str] | None  # column -> allow, prompt or deny
    kaios30: dict[str, str] | None
    access25: tuple[str, ...] | None
    access30: tuple[str, ...] | None
    substitute: tuple[str, ...] | None
    default_prompt25: str | None
    default_prompt30: dict[str, str] | None
    replaced_in_3: str | None
    not_needed_in_3: str | None
    notes: str
    origin: str
    apis: tuple[str, ...]

    def exists_in(self, version: str) -> bool:
        return (self.kaios25 if version == "2.5" else self.kaios30) is not None

    def action(self, version: str, column: str) -> str | None:
        row = self.kaios25 if version == "2.5" else self.kaios30
        return row.get(column) if row else None

    def access(self, version: str) -> tuple[str, ...] | None:
        return self.access25 if version == "2.5" else self.access30

    def default_prompt(self, version: str, column: str) -> str | None:
        """The action a never-answered prompt takes (desktop-notification: allow)."""
        if version == "2.5":
            return self.default_prompt25
        return (self.default_prompt30 or {}).get(column)

    def granted_columns(self, version: str) -> list[str]:
        return [c for c in COLUMNS[version] if self.action(version, c) in (ALLOW, PROMPT)]

    @property
    def dialog(self) -> str:
        return _DIALOG.get(self.name, f"use {self.name}")

    @property
    def placeholder_description(self) -> str:
        """Text for a new ``description``: what the user reads in the prompt and store."""
        purpose = _DIALOG.get(self.name) or _PURPOSE.get(self.name)
        if purpose:
            return f"Explain why the app needs to {purpose}"
        return f"Explain why the app needs the {self.name} permission"


class _Row(TypedDict):
    status: str
    kaios25: dict[str, str] | None
    kaios30: dict[str, str] | None
    core_explicit: bool
    access25: list[str] | None
    access30: list[str] | None
    substitute: list[str] | None
    additional: list[str] | None
    default_prompt25: str | None
    default_prompt30: dict[str, str] | None
    replaced_in_3: str | None
    not_needed_in_3: str | None
    origin: str | None
    notes: str | None
    apis: list[str]


class _Table(TypedDict):
    about: str
    sources: dict[str, Any]  # where each table comes from (repository, path, commit, note)
    implicit: dict[str, list[str]]
    permissions: dict[str, _Row]


@cache
def _table() -> _Table:
    table: _Table = json.loads(
        resources.files("kaios_lsp.facts.data").joinpath("permissions.json").read_text("utf-8")
    )
    return table


@cache
def lookup(name: str) -> Permission | None:
    row = _table()["permissions"].get(name)
    if row is None:
        return None

    def tup(value: list[str] | None) -> tuple[str, ...] | None:
        return tuple(value) if value else None

    return Permission(
        name=name,
        status=row["status"],
        kaios25=row["kaios25"],
        kaios30=row["kaios30"],
        access25=tup(row["access25"]),
        access30=tup(row["access30"]),
        substitute=tup(row["substitute"]),
        default_prompt25=row["default_prompt25"],
        default_prompt30=row["default_prompt30"],
        replaced_in_3=row["replaced_in_3"],
        not_needed_in_3=row["not_needed_in_3"],
        notes=row["notes"] or "",
        origin=row["origin"] or "",
        apis=tuple(row["apis"]),
    )


def names() -> list[str]:
    return list(_table()["permissions"])


def names_in(version: str) -> list[str]:
    """Permissions that exist in the public tables of a KaiOS version."""
    return [
        n
        for n in names()
        if (p := lookup(n)) is not None and p.status == "public" and p.exists_in(version)
    ]


def implicit(version: str) -> list[str]:
    """Permissions every app gets without declaring them."""
    return list(_table()["implicit"].get(version, []))


def replaced_in_25(name: str) -> str | None:
    """The KaiOS 2.5 name of a permission that 3.x renamed."""
    for old in names():
        permission = lookup(old)
        if permission and permission.replaced_in_3 == name:
            return old
    return None


def sources() -> dict[str, Any]:
    return _table()["sources"]
