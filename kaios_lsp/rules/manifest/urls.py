"""URLs in the manifest: absolute where Gecko wants app paths, origins, redirects."""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from kaios_lsp.app.links import (
    activity_handlers,
    is_absolute_url,
    message_hrefs,
    resolve_in_app,
    strings_of,
)
from kaios_lsp.app.manifest import WEBAPP
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.json.edit import remove_member
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode
from kaios_lsp.rules.meta import Rule, reads

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI111",
        name="absolute-url",
        title="Path must be relative",
        severity=Severity.ERROR,
        category="Manifest",
        explanation="launch_path, entry_points.*.launch_path, activities.*.href and message hrefs must be "
        "paths inside the app: Gecko's checkManifest (and the KaiOS 3 apps service for "
        "b2g_features) reject absolute URLs and the install fails. The fix keeps the path. A "
        "protocol-relative path (//cdn.example.com/x.html) is absolute too: isAbsoluteURI resolves "
        "it against http://foo and http://bar and the host changes, so checkManifest rejects it "
        "(roytam1/gecko-kaios dom/apps/AppsUtils.jsm); in-app paths are resolved against "
        "app://<origin>/ (ManifestHelper). Where checkManifest does not look (a locale's launch_path, "
        "the handlers of an array-form activity) such a path resolves to another app: host: a warning. "
        "For 3.0 it is a warning too: not confirmed.",
        bad='{"name": "Demo", "launch_path": "https://example.com/index.html"}',
        good='{"name": "Demo", "launch_path": "/index.html"}',
        fixable=True,
        fix_note='Keeps the path part of the URL ("https://example.com/index.html" -> "/index.html"; preferred only for app: URLs, which point into the app anyway). For a protocol-relative path (//host/x.html) the fix is offered only when x.html exists in the app folder.',
    ),
    Rule(
        id="KAI112",
        name="origin",
        title="origin must be app:// and needs a privileged or certified app",
        severity=Severity.ERROR,
        category="Manifest",
        explanation="KaiOS 2.5 honours origin only for signed privileged or certified packages and only with "
        "the app: scheme; any other scheme fails the install with INVALID_ORIGIN (error). On a web "
        "app it is ignored (warning).",
        bad='{"name": "Demo", "type": "privileged", "origin": "https://demo.example.com"}',
        good='{"name": "Demo", "type": "privileged", "origin": "app://demo.example.com"}',
        fixable=True,
        fix_note="Rewrites the origin with the app: scheme and the same host; on a web app, removes it.",
    ),
    Rule(
        id="KAI113",
        name="redirect",
        title="Redirect is dropped",
        severity=Severity.WARNING,
        category="Manifest",
        explanation="Gecko's sanitizeRedirects keeps a redirect only when from is an absolute URL and to is "
        "a path inside the app; others are silently dropped.",
        bad='{"redirects": [{"from": "/callback", "to": "https://example.com/done.html"}]}',
        good='{"redirects": [{"from": "https://example.com/callback", "to": "/done.html"}]}',
        fixable=True,
        fix_note="Makes redirects.to a path inside the app (keeps the URL's path). No fix for a relative from: which URL the redirect should catch is the developer's.",
    ),
)


ABSOLUTE_URL = "KAI111"


ORIGIN = "KAI112"


REDIRECT = "KAI113"


def relative_form(url: str) -> str:
    """The path part of an absolute URL, to use inside the app."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return (
        path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


@reads("launch_path", "entry_points", "locales", "activities", "messages")
def absolute_urls(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    features = manifest.features
    checks: list[tuple[str, Node]] = []
    if manifest.kind == WEBAPP:
        for node in strings_of(manifest.node("launch_path")):
            checks.append(("launch_path", node))
        entry_points = manifest.node("entry_points")
        if isinstance(entry_points, ObjectNode):
            for entry in entry_points.members:
                if isinstance(entry.value, ObjectNode):
                    for node in strings_of(entry.value.value_of("launch_path")):
                        checks.append((f"entry_points.{entry.key.value}.launch_path", node))
        locales = manifest.node("locales")
        if isinstance(locales, ObjectNode):
            for locale in locales.members:
                if isinstance(locale.value, ObjectNode):
                    for node in strings_of(locale.value.value_of("launch_path")):
                        checks.append((f"locales.{locale.key.value}.launch_path", node))
    if features is not None:
        prefix = "" if manifest.kind == WEBAPP else "b2g_features."
        for name, handler in activity_handlers(features.value_of("activities")):
            for node in strings_of(handler.value_of("href")):
                checks.append((f"{prefix}activities.{name}.href", node))
        for node in message_hrefs(features.value_of("messages")):
            checks.append((f"{prefix}messages", node))
    for where, node in checks:
        value = node.value
        if not isinstance(value, str):
            continue
        if value.strip().startswith("//"):
            yield _protocol_relative(ctx, where, node, value)
            continue
        if not is_absolute_url(value):
            continue
        relative = relative_form(value)
        checker = "Gecko's checkManifest" if manifest.kind == WEBAPP else "the KaiOS 3 apps service"
        yield Finding(
            ABSOLUTE_URL,
            node.start,
            node.end,
            f"{where} must be a path inside the app, not an absolute URL: the install fails "
            f"({checker} rejects absolute URLs here).",
            fixes=(
                Fix.replace(
                    f"Make it relative: {json.dumps(relative)}",
                    node.start,
                    node.end,
                    json.dumps(relative),
                    safe=value.lower().startswith("app:"),
                ),
            ),
        )


def _protocol_relative(ctx: ManifestContext, where: str, node: Node, value: str) -> Finding:
    """A path starting with // names another host. KaiOS 2.5: checkManifest rejects
    launch_path, entry point launch paths, activity hrefs and message hrefs for which
    isAbsoluteURI is true, and isAbsoluteURI resolves the value against http://foo and
    http://bar and compares the hosts: //cdn.example.com/x.html resolves to
    http://cdn.example.com/x.html, so it is absolute (roytam1/gecko-kaios
    dom/apps/AppsUtils.jsm isAbsoluteURI, checkManifest). In-app paths are resolved
    against the app's origin, app://<origin>/ (ManifestHelper._baseURI, fullLaunchPath)."""
    manifest = ctx.manifest
    relative = relative_form(value)
    handler = node.parent.parent if isinstance(node.parent, Member) else None
    # checkManifest checks launch_path, entry_points.*.launch_path, message hrefs and the
    # href of an activity given as one object (not the handlers of an array form, nor a
    # locale's launch_path)
    rejected = where in ("launch_path", "messages") or (
        where.startswith(("entry_points.", "activities."))
        and not (handler is not None and isinstance(handler.parent, ArrayNode))
    )
    if manifest.kind == WEBAPP and not rejected:
        message = (
            f"{where} is protocol-relative ({value.strip()[:60]}): resolved against the app's "
            "app://<origin>/ it keeps the app: scheme but names another host (AppsUtils.jsm "
            "ManifestHelper), so it opens no page of this app. Use a path inside the app."
        )
        severity = Severity.WARNING
    elif manifest.kind == WEBAPP:
        message = (
            f"{where} is protocol-relative ({value.strip()[:60]}): Gecko reads it as an absolute URL "
            "on another host (AppsUtils.jsm isAbsoluteURI), so checkManifest rejects the manifest "
            "and the install fails. Use a path inside the app, resolved against app://<origin>/."
        )
        severity = Severity.ERROR
    else:
        message = (
            f"{where} is protocol-relative ({value.strip()[:60]}): it names another host, not a "
            "file of the app. Whether the KaiOS 3 apps service rejects it like an absolute URL is "
            "not confirmed; use a path inside the app."
        )
        severity = Severity.WARNING
    fixes: tuple[Fix, ...] = ()
    root = manifest.app_root
    clean = relative.split("#", 1)[0].split("?", 1)[0]
    if root and clean not in ("", "/"):
        _, target, inside = resolve_in_app(root, clean)
        if inside and ctx.files.exists(target):
            fixes = (
                Fix.replace(
                    f"Use the app's own {json.dumps(relative)}",
                    node.start,
                    node.end,
                    json.dumps(relative),
                ),
            )
    return Finding(ABSOLUTE_URL, node.start, node.end, message, fixes=fixes, severity=severity)


@reads("origin", "type")
def origin(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    if manifest.kind != WEBAPP:
        return
    node = manifest.node("origin")
    if node is None or node.kind != "string":
        return
    value: str = node.value  # type: ignore[assignment]  # a string node (kind tested above)
    if not value.lower().startswith("app://"):
        host = urlsplit(value).netloc if is_absolute_url(value) else value.strip("/")
        fixes = (
            (Fix.replace(f'Use "app://{host}"', node.start, node.end, json.dumps(f"app://{host}")),)
            if host
            else ()
        )
        yield Finding(
            ORIGIN,
            node.start,
            node.end,
            'origin must use the app: scheme, like "app://myapp.example.com": otherwise the install '
            "fails with INVALID_ORIGIN.",
            fixes=fixes,
            severity=Severity.ERROR,
        )
    elif manifest.app_type == "web":
        member = manifest.member("origin")
        assert member is not None
        yield Finding(
            ORIGIN,
            member.key.start,
            member.key.end,
            "origin only works for signed privileged or certified packaged apps; for a web app "
            "KaiOS ignores it and the app gets a generated app:// origin.",
            fixes=(Fix.edits("Remove origin", [remove_member(ctx.text, manifest.root, member)]),)
            if manifest.root is not None and manifest.root.closed
            else (),
            severity=Severity.WARNING,
            unnecessary=True,
        )


@reads("redirects")
def redirects(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    features = manifest.features
    node = features.value_of("redirects") if features is not None else None
    if not isinstance(node, ArrayNode):
        return
    for item in node.items:
        if not isinstance(item, ObjectNode):
            continue
        source = item.value_of("from")
        target = item.value_of("to")
        if source is not None and source.kind == "string" and not is_absolute_url(source.value):  # type: ignore[arg-type]  # a string node
            yield Finding(
                REDIRECT,
                source.start,
                source.end,
                'redirects.from must be an absolute URL (like "https://example.com/callback"): '
                "KaiOS silently drops this redirect.",
            )
        if target is not None and target.kind == "string" and is_absolute_url(target.value):  # type: ignore[arg-type]  # a string node
            relative = relative_form(target.value)  # type: ignore[arg-type]  # a string node
            yield Finding(
                REDIRECT,
                target.start,
                target.end,
                "redirects.to must be a path inside the app, not an absolute URL: KaiOS silently "
                "drops this redirect.",
                fixes=(
                    Fix.replace(
                        f"Make it relative: {json.dumps(relative)}",
                        target.start,
                        target.end,
                        json.dumps(relative),
                    ),
                ),
            )


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (absolute_urls, origin, redirects)
