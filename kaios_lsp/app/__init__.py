"""The app model: what ships and what runs.

For each manifest: the package root and its files, the build situation (plain app, build
input or build output), the build's syntax targets, and which pages and scripts an entry
point reaches. Rules judge each file by it (no false alarms on build input).
"""
