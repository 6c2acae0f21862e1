"""Configuration, debouncing, file watching and big documents, end to end."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys

import pytest_lsp
from lsprotocol import types

from tests.support.lsp_client import RecordingClient, capabilities, initialize_params, server_config
from tests.support.paths import ROOT

DEMO = ROOT / "examples" / "demo-app"


def open_doc(client: RecordingClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="json", version=version, text=text)
        )
    )


def change_doc(client: RecordingClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


# -- Neovim 0.7: no workspace/configuration, settings only from initializationOptions ------


@pytest_lsp.fixture(config=server_config(), scope="module")
async def nvim(lsp_client: RecordingClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("nvim")
    lsp_client.root = root
    await lsp_client.initialize_session(
        initialize_params(
            capabilities("neovim"),
            root,
            options={
                "rules": {"store-requirement": "off", "KAI103": "error"},
                "debounceMs": 0,
                "bogus": 1,
            },
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_initialization_options_alone_configure_the_server(nvim: RecordingClient):
    uri = (nvim.root / "manifest.webapp").as_uri()
    open_doc(nvim, uri, '{"name": "x", "orientation": "sideways"}')
    diagnostics = await nvim.wait_for_diagnostics(uri, 1)
    assert [(d.code, d.severity) for d in diagnostics] == [
        ("KAI103", types.DiagnosticSeverity.Error)
    ]


async def test_unknown_settings_are_shown_once(nvim: RecordingClient):
    for _ in range(50):
        if nvim.messages:
            break
        await asyncio.sleep(0.05)
    assert [m.type for m in nvim.messages] == [types.MessageType.Warning]
    assert "unknown setting 'bogus'" in nvim.messages[0].message


# -- VS Code: workspace/configuration, didChangeConfiguration, project files, watchers ----


@pytest_lsp.fixture(config=server_config(), scope="module")
async def vscode(lsp_client: RecordingClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("vscode")
    shutil.copytree(DEMO, root / "demo-app")
    lsp_client.root = root
    lsp_client.set_configuration({"rules": {"KAI103": "hint"}, "debounceMs": 0}, section="kaios")
    await lsp_client.initialize_session(initialize_params(capabilities("vscode"), root))
    yield
    await lsp_client.shutdown_session()


async def test_workspace_configuration_is_pulled_and_updates_apply(vscode: RecordingClient):
    uri = (vscode.root / "cfg" / "manifest.webapp").as_uri()
    open_doc(vscode, uri, '{"name": "x", "orientation": "sideways"}')
    diagnostics = await vscode.wait_for_diagnostics(uri, 1)
    assert {d.code: d.severity for d in diagnostics}["KAI103"] == types.DiagnosticSeverity.Hint
    vscode.set_configuration(
        {"rules": {"KAI103": "off", "KAI105": "off"}, "debounceMs": 0}, section="kaios"
    )
    count = len(vscode.published_for(uri))
    vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    for _ in range(100):
        if len(vscode.published_for(uri)) > count:
            break
        await asyncio.sleep(0.05)
    assert len(vscode.published_for(uri)[-1].diagnostics) == 0


async def test_project_config_file_applies_in_the_editor(vscode: RecordingClient):
    app = vscode.root / "project"
    app.mkdir()
    (app / "kaios-lsp.toml").write_text('[rules]\nKAI102 = "error"\n')
    uri = (app / "manifest.webapp").as_uri()
    open_doc(vscode, uri, '{"name": "x", "cursor": "yes"}')
    diagnostics = await vscode.wait_for_diagnostics(uri, 1)
    assert [(d.code, d.severity) for d in diagnostics if d.code == "KAI102"] == [
        ("KAI102", types.DiagnosticSeverity.Error)
    ]


async def test_created_file_clears_missing_file_diagnostic(vscode: RecordingClient):
    app = vscode.root / "watch"
    app.mkdir()
    uri = (app / "manifest.webapp").as_uri()
    open_doc(vscode, uri, '{"name": "x", "launch_path": "/start.html"}')
    assert "KAI116" in {d.code for d in await vscode.wait_for_diagnostics(uri, 1)}
    (app / "start.html").write_text("<!doctype html>")
    count = len(vscode.published_for(uri))
    vscode.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(app / "start.html").as_uri(), type=types.FileChangeType.Created
                )
            ]
        )
    )
    for _ in range(100):
        if len(vscode.published_for(uri)) > count:
            break
        await asyncio.sleep(0.05)
    assert "KAI116" not in {d.code for d in vscode.published_for(uri)[-1].diagnostics}


async def test_server_and_cli_report_the_same_findings(vscode: RecordingClient):
    path = vscode.root / "demo-app" / "manifest.webapp"
    uri = path.as_uri()
    vscode.set_configuration({"debounceMs": 0}, section="kaios")
    vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    open_doc(vscode, uri, path.read_text("utf-8"))
    diagnostics = await vscode.wait_for_diagnostics(uri, 1)
    for _ in range(50):  # the configuration change may re-publish version 1 once more
        await asyncio.sleep(0.02)
    diagnostics = vscode.published_for(uri)[-1].diagnostics
    cli = subprocess.run(
        [sys.executable, "-m", "kaios_lsp", "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    expected = [
        (f["rule"], f["line"] - 1, f["column"] - 1, f["message"])
        for f in json.loads(cli.stdout)["findings"]
    ]
    got = [(d.code, d.range.start.line, d.range.start.character, d.message) for d in diagnostics]
    assert got == expected


async def test_five_megabyte_manifest_is_analysed_without_blocking(vscode: RecordingClient):
    uri = (vscode.root / "huge" / "manifest.webapp").as_uri()
    locale = {"name": "Demo 演示 🎧", "subtitle": "A subtitle", "description": "x" * 150}
    text = json.dumps(
        {"name": "Demo", "locales": {f"l{i}": locale for i in range(22000)}, "cursor": "x"},
        indent=2,
        ensure_ascii=False,
    )
    assert len(text.encode()) > 5_000_000
    open_doc(vscode, uri, text)
    # While the big document is analysed, a small one still gets answered.
    small = (vscode.root / "small" / "manifest.webapp").as_uri()
    open_doc(vscode, small, '{"name": "x", "cursor": "y"}')
    small_diagnostics = await vscode.wait_for_diagnostics(small, 1, timeout=60)
    assert "KAI102" in {d.code for d in small_diagnostics}
    # ...and completes, while the big analysis (seconds, in the worker) is still running.
    answered = 0
    while not vscode.published_for(uri) and answered < 20:
        result = await vscode.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(small), position=types.Position(0, 1)
            )
        )
        assert result is not None and result.items
        answered += 1
    assert not vscode.published_for(uri), (
        "the big analysis finished before 20 completions: it blocked them"
    )
    diagnostics = await vscode.wait_for_diagnostics(uri, 1, timeout=120)
    cursor = next(d for d in diagnostics if d.code == "KAI102")
    assert cursor.range.start.line == text.count("\n", 0, text.index('"cursor"'))


# -- debounce ----------------------------------------------------------------------------


@pytest_lsp.fixture(config=server_config(), scope="module")
async def slow(lsp_client: RecordingClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("debounce")
    lsp_client.root = root
    await lsp_client.initialize_session(
        initialize_params(capabilities("vscode"), root, options={"debounceMs": 300})
    )
    yield
    await lsp_client.shutdown_session()


async def test_debounce_publishes_only_the_settled_version(slow: RecordingClient):
    uri = (slow.root / "manifest.webapp").as_uri()
    open_doc(slow, uri, '{"name": "x"}')
    for version in range(2, 7):
        change_doc(slow, uri, json.dumps({"name": "x" * version, "type": "bad"}), version)
    await slow.wait_for_diagnostics(uri, 6)
    assert [p.version for p in slow.published_for(uri)] == [6]
