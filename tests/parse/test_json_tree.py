"""The tolerant JSON parser: values, ranges, recovery and what strict JSON.parse rejects."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaios_lsp.parse.json.nodes import ArrayNode, ObjectNode, find_path, node_path, to_python
from kaios_lsp.parse.json.tree import parse
from kaios_lsp.services.fixes import apply_edits, same_file_edits


def findings_of(text: str) -> list[tuple[str, str]]:
    """(rule, underlined text) for every finding."""
    return [(f.rule, text[f.start : f.end]) for f in parse(text).findings]


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        "[]",
        '{"a": 1, "b": [true, false, null], "c": {"d": "e"}}',
        '{"esc": "\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"}',
        '{"num": [0, -0, 1.5, -2e10, 3E-2, 12345678901234567890]}',
        '  {"ws":\t\r\n 1 }  ',
        '{"cjk": "演示", "emoji": "🎧✨", "rtl": "مرحبا"}',
        '"just a string"',
        "42",
        '{"a": {"a": {"a": {}}}}',
    ],
)
def test_valid_json_gives_the_same_value_as_json_loads(text: str) -> None:
    result = parse(text)
    assert result.findings == []
    assert to_python(result.root)[0] == json.loads(text)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 0, 2, "\t"]), st.booleans())
def test_any_json_document_round_trips(value: object, indent, ensure_ascii: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)
    result = parse(text)
    assert result.findings == []
    assert to_python(result.root)[0] == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("{}[]:,\"'/*\\ \n\tab01-.eE+tfnul\ufeff\u2028é🎧")),
        max_size=60,
    )
)
def test_any_text_parses_without_exception_and_ranges_stay_inside(text: str) -> None:
    result = parse(text)
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= len(text), finding
        for fix in finding.fixes:
            edits = same_file_edits(fix)
            assert edits is not None
            for edit in edits:
                assert 0 <= edit.start <= edit.end <= len(text)
            apply_edits(text, edits)  # applies cleanly


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,}', [("KAI003", ",")]),
        ("[1, 2,]", [("KAI003", ",")]),
        ('{"a": 1 // note\n}', [("KAI002", "// note")]),
        ('{"a": /* x */ 1}', [("KAI002", "/* x */")]),
        ("{'a': 1}", [("KAI004", "'a'")]),
        ("{\"a\": 'b'}", [("KAI004", "'b'")]),
        ("{a: 1}", [("KAI004", "a")]),
        ('\ufeff{"a": 1}', [("KAI005", "\ufeff")]),
        ('{"a": 1, "a": 2}', [("KAI006", '"a"')]),
        ('{"a": 01}', [("KAI001", "01")]),
        ('{"a": .5}', [("KAI001", ".5")]),
        ('{"a": +1}', [("KAI001", "+1")]),
        ('{"a": 0x1F}', [("KAI001", "0x1F")]),
        ('{"a": NaN}', [("KAI001", "NaN")]),
        ('{"a": True}', [("KAI001", "True")]),
        ('{"a": undefined}', [("KAI001", "undefined")]),
        ('{"a": "x\\q"}', [("KAI001", "\\q")]),
        ('{"a": "tab\there"}', [("KAI001", "\t")]),
        ('{"a": 1 "b": 2}', [("KAI001", '"b"')]),
        ('{"a": 1}}', [("KAI001", "}")]),
        ('{"a"  1}', [("KAI001", "1")]),
        ('{"a":\u00a01}', [("KAI001", "\u00a0")]),
        ("[1 2]", [("KAI001", "2")]),
        ("", [("KAI001", "")]),
    ],
)
def test_each_error_is_reported_at_its_exact_range(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert findings_of(text) == expected


def test_reports_every_error_not_only_the_first() -> None:
    text = '{\n  // comment\n  "a": 1,\n  \'b\': 2,\n  "c": [1,],\n  "a": 3,\n}'
    rules = sorted(rule for rule, _ in findings_of(text))
    assert rules == ["KAI002", "KAI003", "KAI003", "KAI004", "KAI006"]


def test_syntax_fixes_produce_strict_json() -> None:
    text = '\ufeff{\n  // the name\n  "name": \'Demo\',\n  version: "1.0",\n  "n": 01,\n  "b": True,\n  "list": [1, 2,],\n}\n'
    result = parse(text)
    edits = [e for f in result.findings for e in same_file_edits(f.fixes[0]) or []]
    fixed = apply_edits(text, edits)
    assert json.loads(fixed) == {
        "name": "Demo",
        "version": "1.0",
        "n": 1,
        "b": True,
        "list": [1, 2],
    }
    assert parse(fixed).findings == []


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ('{"per', ["per"], None),  # unfinished key: member without value
        ('{"type": ', ["type"], None),
        ('{"type": "web", ', ["type"], "string"),
        ('{"a": {"b": [1, {"c": tr', ["a", "b", 1, "c"], "invalid"),
        ('{\n  "permissions": {\n  }', ["permissions"], "object"),
        ('{"a": 1\n"b": 2', ["b"], "number"),
    ],
)
def test_half_typed_documents_keep_a_useful_tree(text: str, path: list, kind: str | None) -> None:
    result = parse(text)
    assert isinstance(result.root, ObjectNode)
    node = find_path(result.root, path)
    assert node is not None
    value = getattr(node, "value", node) if not hasattr(node, "kind") else node
    if kind is None:
        assert getattr(node, "value", "missing") is None  # a member whose value is not typed yet
    else:
        assert value.kind == kind
    assert any(f.rule == "KAI001" for f in result.findings)


def test_missing_closing_brace_is_reported_on_the_opening_brace_with_a_fix() -> None:
    text = '{\n  "name": "Demo",\n  "icons": {\n    "56": "/a.png"\n'
    result = parse(text)
    last = result.findings[-1]
    assert text[last.start : last.end] == "{" and last.start == text.index('"icons": {') + len(
        '"icons": '
    )
    fixed = apply_edits(text, same_file_edits(last.fixes[0]))
    assert json.loads(fixed) == {"name": "Demo", "icons": {"56": "/a.png"}}


def test_node_paths_and_ranges() -> None:
    text = '{"icons": [{"src": "/a.png"}, {"src": "/b.png"}]}'
    result = parse(text)
    node = find_path(result.root, ["icons", 1, "src"])
    assert text[node.key.start : node.key.end] == '"src"'
    assert text[node.value.start : node.value.end] == '"/b.png"'
    assert node_path(node.value) == ["icons", 1, "src"]
    icons = find_path(result.root, ["icons"]).value
    assert isinstance(icons, ArrayNode) and text[icons.start : icons.end] == text[10:-1]


def test_duplicate_keys_last_one_wins_like_json_parse() -> None:
    text = '{"type": "web", "type": "privileged"}'
    result = parse(text)
    assert to_python(result.root)[0] == json.loads(text) == {"type": "privileged"}
    duplicate = result.findings[0]
    assert (
        duplicate.related
        and text[duplicate.related[0].start : duplicate.related[0].end] == '"type"'
    )
    fixed = apply_edits(text, same_file_edits(duplicate.fixes[0]))
    assert json.loads(fixed) == {"type": "privileged"}


def test_ten_thousand_levels_do_not_recurse() -> None:
    for text in ("[" * 10000 + "]" * 10000, '{"a":' * 10000 + "1" + "}" * 10000, "[" * 10000):
        result = parse(text)
        assert result.max_depth == 10000
        _value, too_deep = to_python(result.root)
        assert too_deep  # containers below the limit are summarised, not expanded


def test_five_megabyte_manifest_parses_in_bounded_time() -> None:
    locale = {"name": "Demo 演示 🎧", "subtitle": "A subtitle", "description": "x" * 150}
    text = json.dumps(
        {"name": "Demo", "locales": {f"l{i}": locale for i in range(22000)}},
        indent=2,
        ensure_ascii=False,
    )
    assert len(text.encode()) > 5_000_000
    started = time.perf_counter()
    result = parse(text)
    elapsed = time.perf_counter() - started
    assert result.findings == []
    assert elapsed < 30  # a generous bound: it takes about a second on the CI machine
