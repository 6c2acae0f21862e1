"""Loaded by tests/lsp/test_server_isolation.py (through PYTHONPATH) into the server and its
worker processes: records the audit events that would show network use, program
execution or evaluation of code (PEP 578)."""

import os
import sys

_LOG = os.environ.get("KAIOS_AUDIT_LOG")
_WATCHED = (
    "socket.",
    "urllib.Request",
    "http.client.connect",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "exec",
    "compile",
    "ctypes.dlopen",
)

if _LOG:

    def _hook(event: str, args: tuple) -> None:
        if not event.startswith(_WATCHED):
            return
        try:
            text = repr(args)
        except Exception:  # never break the audited process
            text = "?"
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\t{event}\t{text[:2000]!r}\n")

    sys.addaudithook(_hook)
