"""Every rule kaios-lsp knows: id, name, title, default severity, explanation, example.

This is the one place rules are listed. ``kaios-lsp rules`` prints it, ``docs/rules.md``
is generated from it (a test keeps them in step), and the configuration accepts either a
rule's id (``KAI101``) or its name (``unknown-member``). Ids never change meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaios_lsp.analysis.findings import Severity

E, W, INFO, H = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.HINT


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    severity: Severity
    category: str
    explanation: str
    bad: str
    good: str
    fixable: bool = False
    example_file: str = "manifest.webapp"

    @property
    def anchor(self) -> str:
        return f"{self.id.lower()}-{self.name}"


_RULES = [
    # -- JSON syntax: what Gecko's strict JSON.parse rejects ------------------------------
    Rule(
        "KAI001",
        "json-syntax",
        "Manifest is not valid JSON",
        E,
        "JSON syntax",
        "KaiOS reads manifests with the strict JSON.parse. Any syntax error (a missing comma, "
        "colon or bracket, an unterminated string, an invalid number or escape, a raw control "
        "character, content after the end) makes the manifest unreadable and the install fails. "
        "The parser reports every error it can and keeps going, so half-typed manifests still "
        "get the other checks.",
        '{\n  "name": "Demo"\n  "type": "privileged"\n}',
        '{\n  "name": "Demo",\n  "type": "privileged"\n}',
        True,
    ),
    Rule(
        "KAI002",
        "json-comment",
        "Comments are not allowed in JSON",
        E,
        "JSON syntax",
        "JSON has no comments; JSON.parse rejects // and /* */, so the install fails.",
        '{\n  // the app name\n  "name": "Demo"\n}',
        '{\n  "name": "Demo"\n}',
        True,
    ),
    Rule(
        "KAI003",
        "json-trailing-comma",
        "Trailing comma",
        E,
        "JSON syntax",
        "A comma before a closing } or ] is valid JavaScript but invalid JSON: the install fails.",
        '{\n  "name": "Demo",\n}',
        '{\n  "name": "Demo"\n}',
        True,
    ),
    Rule(
        "KAI004",
        "json-quotes",
        "Strings and property names need double quotes",
        E,
        "JSON syntax",
        "Single-quoted strings and unquoted property names are JavaScript, not JSON: the install fails.",
        "{\n  name: 'Demo'\n}",
        '{\n  "name": "Demo"\n}',
        True,
    ),
    Rule(
        "KAI005",
        "json-bom",
        "Byte order mark at the start of the file",
        W,
        "JSON syntax",
        "JSON.parse rejects U+FEFF. Whether KaiOS strips a UTF-8 byte order mark before parsing "
        "depends on the code path and build (not confirmed from source), so this is a warning: "
        "save manifests as UTF-8 without BOM.",
        '\\ufeff{"name": "Demo"}',
        '{"name": "Demo"}',
        True,
    ),
    Rule(
        "KAI006",
        "json-duplicate-key",
        "Duplicate key",
        W,
        "JSON syntax",
        "When a key appears twice in an object, JSON.parse keeps the last value and silently "
        "drops the earlier one.",
        '{\n  "type": "privileged",\n  "type": "web"\n}',
        '{\n  "type": "privileged"\n}',
        True,
    ),
    Rule(
        "KAI007",
        "manifest-not-object",
        "Manifest is not a JSON object",
        E,
        "JSON syntax",
        "A manifest must be one JSON object; an array, string or number cannot be installed.",
        '["Demo"]',
        '{"name": "Demo"}',
    ),
    Rule(
        "KAI008",
        "unreadable-file",
        "File cannot be read as UTF-8 text",
        E,
        "JSON syntax",
        "The file is not valid UTF-8, looks binary, or is larger than the configured limit "
        "(max_file_size). KaiOS decodes manifests as UTF-8; invalid bytes become U+FFFD or make "
        "the manifest unreadable. The rest of the file is checked as far as possible.",
        "(bytes 0xC3 0x28 in a string)",
        "(valid UTF-8)",
    ),
    Rule(
        "KAI009",
        "json-too-deep",
        "Nesting too deep to validate",
        INFO,
        "JSON syntax",
        "No manifest member nests deeper than a few levels. Content below 128 levels is not "
        "validated (the parser itself has no depth limit).",
        '{"x": [[[[ ... 200 levels ... ]]]]}',
        '{"x": []}',
    ),
    # -- schema: members, types and values -------------------------------------------------
    Rule(
        "KAI101",
        "unknown-member",
        "Unknown manifest member",
        W,
        "Manifest schema",
        "KaiOS ignores members it does not know, so a misspelled member silently does nothing. "
        "The message suggests the closest known member and the quick fix renames it.",
        '{"name": "Demo", "orientaton": "portrait"}',
        '{"name": "Demo", "orientation": "portrait"}',
        True,
    ),
    Rule(
        "KAI102",
        "wrong-type",
        "Member has the wrong type",
        E,
        "Manifest schema",
        "A value of the wrong JSON type either makes the install fail (for members Gecko or the "
        "KaiOS 3 apps service checks, such as name, role, messages or the 3.0 string members) or "
        "is ignored. The message says which; the severity follows (error when the install fails, "
        "warning when it is ignored).",
        '{"name": "Demo", "cursor": "true"}',
        '{"name": "Demo", "cursor": true}',
        True,
    ),
    Rule(
        "KAI103",
        "invalid-value",
        "Value is not one of the allowed values",
        E,
        "Manifest schema",
        "Enumerated members (orientation, display, chrome.statusbar, priority, disposition...) "
        "only take the listed values. The quick fix picks the closest valid value.",
        '{"name": "Demo", "orientation": "portrait-primery"}',
        '{"name": "Demo", "orientation": "portrait-primary"}',
        True,
    ),
    Rule(
        "KAI104",
        "missing-member",
        "Required member is missing",
        E,
        "Manifest schema",
        "Members the phone needs: without name the install fails (2.5 checkManifest, 3.0 apps "
        "service); a serviceworker without script_url registers nothing. The range is the "
        "enclosing object's key or opening brace.",
        '{"description": "A demo"}',
        '{"name": "Demo", "description": "A demo"}',
        True,
    ),
    Rule(
        "KAI105",
        "store-requirement",
        "Member required by the KaiStore is missing",
        W,
        "Manifest schema",
        "The phone installs the app without these, but the KaiStore rejects the submission: "
        "version, description, icons (56x56 and 112x112) and developer for 2.5; id, description, "
        "lang, start_url, icons, theme_color, background_color and orientation for 3.0. Turn the "
        "rule off for apps that are not published in a store.",
        '{"name": "Demo"}',
        '{"name": "Demo", "version": "1.0.0", "description": "...", "icons": {"56": "/icons/56.png", "112": "/icons/112.png"}, "developer": {"name": "Me", "url": "https://example.com"}}',
        True,
    ),
    Rule(
        "KAI106",
        "invalid-format",
        "Value does not have the expected form",
        W,
        "Manifest schema",
        "Lengths, patterns and ranges: subtitle at most 40 characters, short_name at most 12 "
        "(3.0), version as dotted integers, theme_color as a hex colour, icon sizes like 56x56.",
        '{"name": "Demo", "version": "v1"}',
        '{"name": "Demo", "version": "1.0.0"}',
    ),
    # -- manifest rules beyond the schema --------------------------------------------------
    Rule(
        "KAI110",
        "app-type",
        "App type must be web, privileged or certified",
        E,
        "Manifest",
        'Gecko\'s getAppManifestStatus throws "Undetermined app manifest type" for any other '
        'type (including "hosted" and "trusted"), and the install fails. A missing type means web.',
        '{"name": "Demo", "type": "privilaged"}',
        '{"name": "Demo", "type": "privileged"}',
        True,
    ),
    Rule(
        "KAI111",
        "absolute-url",
        "Path must be relative",
        E,
        "Manifest",
        "launch_path, entry_points.*.launch_path, activities.*.href and message hrefs must be "
        "paths inside the app: Gecko's checkManifest (and the KaiOS 3 apps service for "
        "b2g_features) reject absolute URLs and the install fails. The fix keeps the path.",
        '{"name": "Demo", "launch_path": "https://example.com/index.html"}',
        '{"name": "Demo", "launch_path": "/index.html"}',
        True,
    ),
    Rule(
        "KAI112",
        "origin",
        "origin must be app:// and needs a privileged or certified app",
        E,
        "Manifest",
        "KaiOS 2.5 honours origin only for signed privileged or certified packages and only with "
        "the app: scheme; any other scheme fails the install with INVALID_ORIGIN (error). On a web "
        "app it is ignored (warning).",
        '{"name": "Demo", "type": "privileged", "origin": "https://demo.example.com"}',
        '{"name": "Demo", "type": "privileged", "origin": "app://demo.example.com"}',
        True,
    ),
    Rule(
        "KAI113",
        "redirect",
        "Redirect is dropped",
        W,
        "Manifest",
        "Gecko's sanitizeRedirects keeps a redirect only when from is an absolute URL and to is "
        "a path inside the app; others are silently dropped.",
        '{"redirects": [{"from": "/callback", "to": "https://example.com/done.html"}]}',
        '{"redirects": [{"from": "https://example.com/callback", "to": "/done.html"}]}',
        True,
    ),
    Rule(
        "KAI114",
        "cursor-spatial-navigation",
        "cursor together with spatialnavigation-app-manage",
        W,
        "Manifest",
        'Gecko reports "Illegal usage in app manifest: Cannot declare [cursor:true] and permission '
        '[spatialnavigation-app-manage] in the same time." Choose one navigation model.',
        '{"cursor": true, "permissions": {"spatialnavigation-app-manage": {}}}',
        '{"cursor": false, "permissions": {"spatialnavigation-app-manage": {}}}',
        True,
    ),
    Rule(
        "KAI115",
        "needs-service-worker",
        "Activities and messages need a service worker (3.0)",
        W,
        "Manifest",
        "KaiOS 3.0 registers b2g_features.activities and subscribes b2g_features.messages only "
        'when b2g_features.serviceworker is declared (Gecko logs "Skip registering activities... '
        "because serviceworker is not defined\"). Activities arrive in the worker's systemmessage event.",
        '{"name": "Demo", "b2g_features": {"activities": {"share": {}}}}',
        '{"name": "Demo", "b2g_features": {"activities": {"share": {}}, "serviceworker": {"script_url": "sw.js"}}}',
        True,
        example_file="manifest.webmanifest",
    ),
    Rule(
        "KAI116",
        "missing-file",
        "Referenced file does not exist",
        E,
        "Manifest",
        "launch_path/start_url, icons, activity hrefs and the service worker script must exist in "
        "the app folder (file names are case-sensitive on the phone). A missing start page or "
        "worker is an error, a missing icon a warning. The fix corrects the letter case when a "
        "file matches except for case. Skipped for hosted mini-manifests (package_path).",
        '{"launch_path": "/Index.html"}',
        '{"launch_path": "/index.html"}',
        True,
    ),
    Rule(
        "KAI117",
        "chrome-needs-fullscreen",
        "chrome.statusbar without fullscreen",
        H,
        "Manifest",
        'chrome.statusbar "overlap" only changes anything when the app is fullscreen.',
        '{"chrome": {"statusbar": "overlap"}}',
        '{"fullscreen": true, "chrome": {"statusbar": "overlap"}}',
    ),
    Rule(
        "KAI118",
        "priority-needs-privileged",
        "priority on a web app",
        W,
        "Manifest",
        'priority: "high" only applies to privileged and certified apps.',
        '{"type": "web", "priority": "high"}',
        '{"type": "privileged", "priority": "high"}',
    ),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in _RULES}


def lookup(key: str) -> Rule | None:
    """A rule by id (any case) or by name."""
    return RULES.get(key.strip().upper()) or RULES_BY_NAME.get(key.strip().lower())


def render_text() -> str:
    width = max(len(r.name) for r in _RULES)
    lines = []
    for rule in _RULES:
        fix = "fix" if rule.fixable else "   "
        lines.append(
            f"{rule.id}  {rule.name:<{width}}  {rule.severity.label:<7}  {fix}  {rule.title}"
        )
    return "\n".join(lines) + "\n"


def render_table(link_to: str = "docs/rules.md") -> str:
    """The Markdown table of all rules (README and docs/rules.md)."""
    out = ["| id | name | default | quick fix | title |", "|---|---|---|---|---|"]
    for rule in _RULES:
        out.append(
            f"| [{rule.id}]({link_to}#{rule.anchor}) | `{rule.name}` | {rule.severity.label} | "
            f"{'yes' if rule.fixable else ''} | {rule.title} |"
        )
    return "\n".join(out) + "\n"


def render_markdown() -> str:
    """The rule reference (docs/rules.md)."""
    out = [
        "# kaios-lsp rule reference",
        "",
        "Generated by `kaios-lsp rules --format markdown` from `kaios_lsp/catalog.py`; do not edit by hand.",
        "",
        'Configure a rule by id or name (`"KAI101": "off"` or `"unknown-member": "error"`); see the README.',
        "",
        render_table(link_to="").rstrip("\n"),
    ]
    category = None
    for rule in _RULES:
        if rule.category != category:
            category = rule.category
            out += ["", f"## {category}"]
        out += [
            "",
            f"### {rule.id} {rule.name}",
            "",
            f"**{rule.title}** — default severity: {rule.severity.label}"
            + ("; has a quick fix." if rule.fixable else "."),
            "",
            rule.explanation,
            "",
            f"Flagged (in `{rule.example_file}`):",
            "",
            "```json",
            rule.bad,
            "```",
            "",
            f"Fine (in `{rule.example_file}`):",
            "",
            "```json",
            rule.good,
            "```",
        ]
    return "\n".join(out) + "\n"
