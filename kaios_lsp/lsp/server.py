"""The language server: which LSP methods it answers, each handed to the module that does
the work (configuration, diagnostics, actions, migration, features, workspace_check)."""

from __future__ import annotations

import logging
import os
from typing import Any

from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder

from kaios_lsp.lsp import actions, diagnostics, features, migration, workspace_check
from kaios_lsp.lsp.actions import APPLY_FIX_COMMAND, FIX_ALL_KIND
from kaios_lsp.lsp.configuration import watch_files
from kaios_lsp.lsp.convert import EditSupport
from kaios_lsp.lsp.migration import MIGRATE_COMMAND, MIGRATE_KIND, MIGRATION_NOTES_COMMAND
from kaios_lsp.lsp.session import ClientLogHandler, KaiosLanguageServer
from kaios_lsp.lsp.workspace_check import CHECK_WORKSPACE_COMMAND
from kaios_lsp.parse.text import Encoding
from kaios_lsp.settings import PROJECT_FILES

# A request of our own: the server's copy of a document (for sync tests and bug reports).
DOCUMENT_TEXT_REQUEST = "kaios/documentText"


def create_server() -> KaiosLanguageServer:
    server = KaiosLanguageServer()
    logging.getLogger("kaios_lsp").addHandler(ClientLogHandler(server))

    # -- lifecycle and settings ------------------------------------------------------

    @server.feature(types.INITIALIZE)
    def on_initialize(ls: KaiosLanguageServer, params: types.InitializeParams) -> None:
        encoding = ServerCapabilitiesBuilder.choose_position_encoding(params.capabilities)
        ls.documents.encoding = Encoding.parse(str(getattr(encoding, "value", encoding)))
        ls.edit_support = EditSupport.from_capabilities(params.capabilities)
        ls.configs.set_initialization_options(params.initialization_options)

    @server.feature(types.INITIALIZED)
    async def on_initialized(ls: KaiosLanguageServer, params: types.InitializedParams) -> None:
        before = ls.configs.client_settings
        await ls.configs.pull()
        ls.config_for(None)  # reports configuration problems once
        await watch_files(ls)
        if ls.configs.client_settings != before:
            # documents opened meanwhile used the initialization options
            diagnostics.reanalyze_all(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_configuration(
        ls: KaiosLanguageServer, params: types.DidChangeConfigurationParams
    ) -> None:
        await ls.configs.settings_changed(params.settings)
        diagnostics.reanalyze_all(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def on_watched_files(
        ls: KaiosLanguageServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        ls.configs.forget(
            project_files_too=any(os.path.basename(c.uri) in PROJECT_FILES for c in params.changes)
        )
        ls.disk.forget()
        diagnostics.reanalyze_all(ls)

    @server.feature(types.SHUTDOWN)
    def on_shutdown(ls: KaiosLanguageServer, *args: Any) -> None:
        ls.shutdown_requested = True
        diagnostics.stop(ls)

    # -- documents (the text itself is kept by session.KaiosProtocol) -----------------

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def on_open(ls: KaiosLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        diagnostics.schedule(ls, params.text_document.uri)
        diagnostics.reanalyze_dependents(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def on_change(ls: KaiosLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        diagnostics.schedule(ls, params.text_document.uri)
        diagnostics.reanalyze_dependents(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def on_save(ls: KaiosLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        # Saving a file can create what a manifest refers to: re-check the other documents.
        ls.disk.forget()
        if os.path.basename(params.text_document.uri) in PROJECT_FILES:
            ls.configs.forget(project_files_too=True)
        diagnostics.reanalyze_all(ls, but=params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def on_close(ls: KaiosLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        diagnostics.closed(ls, params.text_document.uri)

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

    # -- code actions and commands ----------------------------------------------------

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND, MIGRATE_KIND]
        ),
    )
    def on_code_action(
        ls: KaiosLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        return actions.code_actions(ls, params)

    # Registration order is the order of executeCommandProvider.commands in the reply to initialize.
    @server.command(MIGRATE_COMMAND)
    def migrate_command(ls: KaiosLanguageServer, *args: Any) -> str | None:
        uri, overwrite = [*args, None, False][:2]
        return migration.migrate_command(ls, str(uri), bool(overwrite))

    @server.command(APPLY_FIX_COMMAND)
    async def apply_fix_command(ls: KaiosLanguageServer, *args: Any) -> bool:
        flat = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
        return await actions.apply_fix_with_files(ls, flat)

    @server.command(CHECK_WORKSPACE_COMMAND)
    async def check_workspace_command(ls: KaiosLanguageServer, *args: Any) -> dict[str, int]:
        return await workspace_check.check_workspace(ls)

    @server.command(MIGRATION_NOTES_COMMAND)
    def migration_notes_command(ls: KaiosLanguageServer, *args: Any) -> None:
        notes = args[0] if args and isinstance(args[0], list) else []
        migration.show_migration_notes(ls, [str(n) for n in notes])

    # -- manifest editing help ----------------------------------------------------------

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=['"', ":"], resolve_provider=False),
    )
    def on_completion(
        ls: KaiosLanguageServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        return features.completion(ls, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: KaiosLanguageServer, params: types.HoverParams) -> types.Hover | None:
        return features.hover(ls, params)

    @server.feature(
        types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions(resolve_provider=False)
    )
    def on_document_link(
        ls: KaiosLanguageServer, params: types.DocumentLinkParams
    ) -> list[types.DocumentLink]:
        return features.links(ls, params)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_document_symbol(ls: KaiosLanguageServer, params: types.DocumentSymbolParams) -> list:
        return features.symbols(ls, params)

    return server
