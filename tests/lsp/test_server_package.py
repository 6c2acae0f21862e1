"""The server's workspace check also checks uploaded packages: their findings are published
on the .zip itself, each naming the file and position inside it."""

from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types

from tests.support.lsp_client import RecordingClient, server_config, start_session
from tests.support.packages import app_files, write_zip

FLAWED = app_files(
    **{"js/app.js": "var ok = 1;\nsetTimeout('tick()', 100);\n", ".DS_Store": b"\0\0\0\1Bud1"}
)


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: RecordingClient, tmp_path: Path):
    write_zip(tmp_path / "app.zip", FLAWED)
    write_zip(tmp_path / "clean.zip", app_files())
    await start_session(lsp_client, "vscode", tmp_path)
    yield
    await lsp_client.shutdown_session()


async def test_workspace_check_publishes_package_findings_on_the_zip(client: RecordingClient):
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="kaios-lsp.checkWorkspace")
    )
    latest = {p.uri: p.diagnostics for p in client.published}
    root = client.root  # type: ignore[attr-defined]
    flawed = latest[(root / "app.zip").as_uri()]
    assert sorted((str(d.code), d.message.split(": ", 1)[0]) for d in flawed) == [
        ("KAI402", "js/app.js:2:1"),
        ("KAI503", ".DS_Store"),
        ("KAI510", "The package is not signed"),
    ]
    assert all(d.range.start.line == 0 and d.range.start.character == 0 for d in flawed)
    assert [str(d.code) for d in latest[(root / "clean.zip").as_uri()]] == ["KAI510"]
