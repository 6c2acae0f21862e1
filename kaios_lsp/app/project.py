"""The build around an app: is there a build step, which tools, and where does it write?

A KaiOS app either ships its folder as written (a plain app, the common Gaia-era shape)
or is built: a bundler or transpiler reads sources and writes the package. Signals, each
kept as a human-readable reason so ``--explain-app`` and hover can say why a file is quiet:

* a ``package.json`` at or above the app whose dependencies or scripts name a bundler or
  transpiler (webpack, Parcel, Vite, Rollup, esbuild, Babel, TypeScript, browserify,
  Grunt, gulp, preact-cli, Vue CLI, Svelte…);
* the config files of those tools (``webpack.config.js``, ``.babelrc``, ``Gruntfile.js``…);
* where the build writes: webpack ``output.path``, ``--dist-dir``/``--out-dir``/``-d``/
  ``-o`` in the scripts, Vite ``build.outDir``, Vue ``outputDir``, preact-cli's ``build/``,
  and the conventional ``dist/`` and ``build/``.

Everything is read through the :class:`FileView` and only as text (config files are never
run), so a broken or half-typed ``package.json`` just gives fewer signals.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from kaios_lsp.app.files import FileView

# npm package -> the build tool it means (a name prefix ends with "/")
TOOL_PACKAGES = {
    "webpack": "webpack",
    "webpack-cli": "webpack",
    "parcel": "parcel",
    "parcel-bundler": "parcel",
    "@parcel/": "parcel",
    "vite": "vite",
    "rollup": "rollup",
    "@rollup/": "rollup",
    "esbuild": "esbuild",
    "@babel/core": "babel",
    "@babel/cli": "babel",
    "babel-core": "babel",
    "babel-cli": "babel",
    "babel-loader": "babel",
    "@babel/preset-env": "babel",
    "typescript": "typescript",
    "ts-loader": "typescript",
    "browserify": "browserify",
    "watchify": "browserify",
    "grunt": "grunt",
    "gulp": "gulp",
    "preact-cli": "preact-cli",
    "@vue/cli-service": "vue-cli",
    "svelte": "svelte",
    "@sveltejs/": "svelte",
    "@swc/core": "swc",
    "swc-loader": "swc",
    "react-scripts": "create-react-app",
    "snowpack": "snowpack",
    "brunch": "brunch",
    "microbundle": "microbundle",
    "gulp-babel": "babel",
}

# config file -> tool
CONFIG_FILES = {
    "webpack.config.js": "webpack",
    "webpack.config.ts": "webpack",
    "webpack.config.mjs": "webpack",
    "webpack.config.cjs": "webpack",
    "webpack.prod.js": "webpack",
    "vite.config.js": "vite",
    "vite.config.ts": "vite",
    "vite.config.mjs": "vite",
    "rollup.config.js": "rollup",
    "rollup.config.mjs": "rollup",
    ".parcelrc": "parcel",
    ".babelrc": "babel",
    ".babelrc.json": "babel",
    ".babelrc.js": "babel",
    "babel.config.js": "babel",
    "babel.config.json": "babel",
    "babel.config.cjs": "babel",
    "tsconfig.json": "typescript",
    "Gruntfile.js": "grunt",
    "Gruntfile.coffee": "grunt",
    "gulpfile.js": "gulp",
    "gulpfile.babel.js": "gulp",
    "preact.config.js": "preact-cli",
    "vue.config.js": "vue-cli",
    "svelte.config.js": "svelte",
    "esbuild.config.js": "esbuild",
    "esbuild.config.mjs": "esbuild",
    "snowpack.config.js": "snowpack",
    ".swcrc": "swc",
    "brunch-config.js": "brunch",
}

# files that can hold the build's syntax targets (judged by KAI410/KAI411)
TARGET_CONFIG_NAMES = frozenset(
    {
        "package.json",
        ".browserslistrc",
        "browserslist",
        ".babelrc",
        ".babelrc.json",
        "babel.config.json",
        "tsconfig.json",
    }
)

# words in package.json scripts -> tool
_SCRIPT_TOOLS = re.compile(
    r"\b(webpack|parcel|vite|rollup|esbuild|babel|tsc|browserify|watchify|grunt|gulp|"
    r"preact|vue-cli-service|svelte-kit|snowpack|brunch|microbundle|react-scripts|swc)\b"
)
_SCRIPT_WORD_TOOL = {  # script words that are not the tool's own name
    "tsc": "typescript",
    "watchify": "browserify",
    "vue-cli-service": "vue-cli",
    "preact": "preact-cli",
    "svelte-kit": "svelte",
    "react-scripts": "create-react-app",
}

# Folders a build copies into its output as they are (static assets, the HTML template):
# a manifest there is build input, not the package.
COPY_FOLDERS = ("public", "static", "assets", "src", "app", "source")
# Where builds write when nothing says otherwise (webpack/Parcel/Vite/Vue: dist, CRA/preact: build).
CONVENTIONAL_OUTPUTS = ("dist", "build", "www", "out")

_OUTPUT_FLAGS = re.compile(
    r"(?:--dist-dir|--out-dir|--outDir|--output-path|--outdir|--dest|(?<![\w-])-d)[= ]+"
    r"([\"']?)([\w./-]+)\1"
)
_OUTPUT_FILE_FLAG = re.compile(r"(?:(?<![\w-])-o|--outfile|--output)[= ]+([\"']?)([\w./-]+)\1")
_WEBPACK_PATH = re.compile(
    r"path\s*:\s*(?:path\.(?:resolve|join)\(\s*__dirname\s*,\s*)?[\"'`]([\w./-]+)[\"'`]"
)
_OUT_DIR = re.compile(r"\b(?:outDir|outputDir|dest|distDir)\s*:\s*[\"'`]([\w./-]+)[\"'`]")
_ENTRY_ARGS = re.compile(
    r"\b(?:browserify|watchify|parcel(?:\s+build|\s+serve|\s+watch)?|esbuild|rollup)\s+"
    r"((?:[\w./-]+\.(?:js|jsx|ts|tsx|mjs|html)\s*)+)"
)
_MAX_LEVELS = 6


@dataclass(frozen=True)
class BuildProject:
    """A folder with a build step: its tools, why we think so, and where it writes."""

    root: str
    tools: tuple[str, ...]
    reasons: tuple[str, ...]
    package_json: dict[str, Any] | None = None
    package_json_path: str | None = None
    config_files: tuple[str, ...] = ()
    output_dirs: tuple[str, ...] = ()  # absolute; existing or configured
    output_files: tuple[str, ...] = ()  # absolute files a script writes (browserify -o)
    entry_files: tuple[str, ...] = ()  # absolute files a script names as input
    scripts: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return ", ".join(self.tools)

    def in_output(self, path: str) -> bool:
        return any(_inside(path, folder) for folder in self.output_dirs)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _read_json(files: FileView, path: str) -> dict[str, Any] | None:
    text = files.read_text(path) if files.exists(path) else None
    if text is None:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # (json recurses: 5,000 nested "[" overflow it)
        return _tolerant_json(text)
    return value if isinstance(value, dict) else None


def _tolerant_json(text: str) -> dict[str, Any] | None:
    """A half-typed package.json still tells its dependencies: read what parses."""
    from kaios_lsp.parse.json.nodes import to_python
    from kaios_lsp.parse.json.tree import parse

    value, _ = to_python(parse(text).root)
    return value if isinstance(value, dict) else None


def _tool_of_package(name: str) -> str | None:
    if name in TOOL_PACKAGES:
        return TOOL_PACKAGES[name]
    for prefix, tool in TOOL_PACKAGES.items():
        if prefix.endswith("/") and name.startswith(prefix):
            return tool
    if name.startswith("babel-preset-") or name.startswith("@babel/preset-"):
        return "babel"
    return None


def find_build_project(app_folder: str, files: FileView) -> BuildProject | None:
    """The build project that contains ``app_folder``, or ``None`` for a plain app.

    Walks up from the app folder (at most a few levels, never past a VCS root) to the
    nearest folder with a ``package.json`` or a build config file.
    """
    folder = os.path.abspath(app_folder)
    for _ in range(_MAX_LEVELS):
        project = _project_at(folder, files)
        if project is not None:
            return project
        if any(files.exists(os.path.join(folder, vcs)) for vcs in (".git", ".hg", ".svn")):
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    return None


def _project_at(folder: str, files: FileView) -> BuildProject | None:
    names = files.list_dir(folder)
    if not names:
        return None
    present = set(names)
    if "package.json" not in present and not (present & set(CONFIG_FILES)):
        return None
    tools: dict[str, None] = {}
    reasons: list[str] = []
    package_path = os.path.join(folder, "package.json")
    package = _read_json(files, package_path) if "package.json" in present else None
    scripts: dict[str, str] = {}
    if package is not None:
        found = []
        for key in ("dependencies", "devDependencies"):
            deps = package.get(key)
            if isinstance(deps, dict):
                for name in deps:
                    tool = _tool_of_package(str(name))
                    if tool is not None:
                        found.append(str(name))
                        tools.setdefault(tool)
        if found:
            reasons.append("package.json depends on " + ", ".join(sorted(found)[:6]))
        raw_scripts = package.get("scripts")
        if isinstance(raw_scripts, dict):
            scripts = {str(k): str(v) for k, v in raw_scripts.items() if isinstance(v, str)}
        used = []
        for name, command in scripts.items():
            for match in _SCRIPT_TOOLS.finditer(command):
                word = match.group(1)
                tools.setdefault(_SCRIPT_WORD_TOOL.get(word, word))
                used.append(f'"{name}": {command}')
                break
        if used:
            reasons.append("package.json scripts: " + "; ".join(used[:3]))
    configs = sorted(n for n in present if n in CONFIG_FILES)
    tsconfig_only_checks = "tsconfig.json" in present and _ts_no_emit(files, folder)
    for name in configs:
        if name == "tsconfig.json" and tsconfig_only_checks:
            continue
        tools.setdefault(CONFIG_FILES[name])
    shown = [n for n in configs if not (n == "tsconfig.json" and tsconfig_only_checks)]
    if shown:
        reasons.append("build config: " + ", ".join(shown))
    if not tools:
        return None
    outputs, output_files, entries = _outputs(folder, files, scripts, configs, tuple(tools))
    return BuildProject(
        root=folder,
        tools=tuple(tools),
        reasons=tuple(reasons),
        package_json=package,
        package_json_path=package_path if package is not None else None,
        config_files=tuple(os.path.join(folder, n) for n in configs),
        output_dirs=outputs,
        output_files=output_files,
        entry_files=entries,
        scripts=scripts,
    )


def _ts_no_emit(files: FileView, folder: str) -> bool:
    """A tsconfig with ``noEmit`` only type-checks (JS apps use it for editor help)."""
    text = files.read_text(os.path.join(folder, "tsconfig.json")) or ""
    return re.search(r"\"noEmit\"\s*:\s*true", text) is not None


def _outputs(
    root: str, files: FileView, scripts: dict[str, str], configs: list[str], tools: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(output folders, output files, entry files) the build names or conventionally uses."""
    folders: list[str] = []
    out_files: list[str] = []
    entries: list[str] = []

    def add_folder(relative: str) -> None:
        relative = relative.strip().rstrip("/")
        if not relative or relative in (".", "./") or relative.startswith(".."):
            return
        absolute = os.path.normpath(os.path.join(root, relative))
        if absolute != root and absolute not in folders:
            folders.append(absolute)

    for command in scripts.values():
        for match in _OUTPUT_FLAGS.finditer(command):
            add_folder(match.group(2))
        for match in _OUTPUT_FILE_FLAG.finditer(command):
            target = os.path.normpath(os.path.join(root, match.group(2)))
            if os.path.splitext(target)[1]:
                out_files.append(target)
            else:
                add_folder(match.group(2))
        for match in _ENTRY_ARGS.finditer(command):
            for word in match.group(1).split():
                entries.append(os.path.normpath(os.path.join(root, word)))
    for name in configs:
        text = files.read_text(os.path.join(root, name)) or ""
        if CONFIG_FILES[name] == "webpack":
            for match in _WEBPACK_PATH.finditer(text):
                add_folder(match.group(1))
        if CONFIG_FILES[name] in ("vite", "vue-cli", "grunt", "gulp", "rollup", "esbuild"):
            for match in _OUT_DIR.finditer(text):
                add_folder(match.group(1))
    conventional = ("build",) if "preact-cli" in tools or "create-react-app" in tools else ()
    for name in (*conventional, *CONVENTIONAL_OUTPUTS):
        if files.is_dir(os.path.join(root, name)) or name in conventional:
            add_folder(name)
    if not folders and any(t in tools for t in ("webpack", "parcel", "vite", "vue-cli")):
        add_folder("dist")  # their default output, even before the first build
    return tuple(folders), tuple(out_files), tuple(entries)
