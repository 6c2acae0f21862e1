"""Hover text for manifests: member documentation, permission facts and the app's
effective Content Security Policy. Pure: offset in, Markdown out."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kaios_lsp.app.manifest import WEBAPP, Manifest
from kaios_lsp.config import Config
from kaios_lsp.facts.permissions import (
    ACCESS_VALUES,
    COLUMNS,
    PROMPT,
    Permission,
    lookup,
    sources,
)
from kaios_lsp.parse.csp import POLICY_SOURCES, default_policy, describe
from kaios_lsp.parse.json.nodes import member_at, node_path
from kaios_lsp.rules.manifest.schema_check import schema_at
from kaios_lsp.rules.manifest.schema_words import describe_path
from kaios_lsp.services.migrate import NOT_MAPPED


@dataclass
class Hover:
    start: int
    end: int
    markdown: str


_REFUSAL = {
    "geolocation": "pass an error callback to `getCurrentPosition`/`watchPosition`: a refusal calls it with `error.code === 1` (PERMISSION_DENIED).",
    "camera": "catch the rejected promise of `getUserMedia` (`NotAllowedError`) and offer another way.",
    "audio-capture": "catch the rejected promise of `getUserMedia` (`NotAllowedError`).",
    "video-capture": "catch the rejected promise of `getUserMedia` (`NotAllowedError`).",
    "desktop-notification": "check `Notification.permission` (and the result of `Notification.requestPermission()`) before showing notifications.",
    "mobileid": "handle the rejected promise of `navigator.getMobileIdAssertion`.",
}
_COLUMN_LABEL = {
    "web": "web",
    "privileged": "privileged",
    "certified": "certified",
    "pwa": "pwa (hosted)",
    "signed": "signed (packaged)",
    "core": "core",
}


APP_MODEL_MEMBERS = ("type", "launch_path", "start_url")


def manifest_hover(
    manifest: Manifest, offset: int, config: Config | None = None, files=None
) -> Hover | None:
    """Hover at ``offset``; with ``files`` the hover over ``type``, ``launch_path`` and
    ``start_url`` also shows the app model (what ships, what runs, why a file is quiet)."""
    found = _manifest_hover(manifest, offset, config or Config())
    if found is None or files is None:
        return found
    calls = _prompt_calls(manifest, offset, config or Config(), files)  # KAI204 call sites
    if calls:
        found = Hover(found.start, found.end, found.markdown + "\n\n" + calls)
    member, _ = member_at(manifest.root, offset)
    path = node_path(member) if member is not None else []
    features_path = [] if manifest.kind == WEBAPP else ["b2g_features"]
    if (
        path
        and (path == [path[-1]] or path[:-1] == features_path)
        and path[-1] in APP_MODEL_MEMBERS
    ):
        section = app_model_markdown(manifest, files, config or Config())
        if section:
            return Hover(found.start, found.end, found.markdown + "\n\n" + section)
    return found


def _prompt_calls(manifest: Manifest, offset: int, config: Config, files) -> str:
    from kaios_lsp.rules.permissions.prompt_sites import call_sites_markdown

    return call_sites_markdown(manifest, offset, config, files)


def app_model_markdown(manifest: Manifest, files, config: Config) -> str:
    """The app model as a hover section."""
    from kaios_lsp.app.model import build_model

    model = build_model(manifest, files, config.exclude)
    if model is None:
        return ""
    lines = model.describe()
    return "**What ships and what runs** (kaios-lsp app model)\n\n" + "\n".join(
        f"- {line.strip()}" if not line.startswith(" ") else f"  - {line.strip()}" for line in lines
    )


def _manifest_hover(manifest: Manifest, offset: int, config: Config) -> Hover | None:
    member, in_key = member_at(manifest.root, offset)
    if member is None:
        return None
    path = node_path(member)
    features_path = [] if manifest.kind == WEBAPP else ["b2g_features"]
    start, end = (
        (member.key.start, member.key.end)
        if in_key or member.value is None
        else (member.value.start, member.value.end)
    )
    if (
        in_key
        and len(path) == len(features_path) + 2
        and path[: len(features_path) + 1] == [*features_path, "permissions"]
    ):
        permission = lookup(str(path[-1]))
        if permission is not None:
            column = manifest.permission_column(config.distribution)
            return Hover(start, end, permission_markdown(permission, manifest.version, column))

    if path in ([*features_path, "type"], [*features_path, "csp"]):
        return Hover(
            start,
            end,
            member_markdown(manifest, path) + "\n\n" + effective_csp_markdown(manifest, config),
        )
    doc = member_markdown(manifest, path)
    return Hover(start, end, doc) if doc else None


def member_markdown(manifest: Manifest, path: list) -> str:
    schema = schema_at(f"manifest.{manifest.kind}", path)
    if not schema:
        return ""
    title = f"**{describe_path(path)}**"
    kind = schema.get("type")
    if kind:
        title += " — " + (" or ".join(kind) if isinstance(kind, list) else kind)
    lines = [title]
    if schema.get("description"):
        lines += ["", schema["description"]]
    if schema.get("enum"):
        lines += ["", "Allowed: " + ", ".join(f"`{json.dumps(v)}`" for v in schema["enum"])]
    parent = schema_at(f"manifest.{manifest.kind}", path[:-1]) or {}
    name = path[-1] if path else None
    if name in parent.get("required", []):
        why = parent.get("x-kaios-required", {}).get(name, {}).get("why")
        lines += ["", "**Required**" + (f": {why}." if why else ".")]
    store = parent.get("x-kaios-store-required", {}).get(name) if isinstance(name, str) else None
    if store:
        lines += ["", f"**Store requirement**: {store}."]
    effect = schema.get("x-kaios")
    if isinstance(effect, dict) and effect.get("why"):
        consequence = {
            "fails": "the install fails",
            "store": "the store rejects it",
            "ignored": "KaiOS ignores it",
        }
        lines += [
            "",
            f"If the value is wrong, {consequence.get(effect.get('invalid', 'ignored'), 'KaiOS ignores it')} ({effect['why']}).",
        ]
    other = _other_version(manifest, path)
    if other:
        lines += ["", other]
    return "\n".join(lines)


def _other_version(manifest: Manifest, path: list) -> str:
    """Where the member lives in the other KaiOS version (from the migration rules)."""
    if not path or not isinstance(path[0], str):
        return ""
    if manifest.kind == WEBAPP:
        if len(path) != 1:
            return ""
        name = path[0]
        root_equivalents = {
            "launch_path": "start_url",
            "default_locale": "lang",
            "fullscreen": 'display: "fullscreen"',
            "start_url": "start_url",
            "name": "name",
            "short_name": "short_name",
            "description": "description",
            "orientation": "orientation (one value)",
            "theme_color": "theme_color",
            "background_color": "background_color",
            "icons": "icons (an array of {src, sizes, type})",
            "version": "b2g_features.version",
        }
        if name in root_equivalents:
            return f"KaiOS 3.0 (manifest.webmanifest): `{root_equivalents[name]}`."
        if name in NOT_MAPPED:
            return f"KaiOS 3.0: not available ({NOT_MAPPED[name]})."
        return f"KaiOS 3.0 (manifest.webmanifest): `b2g_features.{name}`."
    if path[0] == "b2g_features" and len(path) == 2:
        return f"KaiOS 2.5 (manifest.webapp): `{path[1]}` at the top level."
    reverse = {
        "start_url": "launch_path",
        "lang": "default_locale",
        "display": 'fullscreen (for "fullscreen")',
    }
    if len(path) == 1 and path[0] in reverse:
        return f"KaiOS 2.5 (manifest.webapp): `{reverse[path[0]]}`."
    return ""


def permission_markdown(permission: Permission, version: str, column: str) -> str:
    """Everything about a permission, for an app of ``version`` installed as ``column``."""
    out = [f"**{permission.name}** — KaiOS permission"]

    if permission.status != "public":
        out += [
            "",
            {
                "device-build": "Only known from some device builds (reported by kaios.dev, not in the public tables).",
                "later-3x": "Only in later KaiOS 3.x builds.",
                "store-policy": "Not a Gecko permission: KaiStore China asks for it; phones ignore it.",
                "removed": "Firefox OS only: KaiOS removed it.",
            }.get(permission.status, ""),
        ]
    for table_version, row in (("2.5", permission.kaios25), ("3.x", permission.kaios30)):
        if row is None:
            out += ["", f"KaiOS {table_version}: not a permission."]
            continue
        columns = COLUMNS["2.5" if table_version == "2.5" else "3.0"]
        out += [
            "",
            "| KaiOS "
            + table_version
            + " | "
            + " | ".join(_COLUMN_LABEL[c] for c in columns)
            + " |",
            "|---|" + "---|" * len(columns),
            "| | " + " | ".join(str(row.get(c) or "unknown") for c in columns) + " |",
        ]
    action = permission.action(version, column)
    if action:
        what = {
            "allow": "granted silently at install",
            "prompt": "prompts the user",
            "deny": "denied (never granted)",
        }[action]
        if action == PROMPT and permission.default_prompt(version, column) == "allow":
            what = (
                "granted at install (prompt defaults to allow); the user can revoke it in Settings"
            )
        out += ["", f"**This app** (KaiOS {version}, {_COLUMN_LABEL[column]}): {what}."]
        if action == PROMPT:
            advice = _REFUSAL.get(permission.name) or (
                "handle `onerror` of the DeviceStorage request (`SecurityError`)."
                if permission.name.startswith("device-storage:")
                else "handle the error the API reports when the user refuses."
            )
            out += [
                f"KaiOS asks whether the app may {permission.dialog}; the user may refuse. To handle a refusal, {advice}"
            ]
    access = permission.access(version)
    if access:
        valid = [v for v, grants in ACCESS_VALUES.items() if set(grants) & set(access)]
        out += ["", "**access** required: " + ", ".join(f"`{v}`" for v in valid)]
    elif permission.exists_in(version):
        out += ["", "Takes no **access** (an access value makes the installer grant nothing)."]
    if permission.substitute:
        out += [
            "",
            "Installs "
            + ", ".join(f"`{s}`" for s in permission.substitute)
            + " instead of itself.",
        ]
    if permission.replaced_in_3:
        out += ["", f"KaiOS 3.x replacement: `{permission.replaced_in_3}`."]
    if permission.apis:
        out += ["", "Unlocks: " + ", ".join(f"`{a}`" for a in permission.apis)]
    if permission.notes:
        out += ["", permission.notes]
    source = sources().get("kaios25" if version == "2.5" else "kaios30", {})
    if source:
        out += [
            "",
            f"Source: {source.get('repo')} `{source.get('path')}`"
            + (f" ({permission.origin})" if permission.origin else ""),
        ]
    return "\n".join(out)


def effective_csp_markdown(manifest: Manifest, config: Config) -> str:
    version = manifest.version
    column = manifest.permission_column(config.distribution)
    default = default_policy(version, column, config.default_csp)
    features = manifest.features
    node = features.value_of("csp") if features is not None else None
    own = node.value if node is not None and node.kind == "string" else None
    out = [f"**Effective Content Security Policy** (KaiOS {version}, {_COLUMN_LABEL[column]} app)"]
    if default:
        out += ["", "Default policy (always enforced):", "```", default, "```"]
    else:
        out += [
            "",
            "No default policy: "
            + ("web apps" if column == "web" else "hosted apps")
            + " only get what they set themselves.",
        ]
    if own:
        out += [
            "",
            "Plus the manifest csp (enforced as a second policy: it can only add restrictions):",
            "```",
            own,
            "```",
        ]
        if version == "3.0":
            out += ["Whether KaiOS 3.0 applies a manifest csp is not confirmed."]
    # every policy is enforced: describe what passes all of them, not the default alone
    both = describe(*(text for text in (default, own) if text))
    if version == "3.0" and own:
        lines = describe(default) if default else []
        if lines:
            out += ["", *[f"- {line}" for line in lines]]
        if both != lines:
            out += ["", "If KaiOS 3.0 applies the manifest csp (not confirmed):"]
            out += [f"- {line}" for line in both]
    elif both:
        out += ["", *[f"- {line}" for line in both]]
    if default:
        out += ["", f"Source: {POLICY_SOURCES[version]}."]
    return "\n".join(out)
