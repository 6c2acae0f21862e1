"""Rules for the manifest ``csp``: sources that cannot loosen the default policy,
policies that block the app's own scripts, and malformed policies."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.findings import Finding, Fix, Severity, TextEdit
from kaios_lsp.parse.csp import (
    POLICY_SOURCES,
    Directive,
    Policy,
    Source,
    default_policy,
    parse_policy,
    source_allowed,
)
from kaios_lsp.parse.json.nodes import Node
from kaios_lsp.rules.meta import Rule, reads

# Offsets in the policy string -> offsets in the manifest text.
Span = Callable[[int, int], tuple[int, int]]

NO_EFFECT = "KAI210"
SYNTAX = "KAI211"
BLOCKS_APP = "KAI212"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI210",
        name="csp-no-effect",
        title="csp source that cannot loosen the default policy",
        severity=Severity.WARNING,
        category="Manifest CSP",
        explanation="Privileged and certified apps have a default policy (script-src 'self' plus the KaiAds local "
        "server; object-src 'none'...). The manifest csp is enforced as a second policy, and a load must "
        "pass both, so a source the default blocks ('unsafe-eval', 'unsafe-inline', a CDN in script-src, "
        "anything in object-src) has no effect. The fix removes it.",
        bad='{"name": "Demo", "type": "privileged", "csp": "script-src \'self\' \'unsafe-eval\'"}',
        good='{"name": "Demo", "type": "privileged", "csp": "script-src \'self\'"}',
        fixable=True,
        fix_note="Removes the source (safe); if it was the directive's only source, writes 'self' ('none' for object-src) so the directive does not block everything.",
    ),
    Rule(
        id="KAI211",
        name="csp-syntax",
        title="Malformed csp",
        severity=Severity.WARNING,
        category="Manifest CSP",
        explanation="Unknown directives and repeated directives are ignored; a missing ';' turns the next directive "
        "into a source; keywords without quotes (self) are read as host names.",
        bad='{"name": "Demo", "csp": "default-src \'self\' script-src \'self\'"}',
        good='{"name": "Demo", "csp": "default-src \'self\'; script-src \'self\'"}',
        fixable=True,
        fix_note="Inserts the missing ';', quotes a bare keyword ('self') or removes the colon after a directive name (img-src: -> img-src) when that directive is not already there (all safe). No fix for an unknown or repeated directive.",
    ),
    Rule(
        id="KAI212",
        name="csp-blocks-app",
        title="csp blocks the app's own scripts or styles",
        severity=Severity.ERROR,
        category="Manifest CSP",
        explanation="A script-src (or default-src) without 'self' blocks every script of the app itself; a style-src "
        "without 'self' every stylesheet (warning). 'none' (script-src 'none', default-src 'none') blocks "
        "them too: the manifest csp is enforced in addition to the default policy, so the default's "
        "'self' cannot let them through; it is reported when the app has scripts (or styles). In KaiOS "
        "3.0 it is a warning: whether 3.0 applies a manifest csp is not confirmed.",
        bad='{"name": "Demo", "csp": "script-src https://cdn.example.com"}',
        good='{"name": "Demo", "csp": "script-src \'self\' https://cdn.example.com"}',
        fixable=True,
        fix_note="Adds 'self' to the directive that lacks it (safe). For 'none': replaces it with 'self' in script-src/style-src, or adds script-src 'self' / style-src 'self' after default-src 'none' (not preferred: 'none' may be deliberate). Not reported when the app has no scripts (or no styles) at all.",
    ),
)


_CHECKED = (
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "worker-src",
    "object-src",
    "style-src",
    "style-src-elem",
    "style-src-attr",
)
_WHAT = {
    "'unsafe-eval'": "eval, new Function and string timers",
    "'wasm-unsafe-eval'": "WebAssembly compilation",
    "'unsafe-inline'": "inline code",
    "'strict-dynamic'": "scripts loaded by other scripts from other origins",
}


def csp_node(ctx: ManifestContext) -> Node | None:
    features = ctx.manifest.features
    node = features.value_of("csp") if features is not None else None
    return node if node is not None and node.kind == "string" else None


@reads("csp", "type", "core", "start_url")  # (the default policy goes by the app type)
def csp_rules(ctx: ManifestContext) -> Iterable[Finding]:
    node = csp_node(ctx)
    if node is None:
        return
    manifest = ctx.manifest
    raw = ctx.text[node.start + 1 : node.end - 1]
    exact = raw == node.value  # no escapes: policy offsets map 1:1 onto the text
    base = node.start + 1

    def span(start: int, end: int) -> tuple[int, int]:
        return (base + start, base + end) if exact else (node.start, node.end)

    policy = parse_policy(str(node.value))
    version = manifest.version
    uncertain = version == "3.0"
    malformed = {(start, end) for start, end, *_ in policy.problems}
    for start, end, message, fix_kind, fix_text in policy.problems:
        s, e = span(start, end)
        fixes: tuple[Fix, ...] = ()
        if exact and fix_kind == "replace":
            fixes = (Fix.replace(f"Write {fix_text}", s, e, str(fix_text), safe=True),)
        elif exact and fix_kind == "insert":
            gap_start = s
            while gap_start > base and ctx.text[gap_start - 1] == " ":
                gap_start -= 1
            fixes = (Fix.replace("Insert ';'", gap_start, s, str(fix_text), safe=True),)
        yield Finding(SYNTAX, s, e, f"csp: {message}.", fixes=fixes)
    yield from _blocks_app(ctx, policy, span, exact, uncertain)
    column = manifest.permission_column(ctx.config.distribution)
    default_text = default_policy(version, column, ctx.config.default_csp)
    if default_text is None:
        return  # web apps and hosted PWAs: no default policy to loosen
    default = parse_policy(default_text)
    for directive in policy.directives:
        if directive.name in _CHECKED:
            candidates = directive.sources
        elif directive.name == "default-src" and policy.get("script-src") is None:
            candidates = [
                s
                for s in directive.sources
                if s.text.lower() in ("'unsafe-eval'", "'wasm-unsafe-eval'")
            ]
        else:
            continue
        governing = "script-src" if directive.name == "default-src" else directive.name
        blocked_by = default.effective(governing)
        for source in candidates:
            if (source.start, source.end) in malformed or source_allowed(source.text, blocked_by):
                continue  # malformed tokens get their syntax finding only

            yield _no_effect(
                ctx, directive, source, blocked_by, span, exact, version, column, uncertain
            )


def _no_effect(
    ctx: ManifestContext,
    directive: Directive,
    source: Source,
    blocked_by: Directive | None,
    span: Span,
    exact: bool,
    version: str,
    column: str,
    uncertain: bool,
) -> Finding:
    s, e = span(source.start, source.end)
    low = source.text.lower()
    rule_text = (
        f"{blocked_by.name} " + " ".join(x.text for x in blocked_by.sources) if blocked_by else ""
    )
    what = _WHAT.get(low, f"loads from {source.text}")
    message = (
        f"{source.text} in {directive.name} has no effect: the default policy of KaiOS {version} {column} apps "
        f"({rule_text}) still blocks {what}. The manifest csp is enforced in addition to it, so it can only add "
        f"restrictions. (Source: {POLICY_SOURCES[version]}.)"
    )
    fixes: tuple[Fix, ...] = ()
    if exact:
        fixes = (_remove_source_fix(ctx, directive, source, span),)
    return Finding(NO_EFFECT, s, e, message, fixes=fixes)


def _remove_source_fix(
    ctx: ManifestContext, directive: Directive, source: Source, span: Span
) -> Fix:
    """Remove one source; if it was the only one, put what the default allows in its
    place ('none' for plugins, 'self' otherwise: an empty list would block everything)."""
    if len(directive.sources) == 1:
        s, e = span(source.start, source.end)
        keep = "'none'" if directive.name == "object-src" else "'self'"
        return Fix.replace(f"Replace {source.text} with {keep}", s, e, keep, safe=True)

    index = directive.sources.index(source)
    if index > 0:
        previous = directive.sources[index - 1]
        s, _ = span(previous.end, previous.end)
        _, e = span(source.end, source.end)
    else:
        s, _ = span(source.start, source.start)
        _, e = span(directive.sources[1].start, directive.sources[1].start)
    return Fix.edits(f"Remove {source.text}", [TextEdit(s, e, "")], safe=True)


def _blocks_app(
    ctx: ManifestContext, policy: Policy, span: Span, exact: bool, uncertain: bool
) -> Iterable[Finding]:
    for kind, what, severity in (
        ("script-src", "scripts", Severity.ERROR),
        ("style-src", "stylesheets", Severity.WARNING),
    ):
        directive = policy.effective(kind)
        if directive is None:
            continue
        tokens = {s.text.lower() for s in directive.sources}
        if tokens & {"'self'", "*", "app:"}:
            continue  # the app's own files load
        qualifier = (
            " (if KaiOS 3.0 applies the manifest csp, which is not confirmed)" if uncertain else ""
        )
        severity = Severity.WARNING if uncertain else severity
        s, e = span(directive.start, directive.start + len(directive.name))
        if "'none'" in tokens:
            if not _app_has(ctx, kind):
                continue  # nothing of that kind in the app: 'none' is deliberate
            yield _none_blocks_app(
                ctx, policy, directive, kind, what, span, exact, qualifier, severity
            )
            continue
        fixes: tuple[Fix, ...] = ()
        if exact:
            at = span(directive.start + len(directive.name), directive.start + len(directive.name))[
                0
            ]
            fixes = (Fix.replace(f"Add 'self' to {directive.name}", at, at, " 'self'", safe=True),)
        yield Finding(
            BLOCKS_APP,
            s,
            e,
            f"This csp blocks the app's own {what}{qualifier}: {directive.name} has no 'self', so none of the "
            f"app's {what} load. Add 'self'.",
            fixes=fixes,
            severity=severity,
        )


def _app_has(ctx: ManifestContext, kind: str) -> bool:
    """Does the app have scripts (script-src) or styles (style-src) that 'none' blocks?
    True when it cannot be told (an unsaved manifest, an app too big to list)."""
    from kaios_lsp.app.model import (
        list_package,  # (the app model imports the manifest rules)
    )

    root = ctx.manifest.app_root
    listing = list_package(root, ctx.files) if root else None
    if listing is None:
        return True
    own = (".js", ".mjs") if kind == "script-src" else (".css",)
    marks = ("<script",) if kind == "script-src" else ("<style", "stylesheet", "style=")
    for path in listing:
        low = path.lower()
        if low.endswith(own):
            return True
        if low.endswith((".html", ".htm")):
            page = (ctx.files.read_text(path) or "").lower()
            if any(mark in page for mark in marks):
                return True
    return False


def _none_blocks_app(
    ctx: ManifestContext,
    policy: Policy,
    directive: Directive,
    kind: str,
    what: str,
    span: Span,
    exact: bool,
    qualifier: str,
    severity: Severity,
) -> Finding:
    """script-src 'none' (or default-src 'none' without a script-src): not even the
    app's own files load. The manifest csp is enforced in addition to the default policy,
    so the default's 'self' does not help (see POLICY_SOURCES)."""
    none = next(src for src in directive.sources if src.text.lower() == "'none'")
    fixes: tuple[Fix, ...] = ()
    if exact and directive.name == kind:
        s, e = span(none.start, none.end)
        fixes = (Fix.replace(f"Replace 'none' with 'self' in {kind}", s, e, "'self'"),)
    elif exact:
        # default-src 'none' stays for everything else; the app's own files get their own
        # directive, which takes precedence over default-src for them
        body = policy.text.rstrip()
        at = span(len(body), len(body))[0]
        joint = " " if body.endswith(";") else "; "
        fixes = (Fix.replace(f"Add {kind} 'self'", at, at, f"{joint}{kind} 'self'"),)
    s, e = span(none.start, none.end)
    return Finding(
        BLOCKS_APP,
        s,
        e,
        f"This csp blocks the app's own {what}{qualifier}: {directive.name} 'none' lets nothing load, "
        f"not even the app's own files, and the default policy cannot allow what the manifest csp "
        f"blocks (both are enforced). Use 'self' if the app has {what}.",
        fixes=fixes,
        severity=severity,
    )


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (csp_rules,)
