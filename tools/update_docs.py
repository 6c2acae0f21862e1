"""Regenerate docs/rules.md and the rule table in README.md from kaios_lsp/rules/catalog.py.

python tools/update_docs.py
"""

from __future__ import annotations

from pathlib import Path

from kaios_lsp.rules.catalog import render_markdown, render_table

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- rules:start -->\n", "<!-- rules:end -->"


def main() -> None:
    (ROOT / "docs" / "rules.md").write_text(render_markdown(), "utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    (ROOT / "README.md").write_text(head + START + render_table() + END + tail, "utf-8")
    print("updated docs/rules.md and the README rule table")


if __name__ == "__main__":
    main()
