"""Analysis of big documents in a worker process.

A multi-megabyte document takes seconds to analyse in pure Python. In a thread it would
hold the GIL (and trigger long garbage collections of its tree) while the editor waits
for completions; in a separate process it cannot. Only the findings travel back: they are
small, plain data.
"""

from __future__ import annotations

from kaios_lsp.app.files import DiskFiles, OpenPathsFiles, OverlayFiles
from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.findings import Finding
from kaios_lsp.lsp.memory import release_memory
from kaios_lsp.rules.js.sessions import ScriptSessions
from kaios_lsp.rules.permissions.prompt_sites import CallSite, scan_script

# The scripts being typed in that are big enough for the worker: their trees and findings
# per region, kept in the worker process between keystrokes (the last two edited, up to
# 3 MB of script in all).
_SESSIONS = ScriptSessions(limit=2, max_chars=3_000_000)


def analyze_findings(
    path: str | None,
    text: str | bytes,
    config: Config,
    open_paths: frozenset[str],
    open_manifests: dict[str, str] | None = None,
    edited: bool = False,
) -> tuple[str | None, list[Finding]]:
    """(document kind, findings) of one document; runs in the worker process.

    ``open_manifests`` are the unsaved texts of open manifests (small, and what decides
    a page's app type and policy); other open documents only count as existing. An
    ``edited`` script is analysed incrementally (see rules/js/incremental.py). The text
    may come as UTF-8 (a packed document: lsp/documents.py)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogatepass")
    files = OverlayFiles(dict(open_manifests or {}), OpenPathsFiles(open_paths, DiskFiles()))
    sessions = _SESSIONS if edited else None
    result = analyze_document(path, text, config, files, sessions=sessions)
    kind, findings = result.kind, result.findings
    if not edited:
        # A whole document read afresh (it was opened, or its app changed): several may
        # queue for the worker, give each one's trees back before the next. A keystroke
        # (edited) keeps its session's tree on purpose and must stay quick.
        del result
        release_memory()
    return kind, findings


def scan_prompt_calls(
    path: str, text: str | bytes | None, config: Config
) -> tuple[CallSite, ...] | None:
    """The prompting calls of a big script (for a manifest's KAI204, see lsp/scans.py);
    ``text`` None: as on disk (``None`` back: it cannot be read)."""
    if text is None:
        text = DiskFiles().read_text(path)
        if text is None:
            return None
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogatepass")
    sites = scan_script(path, text, config)
    del text
    release_memory()
    return sites
