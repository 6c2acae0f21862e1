"""What a manifest rule sees: the parsed manifest, the app's files and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kaios_lsp.app.files import FileView
from kaios_lsp.app.manifest import Manifest
from kaios_lsp.config import Config

if TYPE_CHECKING:
    from kaios_lsp.app.model import AppModel


@dataclass
class DeferredScans:
    """Scripts bigger than ``max_chars`` whose prompting calls one analysis did not parse
    for (the language server parses them in its worker process, keeps the result, and
    analyses the manifest again: a manifest's first look at a big app would otherwise
    hold the editor's requests, and the memory of a 1 MB bundle's tree, for seconds).
    An analysis that deferred some is incomplete: not to be published or kept."""

    max_chars: int
    paths: list[str] = field(default_factory=list)


@dataclass
class ManifestContext:
    manifest: Manifest
    files: FileView
    config: Config = field(default_factory=Config)
    model: AppModel | None = None  # what ships and what runs (None: unsaved manifest)
    scans: DeferredScans | None = None  # (None: every script is parsed here)

    @property
    def text(self) -> str:
        return self.manifest.text
