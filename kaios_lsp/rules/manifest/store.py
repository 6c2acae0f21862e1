"""What the KaiStore requires of a manifest beyond what the phone does (its members and icon sizes)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import Any, cast

from kaios_lsp.app.manifest import WEBAPP, WEBMANIFEST, Manifest
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.schemas import load_schema
from kaios_lsp.findings import Finding, Fix
from kaios_lsp.parse.json.edit import insert_member
from kaios_lsp.parse.json.nodes import ArrayNode, ObjectNode
from kaios_lsp.rules.manifest.schema_findings import STORE_REQUIREMENT
from kaios_lsp.rules.manifest.schema_values import anchor_of_object
from kaios_lsp.rules.meta import reads

# what the store requires (x-kaios-store-required in both schemas; tested): whether
# each is there; and what the values the fixes write come from
STORE_REQUIRED = (
    "version", "description", "icons", "developer", "id", "lang", "start_url",
    "theme_color", "background_color", "orientation", "name",
)  # fmt: skip


@reads("start_url", "name", "short_name", "default_locale", "icons", "type", "core",
       present=STORE_REQUIRED)  # fmt: skip
def store_requirements(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    root = manifest.root
    if root is None or not root.closed or manifest.preinstalled(ctx.config.distribution):
        return  # certified/core apps are pre-installed by the phone maker, never store-reviewed
    schema = load_schema(f"manifest.{manifest.kind}")
    start, end = anchor_of_object(root, root)
    for name, why in schema.get("x-kaios-store-required", {}).items():
        if root.get(name) is None and not (manifest.kind == WEBMANIFEST and name == "name"):
            added = _store_member_value(ctx, name)
            fixes: tuple[Fix, ...] = ()
            if added is not None:
                value_text, title, safe = added
                fixes = (
                    Fix.edits(title, [insert_member(ctx.text, root, name, value_text)], safe=safe),
                )
            yield Finding(
                STORE_REQUIREMENT,
                start,
                end,
                f"Missing {json.dumps(name)}: {why}.",
                fixes=fixes,
            )
    yield from _store_icon_sizes(manifest)


def _store_member_value(ctx: ManifestContext, name: str) -> tuple[str, str, bool] | None:
    """(value text, fix title, safe) for a store-required member, or ``None`` when no
    value can be written that no rule flags (no icon files to point at).

    A value that follows from the manifest or the app folder is written as such; where
    nothing says what it should be, the fix inserts a neutral value no rule flags and its
    title says "(fill in)". None of them is safe: each is the developer's statement."""
    manifest = ctx.manifest
    value = manifest.value if isinstance(manifest.value, dict) else {}
    # a dict: the condition is that very test
    features = cast(
        "dict[str, Any]",
        value.get("b2g_features") if isinstance(value.get("b2g_features"), dict) else {},
    )
    quoted = json.dumps(name)

    def fill_in(text: str) -> tuple[str, str, bool]:
        return text, f"Add {quoted} (fill in)", False

    def derived(text: str, why: str) -> tuple[str, str, bool]:
        return text, f"Add {quoted}: {text} ({why})", False

    if name == "version":
        return '"1.0.0"', f'Add {quoted}: "1.0.0" (the first release; adjust)', False
    if name == "developer":
        return fill_in('{"name": "", "url": ""}')
    if name == "icons":
        icons = _icon_files(ctx)
        if not icons:
            return None  # "{}" or "[]" is itself flagged: no 56x56 and 112x112 icon
        if manifest.kind == WEBAPP:
            text = json.dumps({size: path for size, path in icons.items()})
        else:
            text = json.dumps(
                [
                    {"src": path, "type": "image/png", "sizes": f"{size}x{size}"}
                    for size, path in icons.items()
                ]
            )
        return text, f"Add {quoted} (the app's {' and '.join(icons)} px PNG files)", False
    if name == "id":
        # W3C Web App Manifest, "id" member: without one the app's identity is its
        # start_url, so writing start_url keeps the identity the app already has
        start = value.get("start_url")
        if isinstance(start, str) and start.strip():
            return derived(json.dumps(start), "start_url, the W3C default identity")
        return fill_in(json.dumps(_slug(value.get("name") or value.get("short_name")) or "app"))
    if name == "lang":
        locale = features.get("default_locale")
        if isinstance(locale, str) and locale.strip():
            return derived(json.dumps(locale), "b2g_features.default_locale")
        return fill_in('"en-US"')
    if name == "start_url":
        root = manifest.app_root
        if root and ctx.files.exists(os.path.join(root, "index.html")):
            return derived('"/index.html"', "the app's index.html")
        return fill_in('""')
    if name == "orientation":
        # KaiOS phones are portrait devices; a landscape app must say so
        return (
            '"portrait-primary"',
            f'Add {quoted}: "portrait-primary" (a phone app; change it for a landscape app)',
            False,
        )
    return fill_in('""')


def _slug(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(name or "").lower()).strip("-")


def _icon_files(ctx: ManifestContext) -> dict[str, str]:
    """{"56": "/icons/56.png", "112": ...}: PNG files of the app folder (or its icons,
    img or images folder) whose name says their size, when both store sizes exist."""
    root = ctx.manifest.app_root
    if not root:
        return {}
    found: dict[str, str] = {}
    for folder in ("icons", "img", "images", "assets/icons", ""):
        names = (
            ctx.files.list_dir(os.path.join(root, folder)) if folder else ctx.files.list_dir(root)
        )
        for file in sorted(names or ()):
            size = _size_in_name(file)
            if size in ("56", "112") and size not in found and file.lower().endswith(".png"):
                found[size] = "/" + (f"{folder}/" if folder else "") + file
    return dict(sorted(found.items(), key=lambda item: int(item[0]))) if len(found) == 2 else {}


def _size_in_name(file: str) -> str | None:
    """The icon size a file name states: 56.png, icon-56.png, icon_56x56.png."""
    match = re.search(r"(?:^|[^0-9])([0-9]{2,3})(?:x\1)?(?:[^0-9]|$)", file)
    return match.group(1) if match else None


def _store_icon_sizes(manifest: Manifest) -> Iterable[Finding]:
    icons_member = manifest.member("icons")
    if icons_member is None or icons_member.value is None:
        return
    icons = icons_member.value
    sizes: set[str] = set()
    if manifest.kind == WEBAPP and isinstance(icons, ObjectNode):
        sizes = {str(k) for k in icons.key_names()}
    elif manifest.kind == WEBMANIFEST and isinstance(icons, ArrayNode):
        for item in icons.items:
            if isinstance(item, ObjectNode):
                node = item.value_of("sizes")
                if node is not None and node.kind == "string":
                    sizes.update(s.split("x", 1)[0] for s in str(node.value).split())
    else:
        return
    missing = [s for s in ("56", "112") if s not in sizes]
    if missing:
        shown = " and ".join(f"{s}x{s}" for s in missing)
        yield Finding(
            STORE_REQUIREMENT,
            icons_member.key.start,
            icons_member.key.end,
            f"No {shown} icon: the KaiStore requires 56x56 and 112x112 PNG icons.",
        )


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (store_requirements,)
