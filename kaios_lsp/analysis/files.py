"""The analysis's view of the app folder.

Rules that look at other files (does the icon exist? what does the manifest declare?)
ask a :class:`FileView` instead of the disk, so the language server can answer with
the unsaved text of open editors and the CLI with the disk.
"""

from __future__ import annotations

import os
from typing import Protocol


class FileView(Protocol):
    def exists(self, path: str) -> bool: ...

    def is_dir(self, path: str) -> bool: ...

    def list_dir(self, path: str) -> list[str] | None: ...

    def read_text(self, path: str) -> str | None: ...


class DiskFiles:
    """The file system as it is on disk."""

    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(path)

    def list_dir(self, path: str) -> list[str] | None:
        try:
            return os.listdir(path)
        except OSError:
            return None

    def read_text(self, path: str) -> str | None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return data.decode("utf-8", "replace")


class OverlayFiles(DiskFiles):
    """The disk, with the text of open (possibly unsaved) documents on top."""

    def __init__(self, open_documents: dict[str, str] | None = None) -> None:
        self.open_documents: dict[str, str] = open_documents if open_documents is not None else {}

    def exists(self, path: str) -> bool:
        return os.path.normpath(path) in self.open_documents or super().exists(path)

    def list_dir(self, path: str) -> list[str] | None:
        names = super().list_dir(path)
        folder = os.path.normpath(path)
        extra = [os.path.basename(p) for p in self.open_documents if os.path.dirname(p) == folder]
        if names is None:
            return extra or None
        return names + [n for n in extra if n not in names]

    def read_text(self, path: str) -> str | None:
        text = self.open_documents.get(os.path.normpath(path))
        return text if text is not None else super().read_text(path)


def is_inside(path: str, folder: str) -> bool:
    """True when ``path`` lies inside ``folder`` after resolving ``..`` (not symlinks)."""
    path = os.path.normpath(os.path.abspath(path))
    folder = os.path.normpath(os.path.abspath(folder))
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
