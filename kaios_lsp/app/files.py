"""The analysis's view of the app folder.

Rules that look at other files (does the icon exist? what does the manifest declare?)
ask a :class:`FileView` instead of the disk, so the language server can answer with
the unsaved text of open editors and the CLI with the disk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable, Mapping
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


@lru_cache(maxsize=8192)
def normalized(path: str) -> str:
    """``os.path.normpath``, remembered: every keystroke in a manifest asks about the
    same few dozen files."""
    return os.path.normpath(path)


class FileView(Protocol):
    def exists(self, path: str) -> bool: ...

    def is_dir(self, path: str) -> bool: ...

    def list_dir(self, path: str) -> list[str] | None: ...

    def read_text(self, path: str) -> str | None: ...

    def stamp(self, path: str) -> object:
        """Something that changes when the file's text changes (for caches)."""
        ...


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

    def stamp(self, path: str) -> object:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)


class CachedDiskFiles(DiskFiles):
    """The disk, with answers about existence and folder listings remembered.

    Rules ask "does this icon exist?" on every keystroke; the language server keeps one
    of these and calls :meth:`forget` when the client reports created, deleted or saved
    files. ``ttl`` bounds how stale an answer can be for clients that report nothing:
    every ``ttl`` seconds all answers are forgotten together, which starts a new
    :meth:`epoch` (within one, an answer once given stays the same; file texts and
    stamps are never remembered).
    """

    def __init__(self, ttl: float = 2.0) -> None:
        self.ttl = ttl
        self._exists: dict[str, bool] = {}
        self._listings: dict[str, list[str] | None] = {}
        self._dirs: dict[str, bool] = {}
        self._epoch = 0
        self._epoch_started = time.monotonic()

    def forget(self) -> None:
        self._exists.clear()
        self._listings.clear()
        self._dirs.clear()
        self._epoch += 1
        self._epoch_started = time.monotonic()

    def epoch(self) -> int:
        """The number of the current set of remembered answers: while it stays the
        same, every existence, folder and listing answer given stays the same."""
        if time.monotonic() - self._epoch_started >= self.ttl:
            self.forget()
        return self._epoch

    def is_dir(self, path: str) -> bool:
        self.epoch()
        value = self._dirs.get(path)
        if value is None:
            value = self._dirs[path] = os.path.isdir(path)
        return value

    def exists(self, path: str) -> bool:
        self.epoch()
        value = self._exists.get(path)
        if value is None:
            value = self._exists[path] = os.path.exists(path)
        return value

    def list_dir(self, path: str) -> list[str] | None:
        self.epoch()
        if path not in self._listings:
            self._listings[path] = super().list_dir(path)
        return self._listings[path]


class OverlayFiles:
    """A file view with the text of open (possibly unsaved) documents on top."""

    def __init__(
        self, open_documents: Mapping[str, str] | None = None, disk: FileView | None = None
    ) -> None:
        # (normalised path -> text; a mapping with a ``stamp(path)`` of its own, like the
        # language server's, tells versions apart without hashing the texts)
        self.open_documents: Mapping[str, str] = (
            open_documents if open_documents is not None else {}
        )
        self.disk: FileView = disk if disk is not None else DiskFiles()
        self._open_stamp: Callable[[str], object] | None = getattr(open_documents, "stamp", None)

    def exists(self, path: str) -> bool:
        return normalized(path) in self.open_documents or self.disk.exists(path)

    def is_dir(self, path: str) -> bool:
        return self.disk.is_dir(path)

    def list_dir(self, path: str) -> list[str] | None:
        names = self.disk.list_dir(path)
        folder = normalized(path)
        extra = [os.path.basename(p) for p in self.open_documents if os.path.dirname(p) == folder]
        if names is None:
            return extra or None
        return names + [n for n in extra if n not in names]

    def read_text(self, path: str) -> str | None:
        text = self.open_documents.get(normalized(path))
        return text if text is not None else self.disk.read_text(path)

    def epoch(self) -> object:
        """Changes whenever an existence, folder or listing answer may have (None: this
        view cannot tell): the disk's epoch and the set of open documents."""
        disk_epoch = getattr(self.disk, "epoch", None)
        opened = getattr(self.open_documents, "opened", None)
        if disk_epoch is None or opened is None:
            return None
        return (disk_epoch(), opened)

    def stamp(self, path: str) -> object:
        key = normalized(path)
        if self._open_stamp is not None:
            stamp = self._open_stamp(key)
            return stamp if stamp is not None else self.disk.stamp(path)
        text = self.open_documents.get(key)
        if text is not None:
            return ("open", len(text), hash(text))  # str caches its hash: cheap per version
        return self.disk.stamp(path)


class OpenPathsFiles(DiskFiles):
    """The disk, plus files that are open (unsaved) in the editor: for a worker process,
    which needs to know what exists but not the text of other documents."""

    def __init__(self, open_paths: frozenset[str], disk: FileView) -> None:
        self.open_paths = open_paths
        self.disk = disk

    def exists(self, path: str) -> bool:
        return normalized(path) in self.open_paths or self.disk.exists(path)

    def is_dir(self, path: str) -> bool:
        return self.disk.is_dir(path)

    def list_dir(self, path: str) -> list[str] | None:
        return self.disk.list_dir(path)

    def read_text(self, path: str) -> str | None:
        return self.disk.read_text(path)

    def stamp(self, path: str) -> object:
        return self.disk.stamp(path)


def is_inside(path: str, folder: str) -> bool:
    """True when ``path`` lies inside ``folder`` after resolving ``..`` (not symlinks)."""
    path = os.path.normpath(os.path.abspath(path))
    folder = os.path.normpath(os.path.abspath(folder))
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def fingerprint(text: str) -> tuple[int, int]:
    """What tells a text from another in this process: its length and hash (a str
    caches its hash; hashes differ between processes)."""
    return len(text), hash(text)


class PerVersion(Generic[T]):
    """What was computed from a file's text, once per version of the file: a manifest
    keystroke re-reads the app's scripts' results instead of re-parsing them.

    Only the newest version of each file (and variant) is kept, so a script edited for
    hours holds one result, not one per keystroke. A version is known by its stamp; when
    the stamp changes but the text did not (a file opened in the editor as it is on
    disk), the result is kept: its length and hash tell, not the text itself."""

    def __init__(self, limit: int = 4096) -> None:
        # (path, variant) -> (stamp, (length, hash) of the text or None, result)
        self._results: dict[tuple[str, Hashable], tuple[object, tuple[int, int] | None, T]] = {}
        self._limit = limit

    def get(
        self,
        files: FileView,
        path: str,
        variant: Hashable,
        compute: Callable[[str], T],
        missing: T,
        stamp: object = None,
    ) -> T:
        """``compute(text)`` for the file's current text (``missing`` when it cannot be
        read); ``variant`` is what else the result depends on (a setting)."""
        stamp = stamp if stamp is not None else files.stamp(path)
        key = (path, variant)
        kept = self._results.get(key)
        if stamp is not None and kept is not None and kept[0] == stamp:
            return kept[2]
        text = files.read_text(path)
        print_ = fingerprint(text) if text is not None else None
        if text is None:
            found = missing
        elif kept is not None and kept[1] == print_:
            found = kept[2]
        else:
            found = compute(text)
        if stamp is not None:
            if key not in self._results and len(self._results) >= self._limit:
                self._results.clear()
            self._results[key] = (stamp, print_, found)
        return found

    def keep(
        self,
        path: str,
        variant: Hashable,
        stamp: object,
        text: tuple[int, int] | None,
        result: T,
    ) -> None:
        """Keep a result computed elsewhere from the version ``stamp`` of the file, whose
        text has the :func:`fingerprint` ``text`` (``None``: unknown here)."""
        if (path, variant) not in self._results and len(self._results) >= self._limit:
            self._results.clear()
        self._results[(path, variant)] = (stamp, text, result)

    def drop(self, path: str, variant: Hashable = None) -> None:
        """Forget the file's result (nothing will ask for it for a while)."""
        self._results.pop((path, variant), None)

    def clear(self) -> None:
        self._results.clear()
