"""In-memory file views for tests of what reads the app's files."""

from __future__ import annotations


class TextsWithoutStamps:
    """Files that are their texts, in a view that cannot tell versions apart."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def exists(self, path: str) -> bool:
        return path in self.texts

    def is_dir(self, path: str) -> bool:
        return False

    def list_dir(self, path: str) -> list[str] | None:
        return None

    def read_text(self, path: str) -> str | None:
        return self.texts.get(path)


class Texts(TextsWithoutStamps):
    """The same, stamped by their texts (as a disk's mtime and size would tell)."""

    def stamp(self, path: str) -> object:
        return ("disk", self.texts.get(path))
