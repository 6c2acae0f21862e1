"""KAI304 remote sources, KAI305 plugins and KAI307 mixed content."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.html.support import apply_fix, check, make_app

# -- KAI304 remote sources, KAI305 plugins ------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "blocked"),
    [
        ("https://cdn.example.net/lib.js", True),
        ("//cdn.example.net/lib.js", True),
        ("http://127.0.0.1:8081/kaiads.js", False),  # the KaiAds SDK is allowed
        ("http://local-device.kaiostech.com:8081/kaiads.js", False),
        ("lib/app.js", False),
        ("/lib/app.js", False),
    ],
)
def test_remote_script_sources(tmp_path: Path, src: str, blocked: bool):
    make_app(tmp_path, "privileged")
    found = [f for f in check(tmp_path, f'<script src="{src}"></script>') if f.rule == "KAI304"]
    assert bool(found) is blocked


def test_remote_stylesheet_is_blocked_and_range_is_the_url(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<link rel="stylesheet" href="https://fonts.example.com/css">'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI304"
    assert page[finding.start : finding.end] == "https://fonts.example.com/css"


@pytest.mark.parametrize("element", ["object", "embed", "applet"])
def test_plugins_are_blocked_and_removed(tmp_path: Path, element: str):
    make_app(tmp_path, "certified")
    page = f'<p>a</p><{element} src="x.swf"></{element}><p>b</p>'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI305"
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    assert element not in after.replace(f"</{element}>", "") or element == "embed"
    assert check(tmp_path, after) == []


# -- KAI307 mixed content -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "tag", "severity"),
    [
        (
            "hosted",
            '<script src="http://x.example.com/a.js" integrity="sha384-x" crossorigin>',
            "error",
        ),
        ("hosted", '<link rel="stylesheet" href="http://x.example.com/a.css">', "error"),
        ("hosted", '<iframe src="http://x.example.com/"></iframe>', "error"),
        ("hosted", '<img src="http://x.example.com/a.png">', "warning"),
        ("hosted", '<video poster="http://x.example.com/a.png"></video>', "warning"),
        ("web", '<form action="http://x.example.com/send"></form>', "warning"),
        ("privileged", '<audio src="http://x.example.com/a.mp3"></audio>', "warning"),
    ],
)
def test_mixed_content_severity(tmp_path: Path, kind: str, tag: str, severity: str):
    make_app(tmp_path, kind)
    found = [f for f in check(tmp_path, tag) if f.rule == "KAI307"]
    assert [f.severity.name.lower() for f in found] == [severity]
    after = apply_fix(tmp_path, "index.html", tag, found[0].fixes[0])
    assert "https://x.example.com/" in after and "http://" not in after


@pytest.mark.parametrize(
    "tag",
    [
        '<a href="http://x.example.com/">a plain link is a navigation</a>',
        '<img src="http://localhost:8080/a.png">',
        '<img src="http://127.0.0.1/a.png">',
        '<script src="http://127.0.0.1:8081/kaiads.js"></script>',
        '<img src="http://shared.localhost/a.png">',
        '<img src="https://x.example.com/a.png">',
    ],
)
def test_not_mixed_content(tmp_path: Path, tag: str):
    make_app(tmp_path, "privileged")
    assert [f for f in check(tmp_path, tag) if f.rule == "KAI307"] == []


def test_hosted_app_served_over_http_gets_warnings_only(tmp_path: Path):
    make_app(tmp_path, "hosted", {"name": "A", "start_url": "http://app.example.com/"})
    found = [f for f in check(tmp_path, '<script src="http://app.example.com/a.js"></script>')]
    assert [(f.rule, f.severity.name) for f in found] == [("KAI307", "WARNING")]
