"""Which JavaScript API needs which permission, per KaiOS version (``data/js_apis.json``,
built by ``tools/build_data.py`` from the reference tables)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def api_table() -> tuple[dict, ...]:
    data = json.loads(
        resources.files("kaios_lsp.facts.data").joinpath("js_apis.json").read_text("utf-8")
    )
    return tuple(data["apis"])
