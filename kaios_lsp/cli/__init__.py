"""The command line's subcommands (check, migrate, rules) and report formats.

``kaios_lsp.main`` puts them together with the server's ``serve``.
"""
