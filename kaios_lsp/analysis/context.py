"""What a manifest rule sees: the parsed manifest, the app's files and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaios_lsp.config import Config

from .files import FileView
from .manifest_model import Manifest


@dataclass
class ManifestContext:
    manifest: Manifest
    files: FileView
    config: Config = field(default_factory=Config)

    @property
    def text(self) -> str:
        return self.manifest.text
