"""The app model through a real LSP client: a file no page opens gets hints, and becomes
an ordinary file the moment a page loads it (without touching it); hover over the launch
page shows the model; the build-target finding in package.json and its fix."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest_lsp
from lsprotocol import types

from tests.support.lsp_client import (
    RecordingClient,
    apply_workspace_edit,
    position_of,
    quick_fixes_for,
    server_config,
    set_text,
    start_session,
)


@pytest_lsp.fixture(config=server_config(), scope="module", params=["vscode", "neovim"])
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    await start_session(lsp_client, request.param, tmp_path_factory.mktemp("model"))
    yield
    await lsp_client.shutdown_session()


def new_app(client: RecordingClient, name: str, files: dict[str, str | dict]) -> Path:
    app = client.root / f"{name}-{client.profile}"
    for relative, content in files.items():
        path = app / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(content, indent=2) if isinstance(content, dict) else content
        path.write_text(text, "utf-8")
    return app


async def published_after(client: RecordingClient, uri: str, count: int) -> list:
    for _ in range(500):
        for params in reversed(client.published[count:]):
            if params.uri == uri:
                return list(params.diagnostics)
        await asyncio.sleep(0.01)
    raise TimeoutError(uri)


PRIVILEGED = {"name": "Tides", "type": "privileged", "launch_path": "/index.html"}


async def test_a_script_becomes_judged_as_shipped_when_a_page_starts_loading_it(
    client: RecordingClient,
):
    app = new_app(
        client,
        "reach",
        {"manifest.webapp": PRIVILEGED, "index.html": "<!doctype html>\n<p>Tides</p>\n"},
    )
    script = (app / "js" / "extra.js").as_uri()
    code = "setTimeout('refresh()', 1000);\n"
    (app / "js").mkdir()
    (app / "js" / "extra.js").write_text(code, "utf-8")
    (hint,) = await set_text(client, script, code)
    assert hint.code == "KAI402" and hint.severity == types.DiagnosticSeverity.Hint
    assert "no page of the app opens this file" in hint.message
    page = (app / "index.html").as_uri()
    await set_text(client, page, (app / "index.html").read_text())
    count = len(client.published)
    await set_text(
        client, page, '<!doctype html>\n<p>Tides</p>\n<script src="js/extra.js"></script>\n'
    )
    (error,) = await published_after(client, script, count)  # re-published, not re-opened
    assert error.code == "KAI402" and error.severity == types.DiagnosticSeverity.Error
    assert "no page" not in error.message


async def test_hover_over_the_launch_page_shows_the_app_model(client: RecordingClient):
    app = new_app(
        client,
        "hover",
        {
            "package.json": {"devDependencies": {"webpack": "^5"}, "scripts": {"build": "webpack"}},
            "src/index.html": "<p>",
        },
    )
    text = json.dumps(PRIVILEGED, indent=2)
    uri = (app / "manifest.webapp").as_uri()
    (app / "manifest.webapp").write_text(text, "utf-8")
    await set_text(client, uri, text)
    offset = text.index('"launch_path"') + 3
    hover = await client.text_document_hover_async(
        types.HoverParams(
            types.TextDocumentIdentifier(uri), position_of(text, offset, client.encoding)
        )
    )
    assert hover is not None
    value = hover.contents.value if hasattr(hover.contents, "value") else str(hover.contents)
    assert "What ships and what runs" in value
    assert "build input" in value and "webpack" in value


async def test_the_build_target_finding_and_its_fix(client: RecordingClient):
    package = {
        "name": "tides",
        "devDependencies": {"@babel/core": "^7.24.0", "@babel/preset-env": "^7.24.0"},
        "babel": {"presets": ["@babel/preset-env"]},
        "browserslist": ["last 2 Chrome versions"],
    }
    app = new_app(
        client,
        "target",
        {
            "package.json": package,
            "public/manifest.webapp": PRIVILEGED,
            "public/index.html": "<p>",
            "src/app.js": "export async function load() { return (await fetch('/t'))?.ok; }\n",
        },
    )
    uri = (app / "package.json").as_uri()
    (diagnostic,) = await set_text(client, uri, (app / "package.json").read_text())
    assert diagnostic.code == "KAI410" and diagnostic.severity == types.DiagnosticSeverity.Error
    assert "async functions" in diagnostic.message
    assert diagnostic.related_information and diagnostic.related_information[
        0
    ].location.uri.endswith("src/app.js")
    (action,) = await quick_fixes_for(client, uri, diagnostic)
    count = len(client.published)
    await apply_workspace_edit(client, action.edit, client.encoding)
    fixed = client.__dict__["texts"][uri]
    assert json.loads(fixed)["browserslist"] == ["last 2 Chrome versions", "firefox >= 48"]
    assert await published_after(client, uri, count) == []
