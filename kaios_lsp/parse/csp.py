"""Content Security Policy: parsing with offsets, KaiOS default policies, and whether a
source is already allowed by the default policy.

KaiOS 2.5 gives privileged and certified apps a default policy (Gecko prefs
``security.apps.privileged.CSP.default`` / ``security.apps.certified.CSP.default``) and
enforces the manifest ``csp`` as a *second* policy: a load must pass both, so the
manifest can only make things stricter. Web apps get no default policy. KaiOS 3.x
packaged apps get the api-daemon vhost header (value from the open Capyloon fork; not
confirmed on shipped phones); whether 3.x reads a manifest ``csp`` at all is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

KAIADS = "http://127.0.0.1:8081 http://local-device.kaiostech.com:8081"
DEFAULT_POLICIES = {
    ("2.5", "privileged"): (
        f"default-src * data: blob:; script-src 'self' {KAIADS}; object-src 'none'; "
        "style-src 'self' 'unsafe-inline'"
    ),
    ("2.5", "certified"): (
        f"default-src * data: blob:; script-src 'self' {KAIADS} app://theme.gaiamobile.org; "
        "object-src 'none'; style-src 'self' 'unsafe-inline' app://theme.gaiamobile.org app://shared.gaiamobile.org"
    ),
    ("3.0", "signed"): (
        "default-src * data: blob:; script-src 'self' http://127.0.0.1 http://shared.localhost; "
        "object-src 'none'; style-src 'self' 'unsafe-inline' http://shared.localhost"
    ),
}
DEFAULT_POLICIES[("3.0", "core")] = DEFAULT_POLICIES[("3.0", "signed")]
POLICY_SOURCES = {
    "2.5": "KaiOS 2.5.1 Gecko prefs security.apps.privileged/certified.CSP.default (modules/libpref/init/all.js, b2g/app/b2g.js)",
    "3.0": "api-daemon vhost csp (daemon/config-device.toml of the open Capyloon fork; shipped KaiOS 3.0 may differ)",
}

FETCH_DIRECTIVES = {
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "object-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "prefetch-src",
}
OTHER_DIRECTIVES = {
    "base-uri",
    "form-action",
    "frame-ancestors",
    "navigate-to",
    "sandbox",
    "report-uri",
    "report-to",
    "upgrade-insecure-requests",
    "block-all-mixed-content",
    "require-trusted-types-for",
    "trusted-types",
    "plugin-types",
    "referrer",
    "reflected-xss",
    "require-sri-for",
    "webrtc",
}
KNOWN_DIRECTIVES = FETCH_DIRECTIVES | OTHER_DIRECTIVES
KEYWORDS = {
    "'self'",
    "'none'",
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'strict-dynamic'",
    "'unsafe-hashes'",
    "'report-sample'",
    "'wasm-unsafe-eval'",
    "'unsafe-allow-redirects'",
}
# Where a directive falls back to when a policy does not name it (CSP 3).
_FALLBACK = {
    "script-src-elem": ("script-src", "default-src"),
    "script-src-attr": ("script-src", "default-src"),
    "style-src-elem": ("style-src", "default-src"),
    "style-src-attr": ("style-src", "default-src"),
    "worker-src": ("child-src", "script-src", "default-src"),
    "frame-src": ("child-src", "default-src"),
}
_NETWORK_SCHEMES = ("http", "https", "ws", "wss")
_TOKEN = re.compile(r"[^\s;]+")
_SCHEME_SOURCE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:$")
_HOST_SOURCE = re.compile(
    r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://)?(?P<host>\*|(?:\*\.)?[^/:]+)(?::(?P<port>\d+|\*))?(?P<path>/.*)?$"
)


@dataclass
class Source:
    text: str
    start: int  # offsets in the policy string
    end: int


@dataclass
class Directive:
    name: str
    start: int
    end: int  # end of the directive text (before ';')
    sources: list[Source] = field(default_factory=list)


@dataclass
class Policy:
    text: str
    directives: list[Directive]
    problems: list[
        tuple[int, int, str, str | None, str | None]
    ]  # start, end, message, fix-kind, fix-text

    def get(self, name: str) -> Directive | None:
        for directive in self.directives:
            if directive.name == name:
                return directive
        return None

    def effective(self, name: str) -> Directive | None:
        """The directive that governs ``name`` in this policy (with fallbacks)."""
        for candidate in (
            name,
            *_FALLBACK.get(name, ("default-src",) if name in FETCH_DIRECTIVES else ()),
        ):
            directive = self.get(candidate)
            if directive is not None:
                return directive
        return None


def parse_policy(text: str) -> Policy:
    """Parse a serialized policy, keeping offsets and noting what a browser would ignore."""
    directives: list[Directive] = []
    problems: list[tuple[int, int, str, str | None, str | None]] = []
    seen: set[str] = set()
    names = {part.split()[0].lower() for part in text.split(";") if part.split()}
    position = 0
    for part in text.split(";"):
        tokens = [
            (m.group(), position + m.start(), position + m.end()) for m in _TOKEN.finditer(part)
        ]
        part_start = position
        position += len(part) + 1
        if not tokens:
            continue
        name, start, end = tokens[0]
        lowered = name.lower()
        directive = Directive(lowered, start, part_start + len(part.rstrip()))
        if lowered not in KNOWN_DIRECTIVES and lowered.rstrip(":") in KNOWN_DIRECTIVES:
            # "img-src: 'self'": a directive name takes no colon (CSP3 serialized-directive
            # is a name, whitespace, then the sources); with one it is an unknown name
            meant = lowered.rstrip(":")
            problems.append(
                (
                    start,
                    end,
                    f"unknown directive {name!r}: browsers ignore it (a directive name has no "
                    f"colon: {meant})",
                    None if meant in names else "replace",
                    None if meant in names else meant,
                )
            )
        elif lowered not in KNOWN_DIRECTIVES:
            problems.append(
                (start, end, f"unknown directive {name!r}: browsers ignore it", None, None)
            )
        elif lowered in seen:
            problems.append(
                (start, end, f"{name} appears twice: browsers ignore every repeat", None, None)
            )
        seen.add(lowered)
        for token, token_start, token_end in tokens[1:]:
            low = token.lower()
            if low in KNOWN_DIRECTIVES and low in FETCH_DIRECTIVES | {
                "base-uri",
                "form-action",
                "frame-ancestors",
            }:
                problems.append(
                    (
                        token_start,
                        token_end,
                        f"missing ';' before {token}: it is read as a source of {name}, not as a directive",
                        "insert",
                        "; ",
                    )
                )
            elif low in ("self", "none", "unsafe-inline", "unsafe-eval", "strict-dynamic"):
                problems.append(
                    (
                        token_start,
                        token_end,
                        f"{token} needs single quotes ('{low}'): without them it means a host named {low}",
                        "replace",
                        f"'{low}'",
                    )
                )
            elif (
                low.startswith("'")
                and low not in KEYWORDS
                and not low.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-"))
            ):
                problems.append(
                    (
                        token_start,
                        token_end,
                        f"unknown keyword {token}: browsers ignore it",
                        None,
                        None,
                    )
                )
            directive.sources.append(Source(token, token_start, token_end))
        directives.append(directive)
    return Policy(text, directives, problems)


def default_policy(
    version: str, column: str, overrides: Mapping[str, str] | None = None
) -> str | None:
    """The policy every packaged app of this version and type runs under.

    ``overrides`` (the ``defaultCsp`` setting) replaces it, keyed ``"3.0"`` for all app
    types of a version or ``"2.5/privileged"`` for one; an empty string means no default.
    The 3.0 value comes from an open fork and may differ on shipped phones.
    """
    builtin = DEFAULT_POLICIES.get((version, column))
    if overrides and builtin is not None:
        for key in (f"{version}/{column}", version):
            if key in overrides:
                return overrides[key].strip() or None
    return builtin


def _host_parts(source: str) -> tuple[str | None, str, str | None] | None:
    match = _HOST_SOURCE.match(source)
    if not match:
        return None
    return (match.group("scheme") or None, match.group("host").lower(), match.group("port"))


def source_allowed(token: str, directive: Directive | None) -> bool:
    """Would every load ``token`` allows also pass ``directive`` (of the default policy)?"""
    if directive is None:
        return True  # the default policy does not restrict this kind of load
    allowed = [s.text.lower() for s in directive.sources]
    low = token.lower()
    if low == "'none'":
        return True
    if low in allowed:
        return True
    if low.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")):
        return "'unsafe-inline'" in allowed
    if low.startswith("'"):
        return False  # 'unsafe-inline', 'unsafe-eval', 'strict-dynamic'... not in the default
    if _SCHEME_SOURCE.match(low):
        scheme: str | None = low[:-1]
        return "*" in allowed and scheme in _NETWORK_SCHEMES
    if low == "*":
        return "*" in allowed
    parts = _host_parts(low)
    if parts is None:
        return False
    scheme, host, port = parts
    if "*" in allowed and (scheme is None or scheme in _NETWORK_SCHEMES):
        return True
    if scheme and f"{scheme}:" in allowed:
        return True
    for candidate in allowed:
        if candidate.startswith("'"):
            continue
        other = _host_parts(candidate)
        if other is None:
            continue
        o_scheme, o_host, o_port = other

        if (
            (o_scheme or scheme) == (scheme or o_scheme)
            and o_host == host
            and (o_port or None) == (port or None)
        ):
            return True
    return False


def _own_files_allowed(directive: Directive | None) -> bool:
    """Does this directive let the app's own files load ('self', app:, * or nothing)?"""
    if directive is None:
        return True
    tokens = {s.text.lower() for s in directive.sources}
    return bool(tokens & {"'self'", "*", "app:"})


def describe(*policy_texts: str) -> list[str]:
    """Plain-language lines about what the policies block when all are enforced (for
    hovers): a load passes only if every policy allows it, so a manifest csp with
    script-src 'none' blocks the app's scripts whatever the default policy says."""
    policies = [parse_policy(text) for text in policy_texts if text]
    if not policies:
        return []
    lines = []
    scripts = [p.effective("script-src") for p in policies]
    if any(d is not None for d in scripts):
        own = all(_own_files_allowed(d) for d in scripts)
        remote = [
            s.text
            for d in scripts
            if d is not None
            for s in d.sources
            if not s.text.startswith("'")
            and s.text.lower() not in ("app:", "*")
            and all(source_allowed(s.text, other) for other in scripts if other is not d)
        ]
        if own:
            lines.append("Scripts: only " + ", ".join(["the app's own files", *remote]) + ".")
        elif remote:
            lines.append("Scripts: only " + ", ".join(remote) + " (none of the app's own files).")
        else:
            lines.append("Scripts: none load, not even the app's own files.")
        if not all(inline_allowed(d) for d in scripts):
            lines.append("Inline `<script>`, `on*=` handlers and `javascript:` URLs never run.")
        if not all(eval_allowed(d) for d in scripts):
            lines.append("`eval`, `new Function` and string timers throw.")
    plugins = [p.effective("object-src") for p in policies]
    if any(d is not None and [s.text for s in d.sources] == ["'none'"] for d in plugins):
        lines.append("`<object>` and `<embed>` are blocked.")
    styles = [p.effective("style-src") for p in policies]
    if any(d is not None for d in styles):
        if not all(_own_files_allowed(d) for d in styles):
            lines.append("Stylesheets: no file of the app loads.")
        lines.append(
            "Inline styles are "
            + ("allowed." if all(inline_allowed(d) for d in styles) else "blocked.")
        )
    return lines


# -- what a document's policy lets through ----------------------------------------------------

_HASH = re.compile(r"^'(sha256|sha384|sha512)-([A-Za-z0-9+/=_-]+)'$")
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}
_URL = re.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*):(?://(?P<host>[^/:?#]*)(?::(?P<port>\d+))?)?"
)


def inline_allowed(
    directive: Directive | None, nonce: str | None = None, content: str | None = None
) -> bool:
    """Would an inline script/handler pass this directive? Nonces and hashes (CSP 2)
    count, and, as browsers do, their presence switches 'unsafe-inline' off."""
    if directive is None:
        return True
    tokens = [s.text for s in directive.sources]
    nonces = {t[7:-1] for t in tokens if t.lower().startswith("'nonce-") and t.endswith("'")}
    hashes = [m.groups() for t in tokens if (m := _HASH.match(t))]
    if nonce and nonce in nonces:
        return True
    if hashes and content is not None:
        import base64
        import hashlib

        for algorithm, digest in hashes:
            computed = base64.b64encode(
                hashlib.new(algorithm, content.encode("utf-8")).digest()
            ).decode()
            if computed == digest.replace("-", "+").replace("_", "/"):
                return True
    if nonces or hashes:
        return False
    return "'unsafe-inline'" in (t.lower() for t in tokens)


def url_allowed(url: str, directive: Directive | None) -> bool:
    """Would a load of ``url`` (relative = the app's own files) pass this directive?"""
    if directive is None:
        return True
    tokens = [s.text.lower() for s in directive.sources]
    match = _URL.match(url.strip())
    if match is None:  # a relative URL: the app itself
        return "'self'" in tokens or "*" in tokens
    scheme = match.group("scheme").lower()
    host = (match.group("host") or "").lower()
    port = match.group("port") or _DEFAULT_PORTS.get(scheme)
    for token in tokens:
        if token == "*":
            if scheme in _NETWORK_SCHEMES:
                return True
            continue
        if _SCHEME_SOURCE.match(token):
            if token[:-1] == scheme or (token == "http:" and scheme == "https"):
                return True
            continue
        if token.startswith("'"):
            continue
        parts = _host_parts(token)
        if parts is None:
            continue
        t_scheme, t_host, t_port = parts
        if t_scheme and t_scheme != scheme and not (t_scheme == "http" and scheme == "https"):
            continue
        if not t_scheme and scheme not in ("http", "https"):
            continue
        if t_host.startswith("*."):
            if not host.endswith(t_host[1:]):
                continue
        elif t_host != host:
            continue
        wanted_port = t_port or _DEFAULT_PORTS.get(t_scheme or scheme)
        if t_port != "*" and wanted_port != port:
            continue
        return True
    return False


def eval_allowed(directive: Directive | None) -> bool:
    """Would eval, new Function and string timers run under this script-src?"""
    if directive is None:
        return True
    return "'unsafe-eval'" in (s.text.lower() for s in directive.sources)


def blocking_policy(
    policies: list[tuple[str, Policy]], directive: str, allows: Callable[[Directive | None], bool]
) -> str | None:
    """Words for the first policy whose ``directive`` refuses (``allows`` is False), with
    the directive shown; ``None`` when every policy allows it."""
    for label, policy in policies:
        governing = policy.effective(directive)
        if not allows(governing):
            shown = " ".join(s.text for s in governing.sources) if governing else ""
            return f"{label} ({governing.name if governing else directive} {shown})".rstrip()
    return None
