"""What runs: the pages and scripts an entry point of the app reaches.

Entry points come from the manifest (launch page, activity and system-message pages,
the service worker, entry points). From each reached page: ``<script src>``,
``<iframe>``/``<frame>``/``<object>`` sources, local links and form actions, and its
inline scripts. From each reached script: every string that names a file of the app
(``importScripts('a.js')``, ``new Worker(...)``, ``serviceWorker.register(...)``,
``import``/``require``, ``window.open('x.html')``, ``LazyLoader.load([...])``, an AMD
module name): a generous reading, because a file wrongly called "not opened" would hide
real findings, while a file wrongly called "opened" only keeps today's behaviour.

A script that loads by a computed name (``s.src = 'js/views/' + name + '.js'``) reaches
everything under the folder its static prefix names; with no usable prefix, or with a
module loader such as require.js, it reaches every file of the app.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from kaios_lsp.parse.html import scan

PAGE_SUFFIXES = (".html", ".htm")
SCRIPT_SUFFIXES = (".js", ".mjs", ".jsx", ".ts", ".tsx")
RUNNABLE_SUFFIXES = PAGE_SUFFIXES + SCRIPT_SUFFIXES

# HTML attributes that load or open another local document
_LOADING_ATTRS = {
    "script": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "a": ("href",),
    "area": ("href",),
    "form": ("action",),
    "link": ("href",),
    "button": ("formaction",),
    "input": ("formaction",),
}
# strings that can name a file: path characters only (most strings of a script are not)
_STRING = re.compile(r"""(["'`])([\w$@~+.,/?#=&%-]{1,300})\1""")
# a string ending in "/" (or a template head) followed by + or ${: a computed name's prefix
_PREFIX_CONCAT = re.compile(r"""(["'])([\w./-]*/[\w.-]*)\1\s*\+""")
_PREFIX_TEMPLATE = re.compile(r"`([\w./-]*/[\w.-]*)\$\{")
# loaders whose argument is not a plain string literal
_COMPUTED_LOADERS = re.compile(
    r"""(?:\bimportScripts|\bnew\s+(?:Shared)?Worker|\bimport|serviceWorker\.register|"""
    r"""\bLazyLoader\.load|\brequire|\brequirejs|\bloadScripts?|\bgetScript)\s*\(\s*"""
    r"""(?!["'`]|\[\s*["'`]|\)|function\b)"""
)
_SCRIPT_SRC_ASSIGN = re.compile(r"""\.src\s*=\s*(?!["'`][^"'`]*["'`]\s*[;\n,)])""")
_CREATES_SCRIPT = re.compile(r"""createElement\(\s*["']script["']\s*\)""")
_MODULE_LOADER = re.compile(
    # (a UMD wrapper's `define.amd` test only asks whether a loader is there)
    r"""\brequirejs\s*\.\s*config\b|\brequire\s*\.\s*config\s*\(|\bSystem\.import\s*\("""
)


@dataclass
class References:
    """What one page or script points at (app-relative POSIX paths, unresolved)."""

    urls: list[str] = field(default_factory=list)  # relative to the document
    strings: list[str] = field(default_factory=list)  # any string literal (generous)
    prefixes: list[str] = field(default_factory=list)  # static prefixes of computed names
    computed: str | None = None  # why everything counts as reached (no usable prefix)
    inline_scripts: list[str] = field(default_factory=list)


def page_references(text: str) -> References:
    refs = References()
    doc = scan(text)
    for tag in doc.elements(*_LOADING_ATTRS):
        for name in _LOADING_ATTRS[tag.name]:
            value = tag.value(name)
            if value:
                refs.urls.append(value)
        if tag.name == "script" and tag.value("data-main"):  # require.js entry
            refs.urls.append(tag.value("data-main") or "")
            refs.computed = "a page starts require.js (data-main)"
    for tag in doc.elements("script"):
        if not tag.has("src") and tag.content_start >= 0:
            body = text[tag.content_start : tag.content_end]
            if body.strip():
                refs.inline_scripts.append(body)
    for body in refs.inline_scripts:
        _merge(refs, script_references(body))
    for tag in doc.elements():
        for attr in tag.attrs:
            if attr.name.startswith("on") and attr.value:
                _merge(refs, script_references(attr.value))
    return refs


def _merge(into: References, other: References) -> None:
    into.strings += other.strings
    into.prefixes += other.prefixes
    into.computed = into.computed or other.computed


def script_references(text: str) -> References:
    refs = References()
    # each string once: the app model keeps these for every script of the app, and
    # scripts repeat their strings (keys, event names, "use strict") many times
    refs.strings = list(dict.fromkeys(match.group(2) for match in _STRING.finditer(text)))
    for match in _PREFIX_CONCAT.finditer(text):
        refs.prefixes.append(match.group(2))
    for match in _PREFIX_TEMPLATE.finditer(text):
        refs.prefixes.append(match.group(1))
    if _MODULE_LOADER.search(text):
        refs.computed = "a script configures a module loader (require.js/AMD/SystemJS)"
    elif not refs.prefixes:
        loader = _COMPUTED_LOADERS.search(text)
        if loader is not None:
            refs.computed = (
                f"a script loads a computed name: {text[loader.start() : loader.end()].strip()}…"
            )
        elif _CREATES_SCRIPT.search(text) and _SCRIPT_SRC_ASSIGN.search(text):
            refs.computed = "a script creates <script> elements with a computed src"
    return refs


@dataclass
class Reach:
    """The result: what the entry points reach, and why everything might be."""

    entries: list[str]
    reached: set[str]
    everything: str | None = None  # reason every file counts as reached
    prefixes: set[str] = field(default_factory=set)

    def is_reached(self, path: str) -> bool:
        if self.everything is not None or path in self.reached:
            return True
        return any(path.startswith(prefix) for prefix in self.prefixes)


@dataclass
class _Index:
    """Lookups over one listing of the package, built once per listing."""

    by_relative: dict[str, str]
    by_suffix: dict[str, list[str]]
    stems: set[str]
    known: set[str]
    folded: dict[str, str]
    folded_relative: dict[str, str]


_IndexKey = tuple[str, int, int]  # (package root, number of files, hash of their paths)
_indexes: dict[_IndexKey, _Index] = {}
# (listing key, file, file stamp) -> (files it opens, folders it opens, why it opens all)
_edges: dict[
    tuple[_IndexKey, str, object], tuple[tuple[str, ...], tuple[str, ...], str | None]
] = {}


def _index(root: str, package_files: list[str]) -> tuple[_IndexKey, _Index]:
    key = (root, len(package_files), hash(tuple(package_files)))
    found = _indexes.get(key)
    if found is None:
        by_relative = {_relative(root, p): p for p in package_files}
        by_suffix: dict[str, list[str]] = {}
        for relative, path in by_relative.items():
            parts = relative.split("/")
            for i in range(len(parts)):
                by_suffix.setdefault("/".join(parts[i:]), []).append(path)
        found = _Index(
            by_relative,
            by_suffix,
            {posixpath.splitext(r.rsplit("/", 1)[-1])[0] for r in by_relative},
            set(package_files),
            {p.lower(): p for p in package_files},
            {r.lower(): p for r, p in by_relative.items()},
        )
        if len(_indexes) > 64:
            _indexes.clear()
        _indexes[key] = found
    return key, found


def compute_reach(
    root: str,
    entries: Iterable[str],
    package_files: list[str],
    references_of: Callable[[str], References | None],  # (cached by the caller)
    stamp_of: Callable[[str], object] | None = None,  # what changes with a file's text
) -> Reach:
    """Walk from ``entries`` (absolute paths) through the references of each file. What a
    file opens is resolved once per version of it (and listing of the package)."""
    key, index = _index(root, package_files)
    # A reference in the wrong letter case is reported by its own rule; here it still
    # says which file the developer means (the page it names is not "unopened").
    entry_list = [
        e if e in index.known else index.folded[e.lower()]
        for e in entries
        if e.lower() in index.folded
    ]
    reached: set[str] = set()
    prefixes: set[str] = set()
    everything: str | None = None
    if not any(e.lower().endswith(PAGE_SUFFIXES) for e in entry_list):
        everything = "the launch page does not exist (yet): nothing can be judged unopened"
    queue = list(entry_list)
    while queue:
        path = queue.pop()
        if path in reached:
            continue
        reached.add(path)
        if not path.lower().endswith(RUNNABLE_SUFFIXES):
            continue
        cache_key = (key, path, stamp_of(path)) if stamp_of is not None else None
        edges = _edges.get(cache_key) if cache_key is not None else None
        if edges is None:
            refs = references_of(path)
            if refs is None:
                continue
            edges = _edges_of(root, path, refs, index, package_files)
            if cache_key is not None:
                if len(_edges) > 16384:
                    _edges.clear()
                _edges[cache_key] = edges
        targets, folders, computed = edges
        if computed and everything is None:
            everything = f"{computed} ({_relative(root, path)})"
        queue += targets
        for folder in folders:
            prefixes.add(folder)
            queue += [p for p in package_files if p.startswith(folder)]
    return Reach(entry_list, reached, everything, prefixes)


def _edges_of(
    root: str, path: str, refs: References, index: _Index, package_files: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    base = posixpath.dirname(_relative(root, path))
    targets: list[str] = []
    for url in refs.urls:
        target = _resolve(url, base)
        if target is None:
            continue
        if target in index.by_relative:
            targets.append(index.by_relative[target])
        elif target.lower() in index.folded_relative:
            targets.append(index.folded_relative[target.lower()])
    for text in refs.strings:
        if "/" not in text and "." not in text and text not in index.stems:
            continue  # most strings of a script name no file: skip them cheaply
        targets += _string_targets(text, base, index.by_relative, index.by_suffix)
    folders: list[str] = []
    for prefix in refs.prefixes:
        for folder in {_resolve(prefix, base), _resolve(prefix, "")}:
            if folder is None:
                continue
            absolute = os.path.join(root, *folder.split("/"))
            if not prefix.endswith("/"):
                absolute = os.path.dirname(absolute)
            folders.append(absolute.rstrip(os.sep) + os.sep)
    return tuple(dict.fromkeys(targets)), tuple(dict.fromkeys(folders)), refs.computed


def _relative(root: str, path: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def _resolve(url: str, base: str) -> str | None:
    """An app-relative path for a local URL, or ``None`` for remote and special URLs."""
    url = url.strip()
    if not url or url.startswith(("#", "//", "data:", "javascript:", "mailto:", "tel:", "sms:")):
        return None
    parts = urlsplit(url)
    if parts.scheme and parts.scheme != "app":
        return None
    path = unquote(parts.path)
    if parts.scheme == "app":  # app://<origin>/path
        base = ""
    if not path:
        return None
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
    normal = posixpath.normpath(joined)
    if normal.startswith("..") or normal == ".":
        return None
    return normal


def _string_targets(
    text: str, base: str, by_relative: dict[str, str], by_suffix: dict[str, list[str]]
) -> Iterable[str]:
    """Files a string in a script may name: as a URL from the script's folder or the app
    root, with or without ``.js``, or as the tail of a path (module names under a base)."""
    if text.startswith(("http:", "https:", "data:", "blob:")) or "*" in text:
        return ()
    found: list[str] = []
    for relative_base in (base, ""):
        target = _resolve(text, relative_base)
        if target is None:
            continue
        for candidate in (target, target + ".js"):
            if candidate in by_relative:
                found.append(by_relative[candidate])
    clean = text.split("?")[0].split("#")[0].lstrip("./").lstrip("/")
    if clean:
        for candidate in (clean, clean + ".js"):
            if "/" in candidate or candidate.endswith(RUNNABLE_SUFFIXES):
                found += by_suffix.get(candidate, ())
    return found
