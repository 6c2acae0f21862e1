"""What the server keeps per document, and how it gives memory back (issue 17).

In process: a server object without a client, its diagnostics functions called directly."""

from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from kaios_lsp.config import Config
from kaios_lsp.lsp import diagnostics
from kaios_lsp.lsp.session import KaiosLanguageServer
from kaios_lsp.lsp.uris import path_to_uri
from kaios_lsp.parse.js import tree as js_tree
from kaios_lsp.rules.permissions import prompt_sites

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "js" / "es2017").glob("*.js"))
MANIFEST = '{"name": "Mem", "type": "privileged", "launch_path": "/index.html",\n'
MANIFEST += ' "permissions": {"device-storage:sdcard": {"access": "readwrite"}}}\n'


def _script(size: int) -> str:
    parts: list[str] = []
    n = 0
    while sum(map(len, parts)) < size:
        parts.append(f"(function () {{\n{CORPUS[n % len(CORPUS)].read_text('utf-8')}\n}})();\n")
        n += 1
    return "".join(parts)


@pytest.fixture
def trees(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref]:
    """A weak reference to every script tree built while the test runs."""
    made: list[weakref.ref] = []
    original = js_tree.JsTree.__init__

    def init(self: js_tree.JsTree, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(js_tree.JsTree, "__init__", init)
    return made


def _reachable_types(root: object) -> set[str]:
    """The names of the types of everything reachable from ``root`` (not modules,
    classes or functions: shared code, not the document's state)."""
    seen: set[int] = set()
    names: set[str] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, (type, type(sys), type(_script))):
            continue
        seen.add(id(item))
        names.add(f"{type(item).__module__}.{type(item).__qualname__}")
        stack.extend(gc.get_referents(item))
    return names


def _server(tmp_path: Path) -> KaiosLanguageServer:
    (tmp_path / "manifest.webapp").write_text(MANIFEST, "utf-8")
    (tmp_path / "index.html").write_text('<script src="app.js"></script>', "utf-8")
    ls = KaiosLanguageServer()
    ls.text_document_publish_diagnostics = lambda params: None  # type: ignore[method-assign]
    return ls


def test_a_script_s_cached_analysis_keeps_findings_not_its_tree(
    tmp_path: Path, trees: list[weakref.ref]
) -> None:
    ls = _server(tmp_path)
    path = tmp_path / "app.js"
    text = _script(20_000) + "eval(location.hash);\n"
    path.write_text(text, "utf-8")
    uri = path_to_uri(str(path))
    ls.documents.open(types.TextDocumentItem(uri, "javascript", 1, text))
    document = ls.documents.get(uri)
    assert document is not None
    result = diagnostics.analysis_of(ls, document)
    assert result.findings and trees  # it did parse, and found something
    del result
    gc.collect()
    assert [ref for ref in trees if ref() is not None] == []
    kept = _reachable_types(document.cache)
    assert not any(".parse.js." in name or name.startswith("tree_sitter") for name in kept), kept


def test_the_prompt_scan_of_a_big_script_frees_its_tree_without_waiting_for_the_gc(
    tmp_path: Path, trees: list[weakref.ref]
) -> None:
    text = _script(prompt_sites._COLLECT_AFTER + 1) + "navigator.getDeviceStorage('sdcard');\n"
    gc.collect()
    gc.disable()  # only the scan's own collection can free the (cyclic) tree
    try:
        sites = prompt_sites._scan(str(tmp_path / "big.js"), text, Config())
        alive = [ref for ref in trees if ref() is not None]
    finally:
        gc.enable()
    assert sites and trees
    assert alive == []


def test_opening_a_file_forgets_the_line_index_built_from_its_disk_text(tmp_path: Path) -> None:
    # (a manifest's KAI204 points into closed scripts; once a script is open, its
    # document's index serves, and the disk one would be a second copy of its text)
    ls = _server(tmp_path)
    path = tmp_path / "app.js"
    path.write_text("var a = 1;\n", "utf-8")
    disk_index = ls.file_line_index(str(path))
    assert disk_index is not None and ls.file_line_index(str(path)) is disk_index  # kept
    item = types.TextDocumentItem(path_to_uri(str(path)), "javascript", 1, "var a = 1;\n")
    list(ls.protocol.lsp_text_document__did_open(types.DidOpenTextDocumentParams(item)))
    assert ls.documents.get(item.uri) is not None
    assert ls.file_line_index(str(path)) is not disk_index  # forgotten, built anew


def test_an_idle_document_keeps_its_findings_pickled_until_asked(tmp_path: Path) -> None:
    ls = _server(tmp_path)
    ls.protocol.notify_json = lambda method, params: None  # type: ignore[method-assign]
    path = tmp_path / "app.js"
    text = "// 演示 🎧\n" + _script(8_000) + "eval(location.hash);\n"
    path.write_text(text, "utf-8")
    uri = path_to_uri(str(path))
    ls.documents.open(types.TextDocumentItem(uri, "javascript", 1, text))
    document = ls.documents.get(uri)
    assert document is not None
    diagnostics._analyze_inline_and_publish(ls, document)
    assert isinstance(document.cache["analysis"], diagnostics.PackedAnalysis)
    assert document.packed is not None  # (its text too: it has an emoji)
    fresh = diagnostics._analyze_inline(ls, document).findings
    document.cache["analysis"] = diagnostics.PackedAnalysis(diagnostics.analysis_of(ls, document))
    unpacked = diagnostics.analysis_of(ls, document)
    assert fresh and unpacked.findings == fresh


def test_a_failed_prompt_scan_still_lets_the_manifest_be_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in the worker's scan of a big script must not leave its manifest waiting
    for ever: the manifest is analysed again, without that script's call sites."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from kaios_lsp.lsp import scans

    ls = _server(tmp_path)
    script = str(tmp_path / "app.js")
    (tmp_path / "app.js").write_text("navigator.getDeviceStorage('sdcard');\n", "utf-8")
    manifest_uri = path_to_uri(str(tmp_path / "manifest.webapp"))
    ls.documents.open(types.TextDocumentItem(manifest_uri, "json", 1, MANIFEST))

    def broken(*args: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(scans, "scan_prompt_calls", broken)
    pool = ThreadPoolExecutor(1)
    monkeypatch.setattr(ls, "worker_pool", lambda: pool)
    again: list[str] = []

    async def run() -> None:
        scans.scan_in_worker(ls, manifest_uri, [script], Config(), lambda _, uri: again.append(uri))
        await asyncio.gather(*ls.scans_running.values())

    asyncio.run(run())
    pool.shutdown()
    assert again == [manifest_uri] and not ls.scans_running and not ls.scan_waiters
    assert prompt_sites.script_call_sites(script, ls.files(), Config()) == ()
