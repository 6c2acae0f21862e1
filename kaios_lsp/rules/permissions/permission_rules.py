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

from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.permissions import (
    ALLOW,
    DENY,
    PROMPT,
    implicit,
    lookup,
)
from kaios_lsp.findings import Finding, Severity
from kaios_lsp.parse.json.nodes import ArrayNode, ObjectNode
from kaios_lsp.rules.meta import Rule, reads
from kaios_lsp.rules.permissions.denied import denied_permission
from kaios_lsp.rules.permissions.names import (
    implicit_permission,
    other_version_permission,
    unknown_permission,
)
from kaios_lsp.rules.permissions.prompts import description_findings, prompted_permission
from kaios_lsp.rules.permissions.values import (
    access_findings,
    array_form,
    is_scalar_value,
    scalar_value_finding,
)

UNVERIFIED = "KAI213"
STORE_POLICY = "KAI214"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
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
)


# What the permission rules read: the declarations, and what decides the permission
# table column (type; core and start_url in 3.0), the implicit ones (appcache_path) and
# the policies a prompting call runs under (csp). The app's scripts are checked apart.
PERMISSION_READS = ("permissions", "type", "core", "start_url", "appcache_path", "csp")


@reads(*PERMISSION_READS)
def permission_rules(ctx: ManifestContext) -> list[Finding]:
    """The findings of every declared permission, computed once per analysis (KAI405
    asks which removals they offer)."""
    found = ctx.__dict__.get("_permission_findings")
    if found is None:
        found = list(_permission_findings(ctx))
        ctx.__dict__["_permission_findings"] = found
    return found


def _permission_findings(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    features = manifest.features
    if features is None:
        return
    member = features.get("permissions")
    if member is None or member.value is None:
        return
    if isinstance(member.value, ArrayNode):
        yield array_form(ctx, member)
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
            yield implicit_permission(ctx, container, entry, version)
            continue
        permission = lookup(name)
        if permission is None or permission.status == "removed":
            yield unknown_permission(ctx, entry, version, permission)
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
            yield other_version_permission(ctx, container, entry, permission, version)
            continue
        if is_scalar_value(entry):
            yield scalar_value_finding(entry, permission, version)
            if permission.access(version) is not None:
                continue  # never granted: no prompt, no description to judge
            access_problems = []
        else:
            access_problems = list(access_findings(ctx, entry, permission, version))
        yield from access_problems
        action = permission.action(version, column)
        if action == DENY:
            yield denied_permission(ctx, container, entry, permission, version, column)
            continue
        if action == PROMPT and not access_problems:  # never granted: no dialog either
            yield prompted_permission(ctx, entry, permission, version, column)

        if not manifest.preinstalled(ctx.config.distribution):  # descriptions are for the store
            prompts = action == PROMPT and permission.default_prompt(version, column) != ALLOW
            yield from description_findings(ctx, entry, permission, prompts)


# -- individual findings ------------------------------------------------------------------


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (permission_rules,)
