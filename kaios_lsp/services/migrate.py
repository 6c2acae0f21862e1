"""Turn a KaiOS 2.5 ``manifest.webapp`` into a KaiOS 3.0 ``manifest.webmanifest``.

Follows the KaiOS 3.0 migration rules (kaios-facts.md section 2.2): W3C members at the
root (launch_path -> start_url, default_locale -> lang, fullscreen -> display, icons as
an array of image resources), everything else that KaiOS 3.0 reads in
``b2g_features``, permissions renamed or dropped as the 3.x tables say, and the members
3.0 requires filled in. Whatever cannot be mapped is listed in ``notes``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

from kaios_lsp.app.files import FileView
from kaios_lsp.app.manifest import Manifest
from kaios_lsp.facts.permissions import ACCESS_VALUES, implicit, lookup
from kaios_lsp.facts.templates import SERVICE_WORKER

W3C_ORIENTATIONS = {
    "any",
    "natural",
    "landscape",
    "landscape-primary",
    "landscape-secondary",
    "portrait",
    "portrait-primary",
    "portrait-secondary",
}
_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
# 2.5 members that move into b2g_features unchanged.
_TO_FEATURES = (
    "developer",
    "type",
    "subtitle",
    "display",
    "categories",
    "cursor",
    "chrome",
    "role",
    "dependencies",
    "priority",
    "userAgentInfo",
    "inputs",
    "redirects",
)
_LOCALE_MEMBERS = ("name", "short_name", "description", "subtitle", "display", "developer")
NOT_MAPPED = {
    "appcache_path": "Application Cache does not exist in KaiOS 3.0; use the service worker's cache",
    "package_path": "mini-manifests of hosted packaged apps do not exist in KaiOS 3.0",
    "size": "package size is not part of a 3.0 manifest",
    "precompile": "asm.js precompilation is KaiOS 2.5 only (3.0 has WebAssembly)",
    "widgetPages": "the Widget API does not exist in KaiOS 3.0",
    "datastores-access": "the Data Store API does not exist in KaiOS 3.0",
    "datastores-owned": "the Data Store API does not exist in KaiOS 3.0",
    "connections": "Inter-App Communication is not available to 3.0 apps",
    "receipts": "store receipts are not part of a 3.0 manifest",
    "entry_points": "entry points have no KaiOS 3.0 equivalent: publish each as its own app",
    "installs_allowed_from": "installs_allowed_from is Firefox OS only",
    "origin": "KaiOS 3.0 serves packaged apps from http://<name>.localhost; an app:// origin does not exist there",
    "deeplinks": 'KaiOS 3.0 deep links use {"config": "https://.../deeplinks.json"} instead of regex/action: set b2g_features.deeplinks yourself',
    "theme": "JioStore's theme: moved to theme_color if that was missing",
}
_HANDLED = {
    "name",
    "short_name",
    "description",
    "launch_path",
    "start_url",
    "default_locale",
    "locales",
    "icons",
    "fullscreen",
    "orientation",
    "theme_color",
    "background_color",
    "version",
    "permissions",
    "activities",
    "messages",
    "csp",
    "$schema",
    *_TO_FEATURES,
    *NOT_MAPPED,
}


@dataclass
class Migration:
    text: str
    notes: list[str] = field(default_factory=list)
    extra_files: dict[str, str] = field(
        default_factory=dict
    )  # relative path -> content, when missing


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "", name.lower())
    return slug or "app"


def migrate_to_3(manifest: Manifest, files: FileView | None = None) -> Migration:
    source = manifest.value if isinstance(manifest.value, dict) else {}
    notes: list[str] = []
    if manifest.parsed.has_errors:
        notes.append(
            "The 2.5 manifest has JSON syntax errors; the migration used what could be read. Check the result."
        )
    get = source.get
    name = get("name") if isinstance(get("name"), str) and get("name") else "My app"
    if name == "My app":
        notes.append('name was missing: set "name".')
    out: dict = {"id": _slug(name), "name": name}
    notes.append(f'id "{out["id"]}" was made from the name; keep it stable across updates.')
    if isinstance(get("short_name"), str):
        out["short_name"] = get("short_name")[:12]
    out["description"] = (
        get("description") if isinstance(get("description"), str) and get("description") else name
    )
    locales = get("locales") if isinstance(get("locales"), dict) else {}
    lang = (
        get("default_locale")
        if isinstance(get("default_locale"), str) and get("default_locale")
        else None
    )
    if lang is None:
        lang = next(iter(locales), "en-US")
        notes.append(f'default_locale was missing: lang is "{lang}".')
    out["lang"] = lang
    start = get("start_url") or get("launch_path")
    out["start_url"] = start if isinstance(start, str) and start else "/index.html"
    if not start:
        notes.append('launch_path was missing: start_url is "/index.html".')
    fullscreen = get("fullscreen") in (True, "true")
    out["display"] = "fullscreen" if fullscreen else "standalone"
    out["orientation"] = _orientation(get("orientation"), notes)
    theme = get("theme_color") or get("theme")
    out["theme_color"] = theme if isinstance(theme, str) and theme else "#ffffff"
    if out["theme_color"] == "#ffffff" and not theme:
        notes.append('theme_color was missing: "#ffffff" is a placeholder.')
    background = get("background_color")
    out["background_color"] = (
        background if isinstance(background, str) and background else "#ffffff"
    )
    out["icons"] = _icons(get("icons"), notes)

    features: dict = {}
    version = get("version")
    features["version"] = version if isinstance(version, str) and version else "1.0.0"
    for key in _TO_FEATURES:
        if key in source:
            features[key] = source[key]
    if features.get("cursor") in (
        "true",
        "false",
    ):  # 3.0 reads cursor as a boolean: a string fails the install
        features["cursor"] = features["cursor"] == "true"
        notes.append(
            'cursor was a string; it is now a boolean (KaiOS 3.0 would refuse "true"/"false").'
        )

    if fullscreen:
        features["fullscreen"] = True
    if locales:
        features["locales"] = _locales(locales, notes)
        notes.append(
            "KaiOS 3.0 also reads one manifest.<lang>.webmanifest per language; b2g_features.locales keeps the translations meanwhile."
        )
    if "csp" in source:
        features["csp"] = source["csp"]
        notes.append(
            "csp moved to b2g_features.csp; whether KaiOS 3.0 applies a manifest csp is not confirmed (packaged apps get the system's policy)."
        )
    permissions = _permissions(get("permissions"), notes)
    if permissions:
        features["permissions"] = permissions
    activities = _activities(get("activities"), notes)
    if activities:
        features["activities"] = activities
    messages = get("messages")
    if isinstance(messages, list) and messages:
        features["messages"] = messages
    extra: dict[str, str] = {}
    if activities or features.get("messages"):
        script = _existing_worker(manifest, files) or "sw.js"
        features["serviceworker"] = {"script_url": script}
        if _existing_worker(manifest, files) is None:
            extra[script] = SERVICE_WORKER
            notes.append(
                "Activities and system messages need a service worker in KaiOS 3.0: b2g_features.serviceworker "
                f"points to {script}, and a {script} with a systemmessage handler to complete is added beside the "
                "manifest."
            )
    for key, why in NOT_MAPPED.items():
        if key in source and not (key == "theme" and get("theme_color") is None):
            notes.append(f"{key} was not migrated: {why}.")
    for key in source:
        if key not in _HANDLED:
            notes.append(f"{key} was not migrated: it is not a known KaiOS member.")
    out["b2g_features"] = features
    return Migration(json.dumps(out, indent=2, ensure_ascii=False) + "\n", notes, extra)


def _orientation(value: object, notes: list[str]) -> str:
    values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    for candidate in values:
        if candidate in W3C_ORIENTATIONS:
            if len(values) > 1:
                notes.append(f'KaiOS 3.0 takes one orientation: kept "{candidate}" of {values}.')
            return candidate
    if values:
        notes.append(f'orientation {values} has no KaiOS 3.0 equivalent: "portrait" is used.')
    return "portrait"


def _icons(value: object, notes: list[str]) -> list:
    icons = []
    if isinstance(value, dict):
        for size, src in value.items():
            if not (isinstance(src, str) and str(size).isdigit()):
                notes.append(
                    f"icon {size!r} was not migrated: 2.5 icon keys must be sizes in pixels."
                )
                continue
            entry = {"src": src, "sizes": f"{size}x{size}"}
            kind = _IMAGE_TYPES.get(os.path.splitext(src.split("?")[0])[1].lower())
            if kind:
                entry["type"] = kind
            icons.append(entry)
    if not icons:
        notes.append("No icons could be migrated: add 56x56 and 112x112 PNG icons.")
    return icons


def _locales(locales: dict, notes: list[str]) -> dict:
    out = {}
    for code, entry in locales.items():
        if not isinstance(entry, dict):
            continue
        kept = {k: v for k, v in entry.items() if k in _LOCALE_MEMBERS}
        dropped = sorted(set(entry) - set(kept))
        if dropped:
            notes.append(
                f"locales.{code}: {', '.join(dropped)} not migrated (no KaiOS 3.0 equivalent)."
            )
        out[code] = kept
    return out


def _permissions(value: object, notes: list[str]) -> dict:
    if isinstance(value, list):
        value = {name: {} for name in value if isinstance(name, str)}
        notes.append("permissions was a list (which KaiOS 2.5 ignores); it became an object.")
    if not isinstance(value, dict):
        return {}
    out: dict = {}
    defaults = set(implicit("3.0"))
    for name, entry in value.items():
        entry = entry if isinstance(entry, dict) else {}
        permission = lookup(name)
        target = name
        if permission is not None and permission.replaced_in_3:
            target = permission.replaced_in_3
            notes.append(f'permission "{name}" is "{target}" in KaiOS 3.0.')
        elif permission is not None and permission.not_needed_in_3:
            notes.append(f'permission "{name}" was dropped: {permission.not_needed_in_3}.')
            continue
        if target in defaults:
            notes.append(f'permission "{target}" was dropped: every KaiOS 3.0 app has it.')
            continue
        new = lookup(target)
        if new is None or not new.exists_in("3.0"):
            notes.append(f'permission "{name}" was dropped: it does not exist in KaiOS 3.0.')
            continue
        migrated: dict = {}
        description = entry.get("description")
        migrated["description"] = (
            description
            if isinstance(description, str) and description.strip()
            else new.placeholder_description
        )
        access = new.access("3.0")
        if access:
            old = entry.get("access")
            valid = [v for v, grants in ACCESS_VALUES.items() if set(grants) & set(access)]
            migrated["access"] = old if old in valid else valid[0]
        out[target] = migrated
    return out


def _activities(value: object, notes: list[str]) -> dict:
    if not isinstance(value, dict):
        return {}
    out: dict = {}
    obsolete = False
    for name, handlers in value.items():
        items = handlers if isinstance(handlers, list) else [handlers]
        migrated = []
        for handler in items:
            if not isinstance(handler, dict):
                continue
            obsolete = obsolete or "href" in handler or "disposition" in handler
            filters = handler.get("filters")
            if isinstance(filters, dict):
                filters = {k: _filter(v) for k, v in filters.items()}
            entry = {
                k: v
                for k, v in (("filters", filters), ("returnValue", handler.get("returnValue")))
                if v is not None
            }
            migrated.append(entry)
        if migrated:
            out[name] = migrated[0] if len(migrated) == 1 else migrated
    if obsolete:
        notes.append(
            "Activity href and disposition are obsolete in KaiOS 3.0: the service worker opens the window "
            "(clients.openWindow(url, {disposition}))."
        )
    return out


def _filter(value: object) -> object:
    """regexp is not a KaiOS filter key (it matches anything): it becomes pattern."""
    if isinstance(value, dict) and "regexp" in value and "pattern" not in value:
        value = {("pattern" if k == "regexp" else k): v for k, v in value.items()}
    return value


def _existing_worker(manifest: Manifest, files: FileView | None) -> str | None:
    root = manifest.app_root
    if root is None or files is None:
        return None
    for candidate in ("sw.js", "service-worker.js", "serviceworker.js"):
        if files.exists(os.path.join(root, candidate)):
            return candidate
    return None
