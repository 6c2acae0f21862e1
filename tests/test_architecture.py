"""The house keeps its shape: each folder of kaios_lsp is one layer, imports only go down,
no module imports itself back through others, the core knows nothing of the protocol, and
no module outgrows one job."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

PACKAGE = ROOT / "kaios_lsp"

# Bottom to top. A module may import its own layer and the ones below it, never above.
LAYERS: list[tuple[str, ...]] = [
    ("findings", "config"),  # the vocabulary everyone speaks
    ("facts",),  # data about KaiOS and its engines, and their loaders
    ("parse",),  # JSON, HTML, CSP and JavaScript parsers; text positions
    ("app",),  # the app model: manifests, files, build, reachability, contexts
    ("rules",),  # the rules, each with its metadata; the catalog assembled from them
    ("services",),  # completion, hover, outline, migration, applying fixes
    ("engine", "incremental", "manifest_reuse", "workspace", "settings"),  # document -> findings
    ("lsp", "cli"),  # the two adapters: they never import each other
    ("main", "__main__"),  # the entry point that puts them together
]
ADAPTERS = ("lsp", "cli")
PROTOCOL = ("pygls", "lsprotocol", "cattrs")
MAX_LINES = 650  # "no module over ~600 lines": one job per module


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_of(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports_of(path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in a file, inside functions too; ``from
    package import module`` counts as importing the module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.append((full if full in MODULES else node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return found


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(module: str) -> int | None:
    top = _top(module)
    return next((i for i, names in enumerate(LAYERS) if top in names), None)


def test_every_module_belongs_to_a_layer() -> None:
    homeless = [m for m in MODULES if m != "kaios_lsp" and _layer(m) is None]
    assert not homeless, f"add these to a layer (or move them into one): {homeless}"


def test_imports_only_go_down() -> None:
    offenders = []
    for module, path in MODULES.items():
        mine = _layer(module)
        for name, line in _imports_of(path):
            if not name.startswith("kaios_lsp.") or mine is None:
                continue
            theirs = _layer(name)
            if theirs is None:
                continue
            across_adapters = (
                _top(module) in ADAPTERS and _top(name) in ADAPTERS and _top(name) != _top(module)
            )
            if theirs > mine or across_adapters:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_core_layers_never_import_the_protocol() -> None:
    """facts, parse, app, rules and services know nothing of LSP (the server adapts them)."""
    offenders = []
    for module, path in MODULES.items():
        layer = _layer(module)
        if layer is None or layer >= LAYERS.index(
            ("engine", "incremental", "manifest_reuse", "workspace", "settings")
        ):
            continue
        for name, line in _imports_of(path):
            if name.split(".")[0] in PROTOCOL:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not offenders, offenders


def test_no_import_circles() -> None:
    """No module reaches itself through its imports (function-level imports included)."""
    graph = {
        module: {
            name
            for name, _ in _imports_of(path)
            if name in MODULES and name != module and not module.startswith(name + ".")
        }
        for module, path in MODULES.items()
    }
    circles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    assert not circles, circles


def test_no_module_outgrows_one_job() -> None:
    big = {
        str(path.relative_to(ROOT)): n
        for path in MODULES.values()
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not big, f"split these by concern: {big}"


def test_analysis_core_does_not_load_pygls_or_lsprotocol() -> None:
    code = (
        "import sys, kaios_lsp.engine, kaios_lsp.incremental, kaios_lsp.manifest_reuse,"
        " kaios_lsp.settings,"
        " kaios_lsp.workspace, kaios_lsp.rules.catalog, kaios_lsp.services.completion,"
        " kaios_lsp.services.hover, kaios_lsp.services.outline, kaios_lsp.services.migrate;"
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


def test_every_rule_module_declares_its_rules() -> None:
    """A module under rules/ that reports a rule id declares that rule's metadata itself,
    except where a rule is reported by several modules (one of them declares it)."""
    from kaios_lsp.rules.catalog import RULES

    assert len(RULES) >= 60
    declared_in = {}
    for module, path in MODULES.items():
        if _top(module) != "rules":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        constants = {  # NAME = "KAI123": ids may be given by their constant
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "RULES" for t in node.targets
            ):
                for call in ast.walk(node.value):
                    if isinstance(call, ast.Call):
                        for kw in call.keywords:
                            if kw.arg != "id":
                                continue
                            if isinstance(kw.value, ast.Constant):
                                declared_in[kw.value.value] = module
                            elif isinstance(kw.value, ast.Name) and kw.value.id in constants:
                                declared_in[constants[kw.value.id]] = module
    assert set(declared_in) == set(RULES), set(RULES) ^ set(declared_in)
