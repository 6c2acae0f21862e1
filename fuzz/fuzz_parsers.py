"""Coverage-guided fuzzing (atheris) of everything that reads untrusted text: the JSON
parser, the HTML scanner, both JavaScript front ends, and the whole engine with fixes.

    pip install atheris
    python fuzz/fuzz_parsers.py -max_total_time=600 [corpus_dir]

A finding is a crash: an exception escaping the analysis, a range outside the document, a
fix that cannot be applied, or a safe fix after which the JSON parser gets less far: a
valid document made invalid, or the first syntax error moved earlier while there are more
errors than before. (In garbage, fixing one quote legitimately changes how the parser
recovers further on, so the count alone is not the measure.) (The same properties run briefly in CI as hypothesis tests.)
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from kaios_lsp.engine import analyze_document
    from kaios_lsp.parse.html import scan
    from kaios_lsp.parse.js.parse import parse_script
    from kaios_lsp.parse.json.tree import parse as parse_json
    from kaios_lsp.services.fixes import apply_edits

ROOT = tempfile.mkdtemp(prefix="kaios-fuzz-")
with open(os.path.join(ROOT, "manifest.webapp"), "w", encoding="utf-8") as handle:
    handle.write('{"name": "Fuzz", "type": "privileged"}')
NAMES = ("manifest.webapp", "manifest.webmanifest", "index.html", "app.js")


def check(path: str, text: str) -> None:
    result = analyze_document(path, text)
    before = _syntax(result.findings)
    for finding in result.findings:
        if not 0 <= finding.start <= finding.end <= len(text):
            raise AssertionError(f"{finding.rule} range {finding.start}:{finding.end} outside text")
        for fix in finding.fixes:
            edits = [e for c in fix.changes if c.path is None for e in c.edits]
            fixed = apply_edits(text, edits)  # raises on overlap or out-of-range edits
            if fix.safe and path.endswith((".webapp", ".webmanifest")):
                after = _syntax(analyze_document(path, fixed).findings)
                edit_start = min((e.start for e in edits), default=0)
                if after and not before:
                    raise AssertionError(f"safe fix {fix.title!r} made valid JSON invalid")
                if (
                    before
                    and after
                    and len(after) > len(before)
                    and after[0] < min(before[0], edit_start)
                ):
                    raise AssertionError(f"safe fix {fix.title!r} made the JSON worse")


def _syntax(findings) -> list[int]:
    """Where the JSON syntax errors (KAI001-KAI004) start, in order."""
    return sorted(f.start for f in findings if f.rule in ("KAI001", "KAI002", "KAI003", "KAI004"))


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
