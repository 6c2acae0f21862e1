"""The values schema fixes write: placeholders for required members, conversions of a value to the type the schema wants, and where an inserted member goes."""

from __future__ import annotations

import json
import re
from typing import Any

from kaios_lsp.findings import Fix
from kaios_lsp.parse.json.edit import indent_unit, insert_member
from kaios_lsp.parse.json.nodes import Member, Node, ObjectNode


def anchor_of_object(target: Node | Member, node: Node) -> tuple[int, int]:
    """Where to report something missing from an object: its key, or its ``{``."""
    if isinstance(target, Member):
        return target.key.start, target.key.end
    parent = node.parent
    if isinstance(parent, Member):
        return parent.key.start, parent.key.end
    return node.start, node.start + 1


def placeholder_for(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if schema.get("enum"):
        return json.dumps(schema.get("default", schema["enum"][0]))
    return {"object": "{}", "array": "[]", "boolean": "false", "integer": "0", "number": "0"}.get(
        kind or "", '""'
    )


TRUE_WORDS = ("true", "yes")


FALSE_WORDS = ("false", "no")


# Members whose string is free text, where 2048 plainly means "2048" (a game's name); for
# paths, origins and policies a number turned into a string is just another wrong value.
TEXT_MEMBERS = frozenset(
    {"name", "short_name", "description", "subtitle", "display", "userAgentInfo"}
)


def is_text(schema: dict[str, Any], path: list[str | int]) -> bool:
    """A string member where a number's digits are a meaningful value: free text, or a
    form (pattern) or list (enum) that the converted value is then checked against."""
    last = next((step for step in reversed(path) if isinstance(step, str)), None)
    return "pattern" in schema or "enum" in schema or (last in TEXT_MEMBERS and path[-1] == last)


def dump_at(text: str, node: Node, value: object) -> str:
    """``value`` as JSON laid out like the document: its indent unit, continuation lines
    indented like the line the node starts on."""
    if not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    inside = text[node.start : node.end]
    if "\n" not in inside:
        return json.dumps(value, ensure_ascii=False)
    unit = indent_unit(text)
    line = text.rfind("\n", 0, node.start) + 1
    base = re.match(r"[ \t]*", text[line : node.start]).group()  # type: ignore[union-attr]
    dumped = json.dumps(value, ensure_ascii=False, indent=unit)
    newline = "\r\n" if "\r\n" in text else "\n"
    return dumped.replace("\n", newline + base)


def icons_by_size(items: list[object]) -> dict[str, str] | None:
    """{"56": "/icons/56.png"} from ["/icons/56.png"] when every item says its size
    (in its file name, or as a 3.0-style {"src", "sizes"} object) and no size repeats."""
    out: dict[str, str] = {}
    for item in items:
        if isinstance(item, str):
            match = re.search(r"(?:^|[^0-9])([0-9]{2,3})(?:x\1)?\.[A-Za-z]+$", item.strip())
            size, src = (match.group(1) if match else None), item
        elif isinstance(item, dict) and isinstance(item.get("src"), str):
            sizes = str(item.get("sizes", "")).split()
            size = sizes[0].split("x", 1)[0] if len(sizes) == 1 else None
            src = item["src"]
        else:
            return None
        if size is None or not size.isdigit() or size in out:
            return None
        out[size] = src
    return dict(sorted(out.items(), key=lambda item: int(item[0]))) or None


# The members required_value reads (what a root object's findings depend on besides its
# member names: see SchemaChecker.check_groups)
REQUIRED_VALUE_READS = frozenset({"locales", "default_locale", "short_name"})


def required_value(
    path: list[str | int], name: str, instance: dict[str, Any], placeholder: str
) -> tuple[str, str]:
    """(value text, fix title) for a required member: a value that follows from the
    manifest, else a neutral placeholder no rule flags, with "(fill in)" in the title.
    ``""`` where the member must not be empty is itself an error, so never that."""
    quoted = json.dumps(name)
    if not path and name == "name":
        locales = instance.get("locales")
        default = instance.get("default_locale")
        localised = locales.get(default) if isinstance(locales, dict) and default else None
        for candidate, source in (
            (instance.get("short_name"), "short_name"),
            (localised.get("name") if isinstance(localised, dict) else None, "the default locale"),
        ):
            if isinstance(candidate, str) and candidate.strip():
                text = json.dumps(candidate, ensure_ascii=False)
                return text, f"Add {quoted}: {text} (from {source})"
        return '"My app"', f"Add {quoted} (fill in)"
    if path and path[0] == "redirects" and name == "from":
        return '"https://"', f"Add {quoted} (fill in the URL to catch)"
    if placeholder in ('""', "{}", "[]"):
        return placeholder, f"Add {quoted} (fill in)"
    return placeholder, f"Add {quoted}"


def convert_scalar(value: object, types: list[str], text: bool = True) -> list[object]:
    """Obviously intended values of the right type, best first: "true", "yes" and 1 mean
    true; "false", "no" and 0 mean false; "12" means 12; 12 means "12" (only for a
    ``text`` member). Only unambiguous mappings are offered (2 or "maybe" for a boolean
    gives nothing); the caller keeps the first one the member's schema accepts."""
    out: list[object] = []
    if "boolean" in types and not isinstance(value, bool):
        word = value.strip().lower() if isinstance(value, str) else value
        if word in TRUE_WORDS or (isinstance(value, (int, float)) and value == 1):
            out.append(True)
        elif word in FALSE_WORDS or (isinstance(value, (int, float)) and value == 0):
            out.append(False)
    if (
        ("integer" in types or "number" in types)
        and isinstance(value, str)
        and re.fullmatch(r"-?[0-9]+", value.strip())
    ):
        out.append(int(value))
    if "string" in types and text:
        if isinstance(value, bool):
            out.append(str(value).lower())
        elif isinstance(value, (int, float)):
            out.append(str(value))
    return out


def insert_member_fix(
    text: str, obj: ObjectNode, name: str, value_text: str, title: str
) -> Fix | None:
    """A fix that adds ``"name": value`` as the last member of ``obj``, matching the
    surrounding indentation. ``None`` if the object is not closed (half-typed)."""
    if not obj.closed:
        return None
    return Fix.edits(title, [insert_member(text, obj, name, value_text)])
