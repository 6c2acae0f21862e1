"""kaios_lsp/facts/data/js_syntax.json: which Firefox (Gecko) version first ran each JS syntax.

The anchors below were read by hand from MDN browser-compat-data 8.1.9, independently of
tools/build_js_syntax.py. Set KAIOS_LSP_BCD to a BCD package/data.json to also check that
the shipped file is what the script makes from it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

SHIPPED = ROOT / "kaios_lsp" / "facts" / "data" / "js_syntax.json"
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"duplicate keys in js_syntax.json: {duplicates}"
    return dict(pairs)


DATA = json.loads(SHIPPED.read_text("utf-8"), object_pairs_hook=_no_duplicate_keys)
FEATURES = DATA["features"]


def _tool():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_js_syntax
    finally:
        sys.path.pop(0)
    return build_js_syntax


def test_header() -> None:
    assert set(DATA) == {"source", "engines", "features", "notes"}
    assert re.fullmatch(r"@mdn/browser-compat-data \d+\.\d+\.\d+", DATA["source"])
    assert DATA["engines"] == {"2.5": 48, "3.0": 84}


def test_every_feature_is_well_formed() -> None:
    assert len(FEATURES) >= 60
    for feature_id, entry in FEATURES.items():
        assert KEBAB.match(feature_id), feature_id
        assert set(entry) - {"bcd_note"} == {"name", "bcd", "firefox"}, feature_id
        assert isinstance(entry["name"], str) and entry["name"].strip(), feature_id
        assert re.fullmatch(r"javascript(\.[\w@]+)+", entry["bcd"]), feature_id
        version = entry["firefox"]
        assert version is None or (type(version) is int and 1 <= version < 1000), feature_id


def test_names_and_paths_are_unique() -> None:
    names = [entry["name"] for entry in FEATURES.values()]
    assert len(names) == len(set(names))
    # Entries read from a BCD note share the path of the feature the note belongs to.
    paths = [entry["bcd"] for entry in FEATURES.values() if "bcd_note" not in entry]
    assert len(paths) == len(set(paths))


def test_unknown_versions_are_explained() -> None:
    noted = {note.split(":", 1)[0] for note in DATA["notes"]}
    assert noted <= set(FEATURES)
    unknown = {feature_id for feature_id, entry in FEATURES.items() if entry["firefox"] is None}
    assert unknown <= noted
    assert unknown == {"import-assertions", "import-defer"}


REQUESTED = [
    "async-functions",
    "async-generators",
    "async-iteration",
    "exponentiation",
    "exponentiation-assignment",
    "object-spread",
    "object-rest",
    "optional-chaining",
    "nullish-coalescing",
    "logical-or-assignment",
    "logical-and-assignment",
    "nullish-coalescing-assignment",
    "class-fields-public",
    "class-fields-static",
    "class-private-fields",
    "class-private-methods",
    "class-static-blocks",
    "private-in",
    "optional-catch-binding",
    "bigint",
    "numeric-separators",
    "trailing-commas-in-functions",
    "dynamic-import",
    "import-meta",
    "top-level-await",
    "hashbang-comments",
    "regexp-named-groups",
    "regexp-lookbehind",
    "regexp-dotall",
    "regexp-unicode-property-escapes",
    "regexp-match-indices",
    "regexp-sticky",
    "regexp-unicode",
    "regexp-v-flag",
    "template-literals",
    "arrow-functions",
    "classes",
    "let",
    "const",
    "destructuring",
    "default-parameters",
    "rest-parameters",
    "spread-in-calls",
    "spread-in-arrays",
    "generators",
    "for-of",
    "computed-property-names",
    "shorthand-properties",
    "shorthand-methods",
    "new-target",
    "block-scoped-functions",
    "es-modules",
]


def test_requested_features_are_present() -> None:
    assert sorted(set(REQUESTED) - set(FEATURES)) == []


# Values from BCD 8.1.9 (read by hand; see the module docstring).
ANCHORS = {
    "arrow-functions": 22,
    "const": 36,
    "let": 44,
    "classes": 45,
    "for-of": 13,
    "destructuring": 41,
    "block-scoped-functions": 46,
    "regexp-unicode": 46,
    "exponentiation": 52,
    "async-functions": 52,
    "trailing-commas-in-functions": 52,
    "object-spread": 55,
    "object-rest": 55,
    "async-iteration": 57,
    "async-generators": 57,
    "optional-catch-binding": 58,
    "es-modules": 60,
    "import-meta": 62,
    "dynamic-import": 67,
    "bigint": 68,
    "class-fields-public": 69,
    "numeric-separators": 70,
    "nullish-coalescing": 72,
    "optional-chaining": 74,
    "class-fields-static": 75,
    "regexp-lookbehind": 78,
    "regexp-named-groups": 78,
    "regexp-dotall": 78,
    "logical-or-assignment": 79,
    "nullish-coalescing-assignment": 79,
    "regexp-match-indices": 88,
    "top-level-await": 89,
    "class-private-fields": 90,
    "class-private-methods": 90,
    "private-in": 90,
    "class-static-blocks": 93,
    "regexp-v-flag": 116,
    "for-of-const": 51,
    "let-in-workers": 54,
}


@pytest.mark.parametrize(("feature_id", "firefox"), sorted(ANCHORS.items()))
def test_anchor(feature_id: str, firefox: int) -> None:
    assert FEATURES[feature_id]["firefox"] == firefox


def _runs_on(gecko: int) -> set[str]:
    return {i for i, e in FEATURES.items() if e["firefox"] is not None and e["firefox"] <= gecko}


def test_kaios_25_gecko_48() -> None:
    has = _runs_on(DATA["engines"]["2.5"])
    assert {"arrow-functions", "classes", "let", "const", "template-literals", "for-of"} <= has
    assert {"destructuring", "generators", "block-scoped-functions", "regexp-unicode"} <= has
    lacks = {"optional-chaining", "nullish-coalescing", "async-functions", "exponentiation"}
    lacks |= {"object-spread", "trailing-commas-in-functions", "es-modules", "for-of-const"}
    assert not lacks & has


def test_kaios_30_gecko_84() -> None:
    has = _runs_on(DATA["engines"]["3.0"])
    assert {"optional-chaining", "nullish-coalescing", "async-functions", "es-modules"} <= has
    assert {"class-fields-public", "class-fields-static", "logical-or-assignment"} <= has
    assert {"regexp-lookbehind", "regexp-named-groups", "bigint", "dynamic-import"} <= has
    lacks = {"class-private-fields", "class-private-methods", "private-in", "top-level-await"}
    lacks |= {"class-static-blocks", "regexp-match-indices", "regexp-v-flag", "import-defer"}
    assert not lacks & has


def test_shipped_ids_follow_the_script() -> None:
    tool = _tool()
    ids = [f[0] for f in tool.FEATURES] + [f[0] for f in tool.FROM_NOTES]
    assert ids == list(FEATURES)
    assert DATA["engines"] == tool.ENGINES


def _compat(*statements: dict) -> dict:
    firefox = list(statements) if len(statements) > 1 else statements[0]
    return {"support": {"firefox": firefox, "chrome": {"version_added": "1"}}}


def test_first_plain_statement_wins() -> None:
    tool = _tool()
    flagged = {"version_added": "60", "flags": [{"type": "preference", "name": "x"}]}
    prefixed = {"version_added": "40", "prefix": "moz"}
    renamed = {"version_added": "30", "alternative_name": "old"}
    partial = {"version_added": "50", "partial_implementation": True}
    plain = {"version_added": "70"}
    older = {"version_added": "20", "version_removed": "25"}
    assert tool.firefox_version(_compat(flagged, prefixed, renamed, partial, plain, older)) == (
        70,
        None,
    )
    assert tool.firefox_version(_compat({"version_added": "1.5"}))[0] == 1


@pytest.mark.parametrize("added", ["preview", False, True, None])
def test_unknown_version_is_null_with_a_note(added: object) -> None:
    version, note = _tool().firefox_version(_compat({"version_added": added}))
    assert version is None
    assert note and json.dumps(added) in note


def test_ranged_version_takes_the_number_and_notes_it() -> None:
    version, note = _tool().firefox_version(_compat({"version_added": "≤50"}))
    assert version == 50
    assert note and "≤50" in note


def test_flag_only_support_is_null() -> None:
    flagged = {"version_added": "100", "flags": [{"type": "preference", "name": "x"}]}
    version, note = _tool().firefox_version(_compat(flagged))
    assert version is None
    assert note and "flags" in note


def test_missing_path_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tool = _tool()
    bcd = {"__meta": {"version": "0.0.1"}, "javascript": {}}
    with pytest.raises(tool.MissingFeature):
        tool.build(bcd)
    (tmp_path / "data.json").write_text(json.dumps(bcd), "utf-8")
    out = tmp_path / "out.json"
    code = tool.main(["--bcd", str(tmp_path / "data.json"), "--output", str(out)])
    assert code == 1
    assert not out.exists()
    assert "javascript.operators.optional_chaining" in capsys.readouterr().err


BCD = os.environ.get("KAIOS_LSP_BCD")


@pytest.mark.skipif(not BCD, reason="KAIOS_LSP_BCD (a BCD package/data.json) is not set")
def test_shipped_file_is_built_from_bcd() -> None:
    bcd = json.loads(Path(BCD or "").read_text("utf-8"))
    assert _tool().build(bcd) == DATA
