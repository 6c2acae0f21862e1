"""The analysis core stays free of the protocol layer (server and CLI are adapters)."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import ROOT


def test_analysis_core_does_not_import_pygls_or_lsprotocol() -> None:
    code = (
        "import sys, kaios_lsp.engine, kaios_lsp.incremental, kaios_lsp.rules.catalog;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_check_does_not_start_the_server_stack() -> None:
    code = (
        "import sys; from kaios_lsp.cli.main import main;"
        "rc = main(['check', 'examples/demo-app', '--format', 'json']);"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('pygls'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.stderr.strip().endswith("[]")


def test_nothing_but_the_entry_point_imports_the_cli() -> None:
    """The CLI and the server are both adapters over the core: neither imports the other
    (the workspace scan they share lives in kaios_lsp.workspace, below both). Imports
    inside functions count too."""
    import ast

    offenders = []
    for path in sorted((ROOT / "kaios_lsp").rglob("*.py")):
        if path.name == "__main__.py" or "cli" in path.relative_to(ROOT).parts[1:2]:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n == "kaios_lsp.cli" or n.startswith("kaios_lsp.cli.") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders
