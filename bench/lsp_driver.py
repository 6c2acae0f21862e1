"""A minimal, fast LSP client over stdio for benchmarks (standard library only).

:class:`LspDriver` starts a server command, frames JSON-RPC with ``Content-Length``
headers, and reads the server's stdout on a background thread. Every incoming message
is timestamped (``time.perf_counter``) the moment its bytes arrive, before any
parsing, so latencies measure the server and the pipe rather than this client.

Requests the server sends to the client (``workspace/configuration``,
``client/registerCapability`` ...) are answered at once from the reader thread so the
server never waits on us. stderr is drained on a second thread so its pipe never fills.

Typical use::

    with LspDriver([sys.executable, "-m", "kaios_lsp"]) as lsp:
        lsp.initialize(root_uri, {"debounceMs": 0})
        lsp.did_open(uri, text)
        lsp.wait_for_diagnostics(uri, 1)
        lsp.did_change(uri, 2, [single_char_edit(1, line, character)])
        params, latency = lsp.wait_for_diagnostics(uri, 2)
        result, sent, received = lsp.position_request(
            "textDocument/completion", uri, line, character, {"context": {"triggerKind": 1}}
        )
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import os
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Json = Any
"""A decoded JSON value."""

CLIENT_CAPABILITIES: dict[str, Json] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
        # As VS Code declares them: snippets, Markdown documentation, deprecated tags ...
        "completion": {
            "dynamicRegistration": True,
            "contextSupport": True,
            "completionItem": {
                "snippetSupport": True,
                "commitCharactersSupport": True,
                "documentationFormat": ["markdown", "plaintext"],
                "deprecatedSupport": True,
                "preselectSupport": True,
                "tagSupport": {"valueSet": [1]},
                "insertReplaceSupport": True,
                "resolveSupport": {
                    "properties": ["documentation", "detail", "additionalTextEdits"]
                },
                "insertTextModeSupport": {"valueSet": [1, 2]},
                "labelDetailsSupport": True,
            },
            "insertTextMode": 2,
            "completionItemKind": {"valueSet": list(range(1, 26))},
            "completionList": {
                "itemDefaults": [
                    "commitCharacters",
                    "editRange",
                    "insertTextFormat",
                    "insertTextMode",
                    "data",
                ]
            },
        },
        "hover": {"dynamicRegistration": True, "contentFormat": ["markdown", "plaintext"]},
    },
    "workspace": {
        "configuration": True,
        "didChangeWatchedFiles": {"dynamicRegistration": True},
        "workspaceFolders": True,
    },
    "window": {"workDoneProgress": True},
}
"""What the benchmark client declares: UTF-16 positions, versioned diagnostics, completion
and hover as VS Code declares them (snippets, Markdown), plus the workspace features
editors usually have (so the server's requests are exercised)."""


class LspError(RuntimeError):
    """The server answered a request with an error, exited, or did not answer in time."""


class _Pending:
    """A request waiting for its response."""

    __slots__ = ("event", "message", "received")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.message: dict[str, Json] | None = None
        self.received = 0.0


def path_to_uri(path: str | os.PathLike[str]) -> str:
    """A ``file://`` URI for a local path."""
    return Path(path).resolve().as_uri()


def single_char_edit(step: int, line: int, character: int, char: str = "x") -> dict[str, Json]:
    """An incremental change that inserts ``char`` at (line, character) on odd steps and
    deletes it again on even steps, so the text size stays constant over a pair."""
    start = {"line": line, "character": character}
    if step % 2:
        return {"range": {"start": start, "end": start}, "text": char}
    end = {"line": line, "character": character + len(char.encode("utf-16-le")) // 2}
    return {"range": {"start": start, "end": end}, "text": ""}


class LspDriver:
    """An LSP client for one server process, speaking JSON-RPC over its stdin/stdout."""

    def __init__(
        self, command: Sequence[str], cwd: str | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.command = list(command)
        self.cwd = cwd
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.initialize_seconds = 0.0
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=200)
        self.notifications: collections.Counter[str] = collections.Counter()
        self.server_requests: collections.Counter[str] = collections.Counter()
        self._ids = itertools.count(1)
        self._write_lock = threading.Lock()
        self._pending: dict[int | str, _Pending] = {}
        self._published: dict[tuple[str, int | None], tuple[dict[str, Json], float]] = {}
        self._published_cond = threading.Condition()
        self._closed = False
        self._threads: list[threading.Thread] = []

    # -- process -------------------------------------------------------------------

    def start(self) -> None:
        """Start the server process and the reader threads."""
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.cwd,
            env=self.env,
            bufsize=0,
        )
        for target, name in ((self._read_stdout, "lsp-stdout"), (self._read_stderr, "lsp-stderr")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    @property
    def pid(self) -> int:
        """The server's process id."""
        if self.process is None:
            raise LspError("the server is not running")
        return self.process.pid

    def proc_status(self, field: str) -> int | None:
        """A ``kB`` value from ``/proc/<pid>/status`` (``VmHWM``, ``VmRSS``), if available."""
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            return None
        return None

    def close(self, timeout: float = 10.0) -> int | None:
        """``shutdown`` + ``exit``, then wait for the process (killed if it hangs)."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None and not self._closed:
            try:
                self.request("shutdown", None, timeout=timeout)
                self.notify("exit", None)
            except (LspError, OSError):
                pass
        with contextlib.suppress(OSError):
            process.stdin.close()  # type: ignore[union-attr]
        try:
            code = process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        for thread in self._threads:
            thread.join(2.0)
        return code

    def __enter__(self) -> LspDriver:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- framing -------------------------------------------------------------------

    def _send(self, message: dict[str, Json]) -> float:
        """Write one framed message; return the send time (just before writing)."""
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        data = memoryview(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        process = self.process
        if process is None or process.stdin is None:
            raise LspError("the server is not running")
        with self._write_lock:
            sent = time.perf_counter()
            fd = process.stdin.fileno()
            while data:
                written = os.write(fd, data)
                data = data[written:]
        return sent

    def _read_stdout(self) -> None:
        """Reader thread: split stdout into messages and dispatch them."""
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        buffer = bytearray()
        try:
            while True:
                chunk = os.read(fd, 1 << 16)
                arrived = time.perf_counter()
                if not chunk:
                    break
                buffer += chunk
                while True:
                    header_end = buffer.find(b"\r\n\r\n")
                    if header_end < 0:
                        break
                    length = _content_length(bytes(buffer[:header_end]))
                    body_start = header_end + 4
                    if len(buffer) < body_start + length:
                        break
                    body = bytes(buffer[body_start : body_start + length])
                    del buffer[: body_start + length]
                    self._dispatch(json.loads(body), arrived)
        except (OSError, ValueError) as exc:
            self.stderr_tail.append(f"[lsp_driver] reader stopped: {exc!r}")
        finally:
            self._closed = True
            with self._published_cond:
                self._published_cond.notify_all()
            for pending in list(self._pending.values()):
                pending.event.set()

    def _read_stderr(self) -> None:
        """Drain stderr so the server never blocks on a full pipe; keep the tail."""
        assert self.process is not None and self.process.stderr is not None
        for raw in iter(self.process.stderr.readline, b""):
            self.stderr_tail.append(raw.decode("utf-8", "replace").rstrip())

    # -- dispatch ------------------------------------------------------------------

    def _dispatch(self, message: dict[str, Json], arrived: float) -> None:
        method = message.get("method")
        if method is None:  # a response
            pending = self._pending.get(message.get("id"))  # type: ignore[arg-type]
            if pending is not None:
                pending.message, pending.received = message, arrived
                pending.event.set()
        elif "id" in message:  # a request from the server
            self.server_requests[method] += 1
            # answered from another thread: while the main thread is blocked writing a
            # big didOpen (the server is busy and not reading), this reader must keep
            # draining the server's output, or both sides wait on each other for ever
            threading.Thread(target=self._answer, args=(message,), daemon=True).start()
        else:
            self.notifications[method] += 1
            if method == "textDocument/publishDiagnostics":
                params = message.get("params") or {}
                key = (params.get("uri"), params.get("version"))
                with self._published_cond:
                    self._published[key] = (params, arrived)  # type: ignore[index]
                    self._published_cond.notify_all()

    def _answer(self, request: dict[str, Json]) -> None:
        method, params = request["method"], request.get("params") or {}
        reply: dict[str, Json] = {"jsonrpc": "2.0", "id": request["id"]}
        if method == "workspace/configuration":
            reply["result"] = [None] * len(params.get("items", []))
        elif method in (
            "client/registerCapability",
            "client/unregisterCapability",
            "window/workDoneProgress/create",
            "window/showMessageRequest",
            "workspace/diagnostic/refresh",
            "workspace/semanticTokens/refresh",
        ):
            reply["result"] = None
        elif method == "workspace/applyEdit":
            reply["result"] = {"applied": False, "failureReason": "benchmark client"}
        elif method == "workspace/workspaceFolders":
            reply["result"] = []
        else:
            reply["error"] = {
                "code": -32601,
                "message": f"{method} is not supported by the benchmark client",
            }
        with contextlib.suppress(LspError, OSError):
            self._send(reply)

    # -- JSON-RPC ------------------------------------------------------------------

    def notify(self, method: str, params: Json) -> float:
        """Send a notification; return its send time."""
        message: dict[str, Json] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        return self._send(message)

    def request(self, method: str, params: Json, timeout: float = 30.0) -> Json:
        """Send a request and wait for its result (raises :class:`LspError` on error)."""
        return self.timed_request(method, params, timeout)[0]

    def timed_request(
        self, method: str, params: Json, timeout: float = 30.0
    ) -> tuple[Json, float, float]:
        """(result, send time, receive time) of a request."""
        request_id = next(self._ids)
        pending = self._pending[request_id] = _Pending()
        message: dict[str, Json] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        try:
            sent = self._send(message)
            if not self._closed:
                pending.event.wait(timeout)
            if pending.message is None:
                what = (
                    "the connection closed" if self._closed else f"no response within {timeout:g} s"
                )
                raise LspError(f"{method}: {what}" + self._exit_note())
        finally:
            self._pending.pop(request_id, None)
        if "error" in pending.message:
            raise LspError(f"{method} failed: {pending.message['error']}")
        return pending.message.get("result"), sent, pending.received

    def _exit_note(self) -> str:
        if self.process is not None and self.process.poll() is not None:
            tail = "\n".join(list(self.stderr_tail)[-20:])
            return f" (the server exited with code {self.process.returncode}; stderr tail:\n{tail})"
        return ""

    # -- LSP -----------------------------------------------------------------------

    def initialize(
        self,
        root_uri: str | None,
        initialization_options: Json = None,
        capabilities: dict[str, Json] | None = None,
        timeout: float = 60.0,
    ) -> Json:
        """``initialize`` + ``initialized``. Sets :attr:`initialize_seconds` (process
        start to the initialize response) and returns the server's result."""
        params: dict[str, Json] = {
            "processId": os.getpid(),
            "clientInfo": {"name": "kaios-lsp-bench", "version": "1"},
            "rootUri": root_uri,
            "capabilities": capabilities if capabilities is not None else CLIENT_CAPABILITIES,
            "initializationOptions": initialization_options,
            "workspaceFolders": [{"uri": root_uri, "name": "bench"}] if root_uri else None,
        }
        result, _, received = self.timed_request("initialize", params, timeout)
        self.initialize_seconds = received - self.started_at
        self.notify("initialized", {})
        return result

    def did_open(self, uri: str, text: str, version: int = 1, language_id: str = "json") -> float:
        """``textDocument/didOpen``; returns the send time."""
        return self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": language_id,
                    "version": version,
                    "text": text,
                },
            },
        )

    def did_change(self, uri: str, version: int, changes: list[dict[str, Json]]) -> float:
        """``textDocument/didChange``; returns the send time."""
        return self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": changes,
            },
        )

    def did_close(self, uri: str) -> float:
        """``textDocument/didClose``; returns the send time."""
        return self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def wait_for_diagnostics(
        self, uri: str, version: int | None, timeout: float = 30.0
    ) -> tuple[dict[str, Json], float]:
        """The ``publishDiagnostics`` params for ``uri`` at ``version`` and their arrival time."""
        key = (uri, version)
        deadline = time.perf_counter() + timeout
        with self._published_cond:
            while key not in self._published:
                remaining = deadline - time.perf_counter()
                if self._closed or remaining <= 0:
                    raise LspError(
                        f"no diagnostics for {uri} version {version} within {timeout:g} s"
                        + self._exit_note()
                    )
                self._published_cond.wait(remaining)
            return self._published.pop(key)

    def diagnostics_arrived(self, uri: str, version: int | None) -> float | None:
        """When the ``publishDiagnostics`` for ``uri`` at ``version`` arrived, or ``None``
        if it has not yet; does not wait and does not consume it (unlike
        :meth:`wait_for_diagnostics`)."""
        with self._published_cond:
            found = self._published.get((uri, version))
        return found[1] if found is not None else None

    def position_request(
        self,
        method: str,
        uri: str,
        line: int,
        character: int,
        extra: dict[str, Json] | None = None,
        timeout: float = 30.0,
    ) -> tuple[Json, float, float]:
        """A ``textDocument/position`` request (completion, hover ...):
        (result, send time, receive time)."""
        params: dict[str, Json] = {
            "textDocument": {"uri": uri},
            "position": {"line": line, "character": character},
            **(extra or {}),
        }
        return self.timed_request(method, params, timeout)

    def change_latency(
        self, uri: str, version: int, change: dict[str, Json], timeout: float = 30.0
    ) -> tuple[float, dict[str, Json]]:
        """Send one didChange and wait for its diagnostics: (seconds, params)."""
        sent = self.did_change(uri, version, [change])
        params, arrived = self.wait_for_diagnostics(uri, version, timeout)
        return arrived - sent, params


def _content_length(header: bytes) -> int:
    for line in header.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    raise ValueError(f"no Content-Length in header {header!r}")
