"""Which JavaScript API needs which permission, per KaiOS version (``data/js_apis.json``,
built by ``tools/build_data.py`` from the reference tables)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TypedDict


class _ApiEntry(TypedDict):
    id: str
    versions: list[str]  # KaiOS versions that have it
    prompt: bool  # the user is asked
    missing: str | None  # what the API does without its permission (undefined, throws...)
    notes: str
    source: list[str]


class ApiEntry(_ApiEntry, total=False):
    """One row of js_apis.json; how the code reaches the API is one of the optional keys."""

    permissions: list[str]  # any one of these unlocks it
    member: str  # a member read: navigator.mozContacts
    call_arg: str  # a call whose argument names the permission: navigator.getDeviceStorage
    arg: int  # ... that argument's index
    template: str  # ... the permission name, "{}" being the argument
    new: str  # a constructor: new UDPSocket
    options: dict[str, str]  # option name -> permission (getUserMedia's audio/video)
    new_option: str  # a constructor with an option: new XMLHttpRequest({mozSystem: true})
    option: str  # ... that option
    assigned_too: bool  # an assignment to the member counts as a use


@cache
def api_table() -> tuple[ApiEntry, ...]:
    data = json.loads(
        resources.files("kaios_lsp.facts.data").joinpath("js_apis.json").read_text("utf-8")
    )
    apis: list[ApiEntry] = data["apis"]
    return tuple(apis)
