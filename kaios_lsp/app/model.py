"""The app model: for one manifest, what ships and what runs, and the role of each file.

Situations of a manifest's folder:

* ``plain``: no build step; the folder is the package, as written.
* ``input``: build input. A build (see :mod:`.project`) reads this folder and writes the
  package elsewhere: the manifest sits in a folder the build copies (``public/``,
  ``static/``, ``src/``…), or its launch page does not exist here (the build makes it), or
  the launch page is a template. Syntax is judged in the output, behaviour here.
* ``output``: the folder is where the build writes (``dist/``, webpack ``output.path``…):
  the shipped package.
* ``in-place``: the folder ships as written and also holds the build's sources beside
  its output (browserify ``-o js/bundle.js``, a Grunt concat): the sources are build input.

Roles of a page or script (:meth:`AppModel.role`): ``shipped`` (reached from an entry
point: every check), ``input`` (build input), ``output`` (build output whose sources are in
the project: syntax and CSP checks; behaviour is judged in the sources), ``unreached``
(shipped but no entry point opens it), ``test`` (a test file of a built project) and
``excluded`` (the ``exclude`` setting, or ``node_modules``/VCS folders no page loads).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import cast

from kaios_lsp.app.dependent import WhileUnchanged
from kaios_lsp.app.files import FileView
from kaios_lsp.app.links import LINKED_MEMBERS, linked_paths
from kaios_lsp.app.manifest import Manifest
from kaios_lsp.app.placeholders import placeholder_spans
from kaios_lsp.app.project import COPY_FOLDERS, BuildProject, find_build_project
from kaios_lsp.app.reach import (
    RUNNABLE_SUFFIXES,
    SCRIPT_SUFFIXES,
    Reach,
    References,
    compute_reach,
    page_references,
    script_references,
)

PLAIN, INPUT, OUTPUT, IN_PLACE = "plain", "input", "output", "in-place"
SHIPPED, BUILD_INPUT, BUILD_OUTPUT, UNREACHED, TEST, EXCLUDED = (
    "shipped",
    "input",
    "output",
    "unreached",
    "test",
    "excluded",
)
DEFAULT_EXCLUDED = frozenset(
    {"node_modules", "bower_components", ".git", ".hg", ".svn", "__pycache__", ".venv"}
)
MAX_FILES = 5000
_TEST_FOLDERS = frozenset({"test", "tests", "__tests__", "spec", "specs", "__mocks__", "e2e"})
_TEST_NAME = re.compile(r"(?:[._-](?:test|spec)|_test)\.[cm]?[jt]sx?$", re.IGNORECASE)
_MODULE_SYNTAX = re.compile(
    r"^\s*(?:import\s+[\w{*'\"]|export\s+(?:default|const|function|class|let|var|\{|\*))"
    r"|\brequire\(\s*['\"]|\bmodule\.exports\b",
    re.MULTILINE,
)


@dataclass(frozen=True)
class FileRole:
    kind: str
    reason: str = ""


@dataclass
class AppModel:
    manifest_path: str
    package_root: str
    situation: str
    reasons: list[str]
    build: BuildProject | None
    entries: list[str] = field(default_factory=list)
    reach: Reach | None = None
    package_files: list[str] = field(default_factory=list)
    exclude: tuple[str, ...] = ()
    complete: bool = True  # False: too many files to judge reachability
    # in-place builds: the entry files the build scripts name and what they import
    build_sources: frozenset[str] = frozenset()
    _listed_set: frozenset[str] | None = field(default=None, repr=False)
    # the situation was told by the manifest's text (template placeholders), not only
    # by the folders: any edit of the text may change it
    told_by_text: bool = field(default=False, repr=False)

    @property
    def project_root(self) -> str:
        return self.build.root if self.build is not None else self.package_root

    def role(self, path: str, text: str | None = None) -> FileRole:
        """How a page or script of this app is judged (``text``: its current text)."""
        path = os.path.normpath(path)
        relative = _relative(self.project_root, path)
        if self.exclude and matches_any(relative, self.exclude):
            return FileRole(EXCLUDED, "the exclude setting names it")
        parts = relative.split("/")
        build = self.build
        if build is not None and self.situation != OUTPUT and build.in_output(path):
            return FileRole(
                BUILD_OUTPUT,
                f"build output ({_relative(build.root, _output_of(build, path))}/): its "
                "behaviour is judged in the sources",
            )
        if build is not None and (set(parts[:-1]) & _TEST_FOLDERS or _TEST_NAME.search(path)):
            return FileRole(TEST, "test file: the build does not ship it")
        if self.situation == INPUT:
            return FileRole(BUILD_INPUT, f"build input ({build.label if build else 'build'})")
        loaded = self.reach is not None and self.complete and self.reach.is_reached(path)
        if set(parts[:-1]) & DEFAULT_EXCLUDED and not loaded:
            return FileRole(EXCLUDED, f"{'/'.join(p for p in parts if p in DEFAULT_EXCLUDED)}/")
        if self.situation == IN_PLACE and path in self.build_sources:
            return FileRole(BUILD_INPUT, f"source of the build ({build.label if build else ''})")
        if not path.lower().endswith(RUNNABLE_SUFFIXES) or self._reached(path):
            if build is not None and path in build.output_files:
                return FileRole(
                    BUILD_OUTPUT,
                    f"written by the build ({build.label}): its behaviour is judged in the sources",
                )
            if self.situation == OUTPUT and path.lower().endswith(SCRIPT_SUFFIXES):
                return FileRole(
                    BUILD_OUTPUT, "build output: its behaviour is judged in the sources"
                )
            return FileRole(SHIPPED)
        if self.situation == IN_PLACE and self._is_source(path, relative, text):
            return FileRole(BUILD_INPUT, f"source of the build ({build.label if build else ''})")
        return FileRole(UNREACHED, "no page of the app opens this file")

    def _reached(self, path: str) -> bool:
        if self.reach is None or not self.complete or self.reach.is_reached(path):
            return True
        # a file the listing does not have (a new, unsaved buffer): nothing can say that
        # no page opens it yet
        return path not in self._listed

    @property
    def _listed(self) -> frozenset[str]:
        if self._listed_set is None:
            self._listed_set = frozenset(self.package_files)
        return self._listed_set

    def _is_source(self, path: str, relative: str, text: str | None) -> bool:
        build = self.build
        if build is None:
            return False
        if path in build.entry_files or relative.split("/")[0] in COPY_FOLDERS:
            return True
        if text is None:
            return False
        return _MODULE_SYNTAX.search(text) is not None

    def unreached_files(self) -> list[str]:
        """Pages and scripts of the package that no entry point opens."""
        if self.reach is None or self.reach.everything or not self.complete:
            return []
        return [
            p
            for p in self.package_files
            if p.lower().endswith(RUNNABLE_SUFFIXES) and self.role(p).kind == UNREACHED
        ]

    def describe(self) -> list[str]:
        """Human-readable lines: why each file is judged as it is."""
        root = self.project_root
        lines = [f"manifest: {_relative(root, self.manifest_path)}"]
        words = {
            PLAIN: "shipped as written (no build step)",
            INPUT: "build input: the build writes the package elsewhere",
            OUTPUT: "build output: the shipped package",
            IN_PLACE: "shipped as written; the build's sources sit beside its output",
        }
        lines.append(
            f"package: {_relative(root, self.package_root) or '.'}/ — {words[self.situation]}"
        )
        lines += [f"  because {reason}" for reason in self.reasons]
        build = self.build
        if build is not None:
            project = _relative(self.package_root, build.root) or "."
            lines.append(f"build: {build.label} (project folder {project}/)")
            lines += [f"  {reason}" for reason in build.reasons]
            if build.output_dirs:
                shown = [
                    _relative(root, d) + "/" + ("" if os.path.isdir(d) else " (not built yet)")
                    for d in build.output_dirs
                ]
                lines.append("  output: " + ", ".join(shown))
        if self.build_sources:
            shown = sorted(_relative(root, p) for p in self.build_sources)
            lines.append("build sources (judged for behaviour): " + ", ".join(shown[:10]))
        if self.reach is not None and self.situation != INPUT:
            lines.append(
                "entry points: " + (", ".join(_relative(root, e) for e in self.entries) or "none")
            )
            if self.reach.everything:
                lines.append(f"  every file counts as opened: {self.reach.everything}")
            elif not self.complete:
                lines.append(f"  over {MAX_FILES} files: every file counts as opened")
            else:
                unreached = self.unreached_files()
                lines.append(
                    f"  opened: {len(self.reach.reached)} files; not opened: {len(unreached)}"
                )
                lines += [f"    not opened: {_relative(root, p)}" for p in unreached[:20]]
                if len(unreached) > 20:
                    lines.append(f"    … and {len(unreached) - 20} more")
        if self.exclude:
            lines.append("exclude: " + ", ".join(self.exclude))
        return lines


def _output_of(build: BuildProject, path: str) -> str:
    for folder in build.output_dirs:
        if path == folder or path.startswith(folder + os.sep):
            return folder
    return path


def _relative(root: str, path: str) -> str:
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    return "" if relative == "." else relative


# -- building the model -----------------------------------------------------------------


def build_model(
    manifest: Manifest, files: FileView, exclude: tuple[str, ...] = (), *, reach: bool = True
) -> AppModel | None:
    """The model of the app whose manifest this is (``None`` for an unsaved manifest).

    ``reach=False`` stops at the build situation (what the manifest's own rules need, on
    every keystroke in it): no listing of the package, no reading of its pages. The model
    is built again only when what it read of the manifest or of the other files changed
    (a keystroke in a manifest string gets the same model object back)."""
    if manifest.path is None:
        return None
    manifest_path = os.path.normpath(manifest.path)
    package_root = os.path.dirname(manifest_path)
    entries = cast("tuple[str, ...] | None", manifest.derived.get("entries"))
    if entries is None:  # (asked by the manifest's rules, KAI204's scan and the server)
        entries = _entries_kept(manifest) or tuple(_entries(manifest, package_root))
        manifest.derived["entries"] = entries

    @cache
    def is_template() -> bool:  # (1 ms for 50 KB: only asked when the folders do not tell)
        return bool(placeholder_spans(manifest.text, json=True))

    model, _ = _models.get(
        files,
        (manifest_path, entries, tuple(exclude), reach),
        lambda view: _model(manifest_path, list(entries), is_template, view, tuple(exclude), reach),
        fits=lambda kept: kept[1] is None or kept[1] == is_template(),
    )
    return model


# The models by what they read of the manifest, with whether it was a template (None:
# not asked), kept while the files they read answer the same.
_models: WhileUnchanged[tuple[AppModel, bool | None]] = WhileUnchanged()


def _model(
    manifest_path: str,
    entries: list[str],
    is_template: Callable[[], bool],
    files: FileView,
    exclude: tuple[str, ...],
    reach: bool,
) -> tuple[AppModel, bool | None]:
    package_root = os.path.dirname(manifest_path)
    build = find_build_project(package_root, files)
    situation_reasons = _situation_by_folders(package_root, build)
    templated = None
    if situation_reasons is None:
        templated = is_template()
        situation_reasons = _situation_by_pages(package_root, entries, templated, files)
    situation, reasons = situation_reasons
    model = AppModel(
        manifest_path, package_root, situation, reasons, build, entries, exclude=exclude
    )
    model.told_by_text = templated is not None
    if situation == INPUT or not reach:
        return model, templated
    listing = list_package(package_root, files)
    if listing is None:
        model.complete = False
        return model, templated
    model.package_files = listing
    model.reach = compute_reach(
        package_root,
        entries,
        listing,
        lambda p: references(p, files),
        lambda p: file_stamp(files, p),
    )
    if situation == IN_PLACE and build is not None:
        model.build_sources = _source_graph(build.entry_files, set(listing), files)
    return model, templated


_RELATIVE_IMPORT = re.compile(
    r"""(?:\brequire\(\s*|\bimport\s*\(\s*|\bfrom\s+|^\s*import\s+)(["'])(\.{1,2}/[^"'\n]+)\1""",
    re.MULTILINE,
)
_MODULE_EXTENSIONS = ("", ".js", ".mjs", ".jsx", ".ts", ".tsx", "/index.js", "/index.ts")


def _source_graph(entries: Iterable[str], listed: set[str], files: FileView) -> frozenset[str]:
    """The build's entry files and every file they import by a relative specifier."""
    found: set[str] = set()
    queue = [e for e in entries if e in listed]
    while queue:
        path = queue.pop()
        if path in found:
            continue
        found.add(path)
        text = files.read_text(path) or ""
        for match in _RELATIVE_IMPORT.finditer(text):
            base = os.path.normpath(os.path.join(os.path.dirname(path), match.group(2)))
            for extension in _MODULE_EXTENSIONS:
                candidate = base + extension.replace("/", os.sep)
                if candidate in listed:
                    queue.append(candidate)
                    break
    return frozenset(found)


def _entries_kept(manifest: Manifest) -> tuple[str, ...] | None:
    """The entries of the version the edits since started from, if no edit was in a
    member that links to a file."""
    lineage = manifest.lineage
    if lineage is None or lineage.touches(LINKED_MEMBERS):
        return None
    return cast("tuple[str, ...] | None", lineage.derived.get("entries"))


def _entries(manifest: Manifest, root: str) -> list[str]:
    found: list[str] = []
    for _where, node, role in linked_paths(manifest):
        if role == "icon" or not isinstance(node.value, str):
            continue
        clean = node.value.split("#", 1)[0].split("?", 1)[0].strip()
        if "://" in clean or clean.startswith("//"):
            # an absolute URL is its own finding (the install fails); the page it names
            # in the app is still the one the developer means
            clean = "/" + clean.split("//", 1)[1].partition("/")[2]
        if not clean.strip("/"):
            continue
        target = os.path.normpath(os.path.join(root, clean.lstrip("/")))
        if clean.endswith("/") or os.path.normpath(root) == target:
            target = os.path.join(target, "index.html")
        found.append(target)
    if not any(e.lower().endswith((".html", ".htm")) for e in found):
        found.append(os.path.join(root, "index.html"))  # what the phone opens without one
    return list(dict.fromkeys(found))


def _situation_by_folders(root: str, build: BuildProject | None) -> tuple[str, list[str]] | None:
    """The situation where the folders alone tell it (``None``: the pages must tell)."""
    if build is None:
        return PLAIN, []
    if build.in_output(root):
        return OUTPUT, [f"{_relative(build.root, root)}/ is where {build.label} writes"]
    name = os.path.basename(root)
    if root != build.root and name in COPY_FOLDERS:
        return INPUT, [f"the build copies {name}/ into its output"]
    return None


def _situation_by_pages(
    root: str,
    entries: list[str],
    templated: bool,
    files: FileView,
) -> tuple[str, list[str]]:
    """The situation of a folder inside a build project that it does not copy
    (``templated``: the manifest has placeholders the build fills in)."""
    if templated:
        return INPUT, ["the manifest is a template (placeholders the build fills in)"]
    pages = [e for e in entries if e.lower().endswith((".html", ".htm"))]
    launch = pages[0] if pages else os.path.join(root, "index.html")
    if not files.exists(launch):
        return INPUT, [
            f"the launch page {_relative(root, launch)} is not here: the build creates it"
        ]
    text = files.read_text(launch) or ""
    if placeholder_spans(text):
        return INPUT, [f"the launch page {_relative(root, launch)} is a template"]
    return IN_PLACE, [
        f"the launch page {_relative(root, launch)} is here, beside the build's sources"
    ]


def list_package(root: str, files: FileView) -> list[str] | None:
    """Every file under ``root`` outside node_modules and VCS folders (``None``: too many)."""
    out: list[str] = []
    stack = [root]
    seen: set[str] = set()
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        names = files.list_dir(folder)
        if names is None:
            continue
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name in DEFAULT_EXCLUDED or name.startswith("."):
                continue
            if files.is_dir(path):
                stack.append(path)
            else:
                out.append(path)
            if len(out) > MAX_FILES:
                return None
    return out


_references: dict[tuple[str, object], References] = {}


def references(path: str, files: FileView) -> References | None:
    """What a page or script points at, cached by the file's stamp (or text)."""
    stamp = file_stamp(files, path)
    key = (path, stamp)
    found = _references.get(key)
    if found is not None:
        return found
    text = files.read_text(path)
    if text is None:
        return None
    found = (
        page_references(text)
        if path.lower().endswith((".html", ".htm"))
        else script_references(text)
    )
    if len(_references) > 8192:
        _references.clear()
    _references[key] = found
    return found


def file_stamp(files: FileView, path: str) -> object:
    stamp = getattr(files, "stamp", None)
    if stamp is not None:
        return stamp(path)
    text = files.read_text(path)
    return None if text is None else hash(text)


# -- exclude patterns ---------------------------------------------------------------------


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """gitignore-like: ``*`` within a name, ``**`` across folders; a pattern without ``/``
    matches a name at any depth; a trailing ``/`` matches a folder and what it holds."""
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{''.join(out)}(?:/.*)?$")


def matches_any(relative: str, patterns: Iterable[str]) -> bool:
    return any(_glob_regex(p).match(relative) for p in patterns if p.strip())
