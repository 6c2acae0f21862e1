"""Build kaios_lsp/facts/data/browser_syntax.json: what each build target can parse, and browserslist data.

The file has two parts, made from two npm packages; either can be rebuilt alone.

1. ``features``: for every syntax feature of ``kaios_lsp/facts/data/js_syntax.json`` (same ids, same
   BCD paths, see tools/build_js_syntax.py) the first version of each browser a browserslist,
   Babel or esbuild target can name that parses it, and the ECMAScript edition (``es``) that
   standardised it. Versions come from ``data.json`` of ``@mdn/browser-compat-data`` (BCD) with
   the rules of build_js_syntax.firefox_version applied to each browser: the first support
   statement without flags, prefix, alternative name or partial implementation; ``"≤79"`` gives
   79; ``false``/``null``/``"preview"``/``true`` and a ``version_removed`` give null (never,
   no longer, or unknown). The two entries
   read from a Firefox note (for-of-const, let-in-workers) are Firefox bugs; other browsers get
   the version of the feature the note belongs to.

   The ``es`` edition is the "Expected Publication Year" of the proposal in TC39's list of
   finished proposals (github.com/tc39/proposals, finished-proposals.md) and, for ES2015 and
   earlier, the edition of ECMA-262 that added the syntax. ``null`` = in no published edition
   (import assertions, which were replaced by import attributes; the stage 3 proposals import
   source/defer and explicit resource management ``using``): only an ``esnext`` target keeps it.

2. ``browserslist``: released versions, release dates and global usage of each browserslist
   browser (browserslist ``data``/``usage.global``, i.e. caniuse-lite), its aliases, and the
   resolution of the queries that depend on usage statistics or curated lists (``defaults``,
   ``dead``, ``Firefox ESR``, ``last N versions``…), made by running the real npm
   ``browserslist`` with node. It is stamped with both package versions and the date of the
   newest release in the data (not the build date, so the build is reproducible). The runtime
   reads this file and never runs node.

Get the inputs and build, from the repository root::

    tmp=$(mktemp -d) && (cd "$tmp" && npm pack @mdn/browser-compat-data@8.1.9 \\
        && tar xzf mdn-browser-compat-data-*.tgz \\
        && npm init -y >/dev/null && npm install browserslist@4.29.6 caniuse-lite@1.0.30001829)
    python tools/build_browser_targets.py --bcd "$tmp/package/data.json" --browserslist "$tmp"

Without ``--browserslist`` the ``browserslist`` part of the existing output is kept.
``tests/app/test_build_targets.py`` checks the shipped file (and, when ``KAIOS_LSP_BCD`` names a BCD
data.json, that the ``features`` part is what this script makes from it).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_js_syntax  # same folder; shares the feature table

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "kaios_lsp" / "facts" / "data" / "browser_syntax.json"

# Target name (browserslist, Babel and esbuild spelling) -> BCD browser. Babel's own names
# (ios, opera_mobile) and esbuild's (ios) are spelled as in browserslist here; the runtime maps
# them. Browsers absent here (kaios, op_mini, bb, and_uc, and_qq, baidu) have no BCD data; Babel
# drops them too (@babel/helper-compilation-targets lib/targets.js browserNameMap).
BROWSERS: dict[str, str] = {
    "chrome": "chrome",
    "edge": "edge",
    "firefox": "firefox",
    "safari": "safari",
    "ios_saf": "safari_ios",
    "opera": "opera",
    "samsung": "samsunginternet_android",
    "and_chr": "chrome_android",
    "and_ff": "firefox_android",
    "op_mob": "opera_android",
    "android": "webview_android",
    "ie": "ie",
    "node": "nodejs",
    "deno": "deno",
}

_EDITIONS: dict[int | None, str] = {
    2015: """let const arrow-functions classes template-literals destructuring default-parameters
        rest-parameters spread-in-calls spread-in-arrays generators for-of computed-property-names
        shorthand-properties shorthand-methods new-target block-scoped-functions es-modules
        regexp-sticky regexp-unicode for-of-const let-in-workers""",
    2016: "exponentiation exponentiation-assignment rest-parameter-destructuring",
    2017: "async-functions async-methods trailing-commas-in-functions",
    2018: """async-generators async-generator-methods async-iteration object-spread object-rest
        template-literal-revision regexp-dotall regexp-named-groups regexp-named-backreferences
        regexp-lookbehind regexp-unicode-property-escapes""",
    2019: "optional-catch-binding",
    2020: "bigint optional-chaining nullish-coalescing dynamic-import import-meta export-namespace",
    2021: """numeric-separators logical-or-assignment logical-and-assignment
        nullish-coalescing-assignment""",
    2022: """class-fields-public class-fields-static class-private-fields class-private-methods
        class-static-blocks private-in top-level-await regexp-match-indices module-string-names""",
    2023: "hashbang-comments",
    2024: "regexp-v-flag",
    2025: """import-attributes trailing-comma-in-dynamic-import regexp-duplicate-named-groups
        regexp-modifiers""",
    None: "import-assertions import-source import-defer using-declarations await-using-declarations",
}
# ECMAScript edition per feature id (see the module docstring for the source).
ES_EDITION: dict[str, int | None] = {
    feature_id: year for year, ids in _EDITIONS.items() for feature_id in ids.split()
}

_EXCLUDING = ("flags", "prefix", "alternative_name", "partial_implementation")
_PLAIN = re.compile(r"^(\d+(?:\.\d+)*)$")
_RANGE = re.compile(r"^≤(\d+(?:\.\d+)*)$")


def browser_version(compat: dict, bcd_browser: str) -> str | None:
    """First version of ``bcd_browser`` that parses the feature of one BCD ``__compat`` block."""
    support = compat.get("support", {}).get(bcd_browser) or []
    statements = support if isinstance(support, list) else [support]
    plain = [s for s in statements if not any(key in s for key in _EXCLUDING)]
    if not plain:
        return None
    if plain[0].get("version_removed") not in (None, False):
        return None  # the current statement says support was removed again
    added = plain[0].get("version_added")
    if isinstance(added, str) and (m := _PLAIN.match(added) or _RANGE.match(added)):
        return m.group(1)
    return None


def build_features(bcd: dict) -> dict:
    """The ``features`` part from a parsed BCD data.json (MissingFeature for absent paths)."""
    js_table = build_js_syntax.build(bcd)["features"]  # raises on missing paths
    missing_es = sorted(set(js_table) - set(ES_EDITION))
    if missing_es:
        raise build_js_syntax.MissingFeature("no ES edition for: " + ", ".join(missing_es))
    features: dict[str, dict] = {}
    for feature_id, entry in js_table.items():
        compat = build_js_syntax._compat(bcd, entry["bcd"])
        versions = {name: browser_version(compat, bcd_name) for name, bcd_name in BROWSERS.items()}
        if "bcd_note" in entry:  # a Firefox bug read from a note: Firefox gets the note's version
            versions["firefox"] = versions["and_ff"] = str(entry["firefox"])
        features[feature_id] = {"es": ES_EDITION[feature_id], "versions": versions}
    meta = bcd.get("__meta", {})
    return {
        "source": f"@mdn/browser-compat-data {meta.get('version', 'unknown')}",
        "browsers": BROWSERS,
        "features": features,
    }


# Queries resolved by the real browserslist at build time: those that depend on usage
# statistics or curated lists. Keys are lower case with single spaces. Queries that depend on
# the build machine or today's date (current node, maintained node versions, last N years) are
# left out so that the build is reproducible; the runtime reports them as unknown.
PRECOMPUTED_QUERIES = [
    "defaults",
    "dead",
    "firefox esr",
    "unreleased versions",
    "supports es6-module",
    "supports es6",
    "supports es6-module-dynamic-import",
    "fully supports es6-module",
    *[f"last {n} versions" for n in range(1, 6)],
    *[f"last {n} major versions" for n in range(1, 4)],
]

_NODE_SCRIPT = r"""
const browserslist = require("browserslist");
const queries = JSON.parse(process.argv[1]);
const day = (s) => new Date(s * 1000).toISOString().slice(0, 10);
const agents = {};
let newest = 0;
for (const [name, data] of Object.entries(browserslist.data)) {
  const dates = {};
  for (const [v, s] of Object.entries(data.releaseDate || {})) {
    if (s) { dates[v] = day(s); newest = Math.max(newest, s); }
  }
  const usage = {};
  for (const v of data.versions) {
    const u = browserslist.usage.global[name + " " + v];
    if (u) usage[v] = Math.round(u * 1e6) / 1e6;
  }
  agents[name] = {
    released: data.released,
    unreleased: data.versions.filter((v) => !data.released.includes(v)),
    dates, usage,
  };
}
const resolved = {};
for (const q of queries) {
  const out = {};
  for (const item of browserslist(q, { mobileToDesktop: true })) {
    const [b, v] = item.split(" ");
    (out[b] = out[b] || []).push(v);
  }
  resolved[q] = out;
}
const pkg = (n) => require(n + "/package.json").version;
process.stdout.write(JSON.stringify({
  source: "browserslist " + pkg("browserslist") + ", caniuse-lite " + pkg("caniuse-lite"),
  data_date: day(newest),
  aliases: browserslist.aliases,
  desktop: browserslist.desktopNames,
  agents, queries: resolved,
}));
"""


def build_browserslist(folder: Path) -> dict:
    """The ``browserslist`` part: run node in ``folder`` (which has browserslist installed)."""
    result = subprocess.run(
        ["node", "-e", _NODE_SCRIPT, json.dumps(PRECOMPUTED_QUERIES)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bcd", type=Path, required=True, help="BCD package/data.json")
    parser.add_argument("--browserslist", type=Path, help="folder with npm browserslist installed")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    try:
        data = build_features(json.loads(args.bcd.read_text("utf-8")))
    except build_js_syntax.MissingFeature as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 1
    if args.browserslist:
        data["browserslist"] = build_browserslist(args.browserslist)
    elif args.output.exists():
        data["browserslist"] = json.loads(args.output.read_text("utf-8"))["browserslist"]
    else:
        print("error: --browserslist is needed for a new output file", file=sys.stderr)
        return 1
    args.output.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(
        f"wrote {args.output} ({len(data['features'])} features, {data['source']}; "
        f"{data['browserslist']['source']}, data of {data['browserslist']['data_date']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
