"""``path:line:col: severity rule-id message`` lines, then a summary."""

from __future__ import annotations

from kaios_lsp.cli.report import FileReport
from kaios_lsp.findings import Severity


def render(reports: list[FileReport], color: bool = False, notes: list[str] | None = None) -> str:
    lines: list[str] = []
    counts = {severity: 0 for severity in Severity}
    colors = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36", Severity.HINT: "2"}
    for report in reports:
        for finding in report.findings:
            severity = finding.severity or Severity.WARNING
            counts[severity] += 1
            line, column, _, _ = report.span(finding)
            label = severity.label
            if color:
                label = f"\x1b[{colors[severity]}m{label}\x1b[0m"
            lines.append(
                f"{report.display_path}:{line}:{column}: {label} {finding.rule} {finding.message}"
            )
    files_with = sum(1 for r in reports if r.findings)
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s]]
    if parts:
        lines.append(
            f"{', '.join(parts)} in {files_with} of {len(reports)} file{'s' if len(reports) != 1 else ''} checked."
        )
    else:
        lines.append(
            f"No problems in {len(reports)} file{'s' if len(reports) != 1 else ''} checked."
        )
    lines += notes or []
    return "\n".join(lines) + "\n"
