"""Permission names the phone does not know for this version: unknown, from the other KaiOS version, or granted anyway."""

from __future__ import annotations

import json

from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.permissions import (
    Permission,
    names_in,
    replaced_in_25,
)
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.json.edit import remove_member
from kaios_lsp.parse.json.nodes import Member, ObjectNode
from kaios_lsp.rules.meta import Rule
from kaios_lsp.rules.suggest import closest

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI201",
        name="unknown-permission",
        title="Unknown permission name",
        severity=Severity.ERROR,
        category="Permissions",
        explanation='The installer skips a name that is not in the KaiOS permission table (it logs "not a valid '
        'Webapps permission name"), so nothing is granted. The fix offers the closest known names.',
        bad='{"name": "Demo", "type": "privileged", "permissions": {"camra": {"description": "Take photos"}}}',
        good='{"name": "Demo", "type": "privileged", "permissions": {"camera": {"description": "Take photos"}}}',
        fixable=True,
        fix_note='Renames to the closest known permission (preferred when there is one candidate); "notification" is read as desktop-notification, the Notification API\'s permission. No rename onto a permission already declared.',
    ),
    Rule(
        id="KAI208",
        name="implicit-permission",
        title="Permission every app already has",
        severity=Severity.HINT,
        category="Permissions",
        explanation="KaiOS 2.5 grants indexedDB, battery-status, network-information, vibration and "
        "device-capabilities to every app (and offline-app/pin-app with appcache_path); KaiOS 3.x grants "
        "vibration, networkstats-perm, lock-orientation and push. Declaring them does nothing.",
        bad='{"name": "Demo", "permissions": {"vibration": {"description": "Buzz"}}}',
        good='{"name": "Demo", "permissions": {}}',
        fixable=True,
        fix_note="Removes the declaration, which changes nothing on the phone (safe).",
    ),
    Rule(
        id="KAI215",
        name="permission-other-version",
        title="Permission of the other KaiOS version",
        severity=Severity.ERROR,
        category="Permissions",
        explanation="KaiOS 3.x renamed or removed several permissions (spatialnavigation-app-manage -> virtualcursor, "
        "time -> system-time, deviceconfig -> device-configuration, kaios-accounts -> "
        "account-observer-kaiaccount, engineering-mode -> engmode; serviceworker and push are not needed) "
        "and added others. A permission of the other version is skipped, so nothing is granted. The fix "
        "renames it where there is an equivalent.",
        bad='{"name": "Demo", "type": "privileged", "permissions": {"virtualcursor": {"description": "Cursor"}}}',
        good='{"name": "Demo", "type": "privileged", "permissions": {"spatialnavigation-app-manage": {"description": "Cursor"}}}',
        fixable=True,
        fix_note="Renames to the other version's equivalent where there is one, or removes it.",
    ),
)


UNKNOWN = "KAI201"


IMPLICIT = "KAI208"


OTHER_VERSION = "KAI215"


def implicit_permission(
    ctx: ManifestContext, container: ObjectNode, entry: Member, version: str
) -> Finding:
    name = entry.key.value
    fixes = (
        (
            Fix.edits(
                f"Remove {json.dumps(name)}", [remove_member(ctx.text, container, entry)], safe=True
            ),
        )
        if container.closed
        else ()
    )
    return Finding(
        IMPLICIT,
        entry.key.start,
        entry.key.end,
        f"{json.dumps(name)} is granted to every KaiOS {version} app: declaring it changes nothing.",
        fixes=fixes,
        unnecessary=True,
    )


# Names people write for a permission that the spelling distance does not find: the
# Notification API's permission is "desktop-notification" (reference api-permissions.json,
# Notification; kaios-facts "Notification | desktop-notification").
_MEANT = {
    "notification": "desktop-notification",
    "notifications": "desktop-notification",
    "web-notification": "desktop-notification",
}


def unknown_permission(
    ctx: ManifestContext, entry: Member, version: str, permission: Permission | None
) -> Finding:
    name = entry.key.value
    key = entry.key
    known = names_in(version)
    meant = _MEANT.get(str(name).lower())
    suggestions = (
        [meant] if meant in known else closest(name, known)  # type: ignore[arg-type]  # a key's value is a str
    )
    # renaming onto a permission that is already declared would make a duplicate key
    suggestions = [s for s in suggestions if entry.parent.get(s) is None]
    message = f"Unknown permission {json.dumps(name)}: KaiOS {version} skips it at install"
    if permission is not None and permission.status == "removed":
        message += " (it was Firefox OS only; KaiOS removed it)"
    message += ", so nothing is granted."
    if suggestions:
        message += " Did you mean " + " or ".join(json.dumps(s) for s in suggestions) + "?"
    fixes = tuple(
        Fix.replace(
            f"Change to {json.dumps(s)}",
            key.start,
            key.end,
            json.dumps(s),
            safe=(len(suggestions) == 1),
        )
        for s in suggestions
    )
    return Finding(UNKNOWN, key.start, key.end, message, fixes=fixes)


def other_version_permission(
    ctx: ManifestContext, container: ObjectNode, entry: Member, permission: Permission, version: str
) -> Finding:
    name = permission.name
    key = entry.key
    removal = (
        (Fix.edits(f"Remove {json.dumps(name)}", [remove_member(ctx.text, container, entry)]),)
        if container.closed
        else ()
    )
    if version == "3.0":
        if permission.not_needed_in_3:
            return Finding(
                OTHER_VERSION,
                key.start,
                key.end,
                f"{json.dumps(name)} does not exist in KaiOS 3.0 and is not needed: {permission.not_needed_in_3}.",
                fixes=removal,
                severity=Severity.HINT,
                unnecessary=True,
            )
        replacement = permission.replaced_in_3
        if replacement:
            return Finding(
                OTHER_VERSION,
                key.start,
                key.end,
                f"{json.dumps(name)} is a KaiOS 2.5 permission: KaiOS 3.0 skips it, so nothing is granted. "
                f"Its 3.0 replacement is {json.dumps(replacement)}.",
                fixes=(
                    Fix.replace(
                        f"Change to {json.dumps(replacement)}",
                        key.start,
                        key.end,
                        json.dumps(replacement),
                        safe=True,
                    ),
                    *removal,
                ),
            )
        return Finding(
            OTHER_VERSION,
            key.start,
            key.end,
            f"{json.dumps(name)} only exists in KaiOS 2.5: KaiOS 3.0 skips it, so nothing is granted.",
            fixes=removal,
        )
    older = replaced_in_25(name)
    message = (
        f"{json.dumps(name)} only exists in KaiOS 3.x: KaiOS 2.5 skips it, so nothing is granted."
    )
    fixes = removal
    if older:
        message += f" The KaiOS 2.5 permission is {json.dumps(older)}."
        fixes = (
            Fix.replace(
                f"Change to {json.dumps(older)}", key.start, key.end, json.dumps(older), safe=True
            ),
            *removal,
        )
    return Finding(OTHER_VERSION, key.start, key.end, message, fixes=fixes)
