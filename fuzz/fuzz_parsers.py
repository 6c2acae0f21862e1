"""Coverage-guided fuzzing (atheris) of everything that reads untrusted text: the JSON
parser, the HTML scanner, both JavaScript front ends, and the whole engine with fixes.

    pip install atheris
    python fuzz/fuzz_parsers.py -max_total_time=600 [corpus_dir]

A finding is a crash: an exception escaping the analysis, a range outside the document, a
fix that cannot be applied, or a safe fix that makes the JSON parser report more errors
than before. (The same properties run briefly in CI as hypothesis tests.)
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from kaios_lsp.analysis.engine import analyze_document
    from kaios_lsp.analysis.fixes import apply_edits
    from kaios_lsp.analysis.html_scan import scan
    from kaios_lsp.analysis.js.parse import parse_script
    from kaios_lsp.analysis.json_tree import parse as parse_json

ROOT = tempfile.mkdtemp(prefix="kaios-fuzz-")
with open(os.path.join(ROOT, "manifest.webapp"), "w", encoding="utf-8") as handle:
    handle.write('{"name": "Fuzz", "type": "privileged"}')
NAMES = ("manifest.webapp", "manifest.webmanifest", "index.html", "app.js")


def check(path: str, text: str) -> None:
    result = analyze_document(path, text)
    syntax_before = sum(1 for f in result.findings if f.rule.startswith("KAI00"))
    for finding in result.findings:
        if not 0 <= finding.start <= finding.end <= len(text):
            raise AssertionError(f"{finding.rule} range {finding.start}:{finding.end} outside text")
        for fix in finding.fixes:
            edits = [e for c in fix.changes if c.path is None for e in c.edits]
            fixed = apply_edits(text, edits)  # raises on overlap or out-of-range edits
            if fix.safe and path.endswith((".webapp", ".webmanifest")):
                after = analyze_document(path, fixed).findings
                if sum(1 for f in after if f.rule.startswith("KAI00")) > syntax_before:
                    raise AssertionError(f"safe fix {fix.title!r} broke the JSON")


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    kind = provider.ConsumeIntInRange(0, 3)
    text = provider.ConsumeUnicodeNoSurrogates(len(data))
    if kind == 0:
        parse_json(text)
    elif kind == 1:
        scan(text)
    elif kind == 2:
        parse_script(text, front="tree-sitter")
        parse_script(text)
    check(os.path.join(ROOT, NAMES[kind]), text)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
