"""A build's target setting as found in a config file, what the search for them answers,
and the tool facts (names, defaults) the config readers share."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_CONFIG_CHARS = 1_000_000  # a config file bigger than this is not read
ESNEXT = 9999  # the ES "year" of esnext/ESNext: every standard and proposal syntax is kept
ES5 = 2009
ES3 = 1999

# Target names of Babel (``targets`` object keys) and esbuild mapped to browserslist names.
TOOL_NAMES = {
    "ios": "ios_saf",
    "opera_mobile": "op_mob",
    "ie_mob": "ie",
    "nodejs": "node",
    "samsunginternet_android": "samsung",
    "chrome_android": "and_chr",
    "firefox_android": "and_ff",
}

# @babel/compat-data 7.29.7 data/native-modules.json "es6.module" (what esmodules: true means).
BABEL_ESMODULES = {
    "chrome": 61.0,
    "and_chr": 61.0,
    "edge": 16.0,
    "firefox": 60.0,
    "and_ff": 60.0,
    "node": 13.2,
    "opera": 48.0,
    "op_mob": 45.0,
    "safari": 10.1,
    "ios_saf": 10.3,
    "samsung": 8.2,
    "android": 61.0,
}

# Vite build.target defaults per major version (see the module docstring).
VITE_DEFAULTS: dict[int, tuple[str, ...]] = {
    3: ("es2020", "edge88", "firefox78", "chrome87", "safari13"),
    4: ("es2020", "edge88", "firefox78", "chrome87", "safari14"),
    5: ("es2020", "edge88", "firefox78", "chrome87", "safari14"),
    6: ("es2020", "edge88", "firefox78", "chrome87", "safari14"),
    7: ("chrome107", "edge107", "firefox104", "safari16"),
    8: ("chrome111", "edge111", "firefox114", "safari16.4", "ios16.4"),
}
PARCEL_DEFAULT_BROWSERS = (
    "last 1 Chrome version, last 1 Safari version, last 1 Firefox version, last 1 Edge version"
)


@dataclass(frozen=True)
class TargetSetting:
    path: str  # absolute path of the file that holds the setting
    start: int  # offsets (code points) of the value's text in that file
    end: int
    tool: str  # "browserslist", "babel", "typescript", "esbuild", "vite", "parcel"
    where: str  # human words: "browserslist in package.json"…
    query: str  # the setting as written
    resolved: dict[str, float] | None  # browser (or "es": edition year) -> lowest version
    reason: str | None  # why it could not be resolved (None when resolved)


@dataclass(frozen=True)
class BuildTargets:
    settings: tuple[TargetSetting, ...]  # every target setting found
    effective: TargetSetting | None  # the one the transpiler uses
    transpiler: str | None  # "babel", "typescript", "esbuild", "swc", "vite", "parcel" or None
    no_target_keeps_syntax: bool | None  # with no target: True keeps modern syntax, False ES5
    # The transpiler's built-in target when no setting is written (Vite's build.target default,
    # Parcel's default browsers, esbuild's esnext, TypeScript's default); start == end == 0.
    default: TargetSetting | None = field(default=None)
