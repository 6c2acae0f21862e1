"""Code actions: quick fixes from the findings' fixes (and comments that disable a rule),
fix-all, the migration; and the command that applies a fix creating files."""

from __future__ import annotations

import logging
import os
from typing import Any

from lsprotocol import types

from kaios_lsp.app.files import DiskFiles, is_inside
from kaios_lsp.engine import DocumentAnalysis
from kaios_lsp.findings import Finding, Fix
from kaios_lsp.lsp.convert import (
    EditTarget,
    ranges_overlap,
    to_diagnostic,
    to_range,
    workspace_edit,
)
from kaios_lsp.lsp.diagnostics import analysis_of
from kaios_lsp.lsp.documents import Document
from kaios_lsp.lsp.migration import MIGRATE_KIND, migration_action
from kaios_lsp.lsp.session import KaiosLanguageServer
from kaios_lsp.lsp.uris import path_to_uri, uri_to_path
from kaios_lsp.parse.html import scan
from kaios_lsp.parse.text import LineIndex
from kaios_lsp.rules.suppress import suppression_fixes
from kaios_lsp.services.fixes import safe_fix_edits, write_outside

# One logger for the whole server: log lines keep the name they have always had.
log = logging.getLogger("kaios_lsp.lsp.server")

FIX_ALL_KIND = "source.fixAll.kaios-lsp"
APPLY_FIX_COMMAND = "kaios-lsp.applyFixWithNewFiles"


def code_actions(ls: KaiosLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    document = ls.documents.get(params.text_document.uri)
    if document is None:
        return []
    analysis = analysis_of(ls, document)
    only = params.context.only
    want_quickfix = not only or any(
        k.startswith("quickfix") or types.CodeActionKind.QuickFix.startswith(k) for k in only
    )
    want_fix_all = not only or any(FIX_ALL_KIND.startswith(k) for k in only)
    actions: list[types.CodeAction] = []
    index = document.index
    client_diagnostics = params.context.diagnostics or []
    if want_quickfix:
        script_ranges = _script_ranges(document, analysis)
        disable_actions: list[types.CodeAction] = []  # after the real fixes
        # two findings may offer the very same edit (a permission both denied and
        # unused: "Remove X"): one action, listing both diagnostics
        offered: dict[tuple, types.CodeAction] = {}
        for finding in analysis.findings:
            diagnostic = to_diagnostic(finding, index, ls.encoding, document.uri)
            if not ranges_overlap(diagnostic.range, params.range):
                continue
            suppressions = (
                suppression_fixes(
                    document.text,
                    finding,
                    html=not any(s <= finding.start <= e for s, e in script_ranges),
                )
                if script_ranges is not None
                else []
            )
            for fix in suppressions:
                edit = _edit_of(ls, document, fix)
                if edit is not None:
                    disable_actions.append(
                        types.CodeAction(
                            title=fix.title,
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic],
                            edit=edit,
                        )
                    )
            if not finding.fixes:
                continue
            matching = [
                d
                for d in client_diagnostics
                if d.code == finding.rule
                and d.range == diagnostic.range
                and d.message == finding.message
            ]

            for position, fix in enumerate(finding.fixes):
                if not _fix_allowed(ls, document, fix):
                    continue
                same = offered.get(_fix_key(fix))
                if same is not None:
                    same.diagnostics = [*(same.diagnostics or []), *(matching or [diagnostic])]
                    continue
                edit = _edit_of(ls, document, fix)
                if edit is None:
                    command = _create_files_command(ls, document, finding, position, fix)
                    if command is not None:
                        action = types.CodeAction(
                            title=fix.title,
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=matching or [diagnostic],
                            command=command,
                        )
                        actions.append(action)
                        offered[_fix_key(fix)] = action
                    continue
                action = types.CodeAction(
                    title=fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=matching or [diagnostic],
                    edit=edit,
                    is_preferred=True if fix.safe and position == 0 else None,
                )
                actions.append(action)
                offered[_fix_key(fix)] = action
        actions.extend(disable_actions)
    if want_fix_all:
        action = _fix_all_action(ls, document, analysis)
        if action is not None:
            actions.append(action)
    if not only or any(MIGRATE_KIND.startswith(k) for k in only):
        migration = migration_action(ls, document)
        if migration is not None:
            actions.append(migration)
    return actions


def _edit_target(
    ls: KaiosLanguageServer, document: Document, path: str | None
) -> EditTarget | None:
    if path is None:
        return EditTarget(document.uri, document.index, document.version)
    uri = path_to_uri(path)
    other = ls.documents.get(uri)
    if other is not None:
        return EditTarget(uri, other.index, other.version)
    text = DiskFiles().read_text(path)
    return EditTarget(uri, LineIndex(text) if text is not None else None, None)


def _edit_of(ls: KaiosLanguageServer, document: Document, fix: Fix) -> types.WorkspaceEdit | None:
    """The WorkspaceEdit of one of this document's fixes (``None``: the client cannot
    apply it as an edit)."""
    return workspace_edit(
        fix,
        document.path,
        lambda p: _edit_target(ls, document, p),
        ls.edit_support,
        ls.encoding,
    )


def _write_roots(ls: KaiosLanguageServer, document: Document) -> list[str]:
    """Where fixes may write: the workspace folders; without any, the folder of the
    document's app (its manifest's folder) or of the document itself."""
    roots = [uri_to_path(f.uri) for f in ls.workspace.folders.values()]
    roots = [r for r in roots if r]
    if not roots and ls.workspace.root_path:
        roots = [ls.workspace.root_path]
    if roots or document.path is None:
        return roots  # type: ignore[return-value]
    analysis = document.cache.get("analysis")
    app = getattr(analysis, "app", None)
    return [app.app_root if app is not None else os.path.dirname(document.path)]


def _fix_allowed(ls: KaiosLanguageServer, document: Document, fix: Fix) -> bool:
    outside = write_outside(fix, document.path, _write_roots(ls, document))
    if outside is None:
        return True
    message = (
        f"kaios-lsp: not offering the fix {fix.title!r}: it would write {outside}, "
        "outside the workspace folder"
    )
    if message not in ls.refusals:  # say it once, not on every light-bulb request
        ls.refusals.add(message)
        log.warning(message)
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))
    return False


def _script_ranges(document: Document, analysis: DocumentAnalysis) -> list[tuple[int, int]] | None:
    """Where JavaScript is, for suppression comments: the whole of a script, the
    inline scripts of a page; ``None`` for manifests (JSON has no comments)."""
    if analysis.kind == "js":
        return [(0, len(document.text))]
    if analysis.kind != "html":
        return None
    doc = scan(document.text)
    return [
        (t.content_start, t.content_end) for t in doc.elements("script") if t.content_start >= 0
    ]


def _fix_key(fix: Fix) -> tuple:
    """What a fix does (its files and edits), whatever finding offers it."""
    return tuple(
        (c.path, c.create, c.content, tuple((e.start, e.end, e.new_text) for e in c.edits))
        for c in fix.changes
    )


# -- fixes that create files, for clients that cannot do it through an edit --------------


def _create_files_command(
    ls: KaiosLanguageServer, document: Document, finding: Finding, position: int, fix: Fix
) -> types.Command | None:
    """For clients that cannot create files through a WorkspaceEdit: a command that
    writes the new files itself and then asks the client to apply the rest."""
    workspace = ls.client_capabilities.workspace
    if not any(c.create for c in fix.changes) or not (workspace and workspace.apply_edit):
        return None
    where = [document.uri, document.version, finding.rule, finding.start, finding.end]
    return types.Command(title=fix.title, command=APPLY_FIX_COMMAND, arguments=[*where, position])


async def apply_fix_with_files(ls: KaiosLanguageServer, args: list[Any]) -> bool:
    """Run a fix offered by :func:`_create_files_command`: create its files on disk
    (never overwriting one), then send its edits with workspace/applyEdit."""
    uri, version, rule, start, end, position = [*args, None, None, None, None, None, 0][:6]
    document = ls.documents.get(str(uri))
    if document is None or document.version != version or document.path is None:
        raise ValueError("the document changed since the fix was offered; ask again")
    finding = next(
        (
            f
            for f in analysis_of(ls, document).findings
            if (f.rule, f.start, f.end) == (rule, start, end)
        ),
        None,
    )
    if finding is None or not 0 <= int(position) < len(finding.fixes):
        raise ValueError("that problem is gone; nothing to fix")
    fix = finding.fixes[int(position)]
    outside = write_outside(fix, document.path, _write_roots(ls, document))
    if outside is not None:
        raise ValueError(f"will not write {outside}: it is outside the workspace folder")
    created = [c for c in fix.changes if c.create]
    folder = os.path.dirname(document.path)
    for change in created:
        if change.path is None or not is_inside(change.path, folder) or os.path.exists(change.path):
            raise ValueError(f"will not write {change.path}: it exists or is outside the app")
    for change in created:
        with open(change.path, "x", encoding="utf-8", newline="") as handle:  # type: ignore[arg-type]
            handle.write(change.content)
    ls.disk.forget()
    rest = Fix(fix.title, tuple(c for c in fix.changes if not c.create), fix.safe)
    edit = workspace_edit(
        rest,
        document.path,
        lambda p: _edit_target(ls, document, p),
        ls.edit_support,
        ls.encoding,
    )
    if edit is None:
        return False
    result = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=fix.title)
    )
    return bool(result and result.applied)


# -- fix all ------------------------------------------------------------------------------


def _fix_all_action(
    ls: KaiosLanguageServer, document: Document, analysis: DocumentAnalysis
) -> types.CodeAction | None:
    """One action applying every safe same-file fix that does not overlap another."""
    edits = safe_fix_edits(analysis.findings)
    if not edits:
        return None
    text_edits = [
        types.TextEdit(to_range(document.index, e.start, e.end, ls.encoding), e.new_text)
        for e in edits
    ]
    if ls.edit_support.document_changes:
        edit = types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(
                        uri=document.uri, version=document.version
                    ),
                    text_edits,
                )
            ]
        )
    else:
        edit = types.WorkspaceEdit(changes={document.uri: text_edits})
    return types.CodeAction(
        title="Fix all safely fixable kaios-lsp problems", kind=FIX_ALL_KIND, edit=edit
    )
