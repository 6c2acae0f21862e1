"""Parsers: tolerant JSON (with edits), HTML tokens, CSP policies, JavaScript fronts; positions."""
