"""The real server over stdio, driven by pytest-lsp clients with the capabilities of
VS Code, Neovim 0.7, Neovim 0.11 and Emacs (LSP spec warnings are errors)."""

from __future__ import annotations

import asyncio
import json
import random
import re
import shutil

import pytest
import pytest_lsp
from lsprotocol import types

from kaios_lsp.engine import analyze_document
from kaios_lsp.lsp.server import DOCUMENT_TEXT_REQUEST
from tests.support.lsp_client import (
    RecordingClient,
    apply_text_edits,
    capabilities,
    edits_for,
    initialize_params,
    position_of,
    quick_fixes_for,
    server_config,
)
from tests.support.paths import EXAMPLES

# profile -> the position encoding the server must pick
PROFILES = {"vscode": "utf-16", "neovim": "utf-16", "neovim-0.11": "utf-8", "emacs": "utf-32"}

UNICODE_MANIFEST = """{
  "name": "演示 🎧 Demo",
  "type": "privilaged",
  "locales": {"zh-CN": {"name": "播客 🎧✨", "subtitl": "在你的手机上收听播客 🎧"}},
  "orientation": "portrait-primery", "cursor": "true"
}
"""


@pytest_lsp.fixture(config=server_config(), scope="module", params=list(PROFILES))
async def client(lsp_client: RecordingClient, request, tmp_path_factory):
    root = tmp_path_factory.mktemp("apps")
    shutil.copytree(EXAMPLES / "demo-app", root / "demo-app")
    lsp_client.app_root = root
    lsp_client.profile = request.param
    result = await lsp_client.initialize_session(
        initialize_params(capabilities(request.param), root, options={"debounceMs": 0})
    )
    lsp_client.encoding = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


_versions: dict[str, int] = {}


def open_document(client: RecordingClient, uri: str, text: str) -> int:
    _versions[uri] = 1
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="json", version=1, text=text)
        )
    )
    return 1


def replace_document(client: RecordingClient, uri: str, text: str) -> int:
    _versions[uri] += 1
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=_versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return _versions[uri]


async def server_text(client: RecordingClient, uri: str) -> str:
    result = await client.protocol.send_request_async(DOCUMENT_TEXT_REQUEST, {"uri": uri})
    return result["text"] if isinstance(result, dict) else result.text


async def test_position_encoding_is_negotiated(client: RecordingClient):
    assert client.encoding == PROFILES[client.profile]


async def test_diagnostic_ranges_are_exact_with_emoji_and_cjk(client: RecordingClient):
    uri = (
        (client.app_root / "demo-app" / "manifest.webapp")
        .as_uri()
        .replace("manifest.webapp", "unicode/manifest.webapp")
    )
    (client.app_root / "demo-app" / "unicode").mkdir(exist_ok=True)
    version = open_document(client, uri, UNICODE_MANIFEST)
    diagnostics = await client.wait_for_diagnostics(uri, version)
    by_code = {d.code: d for d in diagnostics}
    for code, needle in (
        ("KAI110", '"privilaged"'),
        ("KAI101", '"subtitl"'),
        ("KAI103", '"portrait-primery"'),
        ("KAI102", '"true"'),
    ):
        start = UNICODE_MANIFEST.index(needle)
        expected = types.Range(
            position_of(UNICODE_MANIFEST, start, client.encoding),
            position_of(UNICODE_MANIFEST, start + len(needle), client.encoding),
        )
        assert by_code[code].range == expected, (code, client.encoding)


async def test_incremental_edits_keep_the_server_copy_identical(client: RecordingClient):
    uri = (client.app_root / "sync" / "manifest.webapp").as_uri()
    text = UNICODE_MANIFEST
    version = open_document(client, uri, text)
    rng = random.Random(7)
    pieces = ["a", "🎧", "演", "\n", "\r\n", "é", "", '"', "✨✨", "\u2028", "b", "c"]
    for step in range(80):
        strings = [m.span() for m in re.finditer(r'"[^"\\\n]*"', text)]
        if step % 2 and strings:  # every other edit types inside a string
            low, high = rng.choice(strings)
            start = rng.randrange(low + 1, high) if high - low > 1 else low
        else:
            start = rng.randrange(0, len(text) + 1)

        end = min(len(text), start + rng.randrange(0, 4))
        if text[start - 1 : start + 1] == "\r\n" or text[end - 1 : end + 1] == "\r\n":
            continue  # positions cannot address the middle of a CRLF
        new = rng.choice(pieces)
        change = types.TextDocumentContentChangePartial(
            range=types.Range(
                position_of(text, start, client.encoding), position_of(text, end, client.encoding)
            ),
            text=new,
        )
        text = text[:start] + new + text[end:]
        version += 1
        _versions[uri] = version
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )
    assert await server_text(client, uri) == text
    diagnostics = await client.wait_for_diagnostics(uri, version)
    # Most of these edits were analysed by patching the previous parse: the result must
    # be exactly what a fresh analysis of the final text gives.
    path = str(client.app_root / "sync" / "manifest.webapp")
    expected = [
        (
            f.rule,
            f.message,
            types.Range(
                position_of(text, f.start, client.encoding),
                position_of(text, f.end, client.encoding),
            ),
        )
        for f in analyze_document(path, text).findings
    ]
    assert [(d.code, d.message, d.range) for d in diagnostics] == expected


async def test_results_are_published_in_version_order_and_never_stale(client: RecordingClient):
    uri = (client.app_root / "burst" / "manifest.webapp").as_uri()
    open_document(client, uri, '{"name": "x"}')
    last = 1
    for i in range(30):
        last = replace_document(
            client, uri, json.dumps({"name": "x" * i, "type": "web" if i % 2 else "bad"})
        )
    final = await client.wait_for_diagnostics(uri, last)
    versions = [p.version for p in client.published_for(uri)]
    assert versions == sorted(versions), versions
    assert versions[-1] == last
    assert any(d.code == "KAI110" for d in final) is (29 % 2 == 0)


async def test_every_quick_fix_in_the_demo_manifest_removes_its_diagnostic(client: RecordingClient):
    path = client.app_root / "demo-app" / "manifest.webapp"
    uri = path.as_uri()
    text = path.read_text("utf-8")
    version = open_document(client, uri, text)
    diagnostics = await client.wait_for_diagnostics(uri, version)
    fixable = 0
    for diagnostic in diagnostics:
        mine = await quick_fixes_for(client, uri, diagnostic)
        if not mine:
            continue
        fixable += 1
        fixed = apply_text_edits(text, edits_for(mine[0].edit, uri), client.encoding)
        new_version = replace_document(client, uri, fixed)
        after = await client.wait_for_diagnostics(uri, new_version)
        fixed_range_text = [
            d for d in after if d.code == diagnostic.code and d.message == diagnostic.message
        ]
        assert not fixed_range_text, f"{mine[0].title} did not remove {diagnostic.code}"
        # Go back to the original so each fix is tested on its own.
        replace_document(client, uri, text)
    assert fixable >= 6


async def test_fix_all_applies_every_safe_fix(client: RecordingClient):
    uri = (client.app_root / "fixall" / "manifest.webapp").as_uri()
    text = '{\n  // comment\n  "name": \'Demo\',\n  "orientation": "portrait-primery",\n  "cursor": "true",\n}\n'
    version = open_document(client, uri, text)
    await client.wait_for_diagnostics(uri, version)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
        )
    )
    assert len(actions) == 1
    fixed = apply_text_edits(text, edits_for(actions[0].edit, uri), client.encoding)
    assert json.loads(fixed) == {"name": "Demo", "orientation": "portrait-primary", "cursor": True}


async def test_close_clears_diagnostics(client: RecordingClient):
    uri = (client.app_root / "closing" / "manifest.webapp").as_uri()
    version = open_document(client, uri, '{"type": 1}')
    assert await client.wait_for_diagnostics(uri, version)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
    )
    for _ in range(100):
        if len(client.published_for(uri)[-1].diagnostics) == 0:
            break
        await asyncio.sleep(0.02)
    assert len(client.published_for(uri)[-1].diagnostics) == 0


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("empty", "", {"KAI001"}),
        ("array", '["a", "b"]', {"KAI007"}),
        ("number", "42", {"KAI007"}),
        ("deep", "[" * 10000 + "]" * 10000, {"KAI007"}),
        (
            "deep-object",
            '{"name": "x", "datastores-access": {"a": ' + "[" * 10000 + "]" * 10000 + "}}",
            {"KAI009", "KAI105"},
        ),
        ("lone-surrogate", '{"name": "\ud800 x", "type": "nope"}', {"KAI110", "KAI105"}),
        ("nul", '{"name": "a\x00b"}', {"KAI001", "KAI105"}),
    ],
)
async def test_bad_input_gets_a_diagnostic_and_the_server_keeps_serving(
    client: RecordingClient, name, text, expected
):
    uri = (client.app_root / "bad" / name / "manifest.webapp").as_uri()
    version = open_document(client, uri, text)
    diagnostics = await client.wait_for_diagnostics(uri, version)
    assert {str(d.code) for d in diagnostics} == expected
    # Still serving: a request gets an answer.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 1)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert isinstance(actions, (list, tuple))  # an answer, not an error or a hang
