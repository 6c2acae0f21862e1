"""The first Firefox (Gecko) version that parses each JavaScript syntax feature, and the
Gecko version of each KaiOS release (``data/js_syntax.json``, built by ``tools/build_js_syntax.py``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Feature:
    id: str
    name: str
    firefox: int | None  # None: no Firefox parses it


@cache
def features() -> dict[str, Feature]:
    data = json.loads(
        resources.files("kaios_lsp.facts.data").joinpath("js_syntax.json").read_text("utf-8")
    )
    return {
        key: Feature(key, row["name"], row.get("firefox")) for key, row in data["features"].items()
    }


@cache
def engines() -> dict[str, int]:
    data = json.loads(
        resources.files("kaios_lsp.facts.data").joinpath("js_syntax.json").read_text("utf-8")
    )
    return {k: int(v) for k, v in data["engines"].items()}
