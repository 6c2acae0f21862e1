"""The analysis core: pure functions from text (+ app context) to findings.

Nothing in this package imports pygls or lsprotocol; the language server and the
command line are thin adapters over it.
"""
