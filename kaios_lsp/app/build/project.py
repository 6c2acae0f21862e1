"""The project as the config readers see it: package.json (tree and value), its
dependencies, files read through a FileView, and helpers for settings found in JSON."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeGuard

from kaios_lsp.app.build.browserslist import resolve_browserslist
from kaios_lsp.app.build.setting import MAX_CONFIG_CHARS, TargetSetting
from kaios_lsp.app.files import FileView
from kaios_lsp.parse.json.nodes import Node, ObjectNode, to_python
from kaios_lsp.parse.json.tree import parse as parse_json


@dataclass
class Project:
    root: str
    files: FileView
    package: dict[str, Any]  # package.json's value ({} without one)
    package_text: str | None
    package_tree: Node | None
    deps: dict[str, str]

    def path(self, name: str) -> str:
        return os.path.join(self.root, name)

    def read(self, name: str) -> str | None:
        path = self.path(name)
        try:
            if not self.files.exists(path) or self.files.is_dir(path):
                return None
            text = self.files.read_text(path)
        except Exception:  # a FileView of the caller; a failure is "no file"
            return None
        if text is None or len(text) > MAX_CONFIG_CHARS:
            return None
        return text

    def first(self, names: Iterable[str]) -> tuple[str, str] | None:
        for name in names:
            text = self.read(name)
            if text is not None:
                return name, text
        return None


def read_json(text: str) -> tuple[Node | None, object]:
    """Tolerant parse (comments, trailing commas, half-typed): (tree, python value)."""
    try:
        result = parse_json(text)
        value, _ = to_python(result.root)
        return result.root, value
    except Exception:  # never raise on bad input
        return None, None


def node_at(root: Node | None, *keys: str) -> Node | None:
    node = root
    for key in keys:
        if not isinstance(node, ObjectNode):
            return None
        node = node.value_of(key)
    return node


def resolved_setting(
    path: str, start: int, end: int, tool: str, where: str, query: str, value: object
) -> TargetSetting:
    """A setting whose value is a browserslist query (string or list of strings)."""
    if not is_query(value):
        reason: str | None = f"{where} is not a browserslist string or list of strings"
        return TargetSetting(path, start, end, tool, where, query, None, reason)
    resolved, reason = resolve_browserslist(value)
    return TargetSetting(path, start, end, tool, where, query, resolved, reason)


def is_query(value: object) -> TypeGuard[str | list[str]]:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def span(node: Node | None) -> tuple[int, int]:
    return (node.start, node.end) if node is not None else (0, 0)


def text_of(text: str | None, node: Node | None) -> str:
    if text is None or node is None:
        return ""
    return text[node.start : node.end]


def major_of(spec: str | None) -> int | None:
    """The major version a dependency range such as ``^5.2.0`` or ``~4`` asks for."""
    if not isinstance(spec, str):
        return None
    m = re.search(r"(?<![\w.])(\d+)(?:\.|$|\s|\b)", spec.replace("npm:", ""))
    return int(m.group(1)) if m and not spec.startswith(("file:", "link:", "git")) else None


def string_offsets(text: str | None, node: Node | None, start: int, end: int) -> tuple[int, int]:
    """Offsets in the file of [start, end) of a JSON string's decoded value."""
    if text is None or node is None:
        return 0, 0
    raw = text[node.start + 1 : node.end - 1]
    if "\\" not in raw:
        return node.start + 1 + start, node.start + 1 + end
    decoded = node.value if isinstance(node.value, str) else ""
    piece = decoded[start:end]
    where = raw.find(piece)
    if where < 0:
        return node.start, node.end
    return node.start + 1 + where, node.start + 1 + where + len(piece)


def has_dep(p: Project, *names: str) -> bool:
    return any(n in p.deps for n in names)


def scripts_mention(p: Project, pattern: str) -> bool:
    scripts = p.package.get("scripts")
    if not isinstance(scripts, dict):
        return False
    return any(isinstance(s, str) and re.search(pattern, s) for s in scripts.values())


def load_package(
    project_root: str, files: FileView, package_json: dict[str, Any] | None
) -> Project:
    text = None
    try:
        path = os.path.join(project_root, "package.json")
        if files.exists(path):
            text = files.read_text(path)
    except Exception:
        text = None
    if text is not None and len(text) > MAX_CONFIG_CHARS:
        text = None
    tree, value = read_json(text) if text is not None else (None, None)
    if not isinstance(value, dict):
        value = package_json if isinstance(package_json, dict) else {}
        if not isinstance(value, dict):
            value = {}
    deps: dict[str, str] = {}
    for key in ("dependencies", "devDependencies"):
        table = value.get(key)
        if isinstance(table, dict):
            deps.update({k: v for k, v in table.items() if isinstance(k, str)})
    return Project(project_root, files, value, text, tree, deps)
