"""A page's scan patched after an edit inside one of its scripts equals a fresh scan."""

from __future__ import annotations

import random

import pytest

from kaios_lsp.parse.html import patch_scan, scan

PAGE = (
    "<!doctype html>\n<html><head><title>Notes</title>\n"
    "<style>body { color: red }</style>\n"
    '<script src="js/app.js" defer></script>\n'
    "<script>\nvar ready = false; // 🙂 中文\nfunction go() { ready = true; }\n</script>\n"
    "</head><body>\n<!-- list -->\n"
    + "".join(f'<li data-id="{n}" class=item onclick="go()">Item {n}</li>\n' for n in range(30))
    + "<script type=module>\nimport { x } from './x.js';\nx();\n</script>\n"
    "<textarea>a < b</textarea>\n</body></html>\n"
)
PIECES = ["x", ";", "\n", "'", "<", "</", "</script", "</script>", "<!--", "-->", "🙂", "</style>"]


def _edit(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    inside = [t for t in scan(text).tags if t.content_start >= 0]
    if inside and rng.random() < 0.7:  # (mostly typing where it is patched: in a script)
        tag = rng.choice(inside)
        at = rng.randint(tag.content_start, tag.content_end)
        return text[:at] + rng.choice(PIECES) + text[at:]
    end = min(len(text), at + rng.randrange(0, 12))
    return text[:at] + rng.choice([*PIECES, ""]) + text[end:]


@pytest.mark.parametrize("seed", range(20))
def test_a_patched_scan_equals_a_fresh_one(seed: int) -> None:
    rng = random.Random(seed)
    text = PAGE
    doc = scan(text)
    patched_any = False
    for _ in range(40):
        new = _edit(rng, text)
        start = next(
            (i for i, (a, b) in enumerate(zip(text, new, strict=False)) if a != b),
            min(len(text), len(new)),
        )
        suffix = 0
        while (
            suffix < min(len(text), len(new)) - start
            and text[len(text) - 1 - suffix] == new[len(new) - 1 - suffix]
        ):
            suffix += 1
        patched = patch_scan(doc, new, start, len(text) - suffix, len(new) - suffix)
        fresh = scan(new)
        if patched is not None:
            patched_any = True
            assert patched.tags == fresh.tags
            assert patched.comments == fresh.comments
        doc, text = (patched or fresh), new
    assert patched_any


def test_typing_the_end_tag_scans_again() -> None:
    doc = scan(PAGE)
    at = PAGE.index("function go")
    text = PAGE[:at] + "</script>" + PAGE[at:]
    assert patch_scan(doc, text, at, at, at + len("</script>")) is None


def test_an_edit_in_the_markup_scans_again() -> None:
    doc = scan(PAGE)
    at = PAGE.index("Item 3")
    text = PAGE[:at] + "x" + PAGE[at:]
    assert patch_scan(doc, text, at, at, at + 1) is None


def test_typing_in_a_script_moves_the_tags_after_it() -> None:
    doc = scan(PAGE)
    at = PAGE.index("function go")
    text = PAGE[:at] + "let y = 1;\n" + PAGE[at:]
    patched = patch_scan(doc, text, at, at, at + len("let y = 1;\n"))
    assert patched is not None
    assert patched.tags == scan(text).tags
    assert patched.elements("li")[0].start == doc.elements("li")[0].start + len("let y = 1;\n")
