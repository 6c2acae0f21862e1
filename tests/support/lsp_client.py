"""Test-side LSP helpers: a pytest-lsp client that keeps every diagnostics
notification (with its version) and an edit applier written independently of the
server's position code, so the two cannot share a bug."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
from pathlib import Path
from typing import Any, Union
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER_COMMAND = [sys.executable, "-m", "kaios_lsp"]

PROFILES = {
    "vscode": "visual-studio-code",
    "neovim": "neovim@v0.7.0",
    "neovim-0.11": "neovim@v0.11.0",
    "emacs": "emacs",
}


class RecordingClient(LanguageClient):
    """A pytest-lsp client that records every publishDiagnostics it receives."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self._published_event = asyncio.Event()
        self.applied_edits: list[types.WorkspaceEdit] = []

    async def wait_for_diagnostics(
        self, uri: str, version: int | None = None, timeout: float = 10.0
    ) -> list[types.Diagnostic]:
        """Wait until diagnostics for ``uri`` (and ``version``, if given) arrive."""
        deadline = asyncio.get_running_loop().time() + timeout
        seen = 0
        while True:
            for params in self.published[seen:]:
                if params.uri == uri and (version is None or params.version == version):
                    return list(params.diagnostics)
            seen = 0  # rescan: the list may be extended while we wait
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {uri} version {version}")
            self._published_event.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._published_event.wait(), remaining)

    def published_for(self, uri: str) -> list[types.PublishDiagnosticsParams]:
        return [p for p in self.published if p.uri == uri]


def make_client() -> RecordingClient:
    client = RecordingClient()
    # lsprotocol reads any code action with a "command" member as a Command; the LSP
    # specification (and VS Code, Neovim) tell them apart by the type of "command".
    converter = client.protocol._converter

    def code_action_or_command(value: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    # typing.Union, not X | Y: the key must be the one lsprotocol registered.
    key = Union[types.Command, types.CodeAction]  # noqa: UP007
    converter.register_structure_hook(key, code_action_or_command)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(ls: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)
        ls._published_event.set()

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def on_configuration(ls: RecordingClient, params: types.ConfigurationParams) -> list:
        return [
            ls.get_configuration(section=item.section, scope_uri=item.scope_uri)
            for item in params.items
        ]

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(ls: RecordingClient, params: types.LogMessageParams) -> None:
        ls.log_messages.append(params)

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_show(ls: RecordingClient, params: types.ShowMessageParams) -> None:
        ls.messages.append(params)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def on_apply_edit(
        ls: RecordingClient, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        ls.applied_edits.append(params.edit)  # the test applies it, as an editor would
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def on_progress_create(ls: RecordingClient, params: types.WorkDoneProgressCreateParams) -> None:
        assert params.token not in ls.progress_reports, "duplicate progress token"
        ls.progress_reports.setdefault(params.token, [])

    @client.feature(types.PROGRESS)
    def on_progress(ls: RecordingClient, params: types.ProgressParams) -> None:
        assert params.token in ls.progress_reports, "progress for a token never created"
        kind = params.value.get("kind") if isinstance(params.value, dict) else None
        value_type = {
            "begin": types.WorkDoneProgressBegin,
            "report": types.WorkDoneProgressReport,
            "end": types.WorkDoneProgressEnd,
        }[kind]
        ls.progress_reports[params.token].append(
            ls.protocol._converter.structure(params.value, value_type)
        )

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(ls: RecordingClient, params: types.RegistrationParams) -> None:
        return None

    return client


def server_config(env: dict[str, str] | None = None) -> ClientServerConfig:
    server_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    return ClientServerConfig(
        server_command=SERVER_COMMAND, client_factory=make_client, server_env=server_env
    )


def capabilities(profile: str, encodings: list[str] | None = None) -> types.ClientCapabilities:
    caps = client_capabilities(PROFILES[profile])
    if encodings is not None:
        general = caps.general or types.GeneralClientCapabilities()
        general.position_encodings = encodings
        caps.general = general
    return caps


def initialize_params(
    caps: types.ClientCapabilities, root: Path | None = None, options: dict | None = None
) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=caps,
        root_uri=root.as_uri() if root else None,
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)]
        if root
        else None,
        initialization_options=options,
    )


# -- applying edits on the client side -------------------------------------------------------

_BREAK = re.compile(r"\r\n|\r|\n")


def _offset(text: str, position: types.Position, encoding: str) -> int:
    """Code-point offset of an LSP position (independent implementation)."""
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    if position.line >= len(starts):
        return len(text)
    start = starts[position.line]
    end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
    line = _BREAK.sub("", text[start:end])
    units = 0
    for i, char in enumerate(line):
        if units >= position.character:
            return start + i
        if encoding == "utf-8":
            units += len(char.encode("utf-8", "surrogatepass"))
        elif encoding == "utf-16":
            units += 2 if ord(char) > 0xFFFF else 1
        else:
            units += 1
    return start + len(line)


def position_of(text: str, offset: int, encoding: str = "utf-16") -> types.Position:
    prefix = text[:offset]
    line = len(_BREAK.findall(prefix))
    last = max(prefix.rfind("\n"), prefix.rfind("\r")) + 1
    column_text = prefix[last:]
    if encoding == "utf-8":
        column = len(column_text.encode("utf-8", "surrogatepass"))
    elif encoding == "utf-16":
        column = len(column_text.encode("utf-16-le", "surrogatepass")) // 2
    else:
        column = len(column_text)
    return types.Position(line, column)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    spans = sorted(
        (
            (
                _offset(text, e.range.start, encoding),
                _offset(text, e.range.end, encoding),
                e.new_text,
            )
            for e in edits
        ),
        key=lambda s: (s[0], s[1]),
    )
    out, position = [], 0
    for start, end, new in spans:
        assert start >= position, "overlapping edits"
        out.append(text[position:start])
        out.append(new)
        position = end
    out.append(text[position:])
    return "".join(out)


def edits_for(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    found: list[types.TextEdit] = []
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            found.extend(change.edits)  # type: ignore[arg-type]
    for change_uri, edits in (edit.changes or {}).items():
        if change_uri == uri:
            found.extend(edits)
    return found


async def quick_fixes_for(
    client: LanguageClient, uri: str, diagnostic: types.Diagnostic
) -> list[types.CodeAction]:
    """The quick fixes the server offers for exactly this diagnostic."""
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=diagnostic.range,
            context=types.CodeActionContext(
                diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]
            ),
        )
    )
    return [
        action
        for action in actions or []
        if isinstance(action, types.CodeAction)
        and any(
            d.code == diagnostic.code
            and d.range == diagnostic.range
            and d.message == diagnostic.message
            for d in action.diagnostics or []
        )
    ]


async def set_text(client: RecordingClient, uri: str, text: str) -> list[types.Diagnostic]:
    """Open the document (first time) or replace its text, and wait for its diagnostics."""
    versions: dict[str, int] = client.__dict__.setdefault("versions", {})
    version = versions.get(uri, 0) + 1
    versions[uri] = version
    client.__dict__.setdefault("texts", {})[uri] = text
    if version == 1:
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(
                    uri=uri, language_id=language_of(uri), version=version, text=text
                )
            )
        )
    else:
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
    return await client.wait_for_diagnostics(uri, version)


async def apply_workspace_edit(
    client: RecordingClient, edit: types.WorkspaceEdit, encoding: str = "utf-16"
) -> None:
    """Apply a WorkspaceEdit as an editor does: create files, edit open documents (and
    tell the server), edit closed files on disk."""
    texts: dict[str, str] = client.__dict__.setdefault("texts", {})
    pending: list[tuple[str, list[types.TextEdit]]] = []
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            path = path_of(change.uri)
            assert not path.exists(), f"CreateFile would overwrite {path}"
            path.write_text("", "utf-8")
        elif isinstance(change, types.TextDocumentEdit):
            pending.append((change.text_document.uri, list(change.edits)))  # type: ignore[arg-type]
        else:
            raise AssertionError(f"unexpected resource operation {change!r}")
    pending += [(uri, list(edits)) for uri, edits in (edit.changes or {}).items()]
    on_disk: list[types.FileEvent] = [
        types.FileEvent(c.uri, types.FileChangeType.Created)
        for c in edit.document_changes or []
        if isinstance(c, types.CreateFile)
    ]
    for uri, edits in pending:
        if uri in texts:
            await set_text(client, uri, apply_text_edits(texts[uri], edits, encoding))
        else:
            path = path_of(uri)
            text = path.read_text("utf-8")
            path.write_text(apply_text_edits(text, edits, encoding), "utf-8")
            if not any(e.uri == uri for e in on_disk):
                on_disk.append(types.FileEvent(uri, types.FileChangeType.Changed))
    if on_disk:  # what an editor's file watcher reports
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(on_disk))


def path_of(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def language_of(uri: str) -> str:
    suffix = uri.rsplit(".", 1)[-1].lower()
    return {"html": "html", "htm": "html", "js": "javascript"}.get(suffix, "json")


async def start_session(
    client: RecordingClient, profile: str, root: Path, options: dict | None = None
) -> None:
    """Initialize ``client`` as editor ``profile`` on workspace ``root`` (debounce 0 unless
    ``options`` say otherwise) and note the negotiated position encoding."""
    result = await client.initialize_session(
        initialize_params(capabilities(profile), root, options=options or {"debounceMs": 0})
    )
    client.encoding = result.capabilities.position_encoding or "utf-16"  # type: ignore[attr-defined]
    client.profile = profile  # type: ignore[attr-defined]
    client.root = root  # type: ignore[attr-defined]
