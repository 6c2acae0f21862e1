"""The "check the workspace" command: diagnostics for every app file under the workspace
folders, also the closed ones."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from lsprotocol import types

from kaios_lsp.app.package import SEPARATOR, is_package
from kaios_lsp.lsp.convert import to_diagnostic
from kaios_lsp.lsp.session import KaiosLanguageServer
from kaios_lsp.lsp.uris import path_to_uri, uri_to_path
from kaios_lsp.parse.text import Encoding, LineIndex
from kaios_lsp.workspace import PackageFile, check_file, check_package, iter_files

# One logger for the whole server: log lines keep the name they have always had.
log = logging.getLogger("kaios_lsp.lsp.server")

CHECK_WORKSPACE_COMMAND = "kaios-lsp.checkWorkspace"


async def check_workspace(ls: KaiosLanguageServer) -> dict[str, int]:
    """Analyse every manifest, page and script under the workspace folders (also the
    closed ones) in the worker process, publishing as it goes, with work-done
    progress when the client shows it."""
    roots = [uri_to_path(f.uri) for f in ls.workspace.folders.values()]
    if not roots and ls.workspace.root_path:
        roots = [ls.workspace.root_path]
    paths: list[str] = []
    for root in roots:
        if root and os.path.isdir(root):
            paths += [os.path.abspath(p) for p in iter_files(root, "auto")]
    window = ls.client_capabilities.window
    token = (
        f"kaios-lsp-check-{time.monotonic_ns()}" if window and window.work_done_progress else None
    )
    if token is not None:
        try:
            await ls.work_done_progress.create_async(token)
        except Exception as exc:  # a client that announced progress but refuses it
            log.info("no work-done progress: %s", exc)
            token = None
    if token is not None:
        ls.work_done_progress.begin(
            token,
            types.WorkDoneProgressBegin(
                title="kaios-lsp: checking the workspace",
                message=f"{len(paths)} files",
                percentage=0,
                cancellable=False,
            ),
        )
    loop = asyncio.get_running_loop()
    problems = 0
    for number, path in enumerate(paths, 1):
        uri = path_to_uri(path)
        config = ls.config_for(path)
        if is_package(path):
            try:
                results = await loop.run_in_executor(ls.worker_pool(), check_package, path, config)
            except (BrokenProcessPool, OSError, RuntimeError) as exc:
                log.error("the workspace check failed on %s: %s", path, exc)
                ls.worker_failed()
                continue
            diagnostics = package_diagnostics(path, results, ls.encoding, uri)
            problems += len(diagnostics)
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
            )
        elif ls.documents.get(uri) is None:  # open documents have their own results
            try:
                text, findings, skipped = await loop.run_in_executor(
                    ls.worker_pool(), check_file, path, path, False, config, False
                )
            except (BrokenProcessPool, OSError, RuntimeError) as exc:
                log.error("the workspace check failed on %s: %s", path, exc)
                ls.worker_failed()
                continue
            if not skipped:
                index = LineIndex(text)
                problems += len(findings)
                ls.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(
                        uri=uri,
                        diagnostics=[to_diagnostic(f, index, ls.encoding, uri) for f in findings],
                    )
                )
        if token is not None:
            ls.work_done_progress.report(
                token,
                types.WorkDoneProgressReport(
                    message=f"{number}/{len(paths)} {os.path.basename(path)}",
                    percentage=number * 100 // max(1, len(paths)),
                ),
            )
    if token is not None:
        ls.work_done_progress.end(
            token, types.WorkDoneProgressEnd(message=f"{len(paths)} files, {problems} problems")
        )
    return {"files": len(paths), "problems": problems}


def package_diagnostics(
    path: str, results: list[PackageFile], encoding: Encoding, uri: str
) -> list[types.Diagnostic]:
    """The findings of a whole package on the package file itself (an editor cannot open
    the files inside it): each message starts with the file and position it is about."""
    diagnostics = []
    for result in results:
        entry = result.path[len(path) + len(SEPARATOR) :] if result.path != path else ""
        index = LineIndex(result.text)
        for finding in result.findings:
            where = ""
            if entry:
                line, column = index.position(finding.start, Encoding.UTF16)
                where = f"{entry}:{line + 1}:{column + 1}: " if result.text else f"{entry}: "
            at_start = replace(
                finding, start=0, end=0, message=where + finding.message, related=(), fixes=()
            )
            diagnostics.append(to_diagnostic(at_start, LineIndex(""), encoding, uri))
    return diagnostics
