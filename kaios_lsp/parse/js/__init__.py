"""JavaScript parsing: esprima for small scripts, tree-sitter for the rest, one ESTree view."""
