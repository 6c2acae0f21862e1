"""Permissions the phone asks the user for, and the description the store shows with them."""

from __future__ import annotations

import json
from collections.abc import Iterable

from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.permissions import (
    Permission,
)
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.json.edit import insert_member
from kaios_lsp.parse.json.nodes import Member, ObjectNode
from kaios_lsp.rules.meta import Rule
from kaios_lsp.rules.permissions.wording import TYPE_WORDS

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
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
)


PROMPTS = "KAI204"


DESCRIPTION = "KAI205"


def prompted_permission(
    ctx: ManifestContext, entry: Member, permission: Permission, version: str, column: str
) -> Finding:
    """KAI204: see :mod:`.prompt_sites` (the calls that show the dialog, and their fixes)."""
    from kaios_lsp.rules.permissions.prompt_sites import prompt_finding

    return prompt_finding(ctx, entry, permission, version, column, TYPE_WORDS)


def _description_consequence(prompts: bool) -> str:
    """A missing description is a store-review matter; only a prompt permission has a
    dialog at all (an always-allowed one like systemXHR is granted silently)."""
    if prompts:
        return "stores reject it, and the permission dialog has nothing to show the user"
    return (
        "stores reject it (the permission is granted without a dialog, so only the store reads it)"
    )


def description_findings(
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
