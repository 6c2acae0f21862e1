"""``kaios-lsp rules``: the rule catalog as text, Markdown or JSON."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(commands: argparse._SubParsersAction) -> None:
    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "markdown", "json"), default="text")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kaios_lsp.rules import catalog

    if args.format == "markdown":
        sys.stdout.write(catalog.render_markdown())
    elif args.format == "json":
        rules = [
            {
                "id": r.id,
                "name": r.name,
                "title": r.title,
                "severity": r.severity.label,
                "category": r.category,
                "fixable": r.fixable,
                "explanation": r.explanation,
            }
            for r in catalog.RULES.values()
        ]
        sys.stdout.write(json.dumps(rules, indent=2) + "\n")
    else:
        sys.stdout.write(catalog.render_text())
    return 0
