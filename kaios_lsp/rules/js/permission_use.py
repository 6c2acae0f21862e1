"""KAI404: an API used without its permission in the app's manifest.

Which API needs which permission comes from ``data/js_apis.json`` (built by
``tools/build_data.py`` from the reference tables). The same detection tells the manifest
which declared permissions no script uses (KAI405, :mod:`..unused_permissions`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.manifest import Manifest
from kaios_lsp.facts import permissions as permission_table
from kaios_lsp.facts.js_apis import ApiEntry, api_table
from kaios_lsp.findings import FileChange, Finding, Fix, Related, Severity, TextEdit
from kaios_lsp.parse.js.tree import JsNode, identifier_name, string_value
from kaios_lsp.parse.json.edit import insert_member
from kaios_lsp.parse.json.nodes import ObjectNode
from kaios_lsp.rules.js.context import ScriptContext
from kaios_lsp.rules.js.uses import call_of, in_feature_test, is_used_value, uses_of
from kaios_lsp.rules.meta import Rule

MISSING_PERMISSION = "KAI404"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI404",
        name="missing-permission",
        title="API used without its permission in the manifest",
        severity=Severity.WARNING,
        category="JavaScript",
        explanation="navigator.mozContacts, getDeviceStorage('sdcard'), new XMLHttpRequest({ mozSystem: true }), "
        "mozAlarms, mozTCPSocket, getUserMedia({ video }), navigator.b2g.* on 3.0 and the other APIs in "
        "data/js_apis.json need a permission in the manifest (permissions on 2.5, b2g_features.permissions on "
        "3.0). The message says what happens per API: most are undefined without it, so any use throws a "
        "TypeError (navigator.mozContacts.find(), navigator.b2g.*); getFlashlightManager() throws a "
        "SecurityError; DeviceStorage requests fail; prompt APIs (geolocation, getUserMedia) refuse; systemXHR "
        "silently becomes a CORS request. Where no enforcement point is known (MozSpeakerManager, "
        "Notification, navigator.b2g.cameras) it says so, as information. MozActivity needs none. The fix adds the permission, with a description and each possible "
        "access level as a choice, to the manifest, which then re-validates; no fix when the app type can "
        "never get it.",
        bad="var cursor = navigator.mozContacts.getAll();",
        good="navigator.mozAlarms.getAll();",
        fixable=True,
        example_file="app.js",
        example_app=(
            "manifest.webapp",
            '{"name": "Demo", "type": "privileged", "permissions": {"alarms": {"description": "Wake up"}}}',
        ),
        fix_note="Adds the permission (with a description to fill in and each access level as a choice) "
        "to the manifest. No fix when the app's type can never be granted it (a certified-only permission "
        "in a privileged app): changing the type is the developer's decision.",
    ),
)


# What the API does without its permission, by the ``missing`` kind of data/js_apis.json.
_CONSEQUENCE = {
    # absent (WebIDL guard): not a refusal but a TypeError, e.g. mozContacts.find()
    "undefined": "{api} is undefined without it, so any use of it (a call or property on it) "
    "throws a TypeError",
    "constructor undefined": "{api} is not defined without it (ReferenceError)",
    "call throws SecurityError": "calling {api}() throws a SecurityError",
    "silently downgraded": "the request silently becomes an ordinary CORS request",
    "request error SecurityError": "every request fails with a SecurityError",
    "unconfirmed": "what the phone does without it is not confirmed (no enforcement point was "
    "found in the KaiOS sources), but it is probably refused",
}
# present, but it rejects (error callback, rejected promise): geolocation, getUserMedia...
_REFUSED = "the phone refuses every call without asking the user"


def consequence_of(entry: ApiEntry, api: str) -> str:
    kind = entry.get("missing") or ""
    if kind.startswith("undefined"):  # "undefined (mgmt attribute not exposed)" too
        kind = "undefined"
    return _CONSEQUENCE.get(kind, _REFUSED).format(api=api)


@dataclass(frozen=True)
class ApiUse:
    node: JsNode  # where to report
    api: str  # what the user wrote, e.g. navigator.getDeviceStorage('sdcard')
    permissions: tuple[str, ...]  # any one of these unlocks it
    entry: ApiEntry


def api_uses(ctx: ScriptContext, version: str) -> Iterator[ApiUse]:
    """Every use of a permission-guarded API in the script (for ``version``)."""
    entries = [e for e in api_table() if version in e["versions"]]
    by_member: dict[str, list[ApiEntry]] = {}
    for entry in entries:
        for key in ("member", "call_arg", "new", "new_option"):
            if key in entry:
                by_member.setdefault(entry[key], []).append(entry)
    for node, path in uses_of(ctx, by_member):
        for entry in by_member[path]:
            use = _match(ctx, node, path, entry)
            if use is not None:
                yield use


def _match(ctx: ScriptContext, node: JsNode, path: str, entry: ApiEntry) -> ApiUse | None:
    parent = node.parent
    perms = tuple(entry.get("permissions") or ())
    if "call_arg" in entry and entry["call_arg"] == path:
        call = call_of(node)
        if call is None or call.node("callee") is not node:
            return None
        args = call.nodes("arguments")
        index = entry.get("arg", 0)
        value = string_value(args[index]) if index < len(args) else None
        if not value:
            return None  # a computed storage name: cannot tell which permission
        name = entry["template"].format(value)
        if permission_table.lookup(name) is None:
            return None
        return ApiUse(call, f"{path}('{value}')", (name,), entry)
    if "new_option" in entry and entry["new_option"] == path:
        if parent is None or parent.type != "NewExpression" or parent.node("callee") is not node:
            return None
        args = parent.nodes("arguments")
        option = entry["option"]
        if not args or args[0].type != "ObjectExpression":
            return None
        for prop in args[0].nodes("properties"):
            key = prop.node("key")
            key_name = identifier_name(key) or string_value(key)
            option_value = prop.node("value")
            if (
                key_name == option
                and option_value is not None
                and option_value.get("value") is True
            ):
                return ApiUse(prop, f"new {path}({{ {option}: true }})", perms, entry)
        return None
    if "new" in entry and entry["new"] == path and "member" not in entry:
        if parent is None or parent.type != "NewExpression" or parent.node("callee") is not node:
            return None
        return ApiUse(parent, f"new {path}()", perms, entry)
    if "member" in entry and entry["member"] == path:
        if "options" in entry:
            return _options_use(node, path, entry)
        assigned = (
            entry.get("assigned_too")
            and parent is not None
            and parent.type == "AssignmentExpression"
            and parent.node("left") is node
        )
        if not assigned and (not is_used_value(node) or in_feature_test(node)):
            return None
        return ApiUse(node, path, perms, entry)
    return None


def _options_use(node: JsNode, path: str, entry: ApiEntry) -> ApiUse | None:
    """``getUserMedia({ audio: true, video: {...} })``: the permission per requested kind."""
    call = call_of(node)
    if call is None or call.node("callee") is not node:
        return None
    args = call.nodes("arguments")
    if not args or args[0].type != "ObjectExpression":
        return None
    wanted = []
    for prop in args[0].nodes("properties"):
        key = prop.node("key")
        name = identifier_name(key) or string_value(key)
        value = prop.node("value")
        if name in entry["options"] and not (value is not None and value.get("value") is False):
            wanted.append(entry["options"][name])
    if not wanted:
        return None
    return ApiUse(call, f"{path}({', '.join(wanted)})", tuple(wanted), entry)


def missing_permission_rule(ctx: ScriptContext) -> list[Finding]:
    return missing_permission_findings(missing_permission_uses(ctx))


# (API id and permission, what the user wrote, the finding at this use alone)
MissingUse = tuple[tuple[str, str], str, Finding]


def missing_permission_uses(ctx: ScriptContext) -> list[MissingUse]:
    """Every use of an API whose permission the app lacks, each with its own finding:
    the part of the rule that judges one place (one region at a time, see
    rules/js/incremental.py); :func:`missing_permission_findings` joins them."""
    app = ctx.app
    if app is None or ctx.version is None:
        return []
    # a declared permission this app type is denied is never granted: as good as missing
    declared = {p for p in app.permissions if not _denied(app, p)}
    declared |= set(permission_table.implicit(app.version))
    found: list[MissingUse] = []
    fixes: dict[str, tuple[Fix, ...]] = {}
    for use in api_uses(ctx, app.version):
        # getUserMedia({audio, video}) needs each one; other APIs need any one of the list
        needs_all = "options" in use.entry
        missing = [p for p in use.permissions if p not in declared]
        if not missing or (not needs_all and len(missing) < len(use.permissions)):
            continue
        for name in missing if needs_all else missing[:1]:
            found.append(((use.entry["id"], name), use.api, _finding(ctx, use, name, fixes)))
    return found


def missing_permission_findings(uses: list[MissingUse]) -> list[Finding]:
    """One finding per API and permission, at its first use (the fix is the same for
    all), naming the file's other uses."""
    first: dict[tuple[str, str], Finding] = {}
    others: dict[tuple[str, str], list[tuple[str, Finding]]] = {}
    for key, api, finding in uses:
        if key in first:
            others.setdefault(key, []).append((api, finding))
        else:
            first[key] = finding
    out = []
    for key, finding in first.items():
        more = others.get(key, [])
        if more:
            finding = replace(
                finding,
                message=f"{finding.message} ({len(more)} more use{'s' if len(more) > 1 else ''} "
                "in this file.)",
                related=tuple(
                    Related(other.start, other.end, f'{api} also needs "{key[1]}"')
                    for api, other in more[:20]
                ),
            )
        out.append(finding)
    return out


missing_permission_rule.region_part = missing_permission_uses  # type: ignore[attr-defined]
missing_permission_rule.combine = missing_permission_findings  # type: ignore[attr-defined]


def _finding(
    ctx: ScriptContext, use: ApiUse, name: str, fixes_by_name: dict[str, tuple[Fix, ...]]
) -> Finding:
    app = ctx.app
    assert app is not None
    manifest_name = app.manifest_path.replace("\\", "/").rsplit("/", 1)[-1]
    where = "permissions" if app.version == "2.5" else "b2g_features.permissions"
    permission = permission_table.lookup(name)
    action = permission.action(app.version, app.column) if permission else None
    if name in app.permissions:  # declared, but denied to this app type
        message = (
            f'{use.api} needs the "{name}" permission, which {manifest_name} declares but '
            f"{app.label} are never granted: {consequence_of(use.entry, _shown_api(use))}."
        )
    else:
        message = (
            f'{use.api} needs the "{name}" permission, which {where} in {manifest_name} does '
            f"not declare: {consequence_of(use.entry, _shown_api(use))}."
        )
    fixes: tuple[Fix, ...] = ()
    if name in app.permissions:
        pass  # KAI202 on the manifest says what can be done
    elif permission is not None and action in ("allow", "prompt"):
        if name not in fixes_by_name:
            fixes_by_name[name] = add_permission_fixes(app.manifest, name)
        fixes = fixes_by_name[name]
    elif permission is not None:
        message += f" {app.label} cannot get it at all."
    unconfirmed = use.entry.get("missing") == "unconfirmed"
    return Finding(
        MISSING_PERMISSION,
        use.node.start,
        use.node.end,
        message,
        fixes=fixes,
        severity=Severity.INFO if unconfirmed else None,
    )


def _denied(app: AppContext, name: str) -> bool:
    permission = permission_table.lookup(name)
    return permission is not None and permission.action(app.version, app.column) == "deny"


def _shown_api(use: ApiUse) -> str:
    """The member the consequence is about: the call's callee for a call_arg use."""
    return use.entry.get("member") or use.entry.get("new") or use.api


def add_permission_fixes(manifest: Manifest, name: str) -> tuple[Fix, ...]:
    """Fixes that declare ``name`` in the manifest (one per access level when it needs one)."""
    permission = permission_table.lookup(name)
    if permission is None or manifest.path is None:
        return ()
    # the manifest's access values (readonly, readwrite...), not the table's levels
    # (read, write, create), which the installer would reject
    levels: Sequence[str | None] = permission_table.manifest_access_values(
        permission.access(manifest.version)
    ) or [None]
    fixes = []
    for level in levels:
        value = {"description": permission.placeholder_description}
        if level:
            value["access"] = level
        edit = add_permission_edit(manifest, name, json.dumps(value, ensure_ascii=False))
        if edit is None:
            return ()
        title = f'Add "{name}"' + (f" ({level})" if level else "") + " to the manifest"
        fixes.append(Fix(title, (FileChange(manifest.path, (edit,)),)))
    return tuple(fixes)


def add_permission_edit(manifest: Manifest, name: str, value_text: str) -> TextEdit | None:
    root = manifest.root
    if root is None or not root.closed:
        return None
    text = manifest.text
    features = manifest.features
    if features is None:  # a 3.0 manifest without b2g_features
        inner = json.dumps({"permissions": {name: json.loads(value_text)}}, ensure_ascii=False)
        return insert_member(text, root, "b2g_features", inner)
    if not features.closed:
        return None
    member = features.get("permissions")
    if member is None:
        return insert_member(
            text, features, "permissions", "{" + json.dumps(name) + ": " + value_text + "}"
        )
    value = member.value
    if not isinstance(value, ObjectNode) or not value.closed:
        return None
    return insert_member(text, value, name, value_text)


def used_permission_names(ctx: ScriptContext, version: str) -> set[str]:
    """Permissions whose APIs the script uses (any alternative counts as used)."""
    return {p for use in api_uses(ctx, version) for p in use.permissions}


def watched_api_paths() -> set[str]:
    """The global paths of every API in the table (members, calls, constructors)."""
    paths = set()
    for entry in api_table():
        for key in ("member", "call_arg", "new", "new_option"):
            if key in entry:
                paths.add(entry[key])
    return paths


# The checks run on every script (declaring them here registers them), and the global
# paths they ask about (indexed in one pass per script).
SCRIPT_CHECKS = (missing_permission_rule,)
WATCHED_PATHS = watched_api_paths  # a function: the API table loads on first use
