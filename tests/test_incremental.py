"""A patched manifest (edit inside one string) is identical to a fresh parse."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaios_lsp.app.manifest import load_manifest
from kaios_lsp.incremental import patch_string_edit
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode

BASE = {
    "name": "Demo 演示 🎧",
    "type": "privileged",
    "launch_path": "/index.html",
    "locales": {"en-US": {"name": "Demo", "subtitle": "Sub"}, "fr": {"name": "Démo"}},
    "icons": {"56": "/a.png", "112": "/b.png"},
    "activities": {"share": [{"href": "/s.html", "filters": {"type": ["url", "text"]}}]},
    "list": [1, "two", [3, "four"], {"five": "5"}],
}
TEXTS = [
    json.dumps(BASE, indent=2, ensure_ascii=False),
    json.dumps(BASE, ensure_ascii=False),
    '{\n  // comment\n  "name": "x",\n  "type": \'web\',\n  "a": "b",\n  "a": "c",\n  "list": [1, 2,],\n}',
    '{"name": "half", "locales": {"fr": {"name": "x"',
    '{"name": "esc\\u00e9aped", "plain": "text here", "deep": '
    + "[" * 140
    + '"inner"'
    + "]" * 140
    + "}",
]


def snapshot(node: Node | None) -> list:
    """Every node and member as plain data (kind, range, value), parents first."""
    out: list = []
    stack: list[Node | Member] = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, Member):
            out.append(("member", item.start, item.end, item.colon))
            stack.append(item.key)
            if item.value is not None:
                stack.append(item.value)
            continue
        out.append((item.kind, item.start, item.end, None if item.is_container else item.value))
        if isinstance(item, ObjectNode):
            out.append(("closed", item.closed))
            stack.extend(reversed(item.members))
        elif isinstance(item, ArrayNode):
            stack.extend(reversed(item.items))
    return out


def findings(manifest) -> list:
    return [
        (
            f.rule,
            f.start,
            f.end,
            f.message,
            [[(e.start, e.end, e.new_text) for c in x.changes for e in c.edits] for x in f.fixes],
            [(r.start, r.end) for r in f.related],
        )
        for f in manifest.parsed.findings
    ]


def broken_positions(manifest) -> set:
    out = set()
    stack: list = [manifest.parsed.root] if manifest.parsed.root else []
    while stack:
        item = stack.pop()
        if id(item) in manifest.broken:
            out.add((type(item).__name__, item.start, item.end))
        if isinstance(item, ObjectNode):
            for member in item.members:
                if id(member) in manifest.broken:
                    out.add(("member", member.start, member.end))
                stack.append(member.key)
                if member.value is not None:
                    stack.append(member.value)
        elif isinstance(item, ArrayNode):
            stack.extend(item.items)
    return out


def assert_same(patched, fresh) -> None:
    assert snapshot(patched.tree) == snapshot(fresh.parsed.root)
    assert patched.value == fresh.value
    assert findings(patched) == findings(fresh)
    assert broken_positions(patched) == broken_positions(fresh)
    assert len(patched.too_deep) == len(fresh.too_deep)
    assert patched.text == fresh.text


inserted = st.text(alphabet=st.sampled_from([*list('ab 9é演🎧"\\\n{}:,'), "\t"]), max_size=3)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(TEXTS), st.data())
def test_patched_manifest_equals_a_fresh_parse(text: str, data) -> None:
    strings = [m.span() for m in re.finditer(r'"[^"\\\n]*"', text)]
    if data.draw(st.booleans()):  # half of the edits land inside a string, like typing
        low, high = data.draw(st.sampled_from(strings))
        start = data.draw(st.integers(low + 1, high - 1))
        end = data.draw(st.integers(start, high - 1))
    else:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 3)))
    new = data.draw(inserted)
    new_text = text[:start] + new + text[end:]
    previous = load_manifest(text, "/app/manifest.webapp", "webapp")
    patched = patch_string_edit(previous, new_text, start, end, start + len(new))
    fresh = load_manifest(new_text, "/app/manifest.webapp", "webapp")
    if patched is not None:
        assert_same(patched, fresh)


@pytest.mark.parametrize(
    ("needle", "new"),
    [
        ("Demo 演示", "Demo X 演示"),  # value, growing, non-BMP after it
        ("/index.html", "/idx.html"),  # value, shrinking
        ('"launch_path"', '"launch_pat"'),  # key rename
        ('"subtitle": "Sub"', '"subtitle": "Subtitle"'),  # nested map value
        ('"text"', '"textual"'),  # array item inside an activity filter
    ],
)
def test_typical_keystrokes_are_patched(needle: str, new: str) -> None:
    text = TEXTS[0]
    start = text.index(needle)
    # Express the change as the smallest edit, as an editor would send it.
    prefix = 0
    while prefix < min(len(needle), len(new)) and needle[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(needle), len(new)) - prefix and needle[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    edit_start, edit_end = start + prefix, start + len(needle) - suffix
    replacement = new[prefix : len(new) - suffix]
    new_text = text[:edit_start] + replacement + text[edit_end:]
    previous = load_manifest(text, "/app/manifest.webapp", "webapp")
    patched = patch_string_edit(
        previous, new_text, edit_start, edit_end, edit_start + len(replacement)
    )
    assert patched is not None
    assert_same(patched, load_manifest(new_text, "/app/manifest.webapp", "webapp"))


@pytest.mark.parametrize(
    ("needle", "new"),
    [
        ('"name": "Demo 演示', '"name": "Demo" 演示'),  # a quote ends the string
        ('"type": "privileged"', '"type": "privileged\\n"'),  # an escape
        ('"type": "privileged"', '"type": "privileged",'),  # outside the string
        ('"56"', '"112"'),  # the new key would be a duplicate
    ],
)
def test_structural_edits_are_not_patched(needle: str, new: str) -> None:
    text = TEXTS[0]
    start = text.index(needle)
    new_text = text[:start] + new + text[start + len(needle) :]
    common = 0
    while text[common] == new_text[common]:
        common += 1
    tail = 0
    while tail < min(len(text), len(new_text)) - common and text[-1 - tail] == new_text[-1 - tail]:
        tail += 1
    previous = load_manifest(text, "/app/manifest.webapp", "webapp")
    assert (
        patch_string_edit(previous, new_text, common, len(text) - tail, len(new_text) - tail)
        is None
    )
