"""A JSON document with every finding, for scripts."""

from __future__ import annotations

import json

from kaios_lsp import __version__
from kaios_lsp.cli.report import FileReport
from kaios_lsp.rules.catalog import RULES
from kaios_lsp.services.fixes import same_file_edits


def render(reports: list[FileReport]) -> str:
    findings = []
    for report in reports:
        for finding in report.findings:
            line, column, end_line, end_column = report.span(finding)
            rule = RULES.get(finding.rule)
            findings.append(
                {
                    "path": report.display_path,
                    "line": line,
                    "column": column,
                    "endLine": end_line,
                    "endColumn": end_column,
                    "severity": finding.severity.label if finding.severity else "warning",
                    "rule": finding.rule,
                    "name": rule.name if rule else None,
                    "message": finding.message,
                    "fixes": [
                        {
                            "title": fix.title,
                            "safe": fix.safe,
                            "sameFile": same_file_edits(fix) is not None,
                        }
                        for fix in finding.fixes
                    ],
                }
            )
    document = {
        "tool": "kaios-lsp",
        "version": __version__,
        "columnUnit": "utf-16",
        "filesChecked": len(reports),
        "findings": findings,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
