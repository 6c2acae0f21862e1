"""Adapters between the analysis core and the Language Server Protocol."""
