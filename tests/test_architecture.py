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
        "import sys; from kaios_lsp.main import main;"
        "rc = main(['check', 'examples/demo-app', '--format', 'json']);"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('pygls'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.stderr.strip().endswith("[]")


def _imports_of(path: Path) -> list[tuple[str, int]]:
    """(imported module or name, line) of every import in a file, inside functions too."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [(n, node.lineno) for n in names]
    return found


def _is_in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# The entry points: the only modules that put the command line and the server together.
ENTRY_POINTS = {Path("kaios_lsp/__main__.py"), Path("kaios_lsp/main.py")}


def test_nothing_but_the_entry_point_imports_the_cli() -> None:
    """The CLI and the server are both adapters over the core: neither imports the other
    (the workspace scan they share lives in kaios_lsp.workspace, below both). Imports
    inside functions count too."""
    offenders = []
    for path in sorted((ROOT / "kaios_lsp").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative in ENTRY_POINTS or "cli" in relative.parts[1:2]:
            continue
        for name, line in _imports_of(path):
            if _is_in(name, "kaios_lsp.cli"):
                offenders.append(f"{relative}:{line}")
    assert not offenders, offenders


def test_the_cli_does_not_import_the_server() -> None:
    offenders = []
    for path in sorted((ROOT / "kaios_lsp" / "cli").rglob("*.py")):
        for name, line in _imports_of(path):
            if _is_in(name, "kaios_lsp.lsp") or _is_in(name, "pygls"):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, offenders
