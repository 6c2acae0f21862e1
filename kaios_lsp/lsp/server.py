"""pygls wiring: documents in, diagnostics, code actions (and later completions) out.

Everything KaiOS-specific lives in :mod:`kaios_lsp.analysis`; this module only moves
data between the protocol and the analysis core:

* text sync goes through our own :class:`~kaios_lsp.lsp.documents.DocumentStore`
  (exact LSP line and encoding rules);
* each document is analysed after a per-document debounce, big ones off the event loop,
  and a result is published only if the document still has the analysed version;
* code actions are built from the fixes the findings carry.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from kaios_lsp import __version__
from kaios_lsp.app.files import CachedDiskFiles, DiskFiles, OverlayFiles, is_inside
from kaios_lsp.app.manifest import WEBAPP, Manifest, load_manifest, manifest_kind
from kaios_lsp.app.model import build_model
from kaios_lsp.app.project import TARGET_CONFIG_NAMES
from kaios_lsp.config import Config
from kaios_lsp.engine import DocumentAnalysis, analyze_document
from kaios_lsp.findings import Finding, Fix
from kaios_lsp.incremental import patch_string_edit
from kaios_lsp.lsp.background import analyze_findings
from kaios_lsp.lsp.convert import (
    EditSupport,
    EditTarget,
    ranges_overlap,
    to_completion_item,
    to_diagnostic,
    to_document_link,
    to_document_symbol,
    to_range,
    to_symbol_information,
    workspace_edit,
)
from kaios_lsp.lsp.documents import Document, DocumentStore
from kaios_lsp.lsp.uris import path_to_uri, uri_to_path
from kaios_lsp.parse.html import scan
from kaios_lsp.parse.text import Encoding, LineIndex
from kaios_lsp.rules.suppress import suppression_fixes
from kaios_lsp.services.completion import Request as CompletionRequest
from kaios_lsp.services.completion import complete
from kaios_lsp.services.fixes import write_outside
from kaios_lsp.services.hover import manifest_hover
from kaios_lsp.services.migrate import migrate_to_3
from kaios_lsp.services.outline import app_model_symbol, document_links, outline
from kaios_lsp.settings import PROJECT_FILES, apply_settings, load_project_config
from kaios_lsp.workspace import check_file, iter_files

log = logging.getLogger("kaios_lsp.lsp.server")

FIX_ALL_KIND = "source.fixAll.kaios-lsp"
MIGRATE_KIND = "source.migrate.kaios-lsp"
MIGRATE_COMMAND = "kaios-lsp.migrateManifest"
MIGRATION_NOTES_COMMAND = "kaios-lsp.showMigrationNotes"
APPLY_FIX_COMMAND = "kaios-lsp.applyFixWithNewFiles"
CHECK_WORKSPACE_COMMAND = "kaios-lsp.checkWorkspace"

INLINE_ANALYSIS_LIMIT = 256 * 1024  # characters; bigger documents are analysed in a thread
DOCUMENT_TEXT_REQUEST = "kaios/documentText"


class KaiosProtocol(LanguageServerProtocol):
    """pygls' protocol with text sync redirected to our document store."""

    _server: KaiosLanguageServer

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        self._server.documents.open(params.text_document)
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

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


class KaiosLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("kaios-lsp", __version__, protocol_cls=KaiosProtocol, max_workers=2)
        self.documents = DocumentStore()
        self.edit_support = EditSupport()
        self.init_settings: dict[str, Any] = {}
        self.client_settings: dict[str, Any] = {}
        self._project_configs: dict[str, Config] = {}
        self._effective_configs: dict[str | None, Config] = {}
        self.disk = CachedDiskFiles()
        self._pending: dict[str, asyncio.Task] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._in_worker: set[str] = set()
        self._refusals: set[str] = set()
        self._rerun: set[str] = set()
        self._reported_problems: set[str] = set()
        self._reach_signatures: dict[str, tuple] = {}
        self.shutdown_requested = False

    # -- configuration -------------------------------------------------------------

    @property
    def encoding(self) -> Encoding:
        return self.documents.encoding

    def config_for(self, path: str | None) -> Config:
        """Defaults < the app's kaios-lsp.toml / pyproject.toml < editor settings."""
        folder = os.path.dirname(path) if path else None
        cached = self._effective_configs.get(folder)
        if cached is not None:
            return cached
        if folder is None:
            config = Config()
        else:
            config = self._project_configs.get(folder)
            if config is None:
                config = self._project_configs[folder] = load_project_config(folder)
        config = apply_settings(config, self.init_settings, "initializationOptions")
        config = apply_settings(config, self.client_settings, "workspace configuration")
        self._report_problems(config)
        self._effective_configs[folder] = config
        return config

    def _report_problems(self, config: Config) -> None:
        fresh = [p for p in config.problems if p not in self._reported_problems]
        if not fresh:
            return
        self._reported_problems.update(fresh)
        message = "kaios-lsp configuration: " + "; ".join(fresh) + " (defaults are used for these)."
        log.warning("%s", message)
        self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))

    async def pull_configuration(self) -> None:
        capabilities = self.client_capabilities
        if not (capabilities.workspace and capabilities.workspace.configuration):
            return
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="kaios")])
            )
        except Exception as exc:  # the client may refuse; defaults still work
            log.info("workspace/configuration failed: %s", exc)
            return
        settings = result[0] if result else None
        self.client_settings = settings if isinstance(settings, dict) else {}
        self.forget_configs()

    def forget_configs(self, project_files_too: bool = False) -> None:
        """Settings changed: recompute effective configurations on next use."""
        self._effective_configs.clear()
        if project_files_too:
            self._project_configs.clear()

    # -- analysis ------------------------------------------------------------------------

    def files(self) -> OverlayFiles:
        return OverlayFiles(self.documents.open_texts(), self.disk)

    def analysis_of(self, document: Document) -> DocumentAnalysis:
        """The analysis of the document's current version (computed if missing; for a big
        document still being analysed in the worker, an empty one rather than a wait)."""
        cached = document.cache.get("analysis")
        if isinstance(cached, DocumentAnalysis):
            return cached
        if len(document.text) > INLINE_ANALYSIS_LIMIT:
            return DocumentAnalysis(document.path, None, [])
        return self._analyze_inline(document)

    def _analyze_inline(self, document: Document) -> DocumentAnalysis:
        """Analyse on the event loop, on the parse shared with completion and hover."""
        config = self.config_for(document.path)
        manifest = self.manifest_of(document)
        result = analyze_document(
            document.path, document.text, config, self.files(), manifest=manifest
        )
        document.cache["analysis"] = result
        self._follow_reach(document, result)
        return result

    def _follow_reach(self, document: Document, result: DocumentAnalysis) -> None:
        """When an edit changes which files the app's entry points open (a new <script
        src>, a removed link), the other open pages and scripts of the app change role
        (a hint becomes a finding or back): analyse them again."""
        model = result.app.model if result.app is not None else None
        if model is None or model.reach is None:
            return
        signature = (model.situation, model.reach.everything, frozenset(model.reach.reached))
        previous = self._reach_signatures.get(model.manifest_path)
        self._reach_signatures[model.manifest_path] = signature
        if previous is not None and previous != signature:
            self._reanalyze_under(document.uri, model.project_root)

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

    def schedule(self, uri: str) -> None:
        """(Re)start the debounced analysis of one document."""
        if uri in self._in_worker:
            # A big document is in the worker process, which cannot be interrupted:
            # cancelling the wait would throw the result away and queue another full
            # analysis behind it (a dependency edited on every keystroke would starve
            # it for ever). Let it finish; the newest version runs right after.
            self._rerun.add(uri)
            return
        previous = self._pending.pop(uri, None)
        if previous is not None and not previous.done():
            previous.cancel()
        document = self.documents.get(uri)
        if document is None or document.path is None:
            return
        if self.config_for(None).debounce_ms == 0 and len(document.text) <= INLINE_ANALYSIS_LIMIT:
            # No debounce and a small document: answer within this notification.
            self.publish(document, self._analyze_inline(document).findings)
            return
        self._pending[uri] = asyncio.ensure_future(self._analyze_and_publish(uri, document.version))

    async def _analyze_and_publish(self, uri: str, version: int | None) -> None:
        delay = self.config_for(None).debounce_ms
        if delay:
            await asyncio.sleep(delay / 1000)
        document = self.documents.get(uri)
        if document is None or document.version != version:
            return  # superseded
        if len(document.text) <= INLINE_ANALYSIS_LIMIT:
            self.publish(document, self._analyze_inline(document).findings)
            return
        if uri in self._in_worker:  # one job per document: the newest version runs next
            self._rerun.add(uri)
            return
        text, path = document.text, document.path
        config = self.config_for(path)
        open_texts = self.documents.open_texts()
        open_paths = frozenset(open_texts)
        open_manifests = {
            p: t for p, t in open_texts.items() if _is_manifest_name(os.path.basename(p))
        }
        self._in_worker.add(uri)
        try:
            loop = asyncio.get_running_loop()
            kind, findings = await loop.run_in_executor(
                self.worker_pool(),
                analyze_findings,
                path,
                text,
                config,
                open_paths,
                open_manifests,
            )
        except (BrokenProcessPool, OSError, RuntimeError) as exc:
            log.error("the analysis worker failed on %s: %s", path, exc)
            self._pool = None  # a new worker next time
            return
        finally:
            self._in_worker.discard(uri)
            rerun = uri in self._rerun
            if rerun:
                self._rerun.discard(uri)
                self.schedule(uri)
        document = self.documents.get(uri)
        if document is None or document.version != version or document.text is not text:
            return  # a newer version arrived while we worked: never publish stale results
        if not rerun:  # (with a rerun queued, its app changed: publish, but do not keep)
            document.cache["analysis"] = DocumentAnalysis(path, kind, findings)
        self.publish(document, findings)

    def stop_worker(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def worker_pool(self) -> ProcessPoolExecutor:
        """The process that analyses big documents (started on first use)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def check_workspace(self) -> dict[str, int]:
        """Analyse every manifest, page and script under the workspace folders (also the
        closed ones) in the worker process, publishing as it goes, with work-done
        progress when the client shows it."""
        roots = [uri_to_path(f.uri) for f in self.workspace.folders.values()]
        if not roots and self.workspace.root_path:
            roots = [self.workspace.root_path]
        paths: list[str] = []
        for root in roots:
            if root and os.path.isdir(root):
                paths += [os.path.abspath(p) for p in iter_files(root, "auto")]
        window = self.client_capabilities.window
        token = (
            f"kaios-lsp-check-{time.monotonic_ns()}"
            if window and window.work_done_progress
            else None
        )
        if token is not None:
            try:
                await self.work_done_progress.create_async(token)
            except Exception as exc:  # a client that announced progress but refuses it
                log.info("no work-done progress: %s", exc)
                token = None
        if token is not None:
            self.work_done_progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title="kaios-lsp: checking the workspace",
                    message=f"{len(paths)} files",
                    percentage=0,
                    cancellable=False,
                ),
            )
        loop = asyncio.get_running_loop()
        problems = 0
        for number, path in enumerate(paths, 1):
            uri = path_to_uri(path)
            config = self.config_for(path)
            if self.documents.get(uri) is None:  # open documents have their own results
                try:
                    text, findings, skipped = await loop.run_in_executor(
                        self.worker_pool(), check_file, path, path, False, config, False
                    )
                except (BrokenProcessPool, OSError, RuntimeError) as exc:
                    log.error("the workspace check failed on %s: %s", path, exc)
                    self._pool = None
                    continue
                if not skipped:
                    index = LineIndex(text)
                    problems += len(findings)
                    self.text_document_publish_diagnostics(
                        types.PublishDiagnosticsParams(
                            uri=uri,
                            diagnostics=[
                                to_diagnostic(f, index, self.encoding, uri) for f in findings
                            ],
                        )
                    )
            if token is not None:
                self.work_done_progress.report(
                    token,
                    types.WorkDoneProgressReport(
                        message=f"{number}/{len(paths)} {os.path.basename(path)}",
                        percentage=number * 100 // max(1, len(paths)),
                    ),
                )
        if token is not None:
            self.work_done_progress.end(
                token, types.WorkDoneProgressEnd(message=f"{len(paths)} files, {problems} problems")
            )
        return {"files": len(paths), "problems": problems}

    def publish(self, document: Document, findings: list[Finding]) -> None:
        index = document.index
        diagnostics = [
            to_diagnostic(f, index, self.encoding, document.uri, self.line_index_of)
            for f in findings
        ]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=document.uri, diagnostics=diagnostics, version=document.version
            )
        )

    def line_index_of(self, path: str) -> LineIndex | None:
        """The line index of another file (open, or on disk), for related information."""
        document = self.documents.get(path_to_uri(path))
        if document is not None:
            return document.index
        text = self.files().read_text(path)
        return LineIndex(text) if text is not None else None

    def reanalyze_dependents(self, uri: str) -> None:
        """A manifest or a build config changed (even unsaved): the pages and scripts of
        its app see a different type, policy, permissions or build situation, so they are
        analysed again. For a build input manifest that is the whole build project (a Vue
        CLI app keeps its manifest in public/ and its scripts in src/)."""
        path = uri_to_path(uri)
        if path is None:
            return
        name = os.path.basename(path)
        if name in TARGET_CONFIG_NAMES:
            self._reanalyze_under(uri, os.path.dirname(path))
            return
        if not _is_manifest_name(name):
            self._reanalyze_prompting_manifests(path)
            return
        folder = os.path.dirname(path)
        document = self.documents.get(uri)
        manifest = self.manifest_of(document) if document is not None else None
        if manifest is not None:
            model = build_model(manifest, self.files(), self.config_for(path).exclude, reach=False)
            if model is not None:
                folder = model.project_root
        self._reanalyze_under(uri, folder)

    def _reanalyze_prompting_manifests(self, path: str) -> None:
        """A script changed: the open manifests of its app whose KAI204 links prompt
        permissions to call sites are analysed again (a refusal handled in the script
        turns the manifest's warning into a hint)."""
        if not path.lower().endswith(_SCRIPT_SUFFIXES):
            return
        for document in self.documents.all():
            other = document.path
            if not other or not _is_manifest_name(os.path.basename(other)):
                continue
            cached = document.cache.get("analysis")
            if isinstance(cached, DocumentAnalysis) and not any(
                f.rule == "KAI204" for f in cached.findings
            ):
                continue
            manifest = self.manifest_of(document)
            if manifest is None:
                continue
            model = build_model(manifest, self.files(), self.config_for(other).exclude, reach=False)
            root = model.project_root if model is not None else os.path.dirname(other)
            if is_inside(path, root):
                document.cache.pop("analysis", None)
                self.schedule(document.uri)

    def _reanalyze_under(self, uri: str, folder: str) -> None:
        folder = folder.rstrip(os.sep) + os.sep
        for document in self.documents.all():
            other = document.path
            if (
                document.uri != uri
                and other
                and other.startswith(folder)
                and not _is_manifest_name(os.path.basename(other))
            ):
                document.cache.pop("analysis", None)
                self.schedule(document.uri)

    def reanalyze_all(self) -> None:
        for document in self.documents.all():
            document.cache.pop("analysis", None)
            self.schedule(document.uri)

    # -- completion, links, symbols --------------------------------------------------------

    def completion(self, params: types.CompletionParams) -> types.CompletionList | None:
        document = self.documents.get(params.text_document.uri)
        manifest = self.manifest_of(document) if document is not None else None
        if document is None or manifest is None:
            return None
        offset = document.index.offset(
            params.position.line, params.position.character, self.encoding
        )
        request = CompletionRequest(
            manifest, offset, self.files(), self.config_for(document.path), self.snippets()
        )
        markdown = self.completion_markdown()
        deprecated_tag = self.completion_deprecated_tag()
        items = [
            to_completion_item(i, document.index, self.encoding, markdown, deprecated_tag)
            for i in complete(request)
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    def _completion_capabilities(self) -> types.ClientCompletionItemOptions | None:
        text_document = self.client_capabilities.text_document
        completion = text_document.completion if text_document else None
        return completion.completion_item if completion else None

    def snippets(self) -> bool:
        item = self._completion_capabilities()
        return bool(item and item.snippet_support)

    def completion_markdown(self) -> bool:
        item = self._completion_capabilities()
        formats = item.documentation_format if item else None
        return not formats or types.MarkupKind.Markdown in formats

    def completion_deprecated_tag(self) -> bool:
        item = self._completion_capabilities()
        tags = item.tag_support.value_set if item and item.tag_support else []
        return types.CompletionItemTag.Deprecated in tags

    def document_links(self, params: types.DocumentLinkParams) -> list[types.DocumentLink]:
        document = self.documents.get(params.text_document.uri)
        manifest = self.manifest_of(document) if document is not None else None
        if document is None or manifest is None:
            return []
        text_document = self.client_capabilities.text_document
        caps = text_document.document_link if text_document else None
        tooltips = bool(caps and caps.tooltip_support)
        return [
            to_document_link(link, document.index, self.encoding, tooltips)
            for link in document_links(manifest, self.files())
        ]

    def document_symbols(self, params: types.DocumentSymbolParams) -> list:
        document = self.documents.get(params.text_document.uri)
        manifest = self.manifest_of(document) if document is not None else None
        if document is None or manifest is None:
            return []
        config = self.config_for(document.path)
        column = manifest.permission_column(config.distribution)
        symbols = outline(manifest, column)
        model_symbol = app_model_symbol(manifest, self.files(), config.exclude)
        if model_symbol is not None:
            symbols.append(model_symbol)
        text_document = self.client_capabilities.text_document
        caps = text_document.document_symbol if text_document else None
        if caps and caps.hierarchical_document_symbol_support:
            return [to_document_symbol(s, document.index, self.encoding) for s in symbols]
        return to_symbol_information(symbols, document.index, self.encoding, document.uri)

    # -- migration 2.5 -> 3.0 ---------------------------------------------------------------

    def migration_action(self, document: Document) -> types.CodeAction | None:
        manifest = self.manifest_of(document)
        if (
            manifest is None
            or manifest.kind != WEBAPP
            or manifest.root is None
            or document.path is None
        ):
            return None
        migration = migrate_to_3(manifest, self.files())
        root = os.path.dirname(document.path)
        target = os.path.join(root, "manifest.webmanifest")
        exists = os.path.exists(target)  # never cached: overwriting must be announced
        title = (
            "Migrate to KaiOS 3.0: overwrite the existing manifest.webmanifest"
            if exists
            else "Migrate to KaiOS 3.0: create manifest.webmanifest"
        )
        notes = types.Command(
            title="Show the migration notes",
            command=MIGRATION_NOTES_COMMAND,
            arguments=[migration.notes],
        )

        if not (self.edit_support.document_changes and self.edit_support.create_files):
            command = types.Command(
                title=title, command=MIGRATE_COMMAND, arguments=[document.uri, exists]
            )
            return types.CodeAction(title=title, kind=MIGRATE_KIND, command=command)
        changes: list = []
        files = [(target, migration.text, exists)]
        files += [
            (os.path.join(root, rel), content, False)
            for rel, content in migration.extra_files.items()
        ]
        for path, content, overwrite in files:
            uri = path_to_uri(path)
            changes.append(
                types.CreateFile(
                    kind="create",
                    uri=uri,
                    options=types.CreateFileOptions(
                        overwrite=overwrite, ignore_if_exists=not overwrite and path != target
                    ),
                )
            )
            changes.append(
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                    [
                        types.TextEdit(
                            types.Range(types.Position(0, 0), types.Position(0, 0)), content
                        )
                    ],
                )
            )
        return types.CodeAction(
            title=title,
            kind=MIGRATE_KIND,
            edit=types.WorkspaceEdit(document_changes=changes),
            command=notes,
        )

    def migrate_on_disk(self, uri: str, overwrite: bool) -> str | None:
        """The migration for clients that cannot create files through edits: the server
        writes the new manifest itself (inside the app folder only). Returns its path."""
        document = self.documents.get(uri)
        manifest = self.manifest_of(document) if document is not None else None
        if document is None or manifest is None or document.path is None:
            raise ValueError(f"{uri} is not an open KaiOS 2.5 manifest")
        root = os.path.dirname(document.path)
        target = os.path.join(root, "manifest.webmanifest")
        if os.path.exists(target) and not overwrite:
            raise ValueError(f"{target} exists; the migration would overwrite it")
        migration = migrate_to_3(manifest, self.files())
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(migration.text)
        for relative, content in migration.extra_files.items():
            extra = os.path.join(root, relative)
            if is_inside(extra, root) and not os.path.exists(extra):
                with open(extra, "w", encoding="utf-8") as handle:
                    handle.write(content)
        self.disk.forget()
        self.show_migration_notes(migration.notes)
        return target

    def show_migration_notes(self, notes: list[str]) -> None:
        text = "KaiOS 3.0 migration: " + (" ".join(notes) if notes else "nothing to check.")
        self.window_show_message(types.ShowMessageParams(types.MessageType.Info, text))
        self.window_log_message(
            types.LogMessageParams(
                types.MessageType.Info, "\n".join(["KaiOS 3.0 migration notes:", *notes])
            )
        )

    # -- hover ---------------------------------------------------------------------------

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        document = self.documents.get(params.text_document.uri)
        if document is None:
            return None
        manifest = self.manifest_of(document)
        if manifest is None or manifest.text != document.text:
            return None
        offset = document.index.offset(
            params.position.line, params.position.character, self.encoding
        )
        found = manifest_hover(manifest, offset, self.config_for(document.path), self.files())
        if found is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=self.markup_kind(), value=found.markdown),
            range=to_range(document.index, found.start, found.end, self.encoding),
        )

    def markup_kind(self) -> types.MarkupKind:
        hover = (
            self.client_capabilities.text_document.hover
            if self.client_capabilities.text_document
            else None
        )
        formats = hover.content_format if hover else None
        if formats and types.MarkupKind.Markdown not in formats:
            return types.MarkupKind.PlainText
        return types.MarkupKind.Markdown

    # -- fixes ---------------------------------------------------------------------------

    def edit_target(self, document: Document, path: str | None) -> EditTarget | None:
        if path is None:
            return EditTarget(document.uri, document.index, document.version)
        uri = path_to_uri(path)
        other = self.documents.get(uri)
        if other is not None:
            return EditTarget(uri, other.index, other.version)
        text = DiskFiles().read_text(path)
        return EditTarget(uri, LineIndex(text) if text is not None else None, None)

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        document = self.documents.get(params.text_document.uri)
        if document is None:
            return []
        analysis = self.analysis_of(document)
        only = params.context.only
        want_quickfix = not only or any(
            k.startswith("quickfix") or types.CodeActionKind.QuickFix.startswith(k) for k in only
        )
        want_fix_all = not only or any(FIX_ALL_KIND.startswith(k) for k in only)
        actions: list[types.CodeAction] = []
        index = document.index
        client_diagnostics = params.context.diagnostics or []
        if want_quickfix:
            script_ranges = self._script_ranges(document, analysis)
            disable_actions: list[types.CodeAction] = []  # after the real fixes
            # two findings may offer the very same edit (a permission both denied and
            # unused: "Remove X"): one action, listing both diagnostics
            offered: dict[tuple, types.CodeAction] = {}
            for finding in analysis.findings:
                diagnostic = to_diagnostic(finding, index, self.encoding, document.uri)
                if not ranges_overlap(diagnostic.range, params.range):
                    continue
                suppressions = (
                    suppression_fixes(
                        document.text,
                        finding,
                        html=not any(s <= finding.start <= e for s, e in script_ranges),
                    )
                    if script_ranges is not None
                    else []
                )
                for fix in suppressions:
                    edit = self.edit_of(document, fix)
                    if edit is not None:
                        disable_actions.append(
                            types.CodeAction(
                                title=fix.title,
                                kind=types.CodeActionKind.QuickFix,
                                diagnostics=[diagnostic],
                                edit=edit,
                            )
                        )
                if not finding.fixes:
                    continue
                matching = [
                    d
                    for d in client_diagnostics
                    if d.code == finding.rule
                    and d.range == diagnostic.range
                    and d.message == finding.message
                ]

                for position, fix in enumerate(finding.fixes):
                    if not self.fix_allowed(document, fix):
                        continue
                    same = offered.get(_fix_key(fix))
                    if same is not None:
                        same.diagnostics = [*(same.diagnostics or []), *(matching or [diagnostic])]
                        continue
                    edit = self.edit_of(document, fix)
                    if edit is None:
                        command = self.create_files_command(document, finding, position, fix)
                        if command is not None:
                            action = types.CodeAction(
                                title=fix.title,
                                kind=types.CodeActionKind.QuickFix,
                                diagnostics=matching or [diagnostic],
                                command=command,
                            )
                            actions.append(action)
                            offered[_fix_key(fix)] = action
                        continue
                    action = types.CodeAction(
                        title=fix.title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=matching or [diagnostic],
                        edit=edit,
                        is_preferred=True if fix.safe and position == 0 else None,
                    )
                    actions.append(action)
                    offered[_fix_key(fix)] = action
            actions.extend(disable_actions)
        if want_fix_all:
            action = self.fix_all_action(document, analysis)
            if action is not None:
                actions.append(action)
        if not only or any(MIGRATE_KIND.startswith(k) for k in only):
            migration = self.migration_action(document)
            if migration is not None:
                actions.append(migration)
        return actions

    def edit_of(self, document: Document, fix: Fix) -> types.WorkspaceEdit | None:
        """The WorkspaceEdit of one of this document's fixes (``None``: the client cannot
        apply it as an edit)."""
        return workspace_edit(
            fix,
            document.path,
            lambda p: self.edit_target(document, p),
            self.edit_support,
            self.encoding,
        )

    def write_roots(self, document: Document) -> list[str]:
        """Where fixes may write: the workspace folders; without any, the folder of the
        document's app (its manifest's folder) or of the document itself."""
        roots = [uri_to_path(f.uri) for f in self.workspace.folders.values()]
        roots = [r for r in roots if r]
        if not roots and self.workspace.root_path:
            roots = [self.workspace.root_path]
        if roots or document.path is None:
            return roots  # type: ignore[return-value]
        analysis = document.cache.get("analysis")
        app = getattr(analysis, "app", None)
        return [app.app_root if app is not None else os.path.dirname(document.path)]

    def fix_allowed(self, document: Document, fix: Fix) -> bool:
        outside = write_outside(fix, document.path, self.write_roots(document))
        if outside is None:
            return True
        message = (
            f"kaios-lsp: not offering the fix {fix.title!r}: it would write {outside}, "
            "outside the workspace folder"
        )
        if message not in self._refusals:  # say it once, not on every light-bulb request
            self._refusals.add(message)
            log.warning(message)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))
        return False

    def _script_ranges(
        self, document: Document, analysis: DocumentAnalysis
    ) -> list[tuple[int, int]] | None:
        """Where JavaScript is, for suppression comments: the whole of a script, the
        inline scripts of a page; ``None`` for manifests (JSON has no comments)."""
        if analysis.kind == "js":
            return [(0, len(document.text))]
        if analysis.kind != "html":
            return None
        doc = scan(document.text)
        return [
            (t.content_start, t.content_end) for t in doc.elements("script") if t.content_start >= 0
        ]

    def create_files_command(
        self, document: Document, finding: Finding, position: int, fix: Fix
    ) -> types.Command | None:
        """For clients that cannot create files through a WorkspaceEdit: a command that
        writes the new files itself and then asks the client to apply the rest."""
        workspace = self.client_capabilities.workspace
        if not any(c.create for c in fix.changes) or not (workspace and workspace.apply_edit):
            return None
        where = [document.uri, document.version, finding.rule, finding.start, finding.end]
        return types.Command(
            title=fix.title, command=APPLY_FIX_COMMAND, arguments=[*where, position]
        )

    async def apply_fix_with_files(self, args: list[Any]) -> bool:
        """Run a fix offered by :meth:`create_files_command`: create its files on disk
        (never overwriting one), then send its edits with workspace/applyEdit."""
        uri, version, rule, start, end, position = [*args, None, None, None, None, None, 0][:6]
        document = self.documents.get(str(uri))
        if document is None or document.version != version or document.path is None:
            raise ValueError("the document changed since the fix was offered; ask again")
        finding = next(
            (
                f
                for f in self.analysis_of(document).findings
                if (f.rule, f.start, f.end) == (rule, start, end)
            ),
            None,
        )
        if finding is None or not 0 <= int(position) < len(finding.fixes):
            raise ValueError("that problem is gone; nothing to fix")
        fix = finding.fixes[int(position)]
        outside = write_outside(fix, document.path, self.write_roots(document))
        if outside is not None:
            raise ValueError(f"will not write {outside}: it is outside the workspace folder")
        created = [c for c in fix.changes if c.create]
        folder = os.path.dirname(document.path)
        for change in created:
            if (
                change.path is None
                or not is_inside(change.path, folder)
                or os.path.exists(change.path)
            ):
                raise ValueError(f"will not write {change.path}: it exists or is outside the app")
        for change in created:
            with open(change.path, "x", encoding="utf-8", newline="") as handle:  # type: ignore[arg-type]
                handle.write(change.content)
        self.disk.forget()
        rest = Fix(fix.title, tuple(c for c in fix.changes if not c.create), fix.safe)
        edit = workspace_edit(
            rest,
            document.path,
            lambda p: self.edit_target(document, p),
            self.edit_support,
            self.encoding,
        )
        if edit is None:
            return False
        result = await self.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label=fix.title)
        )
        return bool(result and result.applied)

    def fix_all_action(
        self, document: Document, analysis: DocumentAnalysis
    ) -> types.CodeAction | None:
        """One action applying every safe same-file fix that does not overlap another."""
        from kaios_lsp.services.fixes import safe_fix_edits

        edits = safe_fix_edits(analysis.findings)
        if not edits:
            return None
        text_edits = [
            types.TextEdit(to_range(document.index, e.start, e.end, self.encoding), e.new_text)
            for e in edits
        ]
        if self.edit_support.document_changes:
            edit = types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        types.OptionalVersionedTextDocumentIdentifier(
                            uri=document.uri, version=document.version
                        ),
                        text_edits,
                    )
                ]
            )
        else:
            edit = types.WorkspaceEdit(changes={document.uri: text_edits})
        return types.CodeAction(
            title="Fix all safely fixable kaios-lsp problems", kind=FIX_ALL_KIND, edit=edit
        )


class _ClientLogHandler(logging.Handler):
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


def create_server() -> KaiosLanguageServer:
    server = KaiosLanguageServer()
    logging.getLogger("kaios_lsp").addHandler(_ClientLogHandler(server))

    @server.feature(types.INITIALIZE)
    def on_initialize(ls: KaiosLanguageServer, params: types.InitializeParams) -> None:
        encoding = ServerCapabilitiesBuilder.choose_position_encoding(params.capabilities)
        ls.documents.encoding = Encoding.parse(str(getattr(encoding, "value", encoding)))
        ls.edit_support = EditSupport.from_capabilities(params.capabilities)
        options = params.initialization_options
        ls.init_settings = options if isinstance(options, dict) else {}

    @server.feature(types.INITIALIZED)
    async def on_initialized(ls: KaiosLanguageServer, params: types.InitializedParams) -> None:
        before = ls.client_settings
        await ls.pull_configuration()
        ls.config_for(None)  # reports configuration problems once
        await _watch_files(ls)
        if ls.client_settings != before:
            ls.reanalyze_all()  # documents opened meanwhile used the initialization options

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_configuration(
        ls: KaiosLanguageServer, params: types.DidChangeConfigurationParams
    ) -> None:
        settings = params.settings
        if isinstance(settings, dict) and settings:
            ls.client_settings = (
                settings.get("kaios", settings)
                if isinstance(settings.get("kaios", settings), dict)
                else {}
            )
            ls.forget_configs()
        else:
            await ls.pull_configuration()
        ls.reanalyze_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def on_watched_files(
        ls: KaiosLanguageServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        ls.forget_configs(
            project_files_too=any(os.path.basename(c.uri) in PROJECT_FILES for c in params.changes)
        )
        ls.disk.forget()
        ls.reanalyze_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def on_open(ls: KaiosLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)
        ls.reanalyze_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def on_change(ls: KaiosLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)
        ls.reanalyze_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def on_save(ls: KaiosLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        # Saving a file can create what a manifest refers to: re-check the other documents.
        ls.disk.forget()
        if os.path.basename(params.text_document.uri) in PROJECT_FILES:
            ls.forget_configs(project_files_too=True)

        for document in ls.documents.all():
            if document.uri != params.text_document.uri:
                document.cache.pop("analysis", None)
                ls.schedule(document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def on_close(ls: KaiosLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = ls._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )
        ls.reanalyze_dependents(uri)  # the manifest on disk counts again

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND, MIGRATE_KIND]
        ),
    )
    def on_code_action(
        ls: KaiosLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=['"', ":"], resolve_provider=False),
    )
    def on_completion(
        ls: KaiosLanguageServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        return ls.completion(params)

    @server.feature(
        types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions(resolve_provider=False)
    )
    def on_document_link(
        ls: KaiosLanguageServer, params: types.DocumentLinkParams
    ) -> list[types.DocumentLink]:
        return ls.document_links(params)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_document_symbol(ls: KaiosLanguageServer, params: types.DocumentSymbolParams) -> list:
        return ls.document_symbols(params)

    @server.command(MIGRATE_COMMAND)
    def migrate_command(ls: KaiosLanguageServer, *args: Any) -> str | None:
        uri, overwrite = [*args, None, False][:2]
        target = ls.migrate_on_disk(str(uri), bool(overwrite))
        show = (
            ls.client_capabilities.window.show_document if ls.client_capabilities.window else None
        )
        if target and show and show.support:
            ls.window_show_document(
                types.ShowDocumentParams(uri=path_to_uri(target), take_focus=True)
            )
        return path_to_uri(target) if target else None

    @server.command(APPLY_FIX_COMMAND)
    async def apply_fix_command(ls: KaiosLanguageServer, *args: Any) -> bool:
        flat = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
        return await ls.apply_fix_with_files(flat)

    @server.command(CHECK_WORKSPACE_COMMAND)
    async def check_workspace_command(ls: KaiosLanguageServer, *args: Any) -> dict[str, int]:
        return await ls.check_workspace()

    @server.command(MIGRATION_NOTES_COMMAND)
    def migration_notes_command(ls: KaiosLanguageServer, *args: Any) -> None:
        notes = args[0] if args and isinstance(args[0], list) else []
        ls.show_migration_notes([str(n) for n in notes])

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: KaiosLanguageServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    @server.feature(types.SHUTDOWN)
    def on_shutdown(ls: KaiosLanguageServer, *args: Any) -> None:
        ls.shutdown_requested = True
        for task in ls._pending.values():
            task.cancel()
        ls.stop_worker()

    @server.feature(DOCUMENT_TEXT_REQUEST)
    def document_text(ls: KaiosLanguageServer, params: Any) -> dict[str, Any] | None:
        """The server's copy of a document (for sync tests and bug reports)."""
        uri = (
            params.uri
            if hasattr(params, "uri")
            else params.get("uri")
            if isinstance(params, dict)
            else None
        )
        document = ls.documents.get(uri) if uri else None
        if document is None:
            return None
        return {"uri": document.uri, "version": document.version, "text": document.text}

    return server


async def _watch_files(ls: KaiosLanguageServer) -> None:
    """Ask the client to tell us about created/deleted files (missing-file checks)."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    patterns = ["**/*", "**/kaios-lsp.toml", "**/pyproject.toml"]
    registration = types.Registration(
        id="kaios-lsp-watched-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[
                types.FileSystemWatcher(
                    glob_pattern=pattern, kind=types.WatchKind.Create | types.WatchKind.Delete
                )
                for pattern in patterns[:1]
            ]
            + [types.FileSystemWatcher(glob_pattern=pattern) for pattern in patterns[1:]]
        ),
    )
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception as exc:
        log.info("could not register file watchers: %s", exc)


_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


def _fix_key(fix: Fix) -> tuple:
    """What a fix does (its files and edits), whatever finding offers it."""
    return tuple(
        (c.path, c.create, c.content, tuple((e.start, e.end, e.new_text) for e in c.edits))
        for c in fix.changes
    )


def _is_manifest_name(name: str) -> bool:
    return name == "manifest.json" or manifest_kind(name, None, "auto") is not None
