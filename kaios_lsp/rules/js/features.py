"""KAI409: syntax the target's JavaScript engine cannot parse.

KaiOS 2.5 runs Gecko 48 and KaiOS 3.0 Gecko 84; the first version of Firefox that parses
each feature comes from MDN's browser-compat-data (``data/js_syntax.json``, built by
``tools/build_js_syntax.py``). One unsupported construct makes the whole script fail to
load with a SyntaxError, so these are errors. Detection runs on tree-sitter's tree with
one query: it reads modern syntax that esprima does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kaios_lsp.facts.js_syntax import engines, features
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.js.treesitter_front import TsTree, parse_treesitter, ts_nodes
from kaios_lsp.parse.js.ts_grammar import compile_query
from kaios_lsp.rules.meta import Rule

UNSUPPORTED_SYNTAX = "KAI409"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI409",
        name="unsupported-syntax",
        title="Syntax the target's JavaScript engine cannot parse",
        severity=Severity.ERROR,
        category="JavaScript",
        explanation="KaiOS 2.5 runs Gecko 48 and KaiOS 3.0 Gecko 84; one construct newer than that (async functions, **, "
        "object spread, optional chaining, ??, class fields, private members, static blocks, numeric "
        "separators, BigInt, regexp lookbehind... from MDN browser-compat-data) makes the whole script fail "
        "with a SyntaxError. Fixes where the rewrite is mechanical: remove numeric separators and trailing "
        "commas, name the catch binding, const -> let in for...of; otherwise transpile or target KaiOS 3.0.",
        bad="var big = 1_000_000;",
        good="var big = 1000000;",
        fixable=True,
        example_file="app.js",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Rewrites what is mechanical: removes numeric separators and trailing commas, names the "
        "catch binding, const -> let in for...of. Async functions, spread, ?., class fields... need a "
        "transpiler (a build step): rewriting them by hand is not one edit.",
    ),
)

MAX_REPORTS = 200  # per file: a transpile-me file needs one message, not thousands
ENGINES_TEXT = {"2.5": "KaiOS 2.5's engine (Gecko 48)", "3.0": "KaiOS 3.0's engine (Gecko 84)"}

# capture name -> feature id (or a pseudo id that _refine() resolves)
_PATTERNS = r"""
(function_declaration "async" @async-functions)
(function_expression "async" @async-functions)
(function "async" @async-functions)
(arrow_function "async" @async-functions)
(method_definition "async" @async-methods)
(generator_function_declaration "async" @async-generators)
(generator_function "async" @async-generators)
(for_in_statement "await" @async-iteration)
(binary_expression operator: "**" @exponentiation)
(augmented_assignment_expression operator: "**=" @exponentiation-assignment)
(augmented_assignment_expression operator: "||=" @logical-or-assignment)
(augmented_assignment_expression operator: "&&=" @logical-and-assignment)
(augmented_assignment_expression operator: "??=" @nullish-coalescing-assignment)
(binary_expression operator: "??" @nullish-coalescing)
(optional_chain) @optional-chaining
(object (spread_element "..." @object-spread))
(object_pattern (rest_pattern "..." @object-rest))
(formal_parameters (rest_pattern [(array_pattern) (object_pattern)]) @rest-parameter-destructuring)
(catch_clause "catch" @optional-catch-binding !parameter)
(hash_bang_line) @hashbang-comments
((number) @number (#match? @number "[n_]"))
(field_definition) @field
(method_definition name: (private_property_identifier) @class-private-methods)
(class_static_block "static" @class-static-blocks)
(binary_expression left: (private_property_identifier) @private-in operator: "in")
(import_statement "import" @es-modules)
(export_statement "export" @es-modules)
(meta_property) @import-meta
(call_expression function: (import) @dynamic-import)
(namespace_export) @export-namespace
(await_expression "await" @await)
(regex) @regex
(formal_parameters) @parameters
(arguments) @arguments
(for_in_statement kind: "const" @for-of-const operator: "of")
"""


def unsupported(feature_id: str, version: str) -> bool:
    feature = features().get(feature_id)
    if feature is None:
        return False
    return feature.firefox is None or feature.firefox > engines()[version]


@dataclass(frozen=True)
class Use:
    feature: str
    start: int
    end: int
    fix: Fix | None = None


def syntax_uses(tree: TsTree, module: bool = False) -> Iterator[Use]:
    """Every use of a feature listed in js_syntax.json, in source order."""
    query = compile_query(_PATTERNS)
    for capture, ts, start, end in ts_nodes(tree, query, _needless_captures(tree.scope_text)):
        if capture in ("number", "field", "await", "regex", "parameters", "arguments"):
            yield from _refine(capture, ts, start, end, tree, module)
        elif capture == "import-meta":
            if tree.text[start:end].startswith("import"):
                yield Use("import-meta", start, end)
        elif capture == "exponentiation":
            yield Use(capture, start, end)
        elif capture == "optional-catch-binding":
            yield Use(
                capture, start, end, Fix.replace("Name the caught error", end, end, " (error)")
            )
        elif capture == "for-of-const":
            yield Use(capture, start, end, Fix.replace("Use let", start, end, "let", safe=True))
        else:
            yield Use(capture, start, end)


# a comma before ")" or before a comment (which may hide the ")"): linear, no nesting
_TRAILING_COMMA = re.compile(r",\s*(?:\)|/[/*])")


def _needless_captures(text: str) -> frozenset[str]:
    """Capture kinds that cannot yield a use in this text (every call's argument list is
    captured; without a ", )" none can end in a trailing comma): skipped before sorting.
    (Numbers need no such scan: the query's predicate keeps only those with an n or _.)"""
    if _TRAILING_COMMA.search(text) is None:
        return frozenset({"arguments", "parameters"})
    return frozenset()


def _refine(
    capture: str,
    ts: Any,  # a tree_sitter.Node (ts_nodes gives it as object)
    start: int,
    end: int,
    tree: TsTree,
    module: bool,
) -> Iterator[Use]:
    text = tree.text[start:end]
    if capture == "number":
        if text.endswith("n"):
            yield Use("bigint", start, end)
        if "_" in text:
            yield Use(
                "numeric-separators",
                start,
                end,
                Fix.replace("Remove the separators", start, end, text.replace("_", ""), safe=True),
            )
    elif capture == "field":
        static = any(c.type == "static" for c in ts.children)
        private = any(c.type == "private_property_identifier" for c in ts.children)
        if private:
            yield Use("class-private-fields", start, end)
        elif static:
            yield Use("class-fields-static", start, end)
        else:
            yield Use("class-fields-public", start, end)
    elif capture == "await":
        node = ts.parent
        while node is not None:
            if node.type in _FUNCTIONS:
                return
            node = node.parent
        yield Use("top-level-await", start, end)
    elif capture == "regex":
        yield from _regex_uses(text, start, end)
    else:  # parameters, arguments: a trailing comma before ")"
        children = ts.children
        if len(children) >= 3 and children[-2].type == "," and children[-1].type == ")":
            comma = tree.offset_of(children[-2].start_byte)
            yield Use(
                "trailing-commas-in-functions",
                comma,
                comma + 1,
                Fix.replace("Remove the trailing comma", comma, comma + 1, "", safe=True),
            )


_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
        "class_static_block",
    }
)
_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")
_LOOKBEHIND = re.compile(r"\(\?<[=!]")
_PROPERTY_ESCAPE = re.compile(r"\\[pP]\{")
_MODIFIER = re.compile(r"\(\?[imsx]*-?[imsx]+:")


def _regex_uses(text: str, start: int, end: int) -> Iterator[Use]:
    slash = text.rfind("/")
    pattern, flags = text[1:slash], text[slash + 1 :]
    pattern = re.sub(r"\\\\", "", pattern)  # an escaped backslash cannot start an escape
    if "s" in flags:
        yield Use("regexp-dotall", start, end)
    if "d" in flags:
        yield Use("regexp-match-indices", start, end)
    if "v" in flags:
        yield Use("regexp-v-flag", start, end)
    if _NAMED_GROUP.search(pattern):
        yield Use("regexp-named-groups", start, end)
    if _LOOKBEHIND.search(pattern):
        yield Use("regexp-lookbehind", start, end)
    if "\\k<" in pattern and _NAMED_GROUP.search(pattern):
        yield Use("regexp-named-backreferences", start, end)
    if ("u" in flags or "v" in flags) and _PROPERTY_ESCAPE.search(pattern):
        yield Use("regexp-unicode-property-escapes", start, end)
    if _MODIFIER.search(pattern):
        yield Use("regexp-modifiers", start, end)


def syntax_findings(
    text: str, version: str, *, module: bool = False, tree: TsTree | None = None
) -> list[Finding]:
    """KAI409 findings for a script that ``version``'s engine must parse."""
    if version not in engines():
        return []
    if tree is None:
        parsed = parse_treesitter(text)
        assert isinstance(parsed, TsTree)
        tree = parsed
    out: list[Finding] = []
    for use in syntax_uses(tree, module):
        if not unsupported(use.feature, version):
            continue
        if use.feature == "es-modules" and module and version != "2.5":
            continue
        feature = features()[use.feature]
        since = f"Firefox {feature.firefox}+" if feature.firefox else "no Firefox yet"
        fixes = (use.fix,) if use.fix else ()
        out.append(
            Finding(
                UNSUPPORTED_SYNTAX,
                use.start,
                use.end,
                f"{feature.name[0].upper()}{feature.name[1:]}: {since} only, newer than "
                f"{ENGINES_TEXT[version]}, so the whole script fails to load with a SyntaxError. "
                + ("Transpile it or target KaiOS 3.0." if version == "2.5" else "Transpile it."),
                fixes=fixes,
            )
        )
        if len(out) >= MAX_REPORTS:
            break
    return out
