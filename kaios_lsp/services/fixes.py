"""Applying fixes to text: shared by ``kaios-lsp check --fix``, the editor's
"fix all" action and the tests."""

from __future__ import annotations

import os
from collections.abc import Iterable

from kaios_lsp.findings import Finding, Fix, TextEdit


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply non-overlapping edits (offsets refer to ``text``); raises on overlap."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    position = 0
    for edit in ordered:
        if edit.start < position:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        if not 0 <= edit.start <= edit.end <= len(text):
            raise ValueError(f"edit {edit.start}:{edit.end} is outside the text")
        out.append(text[position : edit.start])
        out.append(edit.new_text)
        position = edit.end
    out.append(text[position:])
    return "".join(out)


def same_file_edits(fix: Fix) -> list[TextEdit] | None:
    """The edits of a fix that only touches the analysed document, else ``None``."""
    if any(change.path is not None or change.create for change in fix.changes):
        return None
    return [edit for change in fix.changes for edit in change.edits]


def safe_fix_edits(findings: Iterable[Finding]) -> list[TextEdit]:
    """The edits of every safe, same-file fix, skipping any that would conflict with an
    edit already taken; the next pass of ``--fix`` picks those up."""
    taken: list[TextEdit] = []
    for finding in sorted(findings, key=Finding.sort_key):
        fix = next((f for f in finding.fixes if f.safe), None)
        if fix is None:
            continue
        edits = same_file_edits(fix)
        if not edits:
            continue
        if any(_touches(edit, other) for edit in edits for other in taken):
            continue
        taken.extend(edits)
    return taken


def _touches(a: TextEdit, b: TextEdit) -> bool:
    """True when the two edits cannot both be applied unambiguously: their ranges
    overlap, or an insertion sits inside or at the edge of the other edit."""
    if a.start < b.end and b.start < a.end:
        return True
    if a.start == a.end and b.start <= a.start <= b.end:
        return True
    return b.start == b.end and a.start <= b.start <= a.end


def write_outside(fix: Fix, document_path: str | None, roots: list[str]) -> str | None:
    """The first file the fix would write (edit or create) outside every folder in
    ``roots``, after resolving ``..`` and symlinks; ``None`` when all are inside.

    Quick fixes and commands must never write outside the workspace folder of the app,
    whatever a manifest or page says (``../../x``, absolute paths, symlinked folders)."""
    real_roots = [os.path.realpath(root) for root in roots]
    for change in fix.changes:
        path = change.path if change.path is not None else document_path
        if path is None:
            continue
        real = os.path.realpath(path)
        if not any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in real_roots):
            return path
    return None


def planned_files(fix: Fix, document_path: str, read_text) -> dict[str, str]:
    """What every file a fix touches looks like after it: {absolute path: new text}.

    ``read_text(path)`` gives a file's current text (the editor's buffer or the disk);
    edits to the same file are applied together; a created file must not exist yet."""
    out: dict[str, str] = {}
    for change in fix.changes:
        path = change.path if change.path is not None else document_path
        if change.create:
            if path in out or read_text(path) is not None:
                raise ValueError(f"{fix.title!r} would overwrite {path}")
            out[path] = change.content
            continue
        current = out[path] if path in out else read_text(path)
        if current is None:
            raise ValueError(f"{fix.title!r} edits {path}, which does not exist")
        out[path] = apply_edits(current, change.edits)
    return out
