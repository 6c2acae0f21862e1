"""SARIF 2.1.0, as GitHub code scanning accepts it."""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from kaios_lsp import __version__
from kaios_lsp.cli.report import FileReport
from kaios_lsp.findings import Severity
from kaios_lsp.parse.text import Encoding
from kaios_lsp.rules.catalog import RULES
from kaios_lsp.rules.meta import Rule
from kaios_lsp.services.fixes import same_file_edits

_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.HINT: "note",
}


def _rule_descriptor(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.explanation},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "help": {
            "text": f"{rule.explanation}\n\nFlagged:\n{rule.bad}\n\nFine:\n{rule.good}",
            "markdown": f"{rule.explanation}\n\nFlagged:\n```json\n{rule.bad}\n```\n\nFine:\n```json\n{rule.good}\n```",
        },
        "properties": {"tags": [rule.category]},
    }


def _artifact_uri(report: FileReport, base: str) -> dict:
    relative = os.path.relpath(report.path, base)
    if relative.startswith(".."):
        return {"uri": "file://" + quote(os.path.abspath(report.path), safe="/!")}
    return {"uri": quote(relative.replace(os.sep, "/"), safe="/!"), "uriBaseId": "SRCROOT"}


def _region(report: FileReport, start: int, end: int) -> dict:
    sl, sc = report.index.position(start, Encoding.UTF16)
    el, ec = report.index.position(end, Encoding.UTF16)
    return {"startLine": sl + 1, "startColumn": sc + 1, "endLine": el + 1, "endColumn": ec + 1}


def render(reports: list[FileReport], base: str | None = None) -> str:
    base = os.path.abspath(base or os.getcwd())
    rules = list(RULES.values())
    rule_index = {rule.id: i for i, rule in enumerate(rules)}
    results = []
    for report in reports:
        location = _artifact_uri(report, base)
        for finding in report.findings:
            result: dict = {
                "ruleId": finding.rule,
                "level": _LEVEL[finding.severity or Severity.WARNING],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": _region(report, finding.start, finding.end),
                        }
                    }
                ],
            }
            if finding.rule in rule_index:
                result["ruleIndex"] = rule_index[finding.rule]
            fixes = []
            for fix in finding.fixes:
                edits = same_file_edits(fix)
                if not edits:
                    continue
                fixes.append(
                    {
                        "description": {"text": fix.title},
                        "artifactChanges": [
                            {
                                "artifactLocation": location,
                                "replacements": [
                                    {
                                        "deletedRegion": _region(report, e.start, e.end),
                                        "insertedContent": {"text": e.new_text},
                                    }
                                    for e in edits
                                ],
                            }
                        ],
                    }
                )
            if fixes:
                result["fixes"] = fixes
            results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kaios-lsp",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {
                    "SRCROOT": {"uri": "file://" + quote(base.rstrip("/") + "/")}
                },
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
