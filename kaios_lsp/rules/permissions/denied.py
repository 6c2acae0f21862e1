"""Permissions this app type is never granted (and the older names that are), and the type a hosted app must have."""

from __future__ import annotations

import json
from collections.abc import Iterable

from kaios_lsp.app.manifest import WEBAPP, Manifest
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.permissions import (
    Permission,
    lookup,
)
from kaios_lsp.findings import Finding, Fix, Severity, TextEdit
from kaios_lsp.parse.json.edit import insert_member, remove_member
from kaios_lsp.parse.json.nodes import Member, ObjectNode
from kaios_lsp.rules.meta import Rule, reads
from kaios_lsp.rules.permissions.wording import TYPE_WORDS

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI202",
        name="permission-denied",
        title="Permission denied to this app type",
        severity=Severity.ERROR,
        category="Permissions",
        explanation="Each permission is allow, prompt or deny per app type (2.5: web, privileged, certified; 3.x: "
        "pwa, signed, core). A denied permission is never granted: the API it unlocks is undefined or "
        "fails. The message names the types that get it; fixes remove it or, where the store can grant "
        "that type (privileged; never certified or core, which only phone makers pre-install), change "
        "the type.",
        bad='{"name": "Demo", "type": "web", "permissions": {"systemXHR": {"description": "Load feeds"}}}',
        good='{"name": "Demo", "type": "privileged", "permissions": {"systemXHR": {"description": "Load feeds"}}}',
        fixable=True,
        fix_note="Removes the permission, or where the store can grant the needed type (privileged) changes the type and writes the descriptions the newly granted permissions then need.",
    ),
    Rule(
        id="KAI207",
        name="permission-alias",
        title="Substitute alias outside the type that may use it",
        severity=Severity.ERROR,
        category="Permissions",
        explanation="Some names are aliases that install another permission instead (geolocation-noprompt installs "
        "geolocation without a prompt; moz-attention, moz-audio-channel-*...). They are only available to "
        "certain types; elsewhere nothing is granted. Ask for the real permission.",
        bad='{"name": "Demo", "type": "privileged", "permissions": {"geolocation-noprompt": {"description": "Where"}}}',
        good='{"name": "Demo", "type": "privileged", "permissions": {"geolocation": {"description": "Where"}}}',
        fixable=True,
        fix_note="Changes the alias to the permission it stands for (preferred), or removes it.",
    ),
    Rule(
        id="KAI209",
        name="hosted-app-type",
        title="Hosted app declared privileged or certified",
        severity=Severity.ERROR,
        category="Permissions",
        explanation="Gecko installs hosted apps only as web apps (Webapps.jsm checkAppStatus): a hosted manifest with "
        "type privileged or certified fails to install. A 2.5 manifest does not say whether it is hosted: "
        'set distribution = "hosted" for hosted apps (the default treats a project as packaged).',
        bad='{"name": "Demo", "type": "privileged"}',
        good='{"name": "Demo", "type": "web"}',
        fixable=True,
        example_settings={"distribution": "hosted"},
        fix_note="Changes the type to web, the only type a hosted app can have.",
    ),
)


DENIED = "KAI202"


ALIAS = "KAI207"


HOSTED_TYPE = "KAI209"


def denied_permission(
    ctx: ManifestContext,
    container: ObjectNode,
    entry: Member,
    permission: Permission,
    version: str,
    column: str,
) -> Finding:
    manifest = ctx.manifest
    key = entry.key
    name = json.dumps(permission.name)
    granted = permission.granted_columns(version)
    fixes: list[Fix] = []
    if container.closed:
        fixes.append(Fix.edits(f"Remove {name}", [remove_member(ctx.text, container, entry)]))
    hosted = manifest.distribution(ctx.config.distribution) == "hosted"
    if permission.substitute and granted:
        target = permission.substitute[0]
        return Finding(
            ALIAS,
            key.start,
            key.end,
            f"{name} is an alias that installs {json.dumps(target)} instead, and only for "
            f"{' and '.join(TYPE_WORDS[c] for c in granted)}: {TYPE_WORDS[column]} are denied it, so nothing is "
            f"granted. Ask for {json.dumps(target)} itself.",
            fixes=(
                Fix.replace(
                    f"Change to {json.dumps(target)}",
                    key.start,
                    key.end,
                    json.dumps(target),
                    safe=True,
                ),
                *fixes,
            ),
        )
    if not granted:
        needs = "no app type gets it"
    else:
        needs = "only " + " and ".join(TYPE_WORDS[c] for c in granted) + " get it"
    message = (
        f"{name} is denied to {TYPE_WORDS[column]}: it is never granted, so the API it unlocks "
        f"stays undefined (or fails). {needs[0].upper() + needs[1:]}."
    )
    if version == "2.5":
        if "privileged" in granted and column == "web":
            if hosted:
                message += " Hosted apps can only be web apps: publish it as a packaged app to make it privileged."
            else:
                fixes.insert(0, _change_type_fix(ctx, manifest, "privileged", container))
                message += " Store apps can be privileged (the KaiStore signs them)."
        elif granted == ["certified"]:
            message += " The KaiStore does not sign certified apps: only the phone maker can pre-install them."
    elif "signed" in granted and column == "pwa":
        message += " Publish the app as a packaged app to get it."
    elif granted == ["core"]:
        message += " Core apps are pre-installed by the phone maker; store apps cannot be core."
    return Finding(DENIED, key.start, key.end, message, fixes=tuple(fixes))


def _change_type_fix(
    ctx: ManifestContext, manifest: Manifest, new_type: str, container: ObjectNode | None = None
) -> Fix:
    """Change (or add) the app type. The permissions the new type is granted for the first
    time are then store-reviewed like the others and need a description (KAI205): the
    same fix writes one where it is missing, so the change adds no new warning."""
    member = manifest.member("type")
    if member is not None and member.value is not None:
        edits = [TextEdit(member.value.start, member.value.end, json.dumps(new_type))]
        title = f'Change "type" to "{new_type}"'
    else:
        root = manifest.root
        assert root is not None
        edits = [insert_member(ctx.text, root, "type", json.dumps(new_type))]
        title = f'Add "type": "{new_type}"'
    if container is not None and not manifest.preinstalled(ctx.config.distribution):
        for entry in container.members:
            body = entry.value
            permission = lookup(str(entry.key.value))
            if (
                permission is None
                or not isinstance(body, ObjectNode)
                or not body.closed
                or body.get("description") is not None
            ):
                continue
            placeholder = json.dumps(permission.placeholder_description)
            edits.append(insert_member(ctx.text, body, "description", placeholder))
    return Fix.edits(title, edits)


@reads("type")
def hosted_app_type(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    if manifest.kind != WEBAPP or manifest.distribution(ctx.config.distribution) != "hosted":
        return
    member = manifest.member("type")
    if (
        member is None
        or member.value is None
        or member.value.value not in ("privileged", "certified")
    ):
        return
    node = member.value
    yield Finding(
        HOSTED_TYPE,
        node.start,
        node.end,
        f"A hosted app cannot be {node.value}: Gecko only installs hosted apps as web apps (checkAppStatus), "
        'so the install fails. Publish it as a packaged app, or use "web".',
        fixes=(Fix.replace('Change to "web"', node.start, node.end, '"web"'),),
    )


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (hosted_app_type,)
