"""What an analysis produces: findings with exact ranges and their fixes, as plain data.

Ranges are offsets into the analysed text, counted in Unicode code points (Python string
indices); they become line/column positions only at the edge (LSP or CLI), through one
cached :class:`~kaios_lsp.parse.text.LineIndex`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """Severity levels; the values equal LSP's ``DiagnosticSeverity``."""

    ERROR = 1
    WARNING = 2
    INFO = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity | None:
        """Parse a user-written level; ``off`` gives ``None``. Raises ``ValueError``."""
        key = text.strip().lower()
        aliases = {
            "error": cls.ERROR,
            "err": cls.ERROR,
            "warning": cls.WARNING,
            "warn": cls.WARNING,
            "info": cls.INFO,
            "information": cls.INFO,
            "hint": cls.HINT,
            "off": None,
            "none": None,
            "ignore": None,
        }
        if key not in aliases:
            raise ValueError(f"unknown severity {text!r} (use error, warning, info, hint or off)")
        return aliases[key]


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``text[start:end]`` with ``new_text`` (code-point offsets)."""

    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class FileChange:
    """Edits to one file, or the creation of a new file.

    ``path`` is ``None`` for the analysed document itself, otherwise an absolute
    filesystem path. With ``create=True`` the file must not exist yet and its whole
    content is ``content``.
    """

    path: str | None
    edits: tuple[TextEdit, ...] = ()
    create: bool = False
    content: str = ""


@dataclass(frozen=True, slots=True)
class Fix:
    """One way to resolve a finding.

    ``safe`` fixes are applied by ``kaios-lsp check --fix`` and marked preferred in the
    editor; the others are offered as choices only.
    """

    title: str
    changes: tuple[FileChange, ...]
    safe: bool = False

    @classmethod
    def replace(cls, title: str, start: int, end: int, new_text: str, *, safe: bool = False) -> Fix:
        """A fix that replaces one range of the analysed document."""
        return cls(title, (FileChange(None, (TextEdit(start, end, new_text),)),), safe)

    @classmethod
    def edits(cls, title: str, edits: list[TextEdit], *, safe: bool = False) -> Fix:
        """A fix made of several edits to the analysed document."""
        return cls(title, (FileChange(None, tuple(edits)),), safe)


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (e.g. the first of two duplicate keys)."""

    start: int
    end: int
    message: str
    path: str | None = None


@dataclass(slots=True)
class Finding:
    """A problem at an exact range, with what the phone will do and how to fix it.

    ``severity`` is ``None`` until the engine resolves it from the configuration and
    the rule's default; a rule may set a context-dependent default here, which the
    user's configuration still overrides.
    """

    rule: str
    start: int
    end: int
    message: str
    fixes: tuple[Fix, ...] = ()
    severity: Severity | None = None
    related: tuple[Related, ...] = ()
    unnecessary: bool = False
    path: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.rule)

    def translated(self, delta: int) -> Finding:
        """A copy with every offset in this document moved by ``delta``."""
        if not self.fixes and not self.related:  # (most findings: the quick way)
            return Finding(
                self.rule,
                self.start + delta,
                self.end + delta,
                self.message,
                (),
                self.severity,
                (),
                self.unnecessary,
                self.path,
            )
        return self.mapped(lambda offset: offset + delta)

    def mapped_to(self, start: int, end: int) -> Finding:
        """A copy at another range (of a finding without fixes or related places)."""
        return Finding(
            self.rule,
            start,
            end,
            self.message,
            (),
            self.severity,
            (),
            self.unnecessary,
            self.path,
        )

    def mapped(self, at: Callable[[int], int]) -> Finding:
        """A copy with every offset in this document replaced by ``at(offset)``."""

        def move(edit: TextEdit) -> TextEdit:
            return TextEdit(at(edit.start), at(edit.end), edit.new_text)

        fixes = tuple(
            Fix(
                fix.title,
                tuple(
                    FileChange(c.path, tuple(move(e) for e in c.edits), c.create, c.content)
                    if c.path is None
                    else c
                    for c in fix.changes
                ),
                fix.safe,
            )
            for fix in self.fixes
        )
        related = tuple(
            Related(at(r.start), at(r.end), r.message, r.path) if r.path is None else r
            for r in self.related
        )
        return Finding(
            self.rule,
            at(self.start),
            at(self.end),
            self.message,
            fixes,
            self.severity,
            related,
            self.unnecessary,
            self.path,
        )
