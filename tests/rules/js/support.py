"""What the script-rule tests share: the apps they run in, and analysing, finding and fixing code in them."""

from __future__ import annotations

import json
from pathlib import Path

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.services.fixes import apply_edits
from kaios_lsp.settings import apply_settings

PRIV25 = {"name": "Demo", "type": "privileged"}
WEB25 = {"name": "Demo", "type": "web"}
PACKAGED30 = {"name": "Demo", "start_url": "/index.html"}
HOSTED_HTTP30 = {"name": "Demo", "start_url": "http://news.example.com/index.html"}


def write_app(root: Path, manifest: dict) -> str:
    name = "manifest.webmanifest" if "start_url" in manifest else "manifest.webapp"
    for old in ("manifest.webmanifest", "manifest.webapp"):
        (root / old).unlink(missing_ok=True)
    (root / name).write_text(json.dumps(manifest, indent=2), "utf-8")
    return name


def analyse(root: Path, code: str, manifest: dict | None = PRIV25, name="app.js", settings=None):
    if manifest is not None:
        write_app(root, manifest)
    config = apply_settings(Config(), settings, "test") if settings else Config()
    path = root / name
    path.write_text(code, "utf-8")
    return analyze_document(str(path), code, config).findings


def found(findings, rule: str, code: str) -> list[str]:
    return [code[f.start : f.end] for f in findings if f.rule == rule]


def fix_text(code: str, finding, title: str | None = None) -> str:
    fix = next(f for f in finding.fixes if title is None or title in f.title)
    return apply_edits(code, [e for c in fix.changes if c.path is None for e in c.edits])
