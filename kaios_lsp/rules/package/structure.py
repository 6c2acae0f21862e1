"""The structure of an uploaded package: where the manifest is, what it should not carry,
and entries that are refused (zip-slip, zip bombs, unreadable zips).

The phone installs ``application.zip`` by reading the manifest at the root of the zip:
KaiOS 2.5's installer does ``if (!aZipReader.hasEntry("manifest.webapp")) throw
"MISSING_MANIFEST"`` (``dom/apps/Webapps.jsm``, ``_readPackage``, roytam1/gecko-kaios), and
a 3.0 packaged app's manifest is ``manifest.webmanifest`` at the root of its origin
(``http://<name>.localhost/manifest.webmanifest``). A zip of the app's folder instead of
its contents installs nothing.
"""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from datetime import datetime

from kaios_lsp.app.package import Package
from kaios_lsp.config import Config
from kaios_lsp.findings import Finding, Severity
from kaios_lsp.rules.meta import Rule

NO_ROOT_MANIFEST = "KAI501"
SEVERAL_APPS = "KAI502"
UNWANTED_FILE = "KAI503"
CASE_CLASH = "KAI504"
UNSAFE_ENTRY = "KAI505"
TOO_LARGE = "KAI506"
UNREADABLE = "KAI507"

_NO_EXAMPLE = "(a package: see tests/rules/package)"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id=NO_ROOT_MANIFEST,
        name="package-manifest-not-at-root",
        title="The package has no manifest at its root",
        severity=Severity.ERROR,
        category="Package",
        explanation="The phone reads manifest.webapp (2.5) or manifest.webmanifest (3.0) at the root "
        "of application.zip and nowhere else, so a zip made of the app's folder (myapp/manifest.webapp) "
        "or a zip without a manifest cannot be installed. kaios-lsp still checks the app it finds in "
        "the folder, as if it were at the root.",
        bad="application.zip: myapp/manifest.webapp, myapp/index.html",
        good="application.zip: manifest.webapp, index.html",
        example_file="application.zip",
        fix_note="No mechanical fix: zip the folder's contents, not the folder (cd myapp && zip -r "
        "../application.zip .).",
    ),
    Rule(
        id=SEVERAL_APPS,
        name="package-several-manifests",
        title="Manifests in several folders of the package",
        severity=Severity.WARNING,
        category="Package",
        explanation="Only the manifest at the root is read; a manifest in a subfolder (an old copy, "
        "a second app, a build folder zipped along) is dead weight, and a sign the wrong folder was "
        "zipped. A 2.5 manifest.webapp beside a 3.0 manifest.webmanifest at the root is fine.",
        bad="application.zip: manifest.webapp, old/manifest.webapp",
        good="application.zip: manifest.webapp, manifest.webmanifest",
        example_file="application.zip",
        fix_note="No mechanical fix: remove the other folder from the package (or zip the right one).",
    ),
    Rule(
        id=UNWANTED_FILE,
        name="package-unwanted-file",
        title="A file the package should not carry",
        severity=Severity.WARNING,
        category="Package",
        explanation="Everything in the package is downloaded to every phone and readable by anyone "
        "who has the package: version control folders (.git/ holds the whole history, secrets "
        "included), node_modules/, macOS and Windows litter (.DS_Store, __MACOSX/, Thumbs.db), "
        "editor backups (*~, *.swp, *.bak, *.orig) and source maps (*.map, which often carry the "
        "original sources in sourcesContent) only make the app bigger and leak what it is made of.",
        bad="application.zip: manifest.webapp, .git/config, js/app.js.map",
        good="application.zip: manifest.webapp, js/app.js",
        example_file="application.zip",
        fix_note="No mechanical fix on a zip: leave these out when packaging (e.g. zip -r ../app.zip . "
        "-x '.git/*' '*.map' '.DS_Store').",
    ),
    Rule(
        id=CASE_CLASH,
        name="package-case-clash",
        title="File names that differ only in letter case",
        severity=Severity.WARNING,
        category="Package",
        explanation="js/App.js and js/app.js are two files on the phone, but one file on the "
        "case-insensitive file systems of Windows and macOS: unpacked or repacked there, one "
        "silently replaces the other, and a reference that worked on the phone breaks.",
        bad="application.zip: js/App.js, js/app.js",
        good="application.zip: js/app.js",
        example_file="application.zip",
        fix_note="No mechanical fix: rename one of the files (and the references to it).",
    ),
    Rule(
        id=UNSAFE_ENTRY,
        name="package-unsafe-entry",
        title="An entry whose name climbs out of the package",
        severity=Severity.ERROR,
        category="Package",
        explanation="A name with .. or an absolute path (../../etc/x, /data/x, C:\\x) would be "
        "written outside the app's folder by a careless unzipper (zip-slip). The phone's installer "
        "rejects such packages; kaios-lsp refuses to read the entry.",
        bad="application.zip: manifest.webapp, ../evil.js",
        good="application.zip: manifest.webapp, evil.js",
        example_file="application.zip",
        fix_note="No mechanical fix: rebuild the package from the app's folder with a normal zip tool.",
    ),
    Rule(
        id=TOO_LARGE,
        name="package-too-large",
        title="The package expands beyond the limits (zip bomb?)",
        severity=Severity.ERROR,
        category="Package",
        explanation="The package's files would take more room uncompressed than any KaiOS app "
        "(512 MB in all, 128 MB for one file), or one big file compresses more than 200 to 1, as "
        "zip bombs do. kaios-lsp stops reading there and says so instead of reading on.",
        bad="application.zip: a 1 GB file of zeros compressed to 1 MB",
        good="application.zip: the app's files",
        example_file="application.zip",
        fix_note="No mechanical fix: check what was packaged; a feature phone app is a few MB.",
    ),
    Rule(
        id=UNREADABLE,
        name="package-unreadable",
        title="The package cannot be read",
        severity=Severity.ERROR,
        category="Package",
        explanation="Not a zip file, a truncated or corrupt one, or one with encrypted entries: "
        "the phone cannot install it either.",
        bad="application.zip: an HTML error page saved under the package's name",
        good="application.zip: a zip of the app's files",
        example_file="application.zip",
        fix_note="No mechanical fix: package the app again.",
    ),
)

_JUNK_FOLDERS = {".git", ".hg", ".svn", "node_modules", "__MACOSX", ".idea", ".vscode"}
_JUNK_FILES = {".DS_Store", "Thumbs.db", "desktop.ini", ".gitignore", ".npmrc", ".env"}
_BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".bak", ".orig", ".tmp")


def structure_findings(package: Package) -> list[tuple[str | None, Finding]]:
    """(entry concerned or None for the package, finding) for the package's structure."""
    if package.unreadable is not None:
        return [(None, _finding(UNREADABLE, f"The package cannot be read: {package.unreadable}."))]
    found: list[tuple[str | None, Finding]] = []
    for name in package.unsafe:
        found.append(
            (
                None,
                _finding(
                    UNSAFE_ENTRY,
                    f"The entry {name!r} would be written outside the app's folder (zip-slip): "
                    "the phone rejects the package, and kaios-lsp did not read it.",
                ),
            )
        )
    if package.bomb is not None:
        found.append(
            (
                None,
                _finding(
                    TOO_LARGE,
                    f"Reading stopped: {package.bomb}. A zip bomb, or far more than a KaiOS app "
                    "holds; the rest of the package was not checked.",
                ),
            )
        )
        return found
    found += _manifest_findings(package)
    found += _unwanted(package)
    found += _case_clashes(package)
    return found


def _finding(rule: str, message: str) -> Finding:
    return Finding(rule, 0, 0, message)


def _manifest_findings(package: Package) -> list[tuple[str | None, Finding]]:
    manifests = package.manifests()
    where = "application.zip inside the bundle" if package.bundle else "the package"
    if not manifests:
        return [
            (
                None,
                _finding(
                    NO_ROOT_MANIFEST,
                    f"No manifest.webapp or manifest.webmanifest in {where}: the phone cannot "
                    "install it.",
                ),
            )
        ]
    at_root = [m for m in manifests if "/" not in m]
    found: list[tuple[str | None, Finding]] = []
    if not at_root:
        first = manifests[0]
        folder = first.rsplit("/", 1)[0]
        found.append(
            (
                None,
                _finding(
                    NO_ROOT_MANIFEST,
                    f"The manifest is at {first}, not at the root of {where}: the folder was "
                    f"zipped instead of its contents, and the phone cannot install it. Zip the "
                    f"contents of {folder}/ (the app was checked as if they were at the root).",
                ),
            )
        )
    root = package.app_root
    others = sorted(
        {posixpath.dirname(m) for m in manifests if posixpath.dirname(m) != root.rstrip("/")}
    )
    for folder in others:
        found.append(
            (
                f"{folder}/",
                _finding(
                    SEVERAL_APPS,
                    f"Another manifest in {folder}/: only the one at the root is read; the "
                    "folder is dead weight (or the wrong folder was zipped).",
                ),
            )
        )
    return found


def _unwanted(package: Package) -> list[tuple[str | None, Finding]]:
    """One finding per unwanted folder (with its file count) and per unwanted file."""
    folders: dict[str, int] = defaultdict(int)
    found: list[tuple[str | None, Finding]] = []
    for name in sorted(package.entries):
        parts = name.split("/")
        junk = next((i for i, part in enumerate(parts[:-1]) if part in _JUNK_FOLDERS), None)
        if junk is not None:
            folders["/".join(parts[: junk + 1]) + "/"] += 1
            continue
        base = parts[-1]
        if base in _JUNK_FILES or base.endswith(_BACKUP_SUFFIXES) or base.startswith("#"):
            found.append((name, _finding(UNWANTED_FILE, f"{name} has no place in the package.")))
        elif base.endswith(".map"):
            found.append((name, _finding(UNWANTED_FILE, _map_message(name, package.entries[name]))))
    for folder, count in sorted(folders.items()):
        what = {
            ".git": "the whole version history (and any secret ever committed)",
            "node_modules": "the build's dependencies",
        }.get(folder.rstrip("/").rsplit("/", 1)[-1], "files the app never uses")
        found.insert(
            0,
            (
                folder,
                _finding(
                    UNWANTED_FILE,
                    f"{folder} ({count} file{'s' if count != 1 else ''}) is in the package: "
                    f"{what}, downloaded to every phone and readable by anyone with the package.",
                ),
            ),
        )
    return found


def _map_message(name: str, data: bytes) -> str:
    try:
        carries = bool(json.loads(data.decode("utf-8", "replace")).get("sourcesContent"))
    except (ValueError, AttributeError):
        carries = False
    if carries:
        return (
            f"{name} is a source map that carries the original sources (sourcesContent): anyone "
            "with the package reads them. Leave .map files out of the package."
        )
    return f"{name} is a source map: it maps the shipped code back to its sources. Leave it out."


def _case_clashes(package: Package) -> list[tuple[str | None, Finding]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for name in package.entries:
        groups[name.lower()].append(name)
    found: list[tuple[str | None, Finding]] = []
    for names in sorted(groups.values()):
        if len(names) > 1:
            listed = ", ".join(sorted(names))
            found.append(
                (
                    sorted(names)[0],
                    _finding(
                        CASE_CLASH,
                        f"{listed} differ only in letter case: one file on Windows and macOS, so "
                        "unpacking or repacking there loses one of them.",
                    ),
                )
            )
    return found


def package_structure(
    package: Package, config: Config, now: datetime
) -> list[tuple[str | None, Finding]]:
    return structure_findings(package)


# The checks run on every uploaded package (declaring them here registers them).
PACKAGE_CHECKS = (package_structure,)
