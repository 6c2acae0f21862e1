"""The JSON schemas of ``manifest.webapp`` and ``manifest.webmanifest`` shipped in
``data/schemas``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in ``kaios_lsp/facts/data/schemas`` (``manifest.webapp`` ...)."""
    text = (
        resources.files("kaios_lsp.facts.data")
        .joinpath(f"schemas/{name}.schema.json")
        .read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema
