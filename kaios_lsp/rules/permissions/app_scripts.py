"""The scripts and pages of an app folder that the permission rules read (bounded: huge folders are skipped, and said so in the log)."""

from __future__ import annotations

import logging
import os

from kaios_lsp.app.files import FileView
from kaios_lsp.app.model import list_package

log = logging.getLogger("kaios_lsp.analysis")

SCRIPT_SUFFIXES = (".js", ".mjs", ".html", ".htm")


MAX_FILES = 5000


def app_scripts(root: str, files: FileView, skip: tuple[str, ...] = ()) -> list[str] | None:
    """Every script and page under the app folder (minus the ``skip`` folders), or
    ``None`` when there are too many."""
    listing = list_package(root, files)
    if listing is None:
        log.info("unused-permission check skipped: %s has over %d files", root, MAX_FILES)
        return None
    prefixes = tuple(folder.rstrip(os.sep) + os.sep for folder in skip)
    return [
        path
        for path in listing
        if path.lower().endswith(SCRIPT_SUFFIXES) and not path.startswith(prefixes or ("\0",))
    ]
