"""The shape of a permission's value: the object form, and an access level the permission knows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import cast

from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.permissions import (
    ACCESS_VALUES,
    Permission,
    manifest_access_values,
)
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.json.edit import insert_member, remove_member
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode
from kaios_lsp.rules.meta import Rule
from kaios_lsp.rules.permissions.wording import placeholder_value
from kaios_lsp.rules.suggest import closest

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI203",
        name="permission-access",
        title="Missing, unexpected or invalid access",
        severity=Severity.ERROR,
        category="Permissions",
        explanation='contacts, device-storage:*, settings and a few others need "access" (readonly, readwrite, '
        "readcreate or createonly); all others must not have one. Either mistake makes the installer "
        'grant nothing ("Invalid access"). The fixes insert, remove or replace it (readonly first).',
        bad='{"name": "Demo", "type": "privileged", "permissions": {"device-storage:sdcard": {"description": "Save podcasts"}}}',
        good='{"name": "Demo", "type": "privileged", "permissions": {"device-storage:sdcard": {"description": "Save podcasts", "access": "readwrite"}}}',
        fixable=True,
        fix_note="Offers each valid access value (readonly first, the least access), or removes or replaces an invalid one; the choice is the developer's, so none is preferred.",
    ),
    Rule(
        id="KAI206",
        name="permissions-not-object",
        title="permissions given as a list",
        severity=Severity.ERROR,
        category="Permissions",
        explanation="permissions must be an object of name -> {description, access}. Given as a list, KaiOS reads the "
        'list\'s indexes ("0", "1"...) as permission names and grants nothing.',
        bad='{"name": "Demo", "type": "privileged", "permissions": ["systemXHR"]}',
        good='{"name": "Demo", "type": "privileged", "permissions": {"systemXHR": {"description": "Load feeds"}}}',
        fixable=True,
        fix_note="Turns the list into an object of name -> {description} (descriptions to complete).",
    ),
)


ACCESS = "KAI203"


NOT_AN_OBJECT = "KAI206"


WRONG_TYPE = "KAI102"  # a permission value that is not an object: the schema leaves it to us


def array_form(ctx: ManifestContext, member: Member) -> Finding:
    array = member.value
    assert isinstance(array, ArrayNode)
    # a string node's value is a str
    names = cast("list[str]", [item.value for item in array.items if item.kind == "string"])
    fixes: tuple[Fix, ...] = ()
    if array.closed and len(names) == len(array.items):
        body = ", ".join(
            f'{json.dumps(n)}: {{"description": {json.dumps(placeholder_value(n))}}}'
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


def access_findings(
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
            fixes: tuple[Fix, ...] = (
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


def is_scalar_value(entry: Member) -> bool:
    """A permission given as "name": "..." (or a number, list...) instead of an object."""
    value = entry.value
    return value is not None and not isinstance(value, ObjectNode) and value.kind != "invalid"


def scalar_value_finding(entry: Member, permission: Permission, version: str) -> Finding:
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


def _object_form_fix(node: Node, permission: Permission, version: str) -> Fix:
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
