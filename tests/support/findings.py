"""Findings as plain data, to compare two analyses of the same text."""

from __future__ import annotations

from kaios_lsp.findings import Finding


def finding_key(finding: Finding) -> tuple:
    """Everything a finding says: rule, range, message, severity, tags, every fix with
    all its edits and created files, and the related places."""
    return (
        finding.rule,
        finding.start,
        finding.end,
        finding.message,
        finding.severity,
        finding.unnecessary,
        tuple(
            (
                fix.title,
                fix.safe,
                tuple(
                    (
                        change.path,
                        tuple((e.start, e.end, e.new_text) for e in change.edits),
                        change.create,
                        change.content,
                    )
                    for change in fix.changes
                ),
            )
            for fix in finding.fixes
        ),
        tuple((r.start, r.end, r.message, r.path) for r in finding.related),
    )
