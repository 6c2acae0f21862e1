"""The ``kaios-lsp`` command: serve LSP (the default), check, migrate or list the rules.

The one place that knows both the server and the command line; neither imports the other.
"""

from __future__ import annotations

import argparse
import sys

from kaios_lsp import __version__
from kaios_lsp.cli import check, migrate, rules
from kaios_lsp.lsp import serve

# Subcommand -> module with add_parser(commands) and run(args, parser); in --help order.
COMMANDS = {"serve": serve, "check": check, "migrate": migrate, "rules": rules}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kaios-lsp",
        description="Language server and linter for KaiOS apps. Without a command it serves LSP on stdio.",
    )
    parser.add_argument("--version", action="version", version=f"kaios-lsp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS.values():
        module.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].split("=")[0] in serve.SERVE_FLAGS:
        argv = ["serve", *argv]
    parser = build_parser()
    args = parser.parse_args(argv)
    command = COMMANDS.get(args.command)
    if command is not None:
        return command.run(args, parser)

    parser.print_help(sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
