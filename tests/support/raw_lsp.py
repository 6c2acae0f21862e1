"""A strict, byte-level JSON-RPC peer for process tests: it fails on any byte on stdout
that is not part of a well-formed ``Content-Length`` frame."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
from typing import Any

SERVER = [sys.executable, "-m", "kaios_lsp"]


class FramingError(AssertionError):
    pass


class RawServer:
    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [*SERVER, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        self.messages: queue.Queue[dict[str, Any] | Exception] = queue.Queue()
        self.stderr = b""
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self._id = 0

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr += line

    def _read_stdout(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                header = stream.readline()
                if not header:
                    return
                if not header.startswith(b"Content-Length: ") or not header.endswith(b"\r\n"):
                    raise FramingError(f"not a protocol header on stdout: {header!r}")
                length = int(header[len(b"Content-Length: ") :].strip())
                line = stream.readline()
                while line != b"\r\n":  # optional Content-Type header
                    if not line.lower().startswith(b"content-type:"):
                        raise FramingError(f"unexpected header line: {line!r}")
                    line = stream.readline()
                body = stream.read(length)
                self.messages.put(json.loads(body))
        except Exception as exc:  # surfaced to the test by next_message()
            self.messages.put(exc)

    def send(self, payload: dict[str, Any] | bytes) -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: Any = None) -> int:
        self._id += 1
        self.send({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params})
        return self._id

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def next_message(self, timeout: float = 10) -> dict[str, Any]:
        item = self.messages.get(timeout=timeout)
        if isinstance(item, Exception):
            raise item
        return item

    def response_to(self, request_id: int, timeout: float = 10) -> dict[str, Any]:
        while True:
            message = self.next_message(timeout)
            if message.get("id") == request_id and "method" not in message:
                return message
            if "method" in message and "id" in message:  # a request from the server: answer it
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def initialize(
        self, options: dict | None = None, capabilities: dict | None = None
    ) -> dict[str, Any]:
        rid = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": None,
                "capabilities": capabilities or {},
                "initializationOptions": options,
            },
        )
        result = self.response_to(rid)
        self.notify("initialized", {})
        return result

    def close(self) -> int:
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # type: ignore[union-attr]
            try:
                self.process.wait(30)  # a loaded 2-core machine: the worker may be mid-analysis
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode
