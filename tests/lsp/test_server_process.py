"""The server as a process: lifecycle, clean stdout, bad messages, TCP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from tests.support.raw_lsp import RawServer


def test_exits_cleanly_on_shutdown_and_exit() -> None:
    server = RawServer()
    server.initialize()
    rid = server.request("shutdown")
    assert server.response_to(rid)["result"] is None
    server.notify("exit")
    assert server.process.wait(10) == 0


def test_exits_on_stdin_eof() -> None:
    server = RawServer()
    server.initialize()
    started = time.monotonic()
    server.process.stdin.close()
    server.process.wait(10)
    assert time.monotonic() - started < 10


def test_exit_without_shutdown_reports_failure_code() -> None:
    server = RawServer()
    server.initialize()
    server.notify("exit")
    assert server.process.wait(10) == 1  # as the LSP specification asks


def test_stdout_carries_only_protocol_messages_even_with_debug_logging() -> None:
    server = RawServer("--log-level", "debug")
    result = server.initialize(
        capabilities={"textDocument": {"publishDiagnostics": {"versionSupport": True}}}
    )
    assert result["result"]["serverInfo"]["name"] == "kaios-lsp"
    uri = "file:///tmp/kaios-stdout-test/manifest.webapp"
    server.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": uri,
                "languageId": "json",
                "version": 1,
                "text": '{"name": "x", "type": "bad"}',
            }
        },
    )
    message = server.next_message()
    while message.get("method") != "textDocument/publishDiagnostics":
        message = server.next_message()
    assert message["params"]["version"] == 1
    rid = server.request("shutdown")
    server.response_to(rid)
    server.notify("exit")
    server.process.wait(10)
    while not server.messages.empty():  # everything left must still be well-framed
        server.next_message()
    assert b"DEBUG" in server.stderr  # logs went to stderr


@pytest.mark.parametrize(
    "garbage",
    [
        b"{not json",
        b'{"jsonrpc": "2.0", "id": 99, "method": "textDocument/codeAction", "params": {"bogus": true}}',
        b"\xff\xfe\x00 invalid utf-8",
        b'{"jsonrpc": "2.0", "id": 98, "method": "no/such/method", "params": {}}',
        b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///x", "version": 2}, "contentChanges": []}}',
        b"[]",
    ],
)
def test_malformed_messages_do_not_kill_the_server(garbage: bytes) -> None:
    server = RawServer()
    server.initialize()
    server.send(garbage)
    rid = server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": "file:///never/opened/manifest.webapp"},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []},
        },
    )
    response = server.response_to(rid)
    assert response.get("result") == [] or "error" in response
    if b'"id": 98' in garbage or b'"id": 99' in garbage:
        pass  # the broken request itself got an error response above or is ignored
    assert server.process.poll() is None
    server.close()


def test_unknown_request_gets_method_not_found() -> None:
    server = RawServer()
    server.initialize()
    rid = server.request("kaios/noSuchThing", {})
    response = server.response_to(rid)
    assert response["error"]["code"] == -32601
    server.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_tcp_mode() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kaios_lsp", "--tcp", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": None, "capabilities": {}},
            }
        ).encode()
        connection.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        data = b""
        while b"serverInfo" not in data:
            chunk = connection.recv(65536)
            assert chunk, "connection closed"
            data += chunk
        header, _, payload = data.partition(b"\r\n\r\n")
        assert header.startswith(b"Content-Length: ")
        assert json.loads(payload[: int(header.split(b": ")[1].split(b"\r\n")[0])])["result"][
            "capabilities"
        ]
        connection.close()
    finally:
        process.terminate()
        process.wait(10)
