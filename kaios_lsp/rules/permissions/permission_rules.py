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
from kaios_lsp.parse.json.tree import ArrayNode, Member, ObjectNode
from kaios_lsp.rules.meta import Rule
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
        id="KAI204",
        name="permission-prompt",
        title="Permission shows the user a dialog",
        severity=Severity.INFO,
        category="Permissions",
        explanation="A prompt permission is not granted at install: the first time the app uses the API, KaiOS asks "
        "the user, who may refuse (and can change the answer in Settings). The finding links the "
        "permission to the calls in the app's scripts that show its dialog (getCurrentPosition/"
        "watchPosition, getUserMedia/mozGetUserMedia by the kinds they ask for, DeviceStorage requests "
        "of that storage, mozCameras.getCamera, Notification.requestPermission), counting only scripts that run: reached from an entry point, or build input "
        "(not build output, test files or scripts no page opens). It is a warning when a call ignores a "
        "refusal (no error callback, a getUserMedia promise dropped without .catch, a storage request "
        "without onerror, a requestPermission answer nobody reads: KAI406 at the call site), with KAI406's fixes as edits to those scripts (one "
        "per call site, and one for all of them); a hint when every call handles a refusal; and this "
        "information when no call is found (nothing calls it yet, or kaios-lsp cannot see the call: a "
        "computed name, an app too big to read; KAI405 says when the permission is not used at all). "
        "Inline scripts count where they run (not blocked by the app's or the page's policy). Only permissions that prompt for the app's type and version are reported: certified "
        "and core apps get camera, microphone and device storage without a dialog. desktop-notification "
        "is a prompt permission whose default is allow (KaiOS 2.5; 3.x signed and core): it is granted "
        "without a dialog but the user can turn it off, so check Notification.permission.",
        bad='{"name": "Demo", "permissions": {"geolocation": {"description": "Show nearby stations"}}}',
        good='{"name": "Demo", "permissions": {"alarms": {"description": "Wake up for new episodes"}}}',
        fixable=True,
        fix_note="The declaration itself needs no fix: the dialog is what the permission is for. "
        "Where a call ignores a refusal, the fixes edit the call sites (KAI406's fixes, as edits "
        "to the scripts or pages): one per call site, and one for all of them.",
        example_app=(
            "index.html",
            "<!doctype html><script>navigator.geolocation.getCurrentPosition("
            "function (position) { show(position); });</script>",
        ),
    ),
    Rule(
        id="KAI205",
        name="permission-description",
        title="Permission without a description",
        severity=Severity.WARNING,
        category="Permissions",
        explanation="Stores require a description for each permission (an empty one counts as missing). It is a store-review matter: an always-allowed permission "
        "(systemXHR, alarms...) is granted without any dialog, and only a prompt permission has a "
        "dialog that could show it. Not reported for certified and core apps, which no store "
        "reviews. The fix inserts a description to replace with your own words.",
        bad='{"name": "Demo", "type": "privileged", "permissions": {"systemXHR": {}}}',
        good='{"name": "Demo", "type": "privileged", "permissions": {"systemXHR": {"description": "Load podcast feeds"}}}',
        fixable=True,
        fix_note="Inserts a description that says what the permission is for in general words, to replace with your own.",
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
    Rule(
        id="KAI213",
        name="unverified-permission",
        title="Permission only known from some device builds",
        severity=Severity.WARNING,
        category="Permissions",
        explanation="sound-trigger, teereader-manage, embms, donglemanager, dfc, device-sec-info (2.5.3+ device "
        "builds), background-window, omacpmsg, OmaService (3.1 devices) and euicc (later 3.x) are reported "
        "by kaios.dev, and jrdextension (TCL/Alcatel's navigator.jrdExtension, held by their system Browser) "
        "is known from TCL/Alcatel device builds; none is in the public KaiOS tables: other phones skip them, and what each app type "
        "gets cannot be checked. Turn the rule off if you target those devices.",
        bad='{"name": "Demo", "type": "privileged", "permissions": {"sound-trigger": {"description": "Wake word"}}}',
        good='{"name": "Demo", "type": "privileged", "permissions": {}}',
        fix_note="No mechanical fix: only the device builds you target can say whether the permission exists; set the rule's level to match them.",
    ),
    Rule(
        id="KAI214",
        name="store-policy-permission",
        title="Store-policy name that is not a Gecko permission",
        severity=Severity.INFO,
        category="Permissions",
        explanation="mobiledata, wifidata and calllog are asked for by the KaiStore China type approval (CTA), not "
        "by the phone: Gecko logs them as invalid names and ignores them. Keep them if you publish there.",
        bad='{"name": "Demo", "permissions": {"mobiledata": {"description": "Uses mobile data"}}}',
        good='{"name": "Demo", "permissions": {}}',
        fix_note="No mechanical fix: these names are store-policy labels, not Gecko permissions; keep or remove them as the store you publish in requires.",
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
