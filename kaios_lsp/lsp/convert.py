"""Findings and fixes -> LSP diagnostics, code actions and workspace edits.

This is the only place where offsets become LSP positions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from kaios_lsp.findings import Finding, Fix, Related, Severity
from kaios_lsp.lsp.uris import path_to_uri
from kaios_lsp.parse.text import Encoding, LineIndex, Positions

SOURCE = "kaios-lsp"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def to_range(index: Positions, start: int, end: int, encoding: Encoding) -> types.Range:
    sl, sc = index.position(start, encoding)
    el, ec = index.position(end, encoding)
    return types.Range(types.Position(sl, sc), types.Position(el, ec))


def to_diagnostic(
    finding: Finding,
    index: Positions,
    encoding: Encoding,
    uri: str,
    index_of: Callable[[str], Positions | None] | None = None,
) -> types.Diagnostic:
    """``index_of`` gives the line index of another file, for related information there
    (without it, only related places in this document are kept)."""
    related = [
        types.DiagnosticRelatedInformation(
            types.Location(where, to_range(other, r.start, r.end, encoding)), r.message
        )
        for r, where, other in _related_places(finding, index, uri, index_of)
    ]
    return types.Diagnostic(
        range=to_range(index, finding.start, finding.end, encoding),
        message=finding.message,
        severity=_SEVERITY[finding.severity or Severity.WARNING],
        code=finding.rule,
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if finding.unnecessary else None,
        related_information=related or None,
    )


def _related_places(
    finding: Finding,
    index: Positions,
    uri: str,
    index_of: Callable[[str], Positions | None] | None,
) -> Iterator[tuple[Related, str, Positions]]:
    """(related place, its URI, the line index of its file) of each related place whose
    file can be read (only this document's without ``index_of``)."""
    for r in finding.related:
        other = index if r.path is None else (index_of(r.path) if index_of else None)
        if other is not None:
            yield r, uri if r.path is None else path_to_uri(r.path), other


# -- diagnostics as JSON ----------------------------------------------------------------
#
# Publishing diagnostics is on every keystroke's path. Building lsprotocol objects (each
# validates its fields) and letting cattrs unstructure them costs more than the JSON
# itself, so publishDiagnostics is built here directly as the JSON value pygls would
# send: the same members in the same order (lsprotocol's field order), unset members
# left out. tests/lsp/test_convert_json.py checks it byte for byte against pygls.


def _json_range(index: Positions, start: int, end: int, encoding: Encoding) -> dict[str, Any]:
    sl, sc = index.position(start, encoding)
    el, ec = index.position(end, encoding)
    return {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}


def diagnostic_json(
    finding: Finding,
    index: Positions,
    encoding: Encoding,
    uri: str,
    index_of: Callable[[str], Positions | None] | None = None,
) -> dict[str, Any]:
    """:func:`to_diagnostic` as the JSON value of the Diagnostic (what cattrs makes of it)."""
    out: dict[str, Any] = {
        "range": _json_range(index, finding.start, finding.end, encoding),
        "message": finding.message,
        "severity": _SEVERITY[finding.severity or Severity.WARNING].value,
        "code": finding.rule,
        "source": SOURCE,
    }
    if finding.unnecessary:
        out["tags"] = [types.DiagnosticTag.Unnecessary.value]
    related = [
        {
            "location": {"uri": where, "range": _json_range(other, r.start, r.end, encoding)},
            "message": r.message,
        }
        for r, where, other in _related_places(finding, index, uri, index_of)
    ]
    if related:
        out["relatedInformation"] = related
    return out


def publish_diagnostics_json(
    uri: str, diagnostics: list[dict[str, Any]], version: int | None
) -> dict[str, Any]:
    """The JSON value of PublishDiagnosticsParams."""
    out: dict[str, Any] = {"uri": uri, "diagnostics": diagnostics}
    if version is not None:
        out["version"] = version
    return out


def publish_diagnostics_message(uri: str, diagnostics: list[str], version: int | None) -> str:
    """The whole publishDiagnostics notification as pygls writes it (``json.dumps`` of
    the message), made of each diagnostic's JSON text: the text of a diagnostic that did
    not change since the last keystroke is reused (see lsp/diagnostics.py), not written
    again."""
    version_text = f', "version": {json.dumps(version)}' if version is not None else ""
    return (
        f'{{"params": {{"uri": {json.dumps(uri)}, "diagnostics": [{", ".join(diagnostics)}]'
        f'{version_text}}}, "method": "{types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS}", '
        '"jsonrpc": "2.0"}'
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


# -- completion, symbols, links ------------------------------------------------------------

_COMPLETION_KIND = {
    "property": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.Value,
    "enum": types.CompletionItemKind.EnumMember,
    "file": types.CompletionItemKind.File,
    "keyword": types.CompletionItemKind.Keyword,
}
_SYMBOL_KIND = {
    "object": types.SymbolKind.Module,
    "array": types.SymbolKind.Array,
    "string": types.SymbolKind.String,
    "number": types.SymbolKind.Number,
    "boolean": types.SymbolKind.Boolean,
    "null": types.SymbolKind.Null,
    "invalid": types.SymbolKind.Null,
    "permission": types.SymbolKind.Key,
    "namespace": types.SymbolKind.Namespace,
}


def to_completion_item(
    item, index: LineIndex, encoding: Encoding, markdown: bool, deprecated_tag: bool
) -> types.CompletionItem:
    """A completion item (``kaios_lsp.services.completion.Item``) as LSP."""
    documentation = None
    if item.documentation:
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        documentation = types.MarkupContent(kind=kind, value=item.documentation)
    return types.CompletionItem(
        label=item.label,
        kind=_COMPLETION_KIND.get(item.kind, types.CompletionItemKind.Value),
        detail=item.detail or None,
        documentation=documentation,
        sort_text=item.sort + item.label,
        filter_text=item.filter_text,
        insert_text_format=types.InsertTextFormat.Snippet
        if item.snippet
        else types.InsertTextFormat.PlainText,
        text_edit=types.TextEdit(to_range(index, item.start, item.end, encoding), item.insert),
        additional_text_edits=[
            types.TextEdit(to_range(index, e.start, e.end, encoding), e.new_text)
            for e in item.additional
        ]
        or None,
        tags=[types.CompletionItemTag.Deprecated] if item.deprecated and deprecated_tag else None,
    )


def to_document_symbol(symbol, index: LineIndex, encoding: Encoding) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name,
        kind=_SYMBOL_KIND.get(symbol.kind, types.SymbolKind.Field),
        range=to_range(index, symbol.start, symbol.end, encoding),
        selection_range=to_range(index, symbol.selection_start, symbol.selection_end, encoding),
        detail=symbol.detail or None,
        children=[to_document_symbol(child, index, encoding) for child in symbol.children] or None,
    )


def to_symbol_information(
    symbols, index: LineIndex, encoding: Encoding, uri: str, container: str | None = None
) -> list[types.SymbolInformation]:
    """Flat symbols for clients without hierarchical document symbols."""
    out: list[types.SymbolInformation] = []
    for symbol in symbols:
        out.append(
            types.SymbolInformation(
                name=symbol.name,
                kind=_SYMBOL_KIND.get(symbol.kind, types.SymbolKind.Field),
                location=types.Location(uri, to_range(index, symbol.start, symbol.end, encoding)),
                container_name=container,
            )
        )
        out.extend(to_symbol_information(symbol.children, index, encoding, uri, symbol.name))
    return out


def to_document_link(
    link, index: LineIndex, encoding: Encoding, tooltip: bool
) -> types.DocumentLink:
    return types.DocumentLink(
        range=to_range(index, link.start, link.end, encoding),
        target=path_to_uri(link.target),
        tooltip=link.tooltip if tooltip else None,
    )
