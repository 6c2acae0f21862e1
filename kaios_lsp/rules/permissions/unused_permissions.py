"""KAI405: a declared permission that no script of the app mentions.

Conservative on purpose (a hint, never a guess): a permission counts as used when any
script or page of the app so much as mentions one of the API names that need it
(``mozContacts``, ``getDeviceStorage``, ``mozSystem``...), wherever it appears. Only
permissions whose every API we know are judged, and nothing is reported when the app is
too big to read completely.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable
from functools import cache

from kaios_lsp.app.dependent import WhileUnchanged
from kaios_lsp.app.files import FileView
from kaios_lsp.app.manifest import Manifest
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.facts.js_apis import api_table
from kaios_lsp.findings import Finding, Fix, Severity, TextEdit
from kaios_lsp.parse.json.edit import remove_member
from kaios_lsp.parse.json.nodes import Member, ObjectNode
from kaios_lsp.rules.meta import Rule, reads
from kaios_lsp.rules.permissions.app_scripts import app_scripts
from kaios_lsp.rules.permissions.permission_rules import PERMISSION_READS

log = logging.getLogger("kaios_lsp.analysis")

UNUSED_PERMISSION = "KAI405"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI405",
        name="unused-permission",
        title="Declared permission that no script uses",
        severity=Severity.HINT,
        category="JavaScript",
        explanation="A permission whose APIs no script or page of the app even mentions (any mention counts, so this never "
        "guesses). Only permissions whose APIs kaios-lsp knows are judged, and nothing is reported when the app "
        "is too big to read completely (5,000 files or 64 MB). The manifest's own mentions count too: a system "
        "message it registers (alarm -> alarms, notification -> desktop-notification, push, sms-*, "
        "telephony-*, bluetooth-*; SystemMessagePermissionsChecker.jsm) or the API named in the entry itself "
        '("spatialnavigation-app-manage": {"navigator.spatialNavigationEnabled": false}). Shown faded in the '
        "manifest; the fix removes it.",
        bad='{"name": "Demo", "type": "privileged", "permissions": {"contacts": {"description": "Find friends", "access": "readonly"}}}',
        good='{"name": "Demo", "type": "privileged", "permissions": {}}',
        fixable=True,
        fix_note="Removes the permission from the manifest.",
    ),
)

MAX_BYTES = 64 * 1024 * 1024
# System messages (manifest "messages") that need a permission and deliver its events
# without any script API call: the manifest itself uses the permission. Per
# roytam1/gecko-kaios dom/messages/SystemMessagePermissionsChecker.jsm (as summarised in
# the reference api-permissions.json, navigator.mozSetMessageHandler): names, or name
# prefixes ending in "-".
_MESSAGE_PERMISSIONS = {
    "alarms": ("alarm",),
    "desktop-notification": ("notification", "serviceworker-notification"),
    "push": ("push", "push-register"),
    "sms": ("sms-",),
    "telephony": ("telephony-",),
    "bluetooth": ("bluetooth-",),
}


@cache
def _names_by_permission(version: str) -> dict[str, frozenset[str]]:
    """Permission -> the API words that reveal a use (last member name, option name)."""
    found: dict[str, set[str]] = {}
    for entry in api_table():
        if version not in entry["versions"]:
            continue
        words = set()
        for key in ("member", "call_arg", "new", "new_option"):
            if key in entry:
                words.add(entry[key].rsplit(".", 1)[-1])
        if "option" in entry:
            words = {entry["option"]}
        permissions = list(entry.get("permissions") or ())
        permissions += list((entry.get("options") or {}).values())
        if "template" in entry:
            permissions.append(entry["template"])
        for permission in permissions:
            found.setdefault(permission, set()).update(words)
    # a service worker shows notifications through its registration (Notifications API)
    found.setdefault("desktop-notification", set()).add("showNotification")
    return {k: frozenset(v) for k, v in found.items()}


# Every KaiOS 3.0 api-daemon service is reached through a lib_session.Session; which
# permission each service needs is not known here (kaios-facts: "new apps manager in
# api-daemon", contacts "provided by the api-daemon Contacts service").
API_DAEMON_WORD = "lib_session"


def _words_for(permission: str, version: str) -> frozenset[str] | None:
    table = _names_by_permission(version)
    if permission in table:
        return table[permission]
    for template, words in table.items():
        if "{}" in template and permission.startswith(template.split("{}")[0]):
            return words
    return None


# (path, text digest, the words looked for) -> the words found. The words are part of the
# key: a script read while the manifest declared only "contacts" says nothing about
# "Notification", which the next permission typed into the manifest looks for (the server
# kept the first answer for as long as the script's text stayed the same).
_mentions_cache: dict[tuple[str, str, str], frozenset[str]] = {}


def _mentions(path: str, text: str, pattern: re.Pattern[str]) -> frozenset[str]:
    key = (
        path,
        hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest(),
        pattern.pattern,
    )
    found = _mentions_cache.get(key)
    if found is None:
        found = frozenset(pattern.findall(text))
        if len(_mentions_cache) > 4096:
            _mentions_cache.clear()
        _mentions_cache[key] = found
    return found


# (root, skip, the words looked for) -> the words found, while the app's files are the same
_mentioned: WhileUnchanged[frozenset[str] | None] = WhileUnchanged()


def mentioned_words(
    root: str, files: FileView, words: Iterable[str], skip: tuple[str, ...] = ()
) -> set[str] | None:
    """Which of ``words`` appear in the app's scripts; ``None`` if not everything was read.
    Read again only when a script or page (or the folders' listing) changed."""
    wanted = tuple(sorted(set(words)))
    if not wanted:
        return set()
    found = _mentioned.get(
        files, (root, tuple(skip), wanted), lambda view: _mentioned_now(root, view, wanted, skip)
    )
    return None if found is None else set(found)


def _mentioned_now(
    root: str, files: FileView, wanted: tuple[str, ...], skip: tuple[str, ...]
) -> frozenset[str] | None:
    scripts = app_scripts(root, files, skip)
    if not scripts:
        return None  # no scripts at all (a fixture, an app being started): nothing to judge
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, wanted)) + r")\b")
    seen: set[str] = set()
    total = 0
    for path in scripts:
        text = files.read_text(path)
        if text is None:
            continue
        total += len(text)
        if total > MAX_BYTES:
            log.info(
                "unused-permission check skipped: the scripts under %s exceed %d MB",
                root,
                MAX_BYTES >> 20,
            )
            return None
        seen |= _mentions(path, text, pattern)
        if len(seen) == len(wanted):
            break
    return frozenset(seen)


@reads(*PERMISSION_READS, "messages")  # (the removals the permission rules offer, too)
def unused_permission_rule(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    if manifest.path is None or manifest.root is None:
        return
    features = manifest.features
    member = features.get("permissions") if features is not None else None
    if member is None or not isinstance(member.value, ObjectNode):
        return
    container = member.value
    version = manifest.version
    messages = _messages(manifest.value)
    judged: dict[Member, frozenset[str]] = {}
    for entry in container.members:
        name = str(entry.key.value)
        words = _words_for(name, version)
        if words is None:
            continue
        if _used_by_messages(name, messages) or _mentioned_in_own_entry(
            manifest.text, entry, words
        ):
            continue
        judged[entry] = words
    if not judged:
        return
    root, skip = _scripts_root(ctx)
    wanted = {w for ws in judged.values() for w in ws}
    if version == "3.0":
        wanted.add(API_DAEMON_WORD)
    seen = mentioned_words(root, ctx.files, wanted, skip)
    if seen is None:
        return
    if API_DAEMON_WORD in seen:
        log.info("unused-permission check skipped: %s uses api-daemon services", manifest.path)
        return
    removals = _removals_offered_elsewhere(ctx)
    for entry, words in judged.items():
        if words & seen:
            continue
        name = str(entry.key.value)
        removal = _span(remove_member(manifest.text, container, entry))
        # a permission that is also denied (KAI202), granted anyway (KAI208) or of the
        # other version (KAI215) already has its "Remove" there: one problem, one action
        fixes = () if removal in removals else (Fix.replace(f'Remove "{name}"', *removal),)
        yield Finding(
            UNUSED_PERMISSION,
            entry.key.start,
            entry.key.end,
            f'"{name}" is declared but no script or page of the app mentions '
            f"{' or '.join(sorted(words))}: {_why_remove(manifest, ctx)} Remove it if the app "
            "does not need it.",
            fixes=fixes,
            severity=Severity.HINT,
            unnecessary=True,
        )


def _removals_offered_elsewhere(ctx: ManifestContext) -> set[tuple[int, int, str]]:
    """The single-edit removals that the permission rules already offer."""
    from kaios_lsp.rules.permissions.permission_rules import (
        permission_rules,  # (both are manifest rules)
    )

    out: set[tuple[int, int, str]] = set()
    for finding in permission_rules(ctx):
        for fix in finding.fixes:
            edits = [e for change in fix.changes if change.path is None for e in change.edits]
            if len(fix.changes) == 1 and len(edits) == 1 and not edits[0].new_text:
                out.add(_span(edits[0]))
    return out


def _scripts_root(ctx: ManifestContext) -> tuple[str, tuple[str, ...]]:
    """Where the app's scripts are: the manifest's folder, or for build input the whole
    build project (a Vue CLI manifest sits in public/, its scripts in src/) without the
    build's output."""
    model = ctx.model
    assert ctx.manifest.path is not None
    if model is not None and model.situation == "input" and model.build is not None:
        return model.build.root, model.build.output_dirs
    return os.path.dirname(ctx.manifest.path), ()


def _why_remove(manifest: Manifest, ctx: ManifestContext) -> str:
    if manifest.preinstalled(ctx.config.distribution):  # never store-reviewed
        return "an unused permission only widens what the app could do if it were compromised."
    return "an unused permission makes the install review and the user's trust harder."


def _messages(value: object) -> set[str]:
    """The system messages the app registers (2.5: messages, 3.0: b2g_features.messages)."""
    if not isinstance(value, dict):
        return set()
    features = value.get("b2g_features")
    names: set[str] = set()
    for found in (
        value.get("messages"),
        features.get("messages") if isinstance(features, dict) else None,
    ):
        for item in found if isinstance(found, list) else ():
            if isinstance(item, str):
                names.add(item)
            elif isinstance(item, dict):
                names.update(str(key) for key in item)
    return names


def _used_by_messages(permission: str, messages: set[str]) -> bool:
    wanted = _MESSAGE_PERMISSIONS.get(permission, ())
    return any(
        message == name or (name.endswith("-") and message.startswith(name))
        for message in messages
        for name in wanted
    )


def _mentioned_in_own_entry(text: str, entry: Member, words: frozenset[str]) -> bool:
    """The manifest entry itself names the API: "spatialnavigation-app-manage":
    {"navigator.spatialNavigationEnabled": false} is a common way to say what the
    permission is for (KaiOS ignores the member, KAI101 says so), and any mention counts."""
    if entry.value is None:
        return False
    body = text[entry.value.start : entry.value.end]
    return any(re.search(r"\b" + re.escape(word) + r"\b", body) for word in words)


def _span(edit: TextEdit) -> tuple[int, int, str]:
    return edit.start, edit.end, edit.new_text


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (unused_permission_rule,)
