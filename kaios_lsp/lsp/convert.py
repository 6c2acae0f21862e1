"""Findings and fixes -> LSP diagnostics, code actions and workspace edits.

This is the only place where offsets become LSP positions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lsprotocol import types

from kaios_lsp.analysis.findings import Finding, Fix, Severity
from kaios_lsp.analysis.text import Encoding, LineIndex

from .uris import path_to_uri

SOURCE = "kaios-lsp"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def to_range(index: LineIndex, start: int, end: int, encoding: Encoding) -> types.Range:
    sl, sc = index.position(start, encoding)
    el, ec = index.position(end, encoding)
    return types.Range(types.Position(sl, sc), types.Position(el, ec))


def to_diagnostic(
    finding: Finding, index: LineIndex, encoding: Encoding, uri: str
) -> types.Diagnostic:
    related = None
    if finding.related:
        related = [
            types.DiagnosticRelatedInformation(
                types.Location(
                    uri if r.path is None else path_to_uri(r.path),
                    to_range(index, r.start, r.end, encoding),
                ),
                r.message,
            )
            for r in finding.related
            if r.path is None
        ] or None
    return types.Diagnostic(
        range=to_range(index, finding.start, finding.end, encoding),
        message=finding.message,
        severity=_SEVERITY[finding.severity or Severity.WARNING],
        code=finding.rule,
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if finding.unnecessary else None,
        related_information=related,
    )


@dataclass
class EditTarget:
    """What the edit builder needs to know about a file that a fix touches."""

    uri: str
    index: LineIndex | None  # None when the file does not exist (yet)
    version: int | None  # the open document's version, or None


@dataclass
class EditSupport:
    """The client's workspace-edit capabilities."""

    document_changes: bool = False
    create_files: bool = False

    @classmethod
    def from_capabilities(cls, capabilities: types.ClientCapabilities) -> EditSupport:
        edit = capabilities.workspace.workspace_edit if capabilities.workspace else None
        if edit is None:
            return cls()
        operations = edit.resource_operations or []
        return cls(bool(edit.document_changes), types.ResourceOperationKind.Create in operations)


def workspace_edit(
    fix: Fix,
    document_path: str | None,
    target_for: Callable[[str | None], EditTarget | None],
    support: EditSupport,
    encoding: Encoding,
) -> types.WorkspaceEdit | None:
    """The WorkspaceEdit of a fix, or ``None`` if the client cannot apply it."""
    document_changes: list = []
    changes: dict[str, list[types.TextEdit]] = {}
    for change in fix.changes:
        path = change.path if change.path is not None else document_path
        if change.create:
            if not (support.document_changes and support.create_files) or path is None:
                return None
            uri = path_to_uri(path)
            document_changes.append(
                types.CreateFile(
                    kind="create",
                    uri=uri,
                    options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
                )
            )
            content_edit = types.TextEdit(
                types.Range(types.Position(0, 0), types.Position(0, 0)), change.content
            )
            document_changes.append(
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                    [content_edit],
                )
            )
            continue
        target = target_for(change.path)
        if target is None or target.index is None:
            return None
        edits = [
            types.TextEdit(to_range(target.index, e.start, e.end, encoding), e.new_text)
            for e in change.edits
        ]
        if support.document_changes:
            document_changes.append(
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(
                        uri=target.uri, version=target.version
                    ),
                    edits,
                )
            )
        else:
            changes.setdefault(target.uri, []).extend(edits)
    if support.document_changes:
        return types.WorkspaceEdit(document_changes=document_changes)
    return types.WorkspaceEdit(changes=changes)


def ranges_overlap(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)
