"""Reuse the parts of a manifest's last analysis that a keystroke cannot have changed.

Most keystrokes in a manifest type inside one string (see incremental.patch_string_edit):
a description, a name, a permission's purpose. What depends only on other members, on
the other files (unchanged: every question the last analysis asked of them is asked
again, see app/dependent.answers_unchanged) and on the settings is the same as before,
moved by the edit's length. Rules declare the members they read (``rules.meta.reads``);
the schema check is reused member by member; the app model when no edit is in a member
that links to a file; a text check (secrets) when it says the edited line cannot change
it. tests/test_manifest_reuse.py checks that a reusing analysis equals a fresh one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from kaios_lsp.app.dependent import Answers, answers_unchanged
from kaios_lsp.app.files import FileView
from kaios_lsp.app.links import LINKED_MEMBERS
from kaios_lsp.app.manifest import ANALYSIS, EVERY_MEMBER, Lineage, Manifest
from kaios_lsp.findings import Finding
from kaios_lsp.rules.manifest.schema_check import ROOT_GROUP, ROOT_GROUP_READS


@dataclass
class ManifestAnalysis:
    """What one analysis of a manifest version found, part by part, and what else it
    depended on: kept as that version's ``derived[ANALYSIS]`` for the next version."""

    config: object
    model: object
    answers: Answers  # every question the rules asked of the other files, with the answer
    rules: dict[str, list[Finding]] = field(default_factory=dict)  # by rule_key
    text: dict[str, list[Finding]] = field(default_factory=dict)  # the text checks' (secrets)
    schema_basis: object = None
    schema: dict[str | None, list[Finding]] = field(default_factory=dict)  # by member


@cache
def rule_key(rule: Callable[..., object]) -> str:
    return f"{rule.__module__}.{rule.__qualname__}"


class Reuse:
    """The parts of the last analysis that the edits since cannot have changed, moved to
    where they are now. A part is reused when no edit is in a member it reads (rules
    declare what they read, see ``rules.meta.reads``; a rule that does not is always run
    again) and none of its findings, related places or fix edits overlaps an edited
    string (a parent's range around it is fine)."""

    def __init__(self, analysis: ManifestAnalysis, lineage: Lineage) -> None:
        self.analysis = analysis
        self.lineage = lineage
        self.edits = lineage.edits
        self.members = lineage.members
        self.renamed = frozenset().union(*(e.members for e in self.edits if e.renames))

    @property
    def keeps_model(self) -> bool:
        """Is the app model the same? It reads the members that link to files and, when
        the folders do not tell the situation, the placeholders in the whole text."""
        model = self.analysis.model
        return not self.lineage.touches(LINKED_MEMBERS) and not getattr(
            model, "told_by_text", False
        )

    def fits(self, manifest: Manifest, config: object, model: object) -> bool:
        """Does this reuse apply to an analysis of ``manifest`` with this model?"""
        return (
            manifest.lineage is self.lineage
            and self.analysis.config is config
            and self.analysis.model is model
        )

    def rule(
        self, key: str, reads: frozenset[str] | None, present: frozenset[str] = frozenset()
    ) -> list[Finding] | None:
        found = self.analysis.rules.get(key)
        if found is None or reads is None or self._touches(reads):
            return None
        if present and not present.isdisjoint(self.renamed):
            return None
        return self._moved(found)

    def text(self, check: Callable[..., object], text: str) -> list[Finding] | None:
        """The findings of a text check (secrets...) after one edit, when the check says
        the edited line cannot change them (``unaffected_by(old line, new line, text)``)
        and none of them is on that line."""
        found = self.analysis.text.get(rule_key(check))
        unaffected_by = getattr(check, "unaffected_by", None)
        if found is None or unaffected_by is None or len(self.edits) != 1:
            return None
        edit = self.edits[0]
        line_start = text.rfind("\n", 0, edit.start) + 1
        line_end = text.find("\n", edit.start + edit.length)
        new_line = text[line_start : line_end if line_end >= 0 else len(text)]
        at = edit.start - line_start
        old_line = new_line[:at] + edit.removed + new_line[at + edit.length :]
        if not unaffected_by(old_line, new_line, text):
            return None
        old_end = line_start + len(old_line)
        moved = []
        for finding in found:
            ranges = [(finding.start, finding.end)]
            ranges += [(r.start, r.end) for r in finding.related if r.path is None]
            ranges += [
                (e.start, e.end)
                for fix in finding.fixes
                for change in fix.changes
                if change.path is None
                for e in change.edits
            ]
            if finding.path is not None or any(
                start <= old_end and line_start <= end for start, end in ranges
            ):
                return None
            moved.append(finding.mapped(edit.shift))
        return moved

    def _touches(self, names: frozenset[str]) -> bool:
        return self.members >= EVERY_MEMBER or not names.isdisjoint(self.members)

    def schema(self, basis: object) -> dict[str | None, list[Finding]]:
        """The schema findings of the members no edit is in, and of the root object
        unless an edit is in a member its fixes take a value from (like "name" from the
        default locale); all of them to validate again if what every member depends on
        changed, or a member was renamed."""
        if basis != self.analysis.schema_basis or any(e.renames for e in self.edits):
            return {}  # (what a member may be depends on the names of the others)
        kept: dict[str | None, list[Finding]] = {}
        for name, found in self.analysis.schema.items():
            if (
                self.members.isdisjoint(ROOT_GROUP_READS)
                if name is ROOT_GROUP
                else name not in self.members
            ):
                moved = self._moved(found)
                if moved is not None:
                    kept[name] = moved
        return kept

    def _moved(self, findings: list[Finding]) -> list[Finding] | None:
        moved = []
        for finding in findings:
            if finding.path is not None:
                return None
            if finding.fixes or finding.related:
                for edit in self.edits:
                    if not _clear_of(finding, edit.string):
                        return None
                    finding = finding.mapped(edit.shift)
                moved.append(finding)
                continue
            start, end = finding.start, finding.end  # (most findings: the quick way)
            for edit in self.edits:
                first, last = edit.string
                if not (end <= first or start >= last or (start <= first and end >= last)):
                    return None
                start, end = edit.shift(start), edit.shift(end)
            moved.append(finding.mapped_to(start, end))
        return moved


def _clear_of(finding: Finding, string: tuple[int, int]) -> bool:
    first, last = string

    def around(start: int, end: int) -> bool:  # outside the string, or around all of it
        return end <= first or start >= last or (start <= first and end >= last)

    if not around(finding.start, finding.end):
        return False
    if any(r.path is None and not around(r.start, r.end) for r in finding.related):
        return False
    return not any(
        edit.start < last and first < edit.end
        for fix in finding.fixes
        for change in fix.changes
        if change.path is None
        for edit in change.edits
    )


def reuse_for(manifest: Manifest, files: FileView, config: object) -> Reuse | None:
    """What the analysis of ``manifest`` may reuse from the analysis its edits started
    from: nothing unless the settings are the same object and the other files answer
    every question as they did."""
    lineage = manifest.lineage
    if lineage is None:
        return None
    analysis = lineage.derived.get(ANALYSIS)
    if not isinstance(analysis, ManifestAnalysis) or analysis.config is not config:
        return None
    if not answers_unchanged(files, analysis.answers):
        return None
    return Reuse(analysis, lineage)
