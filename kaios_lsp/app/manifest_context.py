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
class ManifestContext:
    manifest: Manifest
    files: FileView
    config: Config = field(default_factory=Config)
    model: AppModel | None = None  # what ships and what runs (None: unsaved manifest)

    @property
    def text(self) -> str:
        return self.manifest.text
