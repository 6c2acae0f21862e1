"""Diagnostics: each document analysed after a per-document debounce (big ones in the
worker process), published only if the document still has the analysed version, and the
documents an edit affects analysed again."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import pickle
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import cast

from lsprotocol import types

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.dependent import OneLook
from kaios_lsp.app.files import FileView, is_inside
from kaios_lsp.app.manifest import manifest_kind
from kaios_lsp.app.manifest_context import DeferredScans
from kaios_lsp.app.model import AppModel, build_model
from kaios_lsp.app.project import TARGET_CONFIG_NAMES
from kaios_lsp.engine import DocumentAnalysis, analyze_document
from kaios_lsp.findings import Finding
from kaios_lsp.lsp.background import analyze_findings
from kaios_lsp.lsp.convert import diagnostic_json, publish_diagnostics_message
from kaios_lsp.lsp.documents import Document
from kaios_lsp.lsp.memory import RELEASE_AFTER_SECONDS, release_memory
from kaios_lsp.lsp.scans import scan_in_worker
from kaios_lsp.lsp.session import KaiosLanguageServer
from kaios_lsp.lsp.uris import path_to_uri, uri_to_path
from kaios_lsp.parse.text import Encoding, Positions

# One logger for the whole server: log lines keep the name they have always had.
log = logging.getLogger("kaios_lsp.lsp.server")

INLINE_ANALYSIS_LIMIT = 256 * 1024  # characters; bigger documents go to the worker process
# ... and this for a document nobody has typed in (opened, or its app changed), and for
# the scripts a manifest reads for KAI204: nobody waits on a keystroke there, and an
# editor that opens a whole app then never holds its requests, nor its memory, for the
# trees of one script after another.
FRESH_INLINE_LIMIT = 64 * 1024


def _inline(document: Document) -> bool:
    """Is the document analysed on the event loop (not in the worker)?"""
    return document.length <= (INLINE_ANALYSIS_LIMIT if document.edited else FRESH_INLINE_LIMIT)


_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


def analysis_of(ls: KaiosLanguageServer, document: Document) -> DocumentAnalysis:
    """The analysis of the document's current version (computed if missing; for a big
    document still being analysed in the worker, an empty one rather than a wait)."""
    cached = document.cache.get("analysis")
    if isinstance(cached, DocumentAnalysis):
        return cached
    if isinstance(cached, PackedAnalysis):
        unpacked = cached.unpack()
        document.cache["analysis"] = unpacked
        return unpacked
    if document.length > INLINE_ANALYSIS_LIMIT:
        return DocumentAnalysis(document.path, None, [])
    return _analyze_inline(ls, document)


def _analyze_inline(
    ls: KaiosLanguageServer,
    document: Document,
    files: FileView | None = None,
    scans: DeferredScans | None = None,
) -> DocumentAnalysis:
    """Analyse on the event loop, on the parse shared with completion and hover (and
    the view of the other files ``files``, if given). With ``scans``, a manifest leaves
    its app's big scripts to the worker; if it did, the analysis is incomplete and not
    kept."""
    config = ls.config_for(document.path)
    manifest = ls.manifest_of(document)
    started = time.perf_counter()
    sessions = ls.script_sessions if document.edited else None
    result = analyze_document(
        document.path,
        document.text,
        config,
        files or ls.files(),
        manifest=manifest,
        sessions=sessions,
        scans=scans,
    )
    if scans is not None and scans.paths:
        return result
    document.cache["analysis"] = result
    _follow_reach(ls, document, result)
    if time.perf_counter() - started > RELEASE_AFTER_SECONDS:
        # a long analysis built big trees (a big script, or a manifest's first scan of
        # its app's scripts); a keystroke's quick one never pays for the collection
        release_memory()
    return result


def _follow_reach(ls: KaiosLanguageServer, document: Document, result: DocumentAnalysis) -> None:
    """When an edit changes which files the app's entry points open (a new <script
    src>, a removed link), the other open pages and scripts of the app change role
    (a hint becomes a finding or back): analyse them again."""
    model = result.app.model if result.app is not None else None
    if model is None or model.reach is None:
        return
    signature = (model.situation, model.reach.everything, frozenset(model.reach.reached))
    previous = ls.reach_signatures.get(model.manifest_path)
    ls.reach_signatures[model.manifest_path] = signature
    if previous is not None and previous != signature:
        _reanalyze_under(ls, document.uri, model.project_root)


# Documents analysed again because another one changed (the scripts of an edited manifest,
# the manifest of an edited script) wait until that typing pauses this long: analysed on
# every keystroke of the other document, they would make each of its keystrokes wait.
DEPENDENTS_DELAY_MS = 300


def schedule(ls: KaiosLanguageServer, uri: str, *, dependent: bool = False) -> None:
    """(Re)start the debounced analysis of one document (``dependent``: because another
    document changed, see DEPENDENTS_DELAY_MS)."""
    if uri in ls.in_worker:
        # A big document is in the worker process, which cannot be interrupted:
        # cancelling the wait would throw the result away and queue another full
        # analysis behind it (a dependency edited on every keystroke would starve
        # it for ever). Let it finish; the newest version runs right after.
        ls.rerun.add(uri)
        return
    previous = ls.pending.pop(uri, None)
    if previous is not None and not previous.done():
        previous.cancel()
    document = ls.documents.get(uri)
    if document is None or document.path is None:
        return
    delay = ls.config_for(None).debounce_ms
    if dependent:
        delay = max(delay, DEPENDENTS_DELAY_MS)
    if delay == 0 and _inline(document):
        # No debounce and a small document: answer within this notification.
        _analyze_inline_and_publish(ls, document)
        return
    if not document.edited and not _inline(document):
        # bound for the worker: packed now, not when the loop next runs (an editor that
        # opens a whole app sends its files faster than they are analysed)
        document.pack()
    ls.pending[uri] = asyncio.ensure_future(_analyze_and_publish(ls, uri, document.version, delay))


async def _analyze_and_publish(
    ls: KaiosLanguageServer, uri: str, version: int | None, delay: int
) -> None:
    if delay:
        await asyncio.sleep(delay / 1000)
    document = ls.documents.get(uri)
    if document is None or document.version != version:
        return  # superseded
    if _inline(document):
        _analyze_inline_and_publish(ls, document)
        return
    if uri in ls.in_worker:  # one job per document: the newest version runs next
        ls.rerun.add(uri)
        return
    if not document.edited:
        document.pack()  # (the worker decodes it: the queue holds UTF-8, not 4-byte str)
    text, path, generation = document.packed or document.text, document.path, document.generation
    config = ls.config_for(path)
    open_texts = ls.documents.open_texts()
    open_paths = frozenset(open_texts)
    open_manifests = {
        p: open_texts[p] for p in open_paths if _is_manifest_name(os.path.basename(p))
    }
    ls.in_worker.add(uri)
    try:
        loop = asyncio.get_running_loop()
        kind, findings = await loop.run_in_executor(
            ls.worker_pool(),
            analyze_findings,
            path,
            text,
            config,
            open_paths,
            open_manifests,
            document.edited,
        )
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        log.error("the analysis worker failed on %s: %s", path, exc)
        ls.worker_failed()
        return
    finally:
        ls.in_worker.discard(uri)
        rerun = uri in ls.rerun
        if rerun:
            ls.rerun.discard(uri)
            schedule(ls, uri)
    document = ls.documents.get(uri)
    if document is None or document.version != version or document.generation != generation:
        return  # a newer version arrived while we worked: never publish stale results
    if not rerun:  # (with a rerun queued, its app changed: publish, but do not keep)
        document.cache["analysis"] = DocumentAnalysis(path, kind, findings)
    publish(ls, document, findings)
    if not document.edited:
        # a big document read afresh: its text, its findings and their diagnostics
        # passed through here; a keystroke's quick round never pays for the collection
        release_memory()


def _analyze_inline_and_publish(ls: KaiosLanguageServer, document: Document) -> None:
    # One look at the other files for both: the places a finding points at in them
    # (KAI204's call sites) are located in the versions the analysis read, without
    # asking the disk again.
    files = OneLook(ls.files())
    scans = DeferredScans(FRESH_INLINE_LIMIT)
    result = _analyze_inline(ls, document, files, scans)
    if scans.paths:  # published once the worker has parsed them (lsp/scans.py)
        scan_in_worker(ls, document.uri, scans.paths, ls.config_for(document.path), schedule)
        return
    publish(ls, document, result.findings, files)
    if result.manifest is not None:
        result.manifest.settle()  # (the keystroke's diagnostics are out: see Manifest.settle)


def publish(
    ls: KaiosLanguageServer,
    document: Document,
    findings: list[Finding],
    files: FileView | None = None,
) -> None:
    """Send the findings of the document's current version (``files``: the view of the
    other files the analysis used, for the places findings point at in them)."""
    index = document.index
    encoding = ls.encoding
    stamp_of = getattr(files, "stamp", None)
    published: dict[tuple[object, ...], str] = {}
    diagnostics = []
    for finding in findings:
        key = _published_key(finding, index, encoding, stamp_of)
        text = document.published.get(key) if key is not None else None
        if text is None:
            text = json.dumps(
                diagnostic_json(
                    finding, index, encoding, document.uri, lambda p: _line_index_of(ls, p, files)
                )
            )
        if key is not None:
            published[key] = text
        diagnostics.append(text)
    # (kept for a document being typed in; the findings of the others stay packed)
    document.published = published if document.edited else {}
    ls.protocol.send_message_text(
        publish_diagnostics_message(document.uri, diagnostics, document.version)
    )
    if not document.edited:
        document.pack()  # nobody types in it: its text waits as UTF-8 (documents.py)
        analysis = document.cache.get("analysis")
        if isinstance(analysis, DocumentAnalysis) and analysis.manifest is None:
            document.cache["analysis"] = PackedAnalysis(analysis)


def _published_key(
    finding: Finding,
    index: Positions,
    encoding: Encoding,
    stamp_of: Callable[[str], object] | None,
) -> tuple[object, ...] | None:
    """What a diagnostic's JSON text is made of: the finding's rule, message, severity,
    tags and range in the document, and its related places (in another file: the range
    there in that file's version). ``None``: a related file whose versions cannot be
    told apart (no stamp), whose text is made anew."""
    related: list[object] = []
    for r in finding.related:
        if r.path is None:
            related.append((index.position(r.start, encoding), index.position(r.end, encoding)))
        else:
            stamp = stamp_of(r.path) if stamp_of is not None else None
            if stamp is None:
                return None
            related.append((r.start, r.end, r.path, stamp))
        related.append(r.message)
    return (
        finding.rule,
        finding.message,
        finding.severity,
        finding.unnecessary,
        index.position(finding.start, encoding),
        index.position(finding.end, encoding),
        *related,
    )


class PackedAnalysis:
    """The analysis of a document nobody types in, its findings pickled until a code
    action asks for them: ~1 KB each as objects, under half that pickled (the pages
    and scripts of a whole app open hold thousands)."""

    def __init__(self, analysis: DocumentAnalysis) -> None:
        self._findings = pickle.dumps(analysis.findings, pickle.HIGHEST_PROTOCOL)
        self._rest = replace(analysis, findings=[])

    @property
    def app(self) -> AppContext | None:
        return self._rest.app

    def unpack(self) -> DocumentAnalysis:
        return replace(self._rest, findings=pickle.loads(self._findings))


def _line_index_of(
    ls: KaiosLanguageServer, path: str, files: FileView | None = None
) -> Positions | None:
    """Positions in another file (open, or on disk), for related information."""
    document = ls.documents.get(path_to_uri(path))
    if document is not None:
        return document.positions()  # (a packed one stays packed)
    return ls.file_line_index(path, files)


def closed(ls: KaiosLanguageServer, uri: str) -> None:
    """A document was closed: no analysis of it, no diagnostics left in the editor."""
    pending = ls.pending.pop(uri, None)
    if pending is not None:
        pending.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    path = uri_to_path(uri)
    if path is not None:
        ls.script_sessions.drop(path)  # (the worker's few are dropped as it sees others)
    reanalyze_dependents(ls, uri)  # the manifest on disk counts again


def stop(ls: KaiosLanguageServer) -> None:
    """Shutdown: no analysis waits or runs any more."""
    for task in [*ls.pending.values(), *ls.scans_running.values()]:
        task.cancel()
    ls.stop_worker()


def reanalyze_dependents(ls: KaiosLanguageServer, uri: str) -> None:
    """A manifest or a build config changed (even unsaved): the pages and scripts of
    its app see a different type, policy, permissions or build situation, so they are
    analysed again. For a build input manifest that is the whole build project (a Vue
    CLI app keeps its manifest in public/ and its scripts in src/)."""
    path = uri_to_path(uri)
    if path is None:
        return
    name = os.path.basename(path)
    if name in TARGET_CONFIG_NAMES:
        _reanalyze_under(ls, uri, os.path.dirname(path))
        return
    if not _is_manifest_name(name):
        _reanalyze_prompting_manifests(ls, path)
        return
    if not any(_may_depend(other, uri) for other in ls.documents.all()):
        return  # (a keystroke with only manifests open: no app model needed)
    folder = os.path.dirname(path)
    document = ls.documents.get(uri)
    model = _manifest_model(ls, document) if document is not None else None
    if model is not None:
        folder = model.project_root
    _reanalyze_under(ls, uri, folder)


def _manifest_model(ls: KaiosLanguageServer, document: Document) -> AppModel | None:
    """The app model of a manifest's current version (the one its analysis saw, when
    it has been analysed: a keystroke with debounce 0 builds it once)."""
    cached = document.cache.get("analysis")
    if isinstance(cached, DocumentAnalysis) and cached.manifest is not None:
        return cached.model
    manifest = ls.manifest_of(document)
    if manifest is None:
        return None
    return build_model(manifest, ls.files(), ls.config_for(document.path).exclude, reach=False)


def _reanalyze_prompting_manifests(ls: KaiosLanguageServer, path: str) -> None:
    """A script changed: the open manifests of its app whose KAI204 links prompt
    permissions to call sites are analysed again (a refusal handled in the script
    turns the manifest's warning into a hint)."""
    if not path.lower().endswith(_SCRIPT_SUFFIXES):
        return
    for document in ls.documents.all():
        other = document.path
        if not other or not _is_manifest_name(os.path.basename(other)):
            continue
        cached = document.cache.get("analysis")
        if isinstance(cached, DocumentAnalysis) and not any(
            f.rule == "KAI204" for f in cached.findings
        ):
            continue
        manifest = ls.manifest_of(document)
        if manifest is None:
            continue
        model = build_model(manifest, ls.files(), ls.config_for(other).exclude, reach=False)
        root = model.project_root if model is not None else os.path.dirname(other)
        if is_inside(path, root):
            document.cache.pop("analysis", None)
            schedule(ls, document.uri, dependent=True)


def _reanalyze_under(ls: KaiosLanguageServer, uri: str, folder: str) -> None:
    folder = folder.rstrip(os.sep) + os.sep
    for document in ls.documents.all():
        if _may_depend(document, uri) and cast(str, document.path).startswith(folder):
            document.cache.pop("analysis", None)
            schedule(ls, document.uri, dependent=True)


def _may_depend(document: Document, uri: str) -> bool:
    """Can this open document depend on the manifest or build config ``uri`` (another
    file that is no manifest)?"""
    other = document.path
    return bool(document.uri != uri and other and not _is_manifest_name(os.path.basename(other)))


def reanalyze_all(ls: KaiosLanguageServer, but: str | None = None) -> None:
    """Analyse every open document again (except the one ``but`` names)."""
    for document in ls.documents.all():
        if document.uri != but:
            document.cache.pop("analysis", None)
            schedule(ls, document.uri)


def _is_manifest_name(name: str) -> bool:
    return name == "manifest.json" or manifest_kind(name, None, "auto") is not None
