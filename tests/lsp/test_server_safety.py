"""Quick fixes and commands never write outside the workspace folder of the app."""

from __future__ import annotations

import json

import pytest_lsp

from tests.support.lsp_client import (
    RecordingClient,
    capabilities,
    initialize_params,
    quick_fixes_for,
    server_config,
    set_text,
)


@pytest_lsp.fixture(config=server_config(), scope="module")
async def narrow_client(lsp_client: RecordingClient, tmp_path_factory):
    """A workspace opened on the app's js/ folder: the manifest is outside it."""
    tmp_path = tmp_path_factory.mktemp("narrow")
    (tmp_path / "manifest.webapp").write_text(json.dumps({"name": "x", "type": "privileged"}))
    (tmp_path / "js").mkdir()
    result = await lsp_client.initialize_session(
        initialize_params(capabilities("vscode"), tmp_path / "js", options={"debounceMs": 0})
    )
    lsp_client.encoding = result.capabilities.position_encoding or "utf-16"
    lsp_client.root = tmp_path
    yield
    await lsp_client.shutdown_session()


async def test_fixes_that_would_write_outside_the_workspace_are_refused(
    narrow_client: RecordingClient,
):
    client = narrow_client
    uri = (client.root / "js" / "alarm.js").as_uri()
    diagnostics = await set_text(
        client, uri, "navigator.mozAlarms.getAll();\nsetTimeout('x()', 1);\n"
    )
    (missing,) = [d for d in diagnostics if d.code == "KAI404"]
    titles = [a.title for a in await quick_fixes_for(client, uri, missing)]
    assert not any("manifest" in t for t in titles)  # the manifest is outside js/
    assert "Disable KAI404 for this line" in titles  # fixes inside the file still work
    assert any("outside the workspace folder" in m.message for m in client.messages)
    (timer,) = [d for d in diagnostics if d.code == "KAI402"]
    assert any("Pass a function" in a.title for a in await quick_fixes_for(client, uri, timer))
