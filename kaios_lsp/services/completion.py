"""Completion in manifests: member names, values, permission names, locales and paths.

Works on the tolerant tree, so it answers in half-typed text: after ``{`` or ``,``,
inside an unfinished ``"per``, after ``"type": ``, in an empty ``permissions`` object,
with the closing brace still missing. Pure: offset in, items with text edits out.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from kaios_lsp.app.files import FileView
from kaios_lsp.app.manifest import WEBAPP, Manifest
from kaios_lsp.config import Config
from kaios_lsp.facts.permissions import ACCESS_VALUES, ALLOW, DENY, PROMPT, lookup, names_in
from kaios_lsp.facts.schemas import load_schema
from kaios_lsp.findings import TextEdit
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode, node_path
from kaios_lsp.rules.manifest.schema_check import schema_at
from kaios_lsp.rules.manifest.schema_words import describe_path

# Kinds (mapped to LSP CompletionItemKind at the edge)
PROPERTY, VALUE, ENUM, FILE, KEYWORD = "property", "value", "enum", "file", "keyword"

LOCALES = [
    "en-US",
    "en-GB",
    "en-IN",
    "fr-FR",
    "fr-CA",
    "es-ES",
    "es-US",
    "es-MX",
    "pt-BR",
    "pt-PT",
    "de-DE",
    "it-IT",
    "ru-RU",
    "uk-UA",
    "pl-PL",
    "ro-RO",
    "hu-HU",
    "cs-CZ",
    "el-GR",
    "tr-TR",
    "nl-NL",
    "sv-SE",
    "da-DK",
    "fi-FI",
    "nb-NO",
    "ar-SA",
    "fa-IR",
    "he-IL",
    "ur-PK",
    "hi-IN",
    "bn-IN",
    "ta-IN",
    "te-IN",
    "mr-IN",
    "gu-IN",
    "kn-IN",
    "ml-IN",
    "pa-IN",
    "ne-NP",
    "si-LK",
    "zh-CN",
    "zh-TW",
    "zh-HK",
    "ja-JP",
    "ko-KR",
    "th-TH",
    "vi-VN",
    "id-ID",
    "ms-MY",
    "km-KH",
    "lo-LA",
    "my-MM",
    "sw-KE",
    "am-ET",
    "ha-NG",
    "yo-NG",
    "ig-NG",
    "zu-ZA",
    "xh-ZA",
    "af-ZA",
]
ACTIVITY_NAMES = [
    "view",
    "share",
    "pick",
    "open",
    "new",
    "dial",
    "configure",
    "save-bookmark",
    "setringtone",
    "set-wallpaper",
    "open-page",
    "open-deeplink",
]
# Activity data properties that handlers commonly filter on (kaios.dev web-activities).
FILTER_KEYS = {
    "type": "data type: a MIME type (image/*, text/plain...) or url, webcontacts/contact, websms/sms",
    "url": "the URL being viewed or shared",
    "number": "a phone number (dial, sms)",
    "blob": "the file being shared or opened",
    "name": "a file or item name",
}
_PATH_EXTENSIONS = {
    "page": (".html", ".htm"),
    "image": (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"),
    "script": (".js", ".mjs"),
}
_SKIP_DIRS = {".git", "node_modules", ".venv", "__pycache__", ".hg", ".svn"}
_MAX_FILES = 400


@dataclass
class Item:
    label: str
    kind: str
    insert: str  # text replacing ``[start, end)``; a snippet when ``snippet``
    start: int
    end: int
    detail: str = ""
    documentation: str = ""
    sort: str = "5"
    filter_text: str | None = None
    snippet: bool = False
    deprecated: bool = False
    additional: list[TextEdit] = field(default_factory=list)


@dataclass
class Request:
    manifest: Manifest
    offset: int
    files: FileView | None = None
    config: Config = field(default_factory=Config)
    snippets: bool = False


# -- where is the cursor? --------------------------------------------------------------


@dataclass
class _Spot:
    mode: str  # "key", "value" or "item"
    path: list  # JSON path of the object (key), member (value) or array (item)
    start: int
    end: int
    container: Node | None = None
    member: Member | None = None
    lead_comma: int | None = None  # insert "," here before the new member
    trail_comma: bool = False  # append "," after the new member


def _inside_token(text: str, node: Node, offset: int) -> bool:
    """Is the cursor inside this key or scalar (so completing replaces it)?"""
    quoted = text[node.start : node.start + 1] in ("'", '"')
    if quoted:
        closed = node.end - node.start >= 2 and text[node.end - 1] == text[node.start]
        return node.start < offset < node.end or (offset == node.end and not closed)
    return node.start <= offset <= node.end


def _encloses(node: Node, offset: int) -> bool:
    """Is the cursor between the brackets of this container (or after an unclosed one)?"""
    closed = getattr(node, "closed", True)
    return node.start < offset and (offset < node.end or not closed)


def locate(manifest: Manifest, offset: int) -> _Spot | None:
    """What completing at ``offset`` means: a member name, a member value or an item."""
    text = manifest.text
    node: Node | None = manifest.tree
    while node is not None and node.is_container and _encloses(node, offset):
        descend: Node | None = None
        if isinstance(node, ObjectNode):
            before: Member | None = None
            after: Member | None = None
            for member in node.members:
                key, value = member.key, member.value
                if _inside_token(text, key, offset):
                    return _Spot(
                        "key", node_path(node), key.start, max(key.end, offset), node, member
                    )
                after_colon = (
                    member.colon >= 0
                    and offset > member.colon
                    and (value is None or offset < value.start)
                )
                if (
                    after_colon and not text[member.colon + 1 : offset].strip()
                ):  # "key": with nothing typed yet
                    return _Spot("value", node_path(member), offset, offset, node, member)

                if value is not None and value.start <= offset <= value.end:
                    if value.is_container and _encloses(value, offset):
                        descend = value
                        break
                    if not value.is_container and _inside_token(text, value, offset):
                        return _Spot(
                            "value", node_path(member), value.start, value.end, node, member
                        )
                    return None  # right before or after a complete value
                if member.end <= offset:
                    before = member
                elif after is None and member.start >= offset:
                    after = member
            if descend is None:
                spot = _Spot("key", node_path(node), offset, offset, node)
                if before is not None and "," not in _strip_comments(text[before.end : offset]):
                    spot.lead_comma = before.end
                if after is not None and "," not in _strip_comments(text[offset : after.start]):
                    spot.trail_comma = True
                return spot
        elif isinstance(node, ArrayNode):
            for index, item in enumerate(node.items):
                if item.start <= offset <= item.end:
                    if item.is_container and _encloses(item, offset):
                        descend = item
                        break
                    if not item.is_container and _inside_token(text, item, offset):
                        return _Spot("item", [*node_path(node), index], item.start, item.end, node)
                    return None
            if descend is None:
                index = sum(1 for item in node.items if item.end <= offset)
                return _Spot("item", [*node_path(node), index], offset, offset, node)
        node = descend
    return None


def _strip_comments(text: str) -> str:
    return re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)


# -- items -----------------------------------------------------------------------------


def complete(request: Request) -> list[Item]:
    manifest = request.manifest
    spot = locate(manifest, request.offset)
    if spot is None:
        return []
    if spot.mode == "key":
        return _keys(request, spot)
    return _values(request, spot)


def _schema_name(manifest: Manifest) -> str:
    return f"manifest.{manifest.kind}"


def _permissions_path(manifest: Manifest) -> list:
    return ["permissions"] if manifest.kind == WEBAPP else ["b2g_features", "permissions"]


def _keys(request: Request, spot: _Spot) -> list[Item]:
    manifest = request.manifest
    path = spot.path
    existing = (
        {m.key.value for m in spot.container.members}
        if isinstance(spot.container, ObjectNode)
        else set()
    )
    if spot.member is not None:
        existing.discard(spot.member.key.value)
    has_value = spot.member is not None and spot.member.colon >= 0
    if path == _permissions_path(manifest):
        return _permission_keys(request, spot, existing, has_value)
    schema = schema_at(_schema_name(manifest), path)
    if schema is None:
        return []
    if "anyOf" in schema and "properties" not in schema:  # a value or an object: the object branch
        branches = [_deref(manifest, b) for b in schema["anyOf"]]
        schema = next((b for b in branches if b.get("type") == "object"), schema)
    items: list[Item] = []
    required = set(schema.get("required", [])) | set(schema.get("x-kaios-store-required", {}))
    for name, sub in schema.get("properties", {}).items():
        if name in existing or name == "$schema":
            continue
        resolved = _deref(manifest, sub)
        items.append(
            _key_item(
                request, spot, name, resolved, has_value, sort="0" if name in required else "1"
            )
        )
    for name, sub, sort, detail in _map_keys(manifest, path, schema):
        if name not in existing:
            items.append(_key_item(request, spot, name, sub, has_value, sort=sort, detail=detail))
    return items


def _map_keys(manifest: Manifest, path: list, schema: dict) -> list[tuple[str, dict, str, str]]:
    """Names for maps whose keys the schema does not list: (name, schema, sort, detail)."""
    last = path[-1] if path else None
    if last == "locales":
        locale = _deref(manifest, schema.get("additionalProperties", {}))
        return [(code, locale, "0", "language tag") for code in _locale_codes(manifest)]
    if last == "filters":
        return [
            (name, {"type": "string", "description": what}, "1", what)
            for name, what in FILTER_KEYS.items()
        ]
    if last == "activities":
        return [(name, {"type": "object"}, "1", "Web Activity name") for name in ACTIVITY_NAMES]
    if last == "icons" and manifest.kind == WEBAPP and len(path) == 1:
        image = {"type": "string", "x-kaios-path": "image"}
        return [(size, image, "0", f"{size}x{size} icon path") for size in ("56", "112", "84")]
    return []


def _deref(manifest: Manifest, schema: Any) -> dict:
    root = load_schema(_schema_name(manifest))
    while isinstance(schema, dict) and "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {})
        schema = target
    return schema if isinstance(schema, dict) else {}


def _skeleton(schema: dict, snippets: bool, placeholder: str = "") -> str:
    """A value of the right type to put after ``"name": ``."""
    kind = schema.get("type")
    enum = schema.get("enum")
    if "anyOf" in schema and not kind:
        branches = [b for b in schema["anyOf"] if isinstance(b, dict)]
        kind = next((b.get("type") for b in branches if b.get("type")), "string")
        enum = enum or next((b.get("enum") for b in branches if b.get("enum")), None)
    if isinstance(kind, list):
        kind = kind[0]
    if enum:
        strings = [v for v in enum if isinstance(v, str)]
        if strings:
            if snippets:
                return (
                    '"${1|'
                    + ",".join(v.replace(",", "\\,").replace("|", "\\|") for v in strings)
                    + '|}"'
                )
            return json.dumps(schema.get("default", strings[0]))
    if kind == "boolean":
        return "${1|true,false|}" if snippets else "false"
    if kind in ("integer", "number"):
        return "${1:0}" if snippets else "0"
    if kind == "object":
        return "{$1}" if snippets else "{}"
    if kind == "array":
        return "[$1]" if snippets else "[]"
    if snippets:
        return '"${1:' + _snippet_escape(placeholder) + '}"' if placeholder else '"$1"'
    return json.dumps(placeholder)


def _snippet_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def _documentation(manifest: Manifest, name: str, schema: dict, path: list) -> str:
    """The member's hover text; for names the schema does not describe, what we know."""
    from kaios_lsp.services.hover import member_markdown  # the completion shows the hover text

    text = member_markdown(manifest, [*path, name])
    if text and "\n" in text:
        return text
    return f"**{describe_path([*path, name])}**" + (
        f"\n\n{schema['description']}" if schema.get("description") else ""
    )


def _first_sentence(text: str) -> str:
    sentence = text.split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= 90 else sentence[:87] + "..."


def _key_item(
    request: Request,
    spot: _Spot,
    name: str,
    schema: dict,
    has_value: bool,
    sort: str = "1",
    detail: str | None = None,
) -> Item:
    quoted = json.dumps(name, ensure_ascii=False)
    if has_value:
        insert = quoted
    else:
        insert = f"{quoted}: {_skeleton(schema, request.snippets)}"
        if spot.trail_comma:
            insert += ","
    additional = (
        [TextEdit(spot.lead_comma, spot.lead_comma, ",")] if spot.lead_comma is not None else []
    )
    kind = schema.get("type")
    return Item(
        label=name,
        kind=PROPERTY,
        insert=insert,
        start=spot.start,
        end=spot.end,
        detail=detail
        or (
            _first_sentence(schema.get("description", ""))
            or (kind if isinstance(kind, str) else "")
        ),
        documentation=_documentation(request.manifest, name, schema, spot.path),
        sort=sort,
        filter_text=quoted,
        snippet=request.snippets and not has_value,
        additional=additional,
    )


def _permission_keys(request: Request, spot: _Spot, existing: set, has_value: bool) -> list[Item]:
    manifest = request.manifest
    version = manifest.version
    column = manifest.permission_column(request.config.distribution)
    items: list[Item] = []
    for name in names_in(version):
        if name in existing:
            continue
        permission = lookup(name)
        assert permission is not None
        action = permission.action(version, column)
        if action == ALLOW:
            detail, sort = "granted silently", "0"
        elif action == PROMPT:
            default_allow = permission.default_prompt(version, column) == ALLOW
            detail, sort = (
                ("granted (the user can revoke it)" if default_allow else "prompts the user"),
                "1",
            )
        else:
            granted = permission.granted_columns(version)
            detail = "denied to this app type" + (
                f" (needs {' or '.join(granted)})" if granted else ""
            )
            sort = "9"
        quoted = json.dumps(name)
        if has_value:
            insert = quoted
        else:
            body = [
                f'"description": {_skeleton({"type": "string"}, request.snippets, permission.placeholder_description)}'
            ]
            access = permission.access(version)
            if access:
                valid = [v for v, grants in ACCESS_VALUES.items() if set(grants) & set(access)]
                if request.snippets:
                    body.append('"access": "${2|' + ",".join(valid) + '|}"')
                else:
                    body.append(f'"access": {json.dumps(valid[0])}')
            insert = f"{quoted}: {{{', '.join(body)}}}" + ("," if spot.trail_comma else "")
        items.append(
            Item(
                label=name,
                kind=PROPERTY,
                insert=insert,
                start=spot.start,
                end=spot.end,
                detail=detail,
                documentation=_permission_doc(permission, version, column),
                sort=sort + name,
                filter_text=quoted,
                snippet=request.snippets and not has_value,
                deprecated=action == DENY,
                additional=[TextEdit(spot.lead_comma, spot.lead_comma, ",")]
                if spot.lead_comma is not None
                else [],
            )
        )
    return items


def _permission_doc(permission, version: str, column: str) -> str:
    from kaios_lsp.services.hover import permission_markdown  # the completion shows the hover text

    return permission_markdown(permission, version, column)


def _locale_codes(manifest: Manifest) -> list[str]:
    declared: list[str] = []
    features = manifest.features
    locales = features.value_of("locales") if features is not None else None
    if isinstance(locales, ObjectNode):
        declared = [str(m.key.value) for m in locales.members]
    return declared + [code for code in LOCALES if code not in declared]


def _values(request: Request, spot: _Spot) -> list[Item]:
    manifest = request.manifest
    path = spot.path
    permissions_path = _permissions_path(manifest)
    if len(path) == len(permissions_path) + 2 and path[: len(permissions_path)] == permissions_path:
        permission = lookup(str(path[-2]))
        if path[-1] == "access" and permission is not None:
            access = permission.access(manifest.version) or ()
            valid = [v for v, grants in ACCESS_VALUES.items() if set(grants) & set(access)]
            return [
                _value_item(spot, json.dumps(v), v, ENUM, sort=str(i), detail="access level")
                for i, v in enumerate(valid)
            ]
        if path[-1] == "description" and permission is not None:
            text = permission.placeholder_description
            return [
                _value_item(
                    spot, json.dumps(text), text, VALUE, detail="what the permission prompt shows"
                )
            ]
    last = path[-1] if path else None
    if last in ("default_locale", "lang"):
        return [
            _value_item(spot, json.dumps(code), code, VALUE, sort=f"{i:03}", detail="language tag")
            for i, code in enumerate(_locale_codes(manifest))
        ]
    schema = schema_at(_schema_name(manifest), path)
    if schema is None:
        return []
    schema = _value_schema(manifest, schema, spot)
    items: list[Item] = []
    for i, value in enumerate(schema.get("enum", [])):
        items.append(
            _value_item(
                spot,
                json.dumps(value),
                str(value) if isinstance(value, str) else json.dumps(value),
                ENUM,
                sort=f"{i:03}",
                detail=_enum_detail(manifest, path, value, request.config),
            )
        )
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "boolean" in kinds and not schema.get("enum"):
        items += [
            _value_item(spot, "true", "true", KEYWORD, sort="0"),
            _value_item(spot, "false", "false", KEYWORD, sort="1"),
        ]
    if path and path[-1] == "sizes":
        items += [
            _value_item(spot, json.dumps(f"{s}x{s}"), f"{s}x{s}", VALUE, sort=str(i))
            for i, s in enumerate((56, 112, 84))
        ]
    if schema.get("x-kaios-path") and request.files is not None and manifest.app_root:
        items += _path_items(request, spot, schema["x-kaios-path"])
    return items


def _value_schema(manifest: Manifest, schema: dict, spot: _Spot) -> dict:
    """For ``anyOf`` members (orientation: a value or a list), the branch the cursor is in."""
    if "anyOf" not in schema:
        return schema
    branches = [_deref(manifest, b) for b in schema["anyOf"]]
    wanted = "array" if spot.mode == "item" else None
    for branch in branches:
        if wanted and branch.get("type") == "array":
            return _deref(manifest, branch.get("items", {}))
        if not wanted and branch.get("type") != "array":
            return branch
    return branches[0] if branches else schema


def _enum_detail(manifest: Manifest, path: list, value: object, config: Config) -> str:
    if path == ["type"] or path == ["b2g_features", "type"]:
        return {
            "web": "default; no privileged permissions, no default CSP",
            "privileged": "store-signed packaged app; privileged permissions; strict CSP",
            "certified": "pre-installed by the phone maker only",
        }.get(str(value), "")
    return ""


def _value_item(
    spot: _Spot, insert: str, label: str, kind: str, sort: str = "5", detail: str = ""
) -> Item:
    return Item(
        label=label,
        kind=kind,
        insert=insert,
        start=spot.start,
        end=spot.end,
        detail=detail,
        sort=sort,
        filter_text=insert,
    )


def _path_items(request: Request, spot: _Spot, kind: str) -> list[Item]:
    manifest = request.manifest
    root = manifest.app_root
    assert root is not None and request.files is not None
    extensions = _PATH_EXTENSIONS.get(kind, ())
    leading = "/" if manifest.kind == WEBAPP or kind != "script" else ""
    found: list[str] = []
    queue = [""]
    while queue and len(found) < _MAX_FILES:
        relative = queue.pop(0)
        names = request.files.list_dir(os.path.join(root, relative)) or []
        for name in sorted(names):
            if name.startswith(".") or name in _SKIP_DIRS:
                continue
            child = f"{relative}/{name}" if relative else name
            full = os.path.join(root, child)
            if request.files.is_dir(full):
                queue.append(child)
            elif not extensions or name.lower().endswith(extensions):
                found.append(child)
    return [
        _value_item(
            spot,
            json.dumps(leading + path),
            leading + path,
            FILE,
            sort=f"{i:04}",
            detail=f"{kind} in the app folder",
        )
        for i, path in enumerate(found)
    ]
