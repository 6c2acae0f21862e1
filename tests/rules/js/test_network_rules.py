"""KAI407 local cookies and KAI408 cleartext URLs: flagged, not flagged, and the https fix."""

from __future__ import annotations

import pytest

from tests.rules.js.support import PACKAGED30, PRIV25, analyse, fix_text, found

# -- KAI407 local-cookie, KAI408 cleartext-url ------------------------------------------------


def test_cookie_in_3_0_packaged_app_only(tmp_path):
    code = "document.cookie = 'a=1';"
    (finding,) = [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI407"]
    assert finding.severity.label == "info"
    assert found(analyse(tmp_path, code, PRIV25), "KAI407", code) == []


@pytest.mark.parametrize(
    "code, flagged, fixed",
    [
        (
            "fetch('http://api.example.com/a');",
            "http://api.example.com/a",
            "fetch('https://api.example.com/a');",
        ),
        (
            "xhr.open('GET', 'http://x.example.com/' + id);",
            "http://x.example.com/",
            "xhr.open('GET', 'https://x.example.com/' + id);",
        ),
        (
            "var ws = new WebSocket(`ws://chat.example.com/${room}`);",
            "ws://chat.example.com/${room}",
            "var ws = new WebSocket(`wss://chat.example.com/${room}`);",
        ),
        (
            "importScripts('lib.js', 'http://cdn.example.com/x.js');",
            "http://cdn.example.com/x.js",
            "importScripts('lib.js', 'https://cdn.example.com/x.js');",
        ),
    ],
)
def test_cleartext_urls(tmp_path, code, flagged, fixed):
    findings = analyse(tmp_path, code)
    (finding,) = [f for f in findings if f.rule == "KAI408"]
    assert code[finding.start : finding.end] == flagged
    assert fix_text(code, finding) == fixed


@pytest.mark.parametrize(
    "code",
    [
        "fetch('https://api.example.com/a');",
        "fetch('http://127.0.0.1:8081/ads');",
        "fetch('http://localhost/x');",
        "fetch('http://myapp.localhost/data.json');",
        "window.open('http://example.com');",  # a navigation, not a request from the app
        "fetch(base + '/a');",
    ],
)
def test_not_cleartext_requests(tmp_path, code):
    assert found(analyse(tmp_path, code), "KAI408", code) == []
