"""Manifest features that need another to work: the cursor with spatial navigation, activities with a service worker, chrome with fullscreen, priority with a privileged app."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

from kaios_lsp.app.manifest import WEBAPP, WEBMANIFEST
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.templates import SERVICE_WORKER
from kaios_lsp.findings import FileChange, Finding, Fix, Severity
from kaios_lsp.parse.json.edit import insert_member, remove_member
from kaios_lsp.parse.json.nodes import ArrayNode, ObjectNode
from kaios_lsp.rules.meta import Rule, reads

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI114",
        name="cursor-spatial-navigation",
        title="cursor together with spatialnavigation-app-manage",
        severity=Severity.WARNING,
        category="Manifest",
        explanation='Gecko reports "Illegal usage in app manifest: Cannot declare [cursor:true] and permission '
        '[spatialnavigation-app-manage] in the same time." Choose one navigation model.',
        bad='{"cursor": true, "permissions": {"spatialnavigation-app-manage": {}}}',
        good='{"cursor": false, "permissions": {"spatialnavigation-app-manage": {}}}',
        fixable=True,
        fix_note="Offers both ways out: set cursor to false, or remove the spatialnavigation-app-manage permission.",
    ),
    Rule(
        id="KAI115",
        name="needs-service-worker",
        title="Activities and messages need a service worker (3.0)",
        severity=Severity.WARNING,
        category="Manifest",
        explanation="KaiOS 3.0 registers b2g_features.activities and subscribes b2g_features.messages only "
        'when b2g_features.serviceworker is declared (Gecko logs "Skip registering activities... '
        "because serviceworker is not defined\"). Activities arrive in the worker's systemmessage event.",
        bad='{"name": "Demo", "b2g_features": {"activities": {"share": {}}}}',
        good='{"name": "Demo", "b2g_features": {"activities": {"share": {}}, "serviceworker": {"script_url": "sw.js"}}}',
        fixable=True,
        example_file="manifest.webmanifest",
        fix_note="Declares b2g_features.serviceworker with an existing worker script (sw.js, service-worker.js...) or creates sw.js with a systemmessage handler to complete.",
    ),
    Rule(
        id="KAI117",
        name="chrome-needs-fullscreen",
        title="chrome.statusbar without fullscreen",
        severity=Severity.HINT,
        category="Manifest",
        explanation='chrome.statusbar "overlap" only changes anything when the app is fullscreen.',
        bad='{"chrome": {"statusbar": "overlap"}}',
        good='{"fullscreen": true, "chrome": {"statusbar": "overlap"}}',
        fix_note="No mechanical fix: either fullscreen or the status bar setting is what the developer wants; the hint only says they work together.",
    ),
    Rule(
        id="KAI118",
        name="priority-needs-privileged",
        title="priority on a web app",
        severity=Severity.WARNING,
        category="Manifest",
        explanation='priority: "high" only applies to privileged and certified apps.',
        bad='{"type": "web", "priority": "high"}',
        good='{"type": "privileged", "priority": "high"}',
        fix_note="No mechanical fix: making the app privileged changes what the store reviews and what the app may do; that is the developer's decision.",
    ),
)


CURSOR_SPATIAL_NAV = "KAI114"


NEEDS_SERVICE_WORKER = "KAI115"


CHROME_NEEDS_FULLSCREEN = "KAI117"


PRIORITY_TYPE = "KAI118"


@reads("cursor", "permissions")
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


@reads("serviceworker", "activities", "messages")
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


@reads("chrome", "fullscreen", "display")
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


@reads("priority", "type")
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


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (
    cursor_with_spatial_navigation,
    activities_need_service_worker,
    chrome_needs_fullscreen,
    priority_needs_privileged,
)
