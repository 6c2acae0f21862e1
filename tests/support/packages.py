"""Packages the tests build themselves: zips of an app in memory, in the shapes developers
upload (application.zip, the folder zipped with its parent, an OmniSD-style bundle)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

MANIFEST = {
    "name": "Notes",
    "description": "Notes for KaiOS",
    "version": "1.0.0",
    "type": "privileged",
    "launch_path": "/index.html",
    "developer": {"name": "Example", "url": "https://example.com"},
    "icons": {"56": "/icons/56.png", "112": "/icons/112.png"},
    "locales": {"en-US": {"name": "Notes", "subtitle": "Notes", "description": "Notes"}},
    "default_locale": "en-US",
}
PAGE = (
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Notes</title>\n'
    '<script src="js/app.js" defer></script></head>\n<body><ul id="notes"></ul></body></html>\n'
)
SCRIPT = "document.addEventListener('DOMContentLoaded', function () {\n  document.title = 'Notes';\n});\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def app_files(**extra: bytes | str) -> dict[str, bytes]:
    """A small, clean KaiOS 2.5 app (no findings in a folder), plus ``extra`` files."""
    files: dict[str, bytes | str] = {
        "manifest.webapp": json.dumps(MANIFEST, indent=2),
        "index.html": PAGE,
        "js/app.js": SCRIPT,
        "icons/56.png": PNG,
        "icons/112.png": PNG,
    }
    files.update(extra)
    return {name: data.encode() if isinstance(data, str) else data for name, data in files.items()}


def zip_bytes(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    path.write_bytes(zip_bytes(files))
    return path


def bundle(application: bytes, *, metadata: bool = True) -> dict[str, bytes]:
    """The OmniSD/store shape: application.zip beside metadata.json (and update.webapp)."""
    files = {"application.zip": application}
    if metadata:
        files["metadata.json"] = json.dumps(
            {"version": 1, "manifestURL": "app://notes.example.com/manifest.webapp"}
        ).encode()
        files["update.webapp"] = json.dumps(
            {"name": "Notes", "package_path": "application.zip"}
        ).encode()
    return files


def write_app_folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root
