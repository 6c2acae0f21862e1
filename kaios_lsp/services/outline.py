"""Document links (paths in a manifest that open the file) and the manifest outline."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaios_lsp.app.files import FileView
from kaios_lsp.app.links import is_absolute_url, linked_paths, resolve_in_app
from kaios_lsp.app.manifest import Manifest
from kaios_lsp.facts.permissions import lookup
from kaios_lsp.parse.json.nodes import ArrayNode, Node, ObjectNode

_MAX_SYMBOLS = 5000
_MAX_DEPTH = 8


@dataclass
class Link:
    start: int
    end: int
    target: str  # absolute path
    tooltip: str


@dataclass
class Symbol:
    name: str
    kind: str  # object, array, string, number, boolean, null, permission
    start: int
    end: int
    selection_start: int
    selection_end: int
    detail: str = ""
    children: list[Symbol] = field(default_factory=list)


def document_links(manifest: Manifest, files: FileView) -> list[Link]:
    """Links for every in-app path that exists (a missing one is already a diagnostic)."""
    root = manifest.app_root
    if root is None:
        return []
    links: list[Link] = []
    for where, node, _role in linked_paths(manifest):
        reference = str(node.value).split("#", 1)[0].split("?", 1)[0].strip()
        if not reference or is_absolute_url(reference) or reference.startswith("//"):
            continue
        _relative, target, inside = resolve_in_app(root, reference)
        if inside and files.exists(target) and not files.is_dir(target):
            links.append(
                Link(
                    node.start + 1,
                    max(node.start + 1, node.end - 1),
                    target,
                    f"Open {reference} ({where})",
                )
            )
    return links


def outline(manifest: Manifest, permission_column: str | None = None) -> list[Symbol]:
    """A symbol tree of the manifest's members (permissions get what the app gets)."""
    root = manifest.root
    if root is None:
        return []
    budget = [_MAX_SYMBOLS]
    permissions = (
        manifest.features.value_of("permissions") if manifest.features is not None else None
    )
    return _children(root, 0, budget, permissions, manifest.version, permission_column)


def app_model_symbol(
    manifest: Manifest, files: FileView, exclude: tuple[str, ...] = ()
) -> Symbol | None:
    """An outline entry that shows the app model (shipped root, build input, entry points)
    so a user can see why a file is quiet."""
    from kaios_lsp.app.model import build_model

    root = manifest.root
    model = build_model(manifest, files, exclude) if root is not None else None
    if model is None or root is None:
        return None
    lines = model.describe()[1:]
    symbol = Symbol("app model", "namespace", root.start, root.end, root.start, root.start + 1)
    symbol.detail = lines[0].split(" — ", 1)[-1] if lines else ""
    for line in lines[1:]:
        symbol.children.append(
            Symbol(line.strip(), "string", root.start, root.end, root.start, root.start + 1)
        )
    return symbol


def _children(
    node: Node,
    depth: int,
    budget: list[int],
    permissions: Node | None,
    version: str,
    column: str | None,
) -> list[Symbol]:
    out: list[Symbol] = []
    if depth >= _MAX_DEPTH:
        return out
    entries: list[tuple[str, Node | None, int, int]] = []
    if isinstance(node, ObjectNode):
        entries = [(str(m.key.value), m.value, m.key.start, m.key.end) for m in node.members]
    elif isinstance(node, ArrayNode):
        entries = [(str(i), item, item.start, item.end) for i, item in enumerate(node.items)]
    for name, value, sel_start, sel_end in entries:
        if budget[0] <= 0:
            break
        budget[0] -= 1
        kind = value.kind if value is not None else "null"
        detail = ""
        if value is not None and not value.is_container:
            detail = str(value.value)[:60]
        if node is permissions and column is not None:
            permission = lookup(name)
            action = permission.action(version, column) if permission else None
            detail = {"allow": "granted", "prompt": "prompts the user", "deny": "denied"}.get(
                action or "", "unknown"
            )
            kind = "permission"
        end = value.end if value is not None else sel_end
        symbol = Symbol(
            name or '""', kind, sel_start, max(end, sel_end), sel_start, sel_end, detail
        )
        if value is not None and value.is_container:
            symbol.children = _children(value, depth + 1, budget, permissions, version, column)
        out.append(symbol)
    return out
