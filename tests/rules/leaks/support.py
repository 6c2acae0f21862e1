"""What the leak-rule tests share: a small packaged app (and a built project) on disk."""

from __future__ import annotations

import json
from pathlib import Path

from kaios_lsp.engine import analyze_document

APP = {"name": "Demo", "type": "privileged", "launch_path": "/index.html"}
WEBPACK = {"devDependencies": {"webpack": "^5"}, "scripts": {"build": "webpack"}}


def write(root: Path, files: dict[str, str | dict]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return root


def app(root: Path, scripts: tuple[str, ...] = ("js/app.js",)) -> Path:
    """A plain app whose launch page loads ``scripts``."""
    tags = "".join(f'<script src="{s}"></script>' for s in scripts)
    return write(root, {"manifest.webapp": APP, "index.html": f"<!doctype html>{tags}"})


def flagged(root: Path, name: str, text: str, rule: str) -> list[str]:
    """The text of each ``rule`` finding in file ``name`` (written with ``text``)."""
    write(root, {name: text})
    findings = analyze_document(str(root / name), text).findings
    return [text[f.start : f.end] for f in findings if f.rule == rule]
