"""An uploaded package (``.zip``) read in memory, never extracted, and seen by the analysis
as an app folder.

Two shapes are accepted: an ``application.zip`` (the manifest at its root), and the
sideload/store bundle around one (an outer zip holding ``application.zip`` beside
``metadata.json`` or ``update.webapp``, as OmniSD and the KaiStore use). The files of the
app get virtual paths ``<zip>!/<name>`` (``<zip>!/application.zip!/<name>`` in a bundle),
so findings name them as ``app.zip!/js/app.js``.

What cannot be read safely is not read: entries whose names climb out of the package
(``..``, absolute paths: zip-slip), and packages whose total uncompressed size or
compression ratio says zip bomb. What was refused is recorded for the structure rules.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from kaios_lsp.app.manifest import manifest_kind

SEPARATOR = "!/"  # as in jar: URLs
INNER_PACKAGE = "application.zip"
MANIFEST_NAMES = ("manifest.webapp", "manifest.webmanifest", "manifest.json")

# Limits that keep a hostile package from exhausting memory: the whole package, one entry,
# and the compression ratio of a big entry (ordinary web files compress 3-10x).
# What a damaged or hostile zip makes the standard library raise while listing or reading it.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    OSError,
    ValueError,  # UnicodeDecodeError included
    EOFError,
    NotImplementedError,  # unsupported compression
    RuntimeError,  # encrypted
    KeyError,
    IndexError,  # an entry with an empty name
)

MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_ENTRY_BYTES = 128 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024  # below this size an entry's ratio is not suspicious


@dataclass
class Limits:
    total: int = MAX_TOTAL_BYTES
    entry: int = MAX_ENTRY_BYTES
    ratio: int = MAX_RATIO


@dataclass
class Package:
    """What was read from one package file."""

    path: str  # the .zip on disk (absolute)
    prefix: str  # virtual path of the zip that holds the app's entries: "<path>!/" (+ "application.zip!/")
    entries: dict[str, bytes] = field(default_factory=dict)  # name -> content (files only)
    names: list[str] = field(default_factory=list)  # every entry name as listed (dirs too)
    unsafe: list[str] = field(default_factory=list)  # refused: climbs out of the package
    bomb: str | None = None  # why reading stopped: the limit that was reached
    unreadable: str | None = None  # not a zip, corrupt, encrypted
    bundle: bool = False  # the app is the application.zip inside this file
    app_root: str = ""  # folder of the app inside the entries ("" = the root)
    stamp: object = None

    def virtual(self, name: str) -> str:
        """The virtual path of an entry: ``/x/app.zip!/js/app.js``."""
        return self.prefix + name

    @property
    def root(self) -> str:
        """Virtual path of the app folder (where its manifest is)."""
        return (self.prefix + self.app_root).rstrip("/") if self.app_root else self.prefix[:-1]

    def name_of(self, virtual: str) -> str | None:
        """The entry name for a virtual path inside this package; ``None`` outside it."""
        if virtual == self.prefix[:-1]:
            return ""
        if not virtual.startswith(self.prefix):
            return None
        relative = posixpath.normpath(virtual[len(self.prefix) :])
        return "" if relative == "." else relative.lstrip("/")

    @property
    def files(self) -> PackageFiles:
        return PackageFiles(self)

    def manifests(self) -> list[str]:
        """Names of the manifest files anywhere in the package."""
        found = []
        for name in self.entries:
            base = posixpath.basename(name)
            if base in MANIFEST_NAMES:
                text = None
                if base == "manifest.json":
                    text = self.entries[name][:65536].decode("utf-8", "replace")
                if manifest_kind(base, text, "auto") is not None:
                    found.append(name)
        return sorted(found)


class PackageFiles:
    """A :class:`~kaios_lsp.app.files.FileView` over a package's entries. Paths outside
    the package do not exist: the folder the zip sits in is not part of the app."""

    def __init__(self, package: Package) -> None:
        self.package = package
        dirs: dict[str, set[str]] = {"": set()}
        for name in package.entries:
            parts = name.split("/")
            for depth in range(len(parts)):
                parent = "/".join(parts[:depth])
                dirs.setdefault(parent, set()).add(parts[depth])
        self._dirs = dirs

    def exists(self, path: str) -> bool:
        name = self.package.name_of(path)
        return name is not None and (name in self.package.entries or name in self._dirs)

    def is_dir(self, path: str) -> bool:
        name = self.package.name_of(path)
        return name is not None and name in self._dirs

    def list_dir(self, path: str) -> list[str] | None:
        name = self.package.name_of(path)
        if name is None or name not in self._dirs:
            return None
        return sorted(self._dirs[name])

    def read_text(self, path: str) -> str | None:
        name = self.package.name_of(path)
        data = self.package.entries.get(name) if name is not None else None
        return data.decode("utf-8", "replace") if data is not None else None

    def read_bytes(self, path: str) -> bytes | None:
        name = self.package.name_of(path)
        return self.package.entries.get(name) if name is not None else None

    def stamp(self, path: str) -> object:
        name = self.package.name_of(path)
        if name is None or name not in self.package.entries:
            return None
        return (self.package.stamp, name, len(self.package.entries[name]))


def is_package(path: str) -> bool:
    return path.lower().endswith(".zip")


def unsafe_name(name: str) -> bool:
    """Would extracting this entry write outside the folder (zip-slip)?"""
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        return True
    return ".." in cleaned.split("/")


def read_package(
    path: str, data: bytes, limits: Limits | None = None, stamp: object = None
) -> Package:
    """Read a package from its bytes; a bundle's inner application.zip is read in turn."""
    limits = limits or Limits()
    package = Package(path, path + SEPARATOR, stamp=stamp)
    _read_zip(package, data, limits)
    if package.unreadable is None and package.bomb is None and _is_bundle(package):
        inner = package.entries[INNER_PACKAGE]
        package.entries, package.names = {}, []
        package.prefix = path + SEPARATOR + INNER_PACKAGE + SEPARATOR
        package.bundle = True
        _read_zip(package, inner, limits)
        if package.unreadable is not None:
            package.unreadable = f"{INNER_PACKAGE} in the bundle: {package.unreadable}"
    if package.unreadable is None and package.bomb is None:
        package.app_root = _app_root(package)
    return package


def _is_bundle(package: Package) -> bool:
    """An outer zip whose app is the application.zip it holds (no manifest of its own at
    the root, or the bundle's own update.webapp / metadata.json beside it)."""
    if INNER_PACKAGE not in package.entries:
        return False
    root_manifests = [
        n for n in package.entries if n in ("manifest.webapp", "manifest.webmanifest")
    ]
    markers = [n for n in package.entries if n in ("metadata.json", "update.webapp")]
    return bool(markers) or not root_manifests


def _app_root(package: Package) -> str:
    """Where the app's manifest is: the root, or the one folder the whole app was zipped in
    (the structure rules report that the phone will not find it there)."""
    manifests = package.manifests()
    if any("/" not in m for m in manifests) or not manifests:
        return ""
    top = {m.split("/", 1)[0] for m in manifests if m.count("/") == 1}
    return top.pop() if len(top) == 1 else ""


def _read_zip(package: Package, data: bytes, limits: Limits) -> None:
    try:
        _read_entries(package, data, limits)
    except _ZIP_ERRORS as exc:  # whatever a damaged zip raises: the package is unreadable
        package.unreadable = f"not a readable zip file ({exc})"


def _read_entries(package: Package, data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        package.unreadable = f"not a readable zip file ({exc})"
        return
    total = 0
    with archive:
        infos = archive.infolist()
        for info in infos:
            package.names.append(info.filename)
        declared = sum(info.file_size for info in infos)
        if declared > limits.total:
            package.bomb = (
                f"its files would take {declared / 2**20:.0f} MB uncompressed "
                f"(limit {limits.total / 2**20:.0f} MB)"
            )
            return
        for info in infos:
            name = info.filename
            if info.is_dir():
                continue
            if unsafe_name(name):
                package.unsafe.append(name)
                continue
            if info.flag_bits & 0x1:
                package.unreadable = f"{name} is encrypted"
                return
            if info.file_size > limits.entry:
                package.bomb = f"{name} would take {info.file_size / 2**20:.0f} MB uncompressed"
                return
            if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(
                1, info.compress_size
            ):
                package.bomb = (
                    f"{name} expands {info.file_size // max(1, info.compress_size)}x "
                    f"({info.compress_size} bytes to {info.file_size / 2**20:.0f} MB)"
                )
                return
            try:
                with archive.open(info) as handle:
                    content = handle.read(limits.entry + 1)  # headers can lie: read bounded
            except _ZIP_ERRORS as exc:
                package.unreadable = f"{name} cannot be read ({exc})"
                return
            total += len(content)
            if len(content) > limits.entry or total > limits.total:
                package.bomb = f"{name} holds more than its header says"
                return
            package.entries[name] = content
