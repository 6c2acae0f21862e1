"""The big scripts a manifest's analysis leaves to the worker process.

A manifest's first analysis reads every script of its app for the calls that show a
permission prompt (KAI204). Parsing a 1 MB bundle for them takes a second and ~40 MB of
tree; on the event loop that would hold every completion and hover, and add to the
server's memory. So the analysis on the event loop leaves scripts bigger than
FRESH_INLINE_LIMIT (see app/manifest_context.DeferredScans) and is neither published
nor kept; they are parsed here in the worker, their call sites kept for their version,
and the manifests that waited for them analysed again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool

from kaios_lsp.config import Config
from kaios_lsp.lsp.background import scan_prompt_calls
from kaios_lsp.lsp.session import KaiosLanguageServer
from kaios_lsp.lsp.uris import path_to_uri
from kaios_lsp.rules.permissions.prompt_sites import CallSite, keep_script_sites, scan_script

log = logging.getLogger("kaios_lsp.lsp.server")


Reschedule = Callable[[KaiosLanguageServer, str], None]


def scan_in_worker(
    ls: KaiosLanguageServer, uri: str, paths: list[str], config: Config, then: Reschedule
) -> None:
    """Parse ``paths`` in the worker (each once, however many manifests wait for it),
    then ``then(ls, uri)``: analyse the manifest again."""
    for path in dict.fromkeys(paths):
        ls.scan_waiters.setdefault(path, set()).add(uri)
        if path not in ls.scans_running:
            ls.scans_running[path] = asyncio.ensure_future(_scan(ls, path, config, then))


async def _scan(ls: KaiosLanguageServer, path: str, config: Config, then: Reschedule) -> None:
    try:
        await _scan_one(ls, path, config)
    finally:
        ls.scans_running.pop(path, None)
    for uri in ls.scan_waiters.pop(path, set()):
        # (a manifest waiting for other scripts too is analysed once, after the last)
        if uri in ls.documents and not any(uri in w for w in ls.scan_waiters.values()):
            then(ls, uri)


async def _scan_one(ls: KaiosLanguageServer, path: str, config: Config) -> None:
    stamp = ls.files().stamp(path)  # (before the text: a change in between shows next time)
    document = ls.documents.get(path_to_uri(path))
    # a closed script is read by the worker (the server never decodes it); an open one
    # is sent as UTF-8, with the fingerprint of its text (its stamp has it: hashes
    # differ between processes), so the result is found again under another stamp
    data = None if document is None else document.packed or document.text
    print_ = None if document is None else document.stamp()[1:]
    sites: tuple[CallSite, ...] | None
    try:
        sites = await asyncio.get_running_loop().run_in_executor(
            ls.worker_pool(), scan_prompt_calls, path, data, config
        )
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        log.error("the analysis worker failed on %s: %s", path, exc)
        ls.worker_failed()
        text = ls.files().read_text(path)
        sites = None if text is None else scan_script(path, text, config)
    except Exception:  # a bug in the scan: the manifest is published without it
        log.exception("the prompt scan of %s failed", path)
        sites = ()
    if sites is not None:
        keep_script_sites(path, config, stamp, print_, sites)
