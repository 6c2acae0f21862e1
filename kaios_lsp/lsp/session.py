"""One editor session: the pygls server object and the state its handlers share (open
documents, client capabilities, settings, caches, the analysis worker)."""

from __future__ import annotations

import asyncio
import inspect
import logging
import multiprocessing
import os
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from kaios_lsp import __version__
from kaios_lsp.app.files import CachedDiskFiles, FileView, OverlayFiles, PerVersion
from kaios_lsp.app.manifest import Manifest, load_manifest, manifest_kind
from kaios_lsp.config import Config
from kaios_lsp.incremental import patch_string_edit
from kaios_lsp.lsp.configuration import Configurations
from kaios_lsp.lsp.convert import EditSupport
from kaios_lsp.lsp.documents import Document, DocumentStore
from kaios_lsp.lsp.memory import release_memory
from kaios_lsp.parse.text import Encoding, LineIndex
from kaios_lsp.rules.js.sessions import ScriptSessions

log = logging.getLogger(__name__)
_PENDING_WRITES: set[asyncio.Future[Any]] = set()

# pygls has just decoded a big didOpen (the text of a 1 MB script with one emoji briefly
# takes ~11 MB): give the memory back before the next one, or an editor restoring a whole
# app stacks these on what the analyses left.
RELEASE_AFTER_OPENING_CHARS = 64 * 1024


class KaiosProtocol(LanguageServerProtocol):
    """pygls' protocol with text sync redirected to our document store."""

    _server: KaiosLanguageServer

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        document = self._server.documents.open(params.text_document)
        if document.path is not None:
            # an open document's own index serves its related places from now on: the
            # one built from the disk text would keep a second copy of a big file
            self._server.forget_file_line_index(document.path)
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None
        if document.length > RELEASE_AFTER_OPENING_CHARS:
            release_memory()

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        self._server.documents.change(params)
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        self._server.documents.close(params.text_document.uri)
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

    def notify_json(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification whose params are already their JSON value (written exactly
        as :meth:`notify` writes the lsprotocol object: see convert.diagnostic_json)."""
        self._send_data({"params": params, "method": method, "jsonrpc": self.VERSION})

    def send_message_text(self, body: str) -> None:
        """Send a message already written as JSON text, framed as pygls frames the ones
        it writes itself (``JsonRPCProtocol._send_data``)."""
        if self.writer is None:
            log.error("Unable to send data, no available transport!")
            return
        if self._include_headers:
            body = (
                f"Content-Length: {len(body)}\r\n"
                f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n" + body
            )
        try:
            written = self.writer.write(body.encode(self.CHARSET))
            if inspect.isawaitable(written):  # (an async writer: kept until written)
                pending = asyncio.ensure_future(written)
                _PENDING_WRITES.add(pending)
                pending.add_done_callback(_PENDING_WRITES.discard)
        except BrokenPipeError:
            log.exception("Error sending data. BrokenPipeError")
            raise
        except Exception as error:
            log.exception("Error sending data")
            self._server._report_server_error(error, JsonRpcInternalError)


class KaiosLanguageServer(LanguageServer):
    """The server object every handler gets as ``ls``: what it knows about the session."""

    protocol: KaiosProtocol

    def __init__(self) -> None:
        super().__init__("kaios-lsp", __version__, protocol_cls=KaiosProtocol, max_workers=2)
        self.documents = DocumentStore()
        self.edit_support = EditSupport()
        self.configs = Configurations(self)
        self.disk = CachedDiskFiles()
        # Diagnostics (lsp/diagnostics.py): debounced analyses waiting to run, big
        # documents in the worker and those to analyse again when it is done, and what
        # each app's entry points open (to notice when that changes).
        self.pending: dict[str, asyncio.Task] = {}
        self.in_worker: set[str] = set()
        self.rerun: set[str] = set()
        self.reach_signatures: dict[str, tuple] = {}
        # Big scripts being parsed in the worker for a manifest's KAI204 (lsp/scans.py),
        # and the manifests waiting for each.
        self.scans_running: dict[str, asyncio.Task] = {}
        self.scan_waiters: dict[str, set[str]] = {}
        # Scripts being typed in: their trees and findings per region, so a keystroke costs
        # what it changed (the most recently edited few; big ones live in the worker).
        self.script_sessions = ScriptSessions(limit=8)
        self._pool: ProcessPoolExecutor | None = None
        # Fixes not offered because they would write outside the workspace, said once each.
        self.refusals: set[str] = set()
        # Line indexes of files that findings point into (a manifest's KAI204 points at
        # calls in the app's scripts), built once per version of each file.
        self._line_indexes: PerVersion[LineIndex | None] = PerVersion(limit=64)
        self.shutdown_requested = False

    @property
    def encoding(self) -> Encoding:
        return self.documents.encoding

    def config_for(self, path: str | None) -> Config:
        return self.configs.config_for(path)

    def files(self) -> OverlayFiles:
        return OverlayFiles(self.documents.open_texts(), self.disk)

    def file_line_index(self, path: str, files: FileView | None = None) -> LineIndex | None:
        """The line index of a file's current text (``None``: it cannot be read), as
        ``files`` sees it (by default: as it is now)."""
        return self._line_indexes.get(files or self.files(), path, None, LineIndex, None)

    def forget_file_line_index(self, path: str) -> None:
        self._line_indexes.drop(os.path.normpath(path))

    # -- the analysis worker ---------------------------------------------------------

    def worker_pool(self) -> ProcessPoolExecutor:
        """The process that analyses big documents (started on first use)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def worker_failed(self) -> None:
        self._pool = None  # a new worker next time

    def stop_worker(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    # -- the parsed manifest -----------------------------------------------------------

    def manifest_of(self, document: Document) -> Manifest | None:
        """The parsed manifest of the document's current version (``None`` if it is not
        a manifest), reusing the previous parse when the edits since only changed the
        inside of strings (most keystrokes). Completion needs only this, not the rules."""
        if "manifest" in document.cache:
            return document.cache["manifest"]  # type: ignore[return-value]
        config = self.config_for(document.path)
        kind = manifest_kind(document.path, document.text, config.target) if document.path else None
        manifest = None
        if kind is not None:
            manifest = self._patched_manifest(document, config) or load_manifest(
                document.text, document.path, kind
            )
        document.base_manifest = manifest
        document.pending_edits = []
        document.cache["manifest"] = manifest
        return manifest

    def _patched_manifest(self, document: Document, config: Config) -> Manifest | None:
        base = document.base_manifest
        edits = document.pending_edits
        if not isinstance(base, Manifest) or edits is None or document.path is None:
            return None
        if base.kind != manifest_kind(document.path, document.text, config.target):
            return None
        manifest: Manifest | None = base
        text = base.text
        for start, end, new in edits:
            following = text[:start] + new + text[end:]
            manifest = patch_string_edit(manifest, following, start, end, start + len(new))
            if manifest is None:
                return None
            text = following
        if manifest is None or text != document.text:
            return None
        manifest.text = document.text  # share the object: later identity checks stay cheap
        return manifest


class ClientLogHandler(logging.Handler):
    """Forwards kaios-lsp warnings and errors to the client's log (window/logMessage)."""

    def __init__(self, server: KaiosLanguageServer) -> None:
        super().__init__(logging.WARNING)
        self.server = server
        self._busy = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._busy or self.server.protocol.writer is None:
            return
        self._busy = True
        try:
            kind = (
                types.MessageType.Error
                if record.levelno >= logging.ERROR
                else types.MessageType.Warning
            )
            self.server.window_log_message(types.LogMessageParams(kind, self.format(record)))
        except Exception:
            pass
        finally:
            self._busy = False
