"""What the phone will grant, prompt, deny or ignore for each declared permission.

KaiOS 2.5 reads ``permissions``, 3.0 reads ``b2g_features.permissions``: an object of
``name -> {"description": ..., "access": ...}``. The installer (Gecko
``PermissionsInstaller.jsm``) skips unknown names, grants nothing when ``access`` is
missing where needed (or present where not), and installs each permission as the table
says for the app's type: allow, prompt (a dialog at first use) or deny (API undefined).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from kaios_lsp.app.manifest import WEBAPP, Manifest
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.permissions import (
    ACCESS_VALUES,
    ALLOW,
    DENY,
    PROMPT,
    Permission,
    implicit,
    lookup,
    manifest_access_values,
    names_in,
    replaced_in_25,
)
from kaios_lsp.findings import Finding, Fix, Severity, TextEdit
from kaios_lsp.parse.json.edit import insert_member, remove_member
from kaios_lsp.parse.json.nodes import ArrayNode, Member, ObjectNode
from kaios_lsp.rules.suggest import closest

UNKNOWN = "KAI201"
DENIED = "KAI202"
ACCESS = "KAI203"
PROMPTS = "KAI204"
DESCRIPTION = "KAI205"
NOT_AN_OBJECT = "KAI206"
ALIAS = "KAI207"
IMPLICIT = "KAI208"
HOSTED_TYPE = "KAI209"
UNVERIFIED = "KAI213"
STORE_POLICY = "KAI214"
OTHER_VERSION = "KAI215"
WRONG_TYPE = "KAI102"  # a permission value that is not an object: the schema leaves it to us

_TYPE_WORDS = {
    "web": "web apps",
    "privileged": "privileged apps",
    "certified": "certified (pre-installed) apps",
    "pwa": "hosted apps (PWAs)",
    "signed": "packaged (signed) apps",
    "core": "core apps (pre-installed, b2g_features.core)",
}


def permission_rules(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    features = manifest.features
    if features is None:
        return
    member = features.get("permissions")
    if member is None or member.value is None:
        return
    if isinstance(member.value, ArrayNode):
        yield _array_form(ctx, member)
        return
    container = member.value
    if not isinstance(container, ObjectNode):
        return  # wrong type: the schema check reports it
    version = manifest.version
    column = manifest.permission_column(ctx.config.distribution)
    defaults = set(implicit(version))
    if version == "2.5" and manifest.member("appcache_path") is not None:
        defaults.update(implicit("2.5_appcache"))
    for entry in container.members:
        name = entry.key.value
        if not isinstance(name, str) or container.get(name) is not entry:
            continue  # an earlier duplicate: KAI006 reports it
        if name in defaults:
            yield _implicit(ctx, container, entry, version)
            continue
        permission = lookup(name)
        if permission is None or permission.status == "removed":
            yield _unknown(ctx, entry, version, permission)
            continue
        if permission.status == "store-policy":
            yield Finding(
                STORE_POLICY,
                entry.key.start,
                entry.key.end,
                f"{json.dumps(name)} is not a Gecko permission: the phone logs it as an invalid name and "
                "ignores it. KaiStore China (type approval) asks apps to declare it, so keep it if you "
                "publish there.",
            )
            continue
        if permission.status in ("device-build", "later-3x") and permission.exists_in(version):
            where = (
                "later KaiOS 3.x builds"
                if permission.status == "later-3x"
                else "some device builds"
            )
            yield Finding(
                UNVERIFIED,
                entry.key.start,
                entry.key.end,
                f"{json.dumps(name)} is only known from {where} (not in the public KaiOS {version} tables): "
                "other phones skip it. kaios-lsp cannot confirm what your app type gets.",
            )
            continue

        if not permission.exists_in(version):
            yield _other_version(ctx, container, entry, permission, version)
            continue
        if _is_scalar_value(entry):
            yield _not_an_object(entry, permission, version)
            if permission.access(version) is not None:
                continue  # never granted: no prompt, no description to judge
            access_problems = []
        else:
            access_problems = list(_access(ctx, entry, permission, version))
        yield from access_problems
        action = permission.action(version, column)
        if action == DENY:
            yield _denied(ctx, container, entry, permission, version, column)
            continue
        if action == PROMPT and not access_problems:  # never granted: no dialog either
            yield _prompt(ctx, entry, permission, version, column)

        if not manifest.preinstalled(ctx.config.distribution):  # descriptions are for the store
            prompts = action == PROMPT and permission.default_prompt(version, column) != ALLOW
            yield from _description(ctx, entry, permission, prompts)


# -- individual findings ------------------------------------------------------------------


def _array_form(ctx: ManifestContext, member: Member) -> Finding:
    array = member.value
    assert isinstance(array, ArrayNode)
    names = [item.value for item in array.items if item.kind == "string"]
    fixes: tuple[Fix, ...] = ()
    if array.closed and len(names) == len(array.items):
        body = ", ".join(
            f'{json.dumps(n)}: {{"description": {json.dumps(_placeholder(n))}}}'
            for n in dict.fromkeys(names)
        )
        fixes = (
            Fix.replace("Turn the list into an object", array.start, array.end, "{" + body + "}"),
        )
    return Finding(
        NOT_AN_OBJECT,
        member.key.start,
        member.key.end,
        'permissions must be an object ({"name": {"description": "..."}}), not a list: KaiOS reads the '
        "list's indexes as permission names, so no permission is granted.",
        fixes=fixes,
    )


def _placeholder(name: str) -> str:
    permission = lookup(name)
    return (
        permission.placeholder_description
        if permission
        else f"Explain why the app needs the {name} permission"
    )


def _implicit(ctx: ManifestContext, container: ObjectNode, entry: Member, version: str) -> Finding:
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


def _unknown(
    ctx: ManifestContext, entry: Member, version: str, permission: Permission | None
) -> Finding:
    name = entry.key.value
    key = entry.key
    known = names_in(version)
    meant = _MEANT.get(str(name).lower())
    suggestions = (
        [meant] if meant in known else closest(name, known)  # type: ignore[arg-type]
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


def _other_version(
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


def _access(
    ctx: ManifestContext, entry: Member, permission: Permission, version: str
) -> Iterable[Finding]:
    body = entry.value
    if not isinstance(body, ObjectNode):
        return
    suffixes = permission.access(version)
    access = body.get("access")
    name = json.dumps(permission.name)
    if suffixes is None:
        if access is not None:
            fixes = (
                (Fix.edits('Remove "access"', [remove_member(ctx.text, body, access)], safe=True),)
                if body.closed
                else ()
            )
            yield Finding(
                ACCESS,
                access.key.start,
                access.key.end,
                f'{name} takes no access level: with "access" present the installer grants nothing '
                '("Invalid access"), so the permission is never granted.',
                fixes=fixes,
            )
        return
    valid = manifest_access_values(suffixes)
    shown = ", ".join(json.dumps(v) for v in valid)
    if access is None:
        fixes = (
            # Which level the app needs is the developer's choice: never applied by --fix.
            tuple(
                Fix.edits(
                    f'Add "access": {json.dumps(v)}',
                    [insert_member(ctx.text, body, "access", json.dumps(v))],
                )
                for v in valid
            )
            if body.closed
            else ()
        )
        yield Finding(
            ACCESS,
            entry.key.start,
            entry.key.end,
            f'{name} needs "access" ({shown}): without it the installer grants nothing, so the permission is '
            "never granted.",
            fixes=fixes,
        )
        return
    node = access.value
    if node is None or node.kind != "string":
        return  # half-typed, or a wrong type the schema reports
    if node.value not in valid:
        # The closest spelling first (a typo, safe to fix), otherwise readonly first.
        typo = closest(str(node.value), valid, max_results=1)
        best = typo or valid[:1]
        order = best + [v for v in valid if v not in best]
        yield Finding(
            ACCESS,
            node.start,
            node.end,
            f"{json.dumps(node.value)} is not an access level {name} accepts ({shown}): the permission is never "
            "granted.",
            fixes=tuple(
                Fix.replace(
                    f"Change to {json.dumps(v)}",
                    node.start,
                    node.end,
                    json.dumps(v),
                    safe=bool(typo) and i == 0,
                )
                for i, v in enumerate(order)
            ),
        )


def _is_scalar_value(entry: Member) -> bool:
    """A permission given as "name": "..." (or a number, list...) instead of an object."""
    value = entry.value
    return value is not None and not isinstance(value, ObjectNode) and value.kind != "invalid"


def _not_an_object(entry: Member, permission: Permission, version: str) -> Finding:
    """What the installer makes of a permission whose value is not an object.

    Both installers read ``manifest.permissions[name].access`` and hand it to
    ``expandPermissions`` (roytam1/gecko-kaios dom/apps/PermissionsTable.jsm;
    kaiostech/gecko-b2g b2g/components/PermissionsInstaller.jsm): ``.access`` of a
    string, number or list is undefined, which is exactly what a permission without
    access levels needs and exactly what "Invalid access" rejects for one with them.
    ``null`` has no ``.access`` at all: reading it throws and the loop stops (and on 2.5
    ``AppsUtils.sanitizeManifest``, called by ``checkManifest``, reads its ``.description``).
    """
    node = entry.value
    assert node is not None
    name = json.dumps(permission.name)
    path = (
        f"permissions.{permission.name}"
        if version == "2.5"
        else f"b2g_features.permissions.{permission.name}"
    )
    shown = _JSON_KINDS.get(node.kind, "not an object")
    caveat = (
        " (KaiOS 3.0 reads it the same way: the apps service keeps permissions as any JSON "
        "value, per the open api-daemon fork, and gecko-b2g's installer reads .access)"
        if version == "3.0"
        else ""
    )
    fixes = (_object_form_fix(node, permission, version),)
    if node.kind == "null":
        return Finding(
            WRONG_TYPE,
            node.start,
            node.end,
            f"{path} must be an object, not null: Gecko throws a TypeError reading its description "
            f"and access, so {name} and the permissions after it are not granted, and on KaiOS 2.5 "
            f"the install itself may fail (checkManifest reads the description){caveat}.",
            fixes=fixes,
            severity=Severity.ERROR,
        )
    if permission.access(version) is not None:
        return Finding(
            WRONG_TYPE,
            node.start,
            node.end,
            f'{path} must be an object, not {shown}: {name} needs "access", and the installer '
            f'finds none in {shown} ("Invalid access"), so it is never granted{caveat}.',
            fixes=fixes,
            severity=Severity.WARNING,
        )
    return Finding(
        WRONG_TYPE,
        node.start,
        node.end,
        f"{path} should be an object, not {shown}: {name} is still granted (it takes no access "
        f"level, and the installer finds none in {shown}), but there is no room for the "
        f"description stores require{caveat}.",
        fixes=fixes,
        severity=Severity.INFO,
    )


_JSON_KINDS = {
    "string": "a string",
    "number": "a number",
    "true": "true",
    "false": "false",
    "boolean": "true or false",
    "array": "a list",
    "null": "null",
}


def _object_form_fix(node, permission: Permission, version: str) -> Fix:
    """{"description": ..., "access": ...}: an access level or a sentence in the string is kept."""
    text = node.value if node.kind == "string" else None
    body = {"description": permission.placeholder_description}
    if permission.access(version) is not None:
        body["access"] = text if text in ACCESS_VALUES else "readonly"
    elif isinstance(text, str) and text.strip() and text not in ACCESS_VALUES:
        body["description"] = text
    return Fix.replace(
        "Turn it into an object", node.start, node.end, json.dumps(body, ensure_ascii=False)
    )


def _denied(
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
            f"{' and '.join(_TYPE_WORDS[c] for c in granted)}: {_TYPE_WORDS[column]} are denied it, so nothing is "
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
        needs = "only " + " and ".join(_TYPE_WORDS[c] for c in granted) + " get it"
    message = (
        f"{name} is denied to {_TYPE_WORDS[column]}: it is never granted, so the API it unlocks "
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


def _prompt(
    ctx: ManifestContext, entry: Member, permission: Permission, version: str, column: str
) -> Finding:
    """KAI204: see :mod:`.prompt_sites` (the calls that show the dialog, and their fixes)."""
    from kaios_lsp.rules.permissions.prompt_sites import prompt_finding

    return prompt_finding(ctx, entry, permission, version, column, _TYPE_WORDS)


def _description_consequence(prompts: bool) -> str:
    """A missing description is a store-review matter; only a prompt permission has a
    dialog at all (an always-allowed one like systemXHR is granted silently)."""
    if prompts:
        return "stores reject it, and the permission dialog has nothing to show the user"
    return (
        "stores reject it (the permission is granted without a dialog, so only the store reads it)"
    )


def _description(
    ctx: ManifestContext, entry: Member, permission: Permission, prompts: bool
) -> Iterable[Finding]:
    because = _description_consequence(prompts)
    body = entry.value
    if not isinstance(body, ObjectNode):
        return
    member = body.get("description")
    placeholder = json.dumps(permission.placeholder_description)
    if member is None:
        fixes = (
            (
                Fix.edits(
                    'Add "description"', [insert_member(ctx.text, body, "description", placeholder)]
                ),
            )
            if body.closed
            else ()
        )
        yield Finding(
            DESCRIPTION,
            entry.key.start,
            entry.key.end,
            f"{json.dumps(permission.name)} has no description: {because}.",
            fixes=fixes,
        )
    elif (
        member.value is not None
        and member.value.kind == "string"
        and not str(member.value.value).strip()
    ):
        node = member.value
        yield Finding(
            DESCRIPTION,
            node.start,
            node.end,
            f"The description of {json.dumps(permission.name)} is empty: {because}.",
            fixes=(Fix.replace("Write a description", node.start, node.end, placeholder),),
        )


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
