"""Completion, links, symbols and the 2.5 -> 3.0 migration through a real LSP client,
with (VS Code) and without (Neovim 0.7) snippet support and file-creating edits."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from kaios_lsp.engine import analyze_document
from tests.services.test_completion import expand_snippet
from tests.support.lsp_client import (
    RecordingClient,
    apply_text_edits,
    capabilities,
    initialize_params,
    position_of,
    server_config,
    set_text,
)
from tests.support.paths import DATA

APPS = DATA / "apps"


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    root = tmp_path_factory.mktemp("features")
    shutil.copytree(APPS / "01-podcasts-privileged", root / "app")
    lsp_client.root = root
    lsp_client.profile = request.param
    result = await lsp_client.initialize_session(
        initialize_params(capabilities(request.param), root, options={"debounceMs": 0})
    )
    lsp_client.encoding = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


async def show(client: RecordingClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    await set_text(client, uri, text)
    return uri


async def complete_at(
    client: RecordingClient, marked: str, path: Path
) -> tuple[str, list[types.CompletionItem]]:
    offset = marked.index("|")
    text = marked.replace("|", "", 1)
    uri = await show(client, path, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri),
            position=position_of(text, offset, client.encoding),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else list(result or [])
    return text, items


def apply_item(client: RecordingClient, text: str, item: types.CompletionItem) -> str:
    edit = item.text_edit
    new_text = edit.new_text
    if item.insert_text_format == types.InsertTextFormat.Snippet:
        assert client.profile == "vscode", "snippets sent to a client that does not support them"
        new_text = expand_snippet(new_text)
    edits = [types.TextEdit(edit.range, new_text), *(item.additional_text_edits or [])]
    return apply_text_edits(text, edits, client.encoding)


@pytest.mark.parametrize(
    ("marked", "label", "expected"),
    [
        (
            '{\n  "name": "Démo 🎧",\n  "per|',
            "permissions",
            '{\n  "name": "Démo 🎧",\n  "permissions": {}',
        ),
        ('{"name": "🎧", "type": |}', "privileged", '{"name": "🎧", "type": "privileged"}'),
        ('{"name": "🎧",\n "permissions": {\n  |\n }\n}', "systemXHR", None),
        ('{"name": "🎧"\n  |\n}', "launch_path", None),
    ],
)
async def test_completion_items_apply_to_the_right_text(
    client: RecordingClient, marked: str, label: str, expected
):
    path = client.root / "app" / "manifest.webapp"
    text, items = await complete_at(client, marked, path)
    item = next(i for i in items if i.label == label)
    result = apply_item(client, text, item)
    if expected is not None:
        assert result == expected
    else:
        json.loads(result)  # a complete, valid manifest again
    if item.documentation is not None:
        kind = item.documentation.kind
        assert kind == types.MarkupKind.Markdown


async def test_permission_completion_marks_what_the_type_gets(client: RecordingClient):
    path = client.root / "app" / "manifest.webapp"
    _, items = await complete_at(
        client, '{"name": "x", "type": "privileged", "permissions": {|}}', path
    )
    by_label = {i.label: i for i in items}
    assert by_label["systemXHR"].detail == "granted silently"
    assert by_label["camera"].detail == "prompts the user"
    assert (
        by_label["settings"].sort_text
        > by_label["camera"].sort_text
        > by_label["systemXHR"].sort_text
    )


async def test_document_links_open_existing_files(client: RecordingClient):
    path = client.root / "app" / "manifest.webapp"
    text = path.read_text("utf-8")
    uri = await show(client, path, text)
    links = await client.text_document_document_link_async(
        types.DocumentLinkParams(types.TextDocumentIdentifier(uri))
    )
    targets = sorted(
        Path(link.target.removeprefix("file://")).relative_to(client.root / "app").as_posix()
        for link in links
    )
    assert targets == ["icons/112.png", "icons/56.png", "index.html"]
    for link in links:  # each link covers the path inside the quotes
        relative = (
            "/"
            + Path(link.target.removeprefix("file://")).relative_to(client.root / "app").as_posix()
        )
        start = text.index(f'"{relative}"') + 1
        assert link.range == types.Range(
            position_of(text, start, client.encoding),
            position_of(text, start + len(relative), client.encoding),
        )


async def test_document_symbols_outline(client: RecordingClient):
    path = client.root / "app" / "manifest.webapp"
    uri = await show(client, path, path.read_text("utf-8"))
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
    )
    names = [s.name for s in symbols]
    assert names[:3] == ["version", "name", "description"] and "permissions" in names
    permissions = next(s for s in symbols if s.name == "permissions")
    assert [(c.name, c.detail) for c in permissions.children] == [
        ("systemXHR", "granted"),
        ("audio-channel-content", "granted"),
        ("device-storage:sdcard", "prompts the user"),
    ]
    model = symbols[-1]  # the app model: why a file is judged as it is
    assert model.name == "app model" and model.detail == "shipped as written (no build step)"
    assert any(c.name.startswith("entry points: index.html") for c in model.children)


async def test_migration_creates_a_valid_3_0_manifest(client: RecordingClient):
    app = client.root / f"migrate-{client.profile}"
    shutil.copytree(APPS / "04-messenger-privileged", app)
    source = app / "manifest.webapp"
    uri = await show(client, source, source.read_text("utf-8"))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.Source]),
        )
    )
    action = next(a for a in actions if a.title.startswith("Migrate to KaiOS 3.0"))
    assert action.title.endswith("create manifest.webmanifest")
    target = app / "manifest.webmanifest"
    if client.profile == "vscode":  # documentChanges with CreateFile: the editor writes the files
        created = [c.uri for c in action.edit.document_changes if isinstance(c, types.CreateFile)]
        assert created == [target.as_uri(), (app / "sw.js").as_uri()]
        for change in action.edit.document_changes:
            if isinstance(change, types.TextDocumentEdit):
                Path(change.text_document.uri.removeprefix("file://")).write_text(
                    change.edits[0].new_text, "utf-8"
                )
        assert action.command.command == "kaios-lsp.showMigrationNotes"
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command=action.command.command, arguments=action.command.arguments
            )
        )
    else:  # no file-creating edits: the server writes the file through its command
        assert action.edit is None and action.command.command == "kaios-lsp.migrateManifest"
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command=action.command.command, arguments=action.command.arguments
            )
        )
    for _ in range(100):
        if any("KaiOS 3.0 migration" in m.message for m in client.messages):
            break
        await asyncio.sleep(0.02)
    assert any("KaiOS 3.0 migration" in m.message for m in client.messages)
    text = target.read_text("utf-8")
    findings = analyze_document(str(target), text).findings
    assert [f for f in findings if f.severity.value <= 2] == []
    # Offered again, the action now says it would overwrite.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.Source]),
        )
    )
    assert any(a.title.endswith("overwrite the existing manifest.webmanifest") for a in actions)
