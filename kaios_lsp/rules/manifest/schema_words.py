"""How schema findings are worded: readable JSON paths, type names, and what an invalid value does on the phone (from the schema's x-kaios annotations)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from kaios_lsp.findings import Severity

EFFECT_TEXT = {
    "fails": "the install fails",
    "ignored": "KaiOS ignores it",
    "store": "the KaiStore rejects the submission",
    # filters that are not an object: Gecko walks their property names ("0", "1"... of a
    # list or a string), which no activity data has (kaiostech/gecko-b2g
    # dom/b2g/activities/ActivitiesServiceFilter.jsm; 2.5 has the same algorithm).
    "unfiltered": "the handler is still registered, but its filters are read by property name "
    '("0", "1"... of a list), so they filter nothing and the app is offered for every request of '
    "this activity",
    "truthy": 'Gecko only tests it for truth, so any non-empty string (even "false") counts as true',
    "unconfirmed": "what KaiOS does with it is not confirmed",
}


EFFECT_SEVERITY = {
    "fails": Severity.ERROR,
    "ignored": Severity.WARNING,
    "store": Severity.WARNING,
    "unfiltered": Severity.WARNING,
    "truthy": Severity.WARNING,
    "unconfirmed": Severity.INFO,
}


JSON_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "null": "null",
}


def describe_path(path: Iterable[str | int]) -> str:
    """A readable JSON path: ``locales.fr.subtitle``, ``icons[0].src``."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif re.fullmatch(r"[A-Za-z_$][\w$-]*", step):
            out += ("." if out else "") + step
        else:
            out += f"[{json.dumps(step)}]"
    return out or "the manifest"


def json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def consequence(
    annotation: dict[str, Any] | None, default: str = "ignored", keyword: str | None = None
) -> tuple[str, Severity, str | None]:
    """(text, severity, rule override) for an ``x-kaios`` annotation.

    An annotation may hold keyword-specific entries (``{"maxLength": {...}}``) when, say,
    a wrong type fails the install but a too-long value only bothers the store.
    """
    if annotation and keyword and isinstance(annotation.get(keyword), dict):
        annotation = annotation[keyword]
    effect = (annotation or {}).get("invalid", default)
    why = (annotation or {}).get("why")
    text = EFFECT_TEXT.get(effect, EFFECT_TEXT["ignored"])
    if why:
        text += f" ({why})"
    return text, EFFECT_SEVERITY.get(effect, Severity.WARNING), (annotation or {}).get("rule")
