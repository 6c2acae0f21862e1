"""Migration of a KaiOS 2.5 manifest.webapp to a 3.0 manifest.webmanifest: the code
action (a workspace edit creating the files), and the commands for clients that cannot
create files through edits."""

from __future__ import annotations

import os

from lsprotocol import types

from kaios_lsp.app.files import is_inside
from kaios_lsp.app.manifest import WEBAPP
from kaios_lsp.lsp.documents import Document
from kaios_lsp.lsp.session import KaiosLanguageServer
from kaios_lsp.lsp.uris import path_to_uri
from kaios_lsp.services.migrate import migrate_to_3

MIGRATE_KIND = "source.migrate.kaios-lsp"
MIGRATE_COMMAND = "kaios-lsp.migrateManifest"
MIGRATION_NOTES_COMMAND = "kaios-lsp.showMigrationNotes"


def migration_action(ls: KaiosLanguageServer, document: Document) -> types.CodeAction | None:
    manifest = ls.manifest_of(document)
    if (
        manifest is None
        or manifest.kind != WEBAPP
        or manifest.root is None
        or document.path is None
    ):
        return None
    migration = migrate_to_3(manifest, ls.files())
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

    if not (ls.edit_support.document_changes and ls.edit_support.create_files):
        command = types.Command(
            title=title, command=MIGRATE_COMMAND, arguments=[document.uri, exists]
        )
        return types.CodeAction(title=title, kind=MIGRATE_KIND, command=command)
    changes: list = []
    files = [(target, migration.text, exists)]
    files += [
        (os.path.join(root, rel), content, False) for rel, content in migration.extra_files.items()
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
                [types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), content)],
            )
        )
    return types.CodeAction(
        title=title,
        kind=MIGRATE_KIND,
        edit=types.WorkspaceEdit(document_changes=changes),
        command=notes,
    )


def migrate_command(ls: KaiosLanguageServer, uri: str, overwrite: bool) -> str | None:
    """Run :data:`MIGRATE_COMMAND`: migrate on disk, show the new manifest when the
    client can; the new manifest's URI."""
    target = migrate_on_disk(ls, uri, overwrite)
    show = ls.client_capabilities.window.show_document if ls.client_capabilities.window else None
    if target and show and show.support:
        ls.window_show_document(types.ShowDocumentParams(uri=path_to_uri(target), take_focus=True))
    return path_to_uri(target) if target else None


def migrate_on_disk(ls: KaiosLanguageServer, uri: str, overwrite: bool) -> str | None:
    """The migration for clients that cannot create files through edits: the server
    writes the new manifest itself (inside the app folder only). Returns its path."""
    document = ls.documents.get(uri)
    manifest = ls.manifest_of(document) if document is not None else None
    if document is None or manifest is None or document.path is None:
        raise ValueError(f"{uri} is not an open KaiOS 2.5 manifest")
    root = os.path.dirname(document.path)
    target = os.path.join(root, "manifest.webmanifest")
    if os.path.exists(target) and not overwrite:
        raise ValueError(f"{target} exists; the migration would overwrite it")
    migration = migrate_to_3(manifest, ls.files())
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(migration.text)
    for relative, content in migration.extra_files.items():
        extra = os.path.join(root, relative)
        if is_inside(extra, root) and not os.path.exists(extra):
            with open(extra, "w", encoding="utf-8") as handle:
                handle.write(content)
    ls.disk.forget()
    show_migration_notes(ls, migration.notes)
    return target


def show_migration_notes(ls: KaiosLanguageServer, notes: list[str]) -> None:
    text = "KaiOS 3.0 migration: " + (" ".join(notes) if notes else "nothing to check.")
    ls.window_show_message(types.ShowMessageParams(types.MessageType.Info, text))
    ls.window_log_message(
        types.LogMessageParams(
            types.MessageType.Info, "\n".join(["KaiOS 3.0 migration notes:", *notes])
        )
    )
