"""``kaios-lsp serve`` (the default command): its options, logging, and serving LSP on
stdio or a TCP socket."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys

# A command line starting with one of these is a serve command line without "serve".
SERVE_FLAGS = ("--tcp", "--stdio", "--log-level", "--log-file")


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="serve the Language Server Protocol (default)")
    parser.add_argument("--stdio", action="store_true", help="serve on stdin/stdout (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="serve on a TCP socket instead of stdio")
    parser.add_argument(
        "--log-level",
        default=os.environ.get("KAIOS_LSP_LOG", "warning"),
        choices=("debug", "info", "warning", "error"),
        help="log level (logs go to stderr)",
    )
    parser.add_argument("--log-file", metavar="FILE", help="also write logs to FILE")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if args.log_file:
        handlers.append(logging.FileHandler(args.log_file))
    logging.basicConfig(
        level=args.log_level.upper(),
        handlers=handlers,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # pygls logs every message it sends at INFO; keep that out unless asked for.
    if args.log_level != "debug":
        logging.getLogger("pygls").setLevel(logging.WARNING)

    # Imported here: the other commands must not pay for loading pygls.
    from kaios_lsp.lsp.server import create_server

    server = create_server()
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        if not port.isdigit():
            parser.error("--tcp needs HOST:PORT, e.g. 127.0.0.1:2087")
        server.start_tcp(host or "127.0.0.1", int(port))
        return 0 if server.shutdown_requested else 1
    # The startup objects (schemas, tables, pygls) live for the whole session: keep them
    # out of every collection, and collect young objects less often while typing.
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Only protocol messages may reach stdout: anything printed by accident goes to stderr.
    sys.stdout = sys.stderr
    try:
        server.start_io(stdin, stdout)
    finally:
        server.stop_worker()
    # LSP: exit code 0 only when a shutdown request came before the end.
    return 0 if server.shutdown_requested else 1
