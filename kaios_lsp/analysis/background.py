"""Analysis of big documents in a worker process.

A multi-megabyte document takes seconds to analyse in pure Python. In a thread it would
hold the GIL (and trigger long garbage collections of its tree) while the editor waits
for completions; in a separate process it cannot. Only the findings travel back: they are
small, plain data.
"""

from __future__ import annotations

from kaios_lsp.config import Config

from .engine import analyze_document
from .files import DiskFiles, OpenPathsFiles
from .findings import Finding


def analyze_findings(
    path: str | None, text: str, config: Config, open_paths: frozenset[str]
) -> tuple[str | None, list[Finding]]:
    """(document kind, findings) of one document; runs in the worker process."""
    result = analyze_document(path, text, config, OpenPathsFiles(open_paths, DiskFiles()))
    return result.kind, result.findings
