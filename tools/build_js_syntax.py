"""Build kaios_lsp/facts/data/js_syntax.json: the Firefox version that first ran each JS syntax.

Input: ``data.json`` of the npm package ``@mdn/browser-compat-data`` (BCD). Get it with::

    tmp=$(mktemp -d) && cd "$tmp"
    npm pack @mdn/browser-compat-data          # or @mdn/browser-compat-data@8.1.9
    tar xzf mdn-browser-compat-data-*.tgz      # data.json is in package/

then run, from the repository root::

    python tools/build_js_syntax.py --bcd "$tmp/package/data.json"

For each feature below the Firefox version is the ``version_added`` of the first Firefox
support statement with no ``flags``, ``prefix``, ``alternative_name`` or
``partial_implementation`` (BCD lists the current statement first). A version that is not
a plain number is explained in the ``notes`` array: ``"preview"``, ``false``, ``true`` or
``null`` give ``firefox: null``; a range such as ``"≤50"`` gives 50. A BCD path that is
missing is an error: BCD renamed something and the table below needs a look.

``tests/facts/test_js_syntax_data.py`` checks the shipped file (and, when ``KAIOS_LSP_BCD`` names
a BCD data.json, that the shipped file is what this script makes from it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "kaios_lsp" / "facts" / "data" / "js_syntax.json"

# KaiOS version -> Gecko (Firefox) version of its engine.
ENGINES = {"2.5": 48, "3.0": 84}

# (id, short name, BCD path). Order is kept in the output: ES2015-era first, then by topic.
FEATURES: list[tuple[str, str, str]] = [
    # ES2015 and earlier Gecko syntax (all present in Gecko 48)
    ("let", "let declarations", "javascript.statements.let"),
    ("const", "const declarations", "javascript.statements.const"),
    ("arrow-functions", "arrow functions (=>)", "javascript.functions.arrow_functions"),
    ("classes", "class declarations", "javascript.statements.class"),
    ("template-literals", "template literals", "javascript.grammar.template_literals"),
    ("destructuring", "destructuring assignment", "javascript.operators.destructuring"),
    ("default-parameters", "default parameters", "javascript.functions.default_parameters"),
    ("rest-parameters", "rest parameters (...args)", "javascript.functions.rest_parameters"),
    (
        "spread-in-calls",
        "spread in function calls",
        "javascript.operators.spread.spread_in_function_calls",
    ),
    (
        "spread-in-arrays",
        "spread in array literals",
        "javascript.operators.spread.spread_in_arrays",
    ),
    ("generators", "generator functions (function*)", "javascript.statements.generator_function"),
    ("for-of", "for...of loops", "javascript.statements.for_of"),
    (
        "computed-property-names",
        "computed property names",
        "javascript.operators.object_initializer.computed_property_names",
    ),
    (
        "shorthand-properties",
        "shorthand property names",
        "javascript.operators.object_initializer.shorthand_property_names",
    ),
    (
        "shorthand-methods",
        "shorthand method definitions",
        "javascript.operators.object_initializer.shorthand_method_names",
    ),
    ("new-target", "new.target", "javascript.operators.new_target"),
    (
        "block-scoped-functions",
        "block-level function declarations",
        "javascript.functions.block_level_functions",
    ),
    # ES2016-ES2017
    ("exponentiation", "exponentiation operator (**)", "javascript.operators.exponentiation"),
    (
        "exponentiation-assignment",
        "exponentiation assignment (**=)",
        "javascript.operators.exponentiation_assignment",
    ),
    ("async-functions", "async functions and await", "javascript.statements.async_function"),
    ("async-methods", "async methods", "javascript.functions.method_definitions.async_methods"),
    (
        "trailing-commas-in-functions",
        "trailing commas in parameter and argument lists",
        "javascript.grammar.trailing_commas.trailing_commas_in_functions",
    ),
    (
        "rest-parameter-destructuring",
        "destructuring rest parameters (...[a, b])",
        "javascript.functions.rest_parameters.destructuring",
    ),
    # ES2018
    (
        "async-generators",
        "async generator functions (async function*)",
        "javascript.statements.async_generator_function",
    ),
    (
        "async-generator-methods",
        "async generator methods",
        "javascript.functions.method_definitions.async_generator_methods",
    ),
    ("async-iteration", "for await...of loops", "javascript.statements.for_await_of"),
    (
        "object-spread",
        "spread in object literals ({...obj})",
        "javascript.operators.spread.spread_in_object_literals",
    ),
    (
        "object-rest",
        "rest in object destructuring ({a, ...rest})",
        "javascript.operators.destructuring.rest_in_objects",
    ),
    (
        "template-literal-revision",
        "invalid escapes in tagged templates",
        "javascript.grammar.template_literals.template_literal_revision",
    ),
    # ES2019-ES2020
    (
        "optional-catch-binding",
        "optional catch binding (catch {})",
        "javascript.statements.try_catch.optional_catch_binding",
    ),
    ("hashbang-comments", "hashbang comments (#!)", "javascript.grammar.hashbang_comments"),
    ("bigint", "BigInt literals (10n)", "javascript.builtins.BigInt"),
    ("optional-chaining", "optional chaining (?.)", "javascript.operators.optional_chaining"),
    ("nullish-coalescing", "nullish coalescing (??)", "javascript.operators.nullish_coalescing"),
    # ES2021
    ("numeric-separators", "numeric separators (1_000)", "javascript.grammar.numeric_separators"),
    (
        "logical-or-assignment",
        "logical OR assignment (||=)",
        "javascript.operators.logical_or_assignment",
    ),
    (
        "logical-and-assignment",
        "logical AND assignment (&&=)",
        "javascript.operators.logical_and_assignment",
    ),
    (
        "nullish-coalescing-assignment",
        "nullish coalescing assignment (??=)",
        "javascript.operators.nullish_coalescing_assignment",
    ),
    # Classes (ES2022)
    (
        "class-fields-public",
        "public instance class fields",
        "javascript.classes.public_class_fields",
    ),
    ("class-fields-static", "static class fields", "javascript.classes.static.class_fields"),
    (
        "class-private-fields",
        "private class fields (#x)",
        "javascript.classes.private_class_fields",
    ),
    (
        "class-private-methods",
        "private class methods and accessors",
        "javascript.classes.private_class_methods",
    ),
    (
        "class-static-blocks",
        "class static initialization blocks",
        "javascript.classes.static.initialization_blocks",
    ),
    (
        "private-in",
        "private brand checks (#x in obj)",
        "javascript.classes.private_class_fields_in",
    ),
    # Modules
    ("es-modules", "import and export statements", "javascript.statements.import"),
    ("import-meta", "import.meta", "javascript.operators.import_meta"),
    ("dynamic-import", "dynamic import()", "javascript.operators.import"),
    ("export-namespace", "export * as name", "javascript.statements.export.namespace"),
    (
        "module-string-names",
        "string names in import and export lists",
        "javascript.statements.import.arbitrary_module_namespace_identifier_names",
    ),
    ("top-level-await", "top-level await", "javascript.operators.await.top_level"),
    (
        "import-attributes",
        "import attributes (with { type })",
        "javascript.statements.import.import_attributes",
    ),
    (
        "import-assertions",
        "import assertions (assert { type })",
        "javascript.statements.import.import_assertions",
    ),
    (
        "trailing-comma-in-dynamic-import",
        "trailing comma in import()",
        "javascript.grammar.trailing_commas.trailing_commas_in_dynamic_import",
    ),
    (
        "import-source",
        "source phase imports (import source)",
        "javascript.statements.import.import_source",
    ),
    ("import-defer", "deferred imports (import defer)", "javascript.statements.import.defer"),
    # Explicit resource management
    ("using-declarations", "using declarations", "javascript.statements.using"),
    ("await-using-declarations", "await using declarations", "javascript.statements.await_using"),
    # Regular expressions
    ("regexp-sticky", "regexp sticky flag (y)", "javascript.builtins.RegExp.sticky"),
    ("regexp-unicode", "regexp unicode flag (u)", "javascript.builtins.RegExp.unicode"),
    ("regexp-dotall", "regexp dotAll flag (s)", "javascript.builtins.RegExp.dotAll"),
    (
        "regexp-named-groups",
        "regexp named capture groups (?<name>)",
        "javascript.regular_expressions.named_capturing_group",
    ),
    (
        "regexp-named-backreferences",
        "regexp named backreferences (\\k<name>)",
        "javascript.regular_expressions.named_backreference",
    ),
    (
        "regexp-lookbehind",
        "regexp lookbehind assertions (?<= ?<!)",
        "javascript.regular_expressions.lookbehind_assertion",
    ),
    (
        "regexp-unicode-property-escapes",
        "regexp Unicode property escapes (\\p{...})",
        "javascript.regular_expressions.unicode_character_class_escape",
    ),
    (
        "regexp-match-indices",
        "regexp match indices flag (d)",
        "javascript.builtins.RegExp.hasIndices",
    ),
    ("regexp-v-flag", "regexp unicodeSets flag (v)", "javascript.builtins.RegExp.unicodeSets"),
    (
        "regexp-duplicate-named-groups",
        "regexp duplicate named groups",
        "javascript.regular_expressions.named_capturing_group.duplicate_named_capturing_groups",
    ),
    ("regexp-modifiers", "regexp modifiers ((?i:...))", "javascript.regular_expressions.modifier"),
]

# Syntax BCD has no entry of its own for but states in a Firefox note of the given path:
# (id, short name, BCD path, pattern whose group 1 is the Firefox version). The note used
# is kept as ``bcd_note``; a pattern that no longer matches is an error like a missing path.
FROM_NOTES: list[tuple[str, str, str, str]] = [
    (
        "for-of-const",
        "const in for...of loops",
        "javascript.statements.for_of",
        r"Before Firefox (\d+), using the <code>for\.\.\.of</code> loop construct with the "
        r"<code>const</code> keyword threw a <code>SyntaxError</code>",
    ),
    (
        "let-in-workers",
        "let declarations in workers",
        "javascript.statements.let",
        r"Firefox (\d+) adds support of <code>let</code> in workers",
    ),
]

_EXCLUDING = ("flags", "prefix", "alternative_name", "partial_implementation")
_RANGE = re.compile(r"^≤(\d+)(?:\.\d+)*$")
_PLAIN = re.compile(r"^(\d+)(?:\.\d+)*$")


class MissingFeature(KeyError):
    """A BCD path of FEATURES is not in the data."""


def _compat(bcd: dict, path: str) -> dict:
    node = bcd
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise MissingFeature(path)
        node = node[part]
    if "__compat" not in node:
        raise MissingFeature(path)
    return node["__compat"]


def _statements(compat: dict) -> list[dict]:
    support = compat.get("support", {}).get("firefox") or []
    return support if isinstance(support, list) else [support]


def _statement(compat: dict) -> dict | None:
    """The first Firefox statement with no flags, prefix, other name or partial support."""
    plain = [s for s in _statements(compat) if not any(key in s for key in _EXCLUDING)]
    return plain[0] if plain else None


def _plain_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">")


def _from_note(compat: dict, pattern: str) -> tuple[int, str] | None:
    """(version, note text) of the first note of the Firefox statement matching pattern."""
    notes = (_statement(compat) or {}).get("notes") or []
    for note in [notes] if isinstance(notes, str) else notes:
        if m := re.search(pattern, note):
            return int(m.group(1)), _plain_text(note)
    return None


def firefox_version(compat: dict) -> tuple[int | None, str | None]:
    """(Firefox version, note or None) from one BCD ``__compat`` block."""
    statements = _statements(compat)
    if not statements:
        return None, "BCD has no Firefox data"
    statement = _statement(compat)
    if statement is None:
        kinds = sorted({key for s in statements for key in _EXCLUDING if key in s})
        added = ", ".join(json.dumps(s.get("version_added")) for s in statements)
        return None, f"Firefox support only with {'/'.join(kinds)} (version_added {added})"
    added = statement.get("version_added")
    removed = statement.get("version_removed")
    notes = [f"removed in Firefox {removed}"] if removed not in (None, False) else []
    version = None
    if isinstance(added, str) and (m := _PLAIN.match(added)):
        version = int(m.group(1))
        if added != m.group(1):
            notes.insert(0, f"BCD gives Firefox {added}; {version} is used")
    elif isinstance(added, str) and (m := _RANGE.match(added)):
        version = int(m.group(1))
        notes.insert(0, f"BCD gives version_added {added!r}; the upper bound is used")
    else:
        notes.insert(0, f"BCD gives version_added {json.dumps(added)}")
    return version, "; ".join(notes) or None


def build(bcd: dict) -> dict:
    """The js_syntax table from a parsed BCD data.json; MissingFeature for absent paths."""
    missing = []
    features: dict[str, dict] = {}
    notes: list[str] = []
    for feature_id, name, path in FEATURES:
        try:
            compat = _compat(bcd, path)
        except MissingFeature:
            missing.append(f"{feature_id}: {path}")
            continue
        version, note = firefox_version(compat)
        features[feature_id] = {"name": name, "bcd": path, "firefox": version}
        if note:
            notes.append(f"{feature_id}: {note}")
    for feature_id, name, path, pattern in FROM_NOTES:
        try:
            found = _from_note(_compat(bcd, path), pattern)
        except MissingFeature:
            found = None
        if found is None:
            missing.append(f"{feature_id}: Firefox note matching {pattern!r} in {path}")
            continue
        version, text = found
        features[feature_id] = {"name": name, "bcd": path, "firefox": version, "bcd_note": text}
    if missing:
        raise MissingFeature("BCD paths not found: " + ", ".join(missing))
    meta = bcd.get("__meta", {})
    return {
        "source": f"@mdn/browser-compat-data {meta.get('version', 'unknown')}",
        "engines": ENGINES,
        "features": features,
        "notes": notes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bcd", type=Path, required=True, help="BCD package/data.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    bcd = json.loads(args.bcd.read_text("utf-8"))
    try:
        data = build(bcd)
    except MissingFeature as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 1
    args.output.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {args.output} ({len(data['features'])} features, {data['source']})")
    for note in data["notes"]:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
