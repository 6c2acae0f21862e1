"""Parsers: tolerant JSON (with edits), HTML tokens, CSP policies, JavaScript fronts; positions."""

from kaios_lsp.parse import esprima_chars

# Before anything imports esprima (every JavaScript front end lives below this package).
esprima_chars.install()
