"""KAI308/309 Subresource Integrity, KAI310 target=_blank and KAI311 referrer leaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.html.support import apply_fix, check, make_app

# -- KAI308/309 Subresource Integrity, KAI310 target=_blank, KAI311 Referer ------------------


def test_integrity_fix_hashes_the_local_copy(tmp_path: Path):
    import base64
    import hashlib

    make_app(tmp_path, "hosted")
    (tmp_path / "vendor").mkdir()
    body = "/*! lib v1 */\r\nwindow.lib = {};\n"
    (tmp_path / "vendor" / "lib.min.js").write_bytes(body.encode())
    page = '<meta name="referrer" content="no-referrer"><script src="https://cdn.example.net/lib.min.js?v=1"></script>'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI308" and "vendor/lib.min.js" in finding.fixes[0].title
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    digest = base64.b64encode(hashlib.sha384(body.encode()).digest()).decode()
    assert f'integrity="sha384-{digest}" crossorigin="anonymous"></script>' in after
    assert check(tmp_path, after) == []


def test_no_integrity_fix_without_a_local_copy(tmp_path: Path):
    make_app(tmp_path, "hosted")
    page = '<meta name="referrer" content="no-referrer"><link rel=stylesheet href="https://cdn.example.net/x.css">'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI308" and finding.fixes == ()


def test_integrity_without_crossorigin(tmp_path: Path):
    make_app(tmp_path, "hosted")
    page = '<meta name="referrer" content="no-referrer"><script src="https://cdn.example.net/a.js" integrity="sha384-abc"/>'
    (finding,) = check(tmp_path, page)
    assert (
        finding.rule == "KAI309" and page[finding.start : finding.end] == 'integrity="sha384-abc"'
    )
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    assert after.endswith('integrity="sha384-abc" crossorigin="anonymous"/>')


def test_same_origin_and_packaged_scripts_need_no_integrity(tmp_path: Path):
    make_app(tmp_path, "hosted")
    assert check(tmp_path, '<script src="https://app.example.com/a.js"></script>') == []
    assert check(tmp_path, '<script src="/a.js"></script>') == []


@pytest.mark.parametrize(
    ("anchor", "fixed"),
    [
        (
            '<a href="https://other.example.org/" target="_blank">x</a>',
            '<a href="https://other.example.org/" target="_blank" rel="noopener noreferrer">x</a>',
        ),
        (
            '<a href="https://other.example.org/" target=_BLANK rel="external">x</a>',
            '<a href="https://other.example.org/" target=_BLANK rel="external noopener noreferrer">x</a>',
        ),
    ],
)
def test_target_blank_gets_rel(tmp_path: Path, anchor: str, fixed: str):
    make_app(tmp_path, "signed")  # not a 2.5 packaged app: app:// pages leak nothing
    page = '<meta name="referrer" content="no-referrer">' + anchor
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI310" and finding.severity.name == "HINT"
    assert apply_fix(tmp_path, "index.html", page, finding.fixes[0]) == (
        '<meta name="referrer" content="no-referrer">' + fixed
    )


def test_target_blank_to_own_pages_is_fine(tmp_path: Path):
    make_app(tmp_path, "web")
    page = '<meta name="referrer" content="no-referrer"><a href="help.html" target="_blank">?</a>'
    assert check(tmp_path, page) == []


def test_referrer_hint_once_per_page_with_a_meta_fix(tmp_path: Path):
    make_app(tmp_path, "signed")
    page = '<head><title>t</title></head><img src="https://a.example/1.png"><img src="https://a.example/2.png">'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI311" and finding.severity.name == "HINT"
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    assert after.startswith('<head>\n<meta name="referrer" content="no-referrer">')
    assert check(tmp_path, after) == []


def test_inline_style_attributes_are_fine(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<p style="color: red">x</p><style>p { color: blue }</style>'
    assert check(tmp_path, page) == []
