"""Manifest rules that a JSON Schema cannot express.

Each rule is one small function from a :class:`ManifestContext` to findings; the list
``MANIFEST_RULES`` at the end is all the engine knows about them. Rule ids, titles and
documentation live in :mod:`kaios_lsp.rules.catalog`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from kaios_lsp.app.files import FileView
from kaios_lsp.app.links import (
    activity_handlers,
    is_absolute_url,
    linked_paths,
    message_hrefs,
    resolve_in_app,
    strings_of,
)
from kaios_lsp.app.manifest import WEBAPP, WEBMANIFEST, Manifest
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.schemas import load_schema
from kaios_lsp.facts.templates import SERVICE_WORKER
from kaios_lsp.findings import FileChange, Finding, Fix, Severity
from kaios_lsp.parse.json.edit import insert_member, remove_member
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode
from kaios_lsp.rules.manifest.schema_check import (
    STORE_REQUIREMENT,
    anchor_of_object,
    describe_path,
)

ABSOLUTE_URL = "KAI111"
ORIGIN = "KAI112"
REDIRECT = "KAI113"
CURSOR_SPATIAL_NAV = "KAI114"
NEEDS_SERVICE_WORKER = "KAI115"
MISSING_FILE = "KAI116"
CHROME_NEEDS_FULLSCREEN = "KAI117"
PRIORITY_TYPE = "KAI118"
NOT_AN_OBJECT = "KAI007"
TOO_DEEP = "KAI009"


def relative_form(url: str) -> str:
    """The path part of an absolute URL, to use inside the app."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return (
        path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


# -- rules -----------------------------------------------------------------------------


def not_an_object(ctx: ManifestContext) -> Iterable[Finding]:
    root = ctx.manifest.parsed.root
    if root is None or isinstance(root, ObjectNode) or root.kind == "invalid":
        return
    kind = {
        "array": "an array",
        "string": "a string",
        "number": "a number",
        "boolean": "a boolean",
        "null": "null",
    }[root.kind]
    yield Finding(
        NOT_AN_OBJECT,
        root.start,
        root.start + 1 if root.is_container else root.end,
        f"The manifest is {kind}, but it must be a JSON object ({{ ... }}): the install fails.",
    )


def too_deep(ctx: ManifestContext) -> Iterable[Finding]:
    if ctx.manifest.too_deep and ctx.manifest.root is not None:
        node = ctx.manifest.too_deep[0]
        yield Finding(
            TOO_DEEP,
            node.start,
            node.start + 1,
            f"Nesting deeper than 128 levels: no manifest member goes this deep, so the content "
            f"below this point ({len(ctx.manifest.too_deep)} container(s)) was not validated.",
        )


def absolute_urls(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    features = manifest.features
    checks: list[tuple[str, Node]] = []
    if manifest.kind == WEBAPP:
        for node in strings_of(manifest.node("launch_path")):
            checks.append(("launch_path", node))
        entry_points = manifest.node("entry_points")
        if isinstance(entry_points, ObjectNode):
            for entry in entry_points.members:
                if isinstance(entry.value, ObjectNode):
                    for node in strings_of(entry.value.value_of("launch_path")):
                        checks.append((f"entry_points.{entry.key.value}.launch_path", node))
        locales = manifest.node("locales")
        if isinstance(locales, ObjectNode):
            for locale in locales.members:
                if isinstance(locale.value, ObjectNode):
                    for node in strings_of(locale.value.value_of("launch_path")):
                        checks.append((f"locales.{locale.key.value}.launch_path", node))
    if features is not None:
        prefix = "" if manifest.kind == WEBAPP else "b2g_features."
        for name, handler in activity_handlers(features.value_of("activities")):
            for node in strings_of(handler.value_of("href")):
                checks.append((f"{prefix}activities.{name}.href", node))
        for node in message_hrefs(features.value_of("messages")):
            checks.append((f"{prefix}messages", node))
    for where, node in checks:
        value = node.value
        if not isinstance(value, str):
            continue
        if value.strip().startswith("//"):
            yield _protocol_relative(ctx, where, node, value)
            continue
        if not is_absolute_url(value):
            continue
        relative = relative_form(value)
        checker = "Gecko's checkManifest" if manifest.kind == WEBAPP else "the KaiOS 3 apps service"
        yield Finding(
            ABSOLUTE_URL,
            node.start,
            node.end,
            f"{where} must be a path inside the app, not an absolute URL: the install fails "
            f"({checker} rejects absolute URLs here).",
            fixes=(
                Fix.replace(
                    f"Make it relative: {json.dumps(relative)}",
                    node.start,
                    node.end,
                    json.dumps(relative),
                    safe=value.lower().startswith("app:"),
                ),
            ),
        )


def _protocol_relative(ctx: ManifestContext, where: str, node: Node, value: str) -> Finding:
    """A path starting with // names another host. KaiOS 2.5: checkManifest rejects
    launch_path, entry point launch paths, activity hrefs and message hrefs for which
    isAbsoluteURI is true, and isAbsoluteURI resolves the value against http://foo and
    http://bar and compares the hosts: //cdn.example.com/x.html resolves to
    http://cdn.example.com/x.html, so it is absolute (roytam1/gecko-kaios
    dom/apps/AppsUtils.jsm isAbsoluteURI, checkManifest). In-app paths are resolved
    against the app's origin, app://<origin>/ (ManifestHelper._baseURI, fullLaunchPath)."""
    manifest = ctx.manifest
    relative = relative_form(value)
    handler = node.parent.parent if isinstance(node.parent, Member) else None
    # checkManifest checks launch_path, entry_points.*.launch_path, message hrefs and the
    # href of an activity given as one object (not the handlers of an array form, nor a
    # locale's launch_path)
    rejected = where in ("launch_path", "messages") or (
        where.startswith(("entry_points.", "activities."))
        and not (handler is not None and isinstance(handler.parent, ArrayNode))
    )
    if manifest.kind == WEBAPP and not rejected:
        message = (
            f"{where} is protocol-relative ({value.strip()[:60]}): resolved against the app's "
            "app://<origin>/ it keeps the app: scheme but names another host (AppsUtils.jsm "
            "ManifestHelper), so it opens no page of this app. Use a path inside the app."
        )
        severity = Severity.WARNING
    elif manifest.kind == WEBAPP:
        message = (
            f"{where} is protocol-relative ({value.strip()[:60]}): Gecko reads it as an absolute URL "
            "on another host (AppsUtils.jsm isAbsoluteURI), so checkManifest rejects the manifest "
            "and the install fails. Use a path inside the app, resolved against app://<origin>/."
        )
        severity = Severity.ERROR
    else:
        message = (
            f"{where} is protocol-relative ({value.strip()[:60]}): it names another host, not a "
            "file of the app. Whether the KaiOS 3 apps service rejects it like an absolute URL is "
            "not confirmed; use a path inside the app."
        )
        severity = Severity.WARNING
    fixes: tuple[Fix, ...] = ()
    root = manifest.app_root
    clean = relative.split("#", 1)[0].split("?", 1)[0]
    if root and clean not in ("", "/"):
        _, target, inside = resolve_in_app(root, clean)
        if inside and ctx.files.exists(target):
            fixes = (
                Fix.replace(
                    f"Use the app's own {json.dumps(relative)}",
                    node.start,
                    node.end,
                    json.dumps(relative),
                ),
            )
    return Finding(ABSOLUTE_URL, node.start, node.end, message, fixes=fixes, severity=severity)


def origin(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    if manifest.kind != WEBAPP:
        return
    node = manifest.node("origin")
    if node is None or node.kind != "string":
        return
    value: str = node.value  # type: ignore[assignment]
    if not value.lower().startswith("app://"):
        host = urlsplit(value).netloc if is_absolute_url(value) else value.strip("/")
        fixes = (
            (Fix.replace(f'Use "app://{host}"', node.start, node.end, json.dumps(f"app://{host}")),)
            if host
            else ()
        )
        yield Finding(
            ORIGIN,
            node.start,
            node.end,
            'origin must use the app: scheme, like "app://myapp.example.com": otherwise the install '
            "fails with INVALID_ORIGIN.",
            fixes=fixes,
            severity=Severity.ERROR,
        )
    elif manifest.app_type == "web":
        member = manifest.member("origin")
        assert member is not None
        yield Finding(
            ORIGIN,
            member.key.start,
            member.key.end,
            "origin only works for signed privileged or certified packaged apps; for a web app "
            "KaiOS ignores it and the app gets a generated app:// origin.",
            fixes=(Fix.edits("Remove origin", [remove_member(ctx.text, manifest.root, member)]),)  # type: ignore[arg-type]
            if manifest.root is not None and manifest.root.closed
            else (),
            severity=Severity.WARNING,
            unnecessary=True,
        )


def redirects(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    features = manifest.features
    node = features.value_of("redirects") if features is not None else None
    if not isinstance(node, ArrayNode):
        return
    for item in node.items:
        if not isinstance(item, ObjectNode):
            continue
        source = item.value_of("from")
        target = item.value_of("to")
        if source is not None and source.kind == "string" and not is_absolute_url(source.value):  # type: ignore[arg-type]
            yield Finding(
                REDIRECT,
                source.start,
                source.end,
                'redirects.from must be an absolute URL (like "https://example.com/callback"): '
                "KaiOS silently drops this redirect.",
            )
        if target is not None and target.kind == "string" and is_absolute_url(target.value):  # type: ignore[arg-type]
            relative = relative_form(target.value)  # type: ignore[arg-type]
            yield Finding(
                REDIRECT,
                target.start,
                target.end,
                "redirects.to must be a path inside the app, not an absolute URL: KaiOS silently "
                "drops this redirect.",
                fixes=(
                    Fix.replace(
                        f"Make it relative: {json.dumps(relative)}",
                        target.start,
                        target.end,
                        json.dumps(relative),
                    ),
                ),
            )


def cursor_with_spatial_navigation(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    if manifest.kind != WEBAPP:
        return
    cursor = manifest.member("cursor")
    permissions = manifest.node("permissions")
    if (
        cursor is None
        or cursor.value is None
        or cursor.value.value is not True
        or not isinstance(permissions, ObjectNode)
    ):
        return
    permission = permissions.get("spatialnavigation-app-manage")
    if permission is None:
        return
    fixes = [Fix.replace('Set "cursor" to false', cursor.value.start, cursor.value.end, "false")]
    if permissions.closed:
        fixes.append(
            Fix.edits(
                "Remove the spatialnavigation-app-manage permission",
                [remove_member(ctx.text, permissions, permission)],
            )
        )
    yield Finding(
        CURSOR_SPATIAL_NAV,
        cursor.key.start,
        cursor.key.end,
        "cursor: true cannot be combined with the spatialnavigation-app-manage permission: Gecko "
        'reports "Illegal usage in app manifest" and the two navigation modes conflict.',
        fixes=tuple(fixes),
    )


def activities_need_service_worker(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    if manifest.kind != WEBMANIFEST:
        return
    features = manifest.features
    if features is None or features.get("serviceworker") is not None:
        return
    for name in ("activities", "messages"):
        member = features.get(name)
        if member is None or member.value is None:
            continue
        value = member.value
        empty = (isinstance(value, ObjectNode) and not value.members) or (
            isinstance(value, ArrayNode) and not value.items
        )
        if empty:
            continue
        script = _guess_worker_script(ctx)
        fixes: tuple[Fix, ...] = ()
        if features.closed:
            edit = insert_member(
                ctx.text, features, "serviceworker", json.dumps({"script_url": script})
            )
            title = f'Declare b2g_features.serviceworker with script_url "{script}"'
            changes = [FileChange(None, (edit,))]
            root = manifest.app_root
            if root and not ctx.files.exists(os.path.join(root, script)):
                # a script_url that names no file is its own error (KAI116): write one
                title += f" and create {script} (a systemmessage handler to complete)"
                changes.append(
                    FileChange(os.path.join(root, script), create=True, content=SERVICE_WORKER)
                )
            fixes = (Fix(title, tuple(changes)),)
        what = (
            "registers no activity" if name == "activities" else "subscribes to no system message"
        )
        yield Finding(
            NEEDS_SERVICE_WORKER,
            member.key.start,
            member.key.end,
            f"b2g_features.{name} has no effect without b2g_features.serviceworker: KaiOS 3.0 "
            f"{what} (they are delivered to the service worker's systemmessage event).",
            fixes=fixes,
        )


def _guess_worker_script(ctx: ManifestContext) -> str:
    root = ctx.manifest.app_root
    if root:
        for candidate in ("sw.js", "service-worker.js", "serviceworker.js", "worker.js"):
            if ctx.files.exists(os.path.join(root, candidate)):
                return candidate
    return "sw.js"


def missing_files(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    root = manifest.app_root
    if root is None or manifest.node("package_path") is not None:
        return  # unsaved buffer, or a hosted app's mini-manifest: files live elsewhere
    effects = {
        "launch": ("the app opens an error page instead of its start page", Severity.ERROR),
        "icon": ("the launcher and store show no icon", Severity.WARNING),
        "worker": ("the service worker is never registered", Severity.ERROR),
        "activity": ("the activity opens an error page", Severity.ERROR),
        "message": ("the system message opens an error page", Severity.ERROR),
    }
    for where, node, role in linked_paths(manifest):
        ref: str = node.value  # type: ignore[assignment]
        clean = ref.split("#", 1)[0].split("?", 1)[0].strip()
        if not clean or is_absolute_url(clean) or clean.startswith("//") or clean.endswith("/"):
            continue
        relative, target, inside = resolve_in_app(root, clean)
        effect, severity = effects[role]
        if not inside:
            yield Finding(
                MISSING_FILE,
                node.start,
                node.end,
                f"{where} points outside the app folder ({ref}): {effect}.",
                severity=severity,
            )
            continue
        if ctx.files.exists(target):
            continue
        corrected = _case_insensitive_match(ctx.files, root, relative)
        if corrected is None and _built_elsewhere(ctx, relative, role):
            continue  # the build creates or copies it into the package
        fixes: tuple[Fix, ...] = ()
        message = f"{where}: the file {json.dumps(ref)} does not exist in the app folder: {effect}."
        if corrected is not None:
            fixed_ref = ("/" if clean.startswith("/") else "") + corrected + ref[len(clean) :]
            message += f" Did you mean {json.dumps(fixed_ref)}? (File names on the phone are case-sensitive.)"
            fixes = (
                Fix.replace(
                    f"Change to {json.dumps(fixed_ref)}",
                    node.start,
                    node.end,
                    json.dumps(fixed_ref),
                    safe=True,
                ),
            )
        yield Finding(MISSING_FILE, node.start, node.end, message, fixes=fixes, severity=severity)


def _built_elsewhere(ctx: ManifestContext, relative: str, role: str) -> bool:
    """Build input: the package is written by the build, which creates or copies the
    files the manifest names. The file is fine when the build's output has it, when the
    project has a file of that name to copy, or (before the first build) when it is a
    page the build creates. A file found nowhere is still reported."""
    model = ctx.model
    if model is None or model.situation != "input" or model.build is None:
        return False
    from kaios_lsp.app.model import list_package  # (the app model imports these rules)

    outputs = [d for d in model.build.output_dirs if ctx.files.is_dir(d)]
    if any(ctx.files.exists(os.path.join(d, relative)) for d in outputs):
        return True
    name = "/" + relative.replace("\\", "/").rsplit("/", 1)[-1]
    project = list_package(model.build.root, ctx.files) or []
    if any(p.replace(os.sep, "/").endswith(name) for p in project if not model.build.in_output(p)):
        return True
    return not outputs and role != "icon"


def _case_insensitive_match(files: FileView, root: str, relative: str) -> str | None:
    """The existing path that differs from ``relative`` only in letter case."""
    current = root
    parts_out: list[str] = []
    for part in relative.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        names = files.list_dir(current)
        if names is None:
            return None
        if part in names:
            match = part
        else:
            matches = [n for n in names if n.lower() == part.lower()]
            if len(matches) != 1:
                return None
            match = matches[0]
        parts_out.append(match)
        current = os.path.join(current, match)
    corrected = "/".join(parts_out)
    return corrected if corrected != relative and files.exists(current) else None


def chrome_needs_fullscreen(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    features = manifest.features
    if features is None:
        return
    chrome = features.value_of("chrome")
    if not isinstance(chrome, ObjectNode):
        return
    statusbar = chrome.get("statusbar")
    if statusbar is None:
        return
    fullscreen = features.value_of("fullscreen")
    is_fullscreen = fullscreen is not None and fullscreen.value in (True, "true")
    if manifest.kind == WEBMANIFEST and manifest.string("display") == "fullscreen":
        is_fullscreen = True
    if not is_fullscreen:
        yield Finding(
            CHROME_NEEDS_FULLSCREEN,
            statusbar.key.start,
            statusbar.key.end,
            "chrome.statusbar only has an effect when the app is fullscreen (fullscreen: true): "
            "KaiOS ignores it here.",
            unnecessary=True,
        )


def priority_needs_privileged(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    if manifest.kind != WEBAPP:
        return
    member = manifest.member("priority")
    if member is None or manifest.app_type != "web":
        return
    yield Finding(
        PRIORITY_TYPE,
        member.key.start,
        member.key.end,
        "priority only applies to privileged and certified apps: KaiOS ignores it for a web app.",
        unnecessary=True,
    )


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
    features = value.get("b2g_features") if isinstance(value.get("b2g_features"), dict) else {}
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


ManifestRule = Callable[[ManifestContext], Iterable[Finding]]

MANIFEST_RULES: tuple[ManifestRule, ...] = (
    not_an_object,
    too_deep,
    absolute_urls,
    origin,
    redirects,
    cursor_with_spatial_navigation,
    activities_need_service_worker,
    missing_files,
    chrome_needs_fullscreen,
    priority_needs_privileged,
    store_requirements,
)

__all__ = [
    "MANIFEST_RULES",
    "ManifestContext",
    "Member",
    "describe_path",
    "is_absolute_url",
    "relative_form",
]
