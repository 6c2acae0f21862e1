"""The app a page or script belongs to: its manifest, KaiOS version, type and policies.

A document belongs to the app whose manifest is found walking up from its folder
(``manifest.webapp``, ``manifest.webmanifest``, or a KaiOS ``manifest.json``). The
manifest is read through the :class:`FileView`, so unsaved edits in the editor count.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

from kaios_lsp.app.files import FileView
from kaios_lsp.app.manifest import Manifest, load_manifest, manifest_kind
from kaios_lsp.app.model import SHIPPED, AppModel, FileRole, build_model
from kaios_lsp.app.project import COPY_FOLDERS, find_build_project
from kaios_lsp.config import Config
from kaios_lsp.parse.csp import Policy, default_policy, parse_policy
from kaios_lsp.parse.json.nodes import ObjectNode

_CANDIDATES = ("manifest.webapp", "manifest.webmanifest", "manifest.json")
_MAX_LEVELS = 40

COLUMN_WORDS = {
    "web": "web apps",
    "privileged": "privileged apps",
    "certified": "certified apps",
    "pwa": "hosted apps (PWAs)",
    "signed": "packaged apps",
    "core": "core apps",
}


@dataclass
class AppContext:
    manifest: Manifest
    version: str  # "2.5" or "3.0"
    column: str  # web, privileged, certified (2.5) or pwa, signed, core (3.x)
    packaged: bool
    policies: list[tuple[str, Policy]] = field(default_factory=list)  # (who sets it, policy)
    permissions: set[str] = field(default_factory=set)
    model: AppModel | None = None
    role: FileRole = field(default_factory=lambda: FileRole(SHIPPED))

    @property
    def manifest_path(self) -> str:
        return self.manifest.path or ""

    @property
    def app_root(self) -> str:
        return os.path.dirname(self.manifest_path)

    @property
    def hosted(self) -> bool:
        return not self.packaged

    @property
    def label(self) -> str:
        return f"KaiOS {self.version} {COLUMN_WORDS.get(self.column, self.column)}"


@lru_cache(maxsize=64)
def _parsed(path: str, text: str, kind: str) -> Manifest:
    return load_manifest(text, path, kind)


def find_manifest(path: str, files: FileView, config: Config) -> Manifest | None:
    """The manifest of the app that contains ``path`` (a file), or ``None``."""
    found = find_manifests(path, files, config)
    return found[0] if found else None


def find_manifests(path: str, files: FileView, config: Config) -> list[Manifest]:
    """The manifests of the apps that contain ``path``: those in the nearest folder walking
    up that has one (an app may ship both a 2.5 ``manifest.webapp`` and a 3.0
    ``manifest.webmanifest``); failing that, the manifest of the build project the file is
    in (a Vue CLI app keeps it in ``public/`` while its scripts are in ``src/``)."""
    folder = os.path.dirname(os.path.abspath(path))
    for _ in range(_MAX_LEVELS):
        manifests = _manifests_in(folder, files, config)
        if manifests:
            return manifests
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    project = find_build_project(os.path.dirname(os.path.abspath(path)), files)
    if project is not None:
        for name in COPY_FOLDERS:
            manifests = _manifests_in(os.path.join(project.root, name), files, config)
            if manifests:
                return manifests
    return []


def _manifests_in(folder: str, files: FileView, config: Config) -> list[Manifest]:
    found: list[Manifest] = []
    for name in _CANDIDATES:
        candidate = os.path.join(folder, name)
        if not files.exists(candidate):
            continue
        text = files.read_text(candidate)
        if text is None:
            continue
        kind = manifest_kind(name, text, config.target)
        if kind is not None and (name != "manifest.json" or not found):
            found.append(_parsed(candidate, text, kind))
    return found


def app_model(manifest: Manifest, files: FileView, config: Config) -> AppModel | None:
    """The app model of a manifest (what ships, what runs)."""
    return build_model(manifest, files, config.exclude)


def app_context(
    path: str, files: FileView, config: Config, text: str | None = None
) -> AppContext | None:
    """The app of a page or script, with the role of that file in it (``text``: the
    file's current text, when the caller has it)."""
    contexts = app_contexts(path, files, config, text)
    return contexts[0] if contexts else None


def app_contexts(
    path: str, files: FileView, config: Config, text: str | None = None
) -> list[AppContext]:
    """Every app the page or script belongs to (two for a folder with a 2.5 and a 3.0
    manifest), the first one first."""
    contexts = []
    for manifest in find_manifests(path, files, config):
        context = _context(manifest, path, files, config, text)
        if context is not None:
            contexts.append(context)
    return contexts


def _context(
    manifest: Manifest, path: str, files: FileView, config: Config, text: str | None
) -> AppContext | None:
    if manifest.root is None:
        return None
    version = manifest.version
    column = manifest.permission_column(config.distribution)
    packaged = manifest.distribution(config.distribution) == "packaged"
    context = AppContext(manifest, version, column, packaged)
    default = default_policy(version, column, config.default_csp) if packaged else None
    if default:
        context.policies.append((f"the default policy of {context.label}", parse_policy(default)))
    features = manifest.features
    csp = features.value_of("csp") if features is not None else None
    # KaiOS 3.0 may not apply a manifest csp at all (not confirmed): by default only 2.5's
    # counts here; the kaios3ManifestCsp setting says otherwise.
    applies = version == "2.5" or config.kaios3_manifest_csp
    if csp is not None and csp.kind == "string" and applies:
        context.policies.append(("the manifest csp", parse_policy(str(csp.value))))
    permissions = features.value_of("permissions") if features is not None else None
    if isinstance(permissions, ObjectNode):
        context.permissions = {str(m.key.value) for m in permissions.members}
    context.model = app_model(manifest, files, config)
    if context.model is not None:
        context.role = context.model.role(path, text)
    return context
