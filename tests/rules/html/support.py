"""What the page-rule tests share: apps of every type, checking a page in one, and applying fixes."""

from __future__ import annotations

import json
from pathlib import Path

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.services.fixes import apply_edits

APPS = {
    "privileged": ("manifest.webapp", {"name": "A", "type": "privileged"}),
    "certified": ("manifest.webapp", {"name": "A", "type": "certified"}),
    "web": ("manifest.webapp", {"name": "A", "type": "web"}),
    "signed": ("manifest.webmanifest", {"name": "A", "start_url": "/index.html"}),
    "hosted": (
        "manifest.webmanifest",
        {"name": "A", "start_url": "https://app.example.com/index.html"},
    ),
}

PAGE = """<!DOCTYPE html>
<html><head>
<script>window.ready = true;</script>
<script src="https://cdn.example.net/lib.js"></script>
</head>
<body onload="start()">
<a href="javascript:void(0)">x</a>
<object data="movie.swf"></object>
<img src="http://images.example.net/a.png">
</body></html>
"""


def make_app(root: Path, kind: str, manifest: dict | None = None) -> Path:
    name, default = APPS[kind]
    (root / name).write_text(json.dumps(manifest or default), encoding="utf-8")
    return root


def check(root: Path, html: str, file: str = "index.html", config: Config | None = None):
    path = root / file
    path.parent.mkdir(parents=True, exist_ok=True)
    return analyze_document(str(path), html, config).findings


def rules(findings) -> list[str]:
    return sorted(f.rule for f in findings)


def apply_fix(root: Path, file: str, text: str, fix) -> str:
    """What an editor does with the WorkspaceEdit: other files on disk, this one in memory."""
    for change in fix.changes:
        if change.path is None:
            continue
        target = Path(change.path)
        if change.create:
            assert not target.exists(), f"{fix.title!r} would overwrite {target}"
            target.write_text(change.content, encoding="utf-8")
        else:
            target.write_text(apply_edits(target.read_text("utf-8"), change.edits), "utf-8")
    own = [e for c in fix.changes if c.path is None for e in c.edits]
    return apply_edits(text, own)


def created_or_changed(root: Path, name: str) -> str:
    return (root / name).read_text("utf-8")
