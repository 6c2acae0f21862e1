"""Suppression comments, as ESLint users know them, and KAI010 for the useless ones.

In scripts: ``// kaios-lsp-disable-next-line KAI402``, ``// kaios-lsp-disable-line KAI402``,
``/* kaios-lsp-disable KAI402, KAI404 */`` ... ``/* kaios-lsp-enable KAI402 */``.
In HTML: the same verbs inside ``<!-- ... -->``. Rules are named by id or name; no rule
means every rule. A directive that suppresses nothing is reported (hint, KAI010) with a fix
that removes it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.rules.meta import Rule

Resolve = Callable[[str], "Rule | None"]  # a rule by id or name (the catalog's lookup)

UNUSED_SUPPRESSION = "KAI010"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI010",
        name="unused-suppression",
        title="Suppression comment that suppresses nothing",
        severity=Severity.HINT,
        category="JSON syntax",
        explanation="A kaios-lsp-disable comment (// kaios-lsp-disable-next-line KAI402, /* kaios-lsp-disable KAI402 */, "
        "<!-- kaios-lsp-disable-next-line KAI301 --> and -line/-enable forms) names rules by id or name, or none "
        "for all. When it suppresses nothing (the problem was fixed, or the id is wrong), it only hides "
        "future problems: the fix removes it. Every script and page diagnostic has a quick fix that adds one.",
        bad="// kaios-lsp-disable-next-line KAI402\nvar ready = true;",
        good='// kaios-lsp-disable-next-line KAI402\nsetTimeout("tick()", 1000);',
        fixable=True,
        example_file="app.js",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Removes the unused suppression (safe).",
    ),
)

_VERBS = r"(?P<verb>disable-next-line|disable-line|disable|enable)"
_DIRECTIVES = re.compile(
    r"//[ \t]*kaios-lsp-" + _VERBS + r"(?P<ids>[^\r\n]*)"
    r"|/\*\s*kaios-lsp-" + _VERBS.replace("verb", "verb2") + r"(?P<ids2>(?:(?!\*/)[^\r\n])*)\*/"
    r"|<!--\s*kaios-lsp-" + _VERBS.replace("verb", "verb3") + r"(?P<ids3>(?:(?!-->)[^\r\n])*)-->"
)
_SPLIT = re.compile(r"[\s,]+")


@dataclass
class Directive:
    start: int
    end: int
    verb: str
    rules: tuple[str, ...]  # rule ids; () = every rule
    unknown: tuple[str, ...]
    line: int
    used: set[str] = field(default_factory=set)


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1


def directives(text: str, resolve: Resolve) -> list[Directive]:
    if "kaios-lsp-" not in text:
        return []
    lines = _Lines(text)
    found = []
    for match in _DIRECTIVES.finditer(text):
        verb = match.group("verb") or match.group("verb2") or match.group("verb3")
        raw = match.group("ids") or match.group("ids2") or match.group("ids3") or ""
        raw = raw.split("--", 1)[0]  # "-- reason" comments, as in ESLint
        rules: list[str] = []
        unknown: list[str] = []
        for word in _SPLIT.split(raw.strip()):
            if not word:
                continue
            rule = resolve(word)
            (rules if rule else unknown).append(rule.id if rule else word)
        found.append(
            Directive(
                match.start(),
                match.end(),
                verb,
                tuple(rules),
                tuple(unknown),
                lines.line(match.start()),
            )
        )
    return found


def _covers(directive: Directive, rule: str) -> bool:
    return not directive.rules or rule in directive.rules


def apply_suppressions(
    text: str, findings: list[Finding], active: set[str] | None = None, *, resolve: Resolve
) -> list[Finding]:
    """Drop suppressed findings; add KAI010 for directives that suppressed nothing.

    ``active``: rule ids that are on (a directive naming a rule that is off is not unused).
    ``resolve``: the rules directives may name (the catalog's lookup; passed in because the
    catalog is assembled from the rule modules, this one included).
    """
    found = directives(text, resolve)
    if not found:
        return findings
    lines = _Lines(text)
    next_line: dict[int, list[Directive]] = {}
    same_line: dict[int, list[Directive]] = {}
    ranges: list[Directive] = []
    for directive in found:
        if directive.verb == "disable-next-line":
            next_line.setdefault(directive.line + 1, []).append(directive)
        elif directive.verb == "disable-line":
            same_line.setdefault(directive.line, []).append(directive)
        else:
            ranges.append(directive)
    kept = []
    for finding in findings:
        if finding.rule == UNUSED_SUPPRESSION:
            kept.append(finding)
            continue
        line = lines.line(finding.start)
        hit = next(
            (
                d
                for d in next_line.get(line, []) + same_line.get(line, [])
                if _covers(d, finding.rule)
            ),
            None,
        )
        if hit is None:
            hit = _range_hit(ranges, finding)
        if hit is None:
            kept.append(finding)
        else:
            hit.used.add(finding.rule)
    for directive in found:
        if directive.verb == "enable":
            continue
        kept.extend(_unused(text, directive, active))
    kept.sort(key=Finding.sort_key)
    return kept


def _range_hit(ranges: list[Directive], finding: Finding) -> Directive | None:
    """The ``disable`` block comment in force at the finding, if any."""
    state: dict[str, Directive | None] = {}
    everything: Directive | None = None
    for directive in ranges:
        if directive.start > finding.start:
            break
        if directive.verb == "disable":
            if directive.rules:
                for rule in directive.rules:
                    state[rule] = directive
            else:
                everything = directive
        else:  # enable
            if directive.rules:
                for rule in directive.rules:
                    state[rule] = None
            else:
                everything = None
                state.clear()
    return state.get(finding.rule) or everything


def _unused(text: str, directive: Directive, active: set[str] | None) -> list[Finding]:
    relevant = [r for r in directive.rules if active is None or r in active]
    problems = []
    if directive.unknown:
        problems.append(f"unknown rule {', '.join(directive.unknown)}")
    if directive.rules:
        idle = [r for r in relevant if r not in directive.used]
        if idle:
            problems.append(f"nothing to suppress for {', '.join(idle)}")
    elif not directive.used:
        problems.append("nothing to suppress")
    if not problems:
        return []
    return [
        Finding(
            UNUSED_SUPPRESSION,
            directive.start,
            directive.end,
            f"Unused suppression: {'; '.join(problems)}.",
            fixes=(_remove(text, directive),),
            severity=Severity.HINT,
            unnecessary=True,
        )
    ]


def _remove(text: str, directive: Directive) -> Fix:
    start, end = directive.start, directive.end
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    line_end = end
    while line_end < len(text) and text[line_end] in " \t":
        line_end += 1
    alone = not text[line_start:start].strip() and (
        line_end == len(text) or text[line_end] in "\r\n"
    )
    if alone:
        if text.startswith("\r\n", line_end):
            line_end += 2
        elif line_end < len(text):
            line_end += 1
        return Fix.replace("Remove the unused suppression", line_start, line_end, "", safe=True)
    while start > line_start and text[start - 1] in " \t":
        start -= 1
    return Fix.replace("Remove the unused suppression", start, end, "", safe=True)


def suppression_fixes(text: str, finding: Finding, html: bool = False) -> list[Fix]:
    """ "Disable KAIxxx for this line" and "... for the whole file" (editor-only actions).

    ``html``: the finding is in HTML markup (not inside an inline script)."""
    rule = finding.rule
    if rule == UNUSED_SUPPRESSION or not re.fullmatch(r"KAI\d{3}", rule):
        return []
    line_start = max(text.rfind("\n", 0, finding.start), text.rfind("\r", 0, finding.start)) + 1
    before = text[:line_start]
    if not html and before.count("`") % 2:
        return []  # the line starts inside a template literal: a comment would become text
    indent = re.match(r"[ \t]*", text[line_start:]).group()  # type: ignore[union-attr]
    newline = "\r\n" if "\r\n" in text else "\n"
    if html:
        line = f"{indent}<!-- kaios-lsp-disable-next-line {rule} -->{newline}"
        whole = f"<!-- kaios-lsp-disable {rule} -->{newline}"
        doctype = re.match(r"\s*<!doctype[^>]*>[ \t]*(\r\n|\r|\n)?", text, re.IGNORECASE)
        top = doctype.end() if doctype else 0
    else:
        line = f"{indent}// kaios-lsp-disable-next-line {rule}{newline}"
        whole = f"/* kaios-lsp-disable {rule} */{newline}"
        top = text.find("\n") + 1 if text.startswith("#!") else 0
    return [
        Fix.replace(f"Disable {rule} for this line", line_start, line_start, line),
        Fix.replace(f"Disable {rule} for the whole file", top, top, whole),
    ]
