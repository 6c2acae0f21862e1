"""The command line: check, migrate, rules; report formats."""

from kaios_lsp.cli.main import main

__all__ = ["main"]
