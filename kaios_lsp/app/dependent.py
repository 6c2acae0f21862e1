"""Results computed from other files, kept for as long as those files stay as they were.

A keystroke in a manifest needs what the app's other files say (what the entry points
open, which scripts use which permission, which calls prompt), and none of that depends
on the keystroke. :class:`WhileUnchanged` keeps such a result together with every
question its computation asked of the file view (does this exist, is it a folder, what
does the folder list, and for each text read, the file's stamp) and gives it back as long
as the view answers every question the same: a script edited in the editor (a new
stamp of the open document) or on disk (a new mtime or size) means computing again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from kaios_lsp.app.files import FileView

T = TypeVar("T")

# method of the file view -> path -> its answer (a folder listing as a tuple; for
# read_text, the stamp of the file when it was read)
Answers = dict[str, dict[str, object]]


class RecordingFiles:
    """A file view that notes each question asked of the view under it, with the answer."""

    def __init__(self, files: FileView) -> None:
        self.files = files
        self.answers: Answers = {}
        # False when a text was read that no stamp tells the versions of: not keepable
        self.keepable = True
        epoch = getattr(files, "epoch", None)
        answer = epoch() if epoch is not None else None
        if answer is not None:  # (the existence, folder and listing answers' epoch)
            self.answers[EPOCH] = {"": answer}

    def epoch(self) -> object:
        epoch = getattr(self.files, "epoch", None)
        return epoch() if epoch is not None else None

    def _note(self, method: str, path: str, answer: object) -> None:
        self.answers.setdefault(method, {}).setdefault(path, answer)

    def exists(self, path: str) -> bool:
        answer = self.files.exists(path)
        self._note("exists", path, answer)
        return answer

    def is_dir(self, path: str) -> bool:
        answer = self.files.is_dir(path)
        self._note("is_dir", path, answer)
        return answer

    def list_dir(self, path: str) -> list[str] | None:
        names = self.files.list_dir(path)
        self._note("list_dir", path, None if names is None else tuple(names))
        return names

    def stamp(self, path: str) -> object:
        stamp = getattr(self.files, "stamp", None)
        if stamp is None:  # a view that cannot tell versions apart
            self.keepable = False
            return None
        answer = stamp(path)
        self._note("stamp", path, answer)
        return answer

    def read_text(self, path: str) -> str | None:
        stamp = self.stamp(path)  # before the read: a change in between shows next time
        text = self.files.read_text(path)
        if stamp is None and text is not None:
            self.keepable = False
        return text


# Answers: the epoch of the view they were asked of (see CachedDiskFiles.epoch): while it
# is the same, the existence, folder and listing answers are, and only stamps are asked.
EPOCH = "epoch"
_SAME_IN_AN_EPOCH = frozenset({"exists", "is_dir", "list_dir"})


def answers_unchanged(files: FileView, answers: Answers) -> bool:
    """Does ``files`` answer every question as it was answered before?"""
    skip: frozenset[str] = frozenset()
    recorded = answers.get(EPOCH)
    if recorded is not None:
        epoch = getattr(files, "epoch", None)
        if epoch is not None and epoch() == recorded[""]:
            skip = _SAME_IN_AN_EPOCH
    for method, asked in answers.items():
        if method in skip or method == EPOCH:
            continue
        ask = getattr(files, method, None)
        if ask is None:  # a view that cannot stamp: nothing says the text is the same
            return False
        if method == "list_dir":
            listing = getattr(files, "listing", None)  # (no copy of a big folder's names)
            for path, answer in asked.items():
                names = listing(path) if listing is not None else ask(path)
                if (None if names is None else tuple(names)) != answer:
                    return False
            continue
        for path, answer in asked.items():
            if ask(path) != answer:
                return False
    return True


class WhileUnchanged(Generic[T]):
    """Results by key (what else they depend on), each kept while the files it read
    answer the same (emptied when it holds ``limit`` results)."""

    def __init__(self, limit: int = 64) -> None:
        self._results: dict[Hashable, tuple[T, Answers]] = {}
        self._limit = limit

    def get(
        self,
        files: FileView,
        key: Hashable,
        compute: Callable[[FileView], T],
        fits: Callable[[T], bool] | None = None,
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """``compute(view)`` (it must read other files only through ``view``), or the
        result of an earlier call with the same key if the files still answer the same
        (and ``fits(result)``: for what the key cannot cheaply say). Asked during another
        computation (``files`` records), the questions are recorded there too, so the
        outer result depends on them as well. A result ``keep`` refuses is not kept."""
        kept = self._results.get(key)
        if (
            kept is not None
            and (fits is None or fits(kept[0]))
            and answers_unchanged(files, kept[1])
        ):
            return kept[0]
        recording = RecordingFiles(files)
        result = compute(recording)
        if recording.keepable and (keep is None or keep(result)):
            if len(self._results) >= self._limit:
                self._results.clear()
            self._results[key] = (result, recording.answers)
        else:
            self._results.pop(key, None)
        return result

    def clear(self) -> None:
        self._results.clear()


# The texts one analysis keeps, in characters: a manifest's analysis reads every script
# of its app, and an 8 MB app's scripts kept at once (as str, up to 4 bytes a character)
# would make its memory peak. Texts beyond this are read again when asked again.
KEPT_TEXT_CHARS = 1_000_000


_NOT_ASKED = object()


class OneLook:
    """A file view that asks the view under it each question once: within one analysis
    every rule and every kept result sees the same answers, and checking several kept
    results that read the same files costs one look at each. (Texts only up to
    KEPT_TEXT_CHARS in all: a big one read twice may be read anew.)"""

    def __init__(self, files: FileView) -> None:
        self.files = files
        epoch = getattr(files, "epoch", None)
        self._epoch = epoch() if epoch is not None else None  # (one look: the first)
        self._kept_chars = 0
        self._exists: dict[str, bool] = {}
        self._dirs: dict[str, bool] = {}
        self._listings: dict[str, tuple[str, ...] | None] = {}
        self._texts: dict[str, str | None] = {}
        self._stamps: dict[str, object] = {}
        self._ask_stamp = getattr(files, "stamp", None)  # (None: versions unknown)

    def exists(self, path: str) -> bool:
        if path not in self._exists:
            self._exists[path] = self.files.exists(path)
        return self._exists[path]

    def is_dir(self, path: str) -> bool:
        if path not in self._dirs:
            self._dirs[path] = self.files.is_dir(path)
        return self._dirs[path]

    def list_dir(self, path: str) -> list[str] | None:
        kept = self.listing(path)
        return None if kept is None else list(kept)  # (a caller may change its copy)

    def epoch(self) -> object:
        return self._epoch

    def listing(self, path: str) -> tuple[str, ...] | None:
        """The names in a folder, as :meth:`list_dir` gives them, not copied."""
        if path not in self._listings:
            names = self.files.list_dir(path)
            self._listings[path] = None if names is None else tuple(names)
        return self._listings[path]

    def read_text(self, path: str) -> str | None:
        if path in self._texts:
            return self._texts[path]
        text = self.files.read_text(path)
        size = len(text) if text is not None else 0
        if self._kept_chars + size <= KEPT_TEXT_CHARS:
            self._texts[path] = text
            self._kept_chars += size
        return text

    def stamp(self, path: str) -> object:
        stamp = self._stamps.get(path, _NOT_ASKED)
        if stamp is _NOT_ASKED:
            ask = self._ask_stamp
            stamp = self._stamps[path] = ask(path) if ask is not None else None
        return stamp
