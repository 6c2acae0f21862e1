"""JSON syntax and unreadable files: what Gecko's strict JSON.parse rejects.

These rules are reported by the tolerant parser as it reads (:mod:`kaios_lsp.parse.json.tree`)
and by the engine for files it cannot decode; their metadata lives here with the other
manifest rules."""

from __future__ import annotations

from kaios_lsp.findings import Severity
from kaios_lsp.rules.meta import Rule

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI001",
        name="json-syntax",
        title="Manifest is not valid JSON",
        severity=Severity.ERROR,
        category="JSON syntax",
        explanation="KaiOS reads manifests with the strict JSON.parse. Any syntax error (a missing comma, "
        "colon or bracket, an unterminated string, an invalid number or escape, a raw control "
        "character, content after the end) makes the manifest unreadable and the install fails. "
        "The parser reports every error it can and keeps going, so half-typed manifests still "
        "get the other checks.",
        bad='{\n  "name": "Demo"\n  "type": "privileged"\n}',
        good='{\n  "name": "Demo",\n  "type": "privileged"\n}',
        fixable=True,
        fix_note="Where the repair is certain (a missing closing quote, a number or literal written the JavaScript way, a missing bracket at the end) the fix writes it, preferred when unambiguous; otherwise the message names the token where parsing fails.",
    ),
    Rule(
        id="KAI002",
        name="json-comment",
        title="Comments are not allowed in JSON",
        severity=Severity.ERROR,
        category="JSON syntax",
        explanation="JSON has no comments; JSON.parse rejects // and /* */, so the install fails.",
        bad='{\n  // the app name\n  "name": "Demo"\n}',
        good='{\n  "name": "Demo"\n}',
        fixable=True,
        fix_note="Removes the comment (safe: JSON.parse never reads it).",
    ),
    Rule(
        id="KAI003",
        name="json-trailing-comma",
        title="Trailing comma",
        severity=Severity.ERROR,
        category="JSON syntax",
        explanation="A comma before a closing } or ] is valid JavaScript but invalid JSON: the install fails.",
        bad='{\n  "name": "Demo",\n}',
        good='{\n  "name": "Demo"\n}',
        fixable=True,
        fix_note="Removes the trailing comma (safe).",
    ),
    Rule(
        id="KAI004",
        name="json-quotes",
        title="Strings and property names need double quotes",
        severity=Severity.ERROR,
        category="JSON syntax",
        explanation="Single-quoted strings and unquoted property names are JavaScript, not JSON: the install fails.",
        bad="{\n  name: 'Demo'\n}",
        good='{\n  "name": "Demo"\n}',
        fixable=True,
        fix_note="Rewrites the string or property name with double quotes (safe when its text needs no change).",
    ),
    Rule(
        id="KAI005",
        name="json-bom",
        title="Byte order mark at the start of the file",
        severity=Severity.WARNING,
        category="JSON syntax",
        explanation="JSON.parse rejects U+FEFF. Whether KaiOS strips a UTF-8 byte order mark before parsing "
        "depends on the code path and build (not confirmed from source), so this is a warning: "
        "save manifests as UTF-8 without BOM.",
        bad='\\ufeff{"name": "Demo"}',
        good='{"name": "Demo"}',
        fixable=True,
        fix_note="Removes the byte order mark (safe).",
    ),
    Rule(
        id="KAI006",
        name="json-duplicate-key",
        title="Duplicate key",
        severity=Severity.WARNING,
        category="JSON syntax",
        explanation="When a key appears twice in an object, JSON.parse keeps the last value and silently "
        "drops the earlier one.",
        bad='{\n  "type": "privileged",\n  "type": "web"\n}',
        good='{\n  "type": "privileged"\n}',
        fixable=True,
        fix_note="Offers to remove the earlier duplicate, which JSON.parse drops anyway (not preferred: which of the two values was meant is the developer's call).",
    ),
    Rule(
        id="KAI008",
        name="unreadable-file",
        title="File cannot be read as UTF-8 text",
        severity=Severity.ERROR,
        category="JSON syntax",
        explanation="The file is not valid UTF-8, looks binary, or is larger than the configured limit "
        "(max_file_size). KaiOS decodes manifests as UTF-8; invalid bytes become U+FFFD or make "
        "the manifest unreadable. The rest of the file is checked as far as possible.",
        bad="(bytes 0xC3 0x28 in a string)",
        good="(valid UTF-8)",
        fix_note="No mechanical fix: the bytes are not text kaios-lsp can rewrite safely; re-save the file as UTF-8 in the editor.",
    ),
)
