"""The same page in different apps; settings, broken markup and exact positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaios_lsp.config import Config
from kaios_lsp.settings import apply_settings
from tests.rules.html.support import PAGE, check, make_app, rules

# -- the same page in five apps -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # default policy: inline code, remote script and plugins blocked; http image is cleartext
        ("privileged", ["KAI301", "KAI302", "KAI303", "KAI304", "KAI305", "KAI307"]),
        ("certified", ["KAI301", "KAI302", "KAI303", "KAI304", "KAI305", "KAI307"]),
        # 3.0 packaged pages are http://<app>.localhost: they send a Referer (2.5's app:// do not)
        ("signed", ["KAI301", "KAI302", "KAI303", "KAI304", "KAI305", "KAI307", "KAI311"]),
        # no default policy: only the network findings
        ("web", ["KAI307"]),
        # hosted: no CSP, but cross-origin script without integrity and a Referer leak
        ("hosted", ["KAI307", "KAI308", "KAI311"]),
    ],
)
def test_same_page_different_apps(tmp_path: Path, kind: str, expected: list[str]):
    make_app(tmp_path, kind)
    assert rules(check(tmp_path, PAGE)) == expected


def test_no_manifest_no_csp_findings(tmp_path: Path):
    assert rules(check(tmp_path, PAGE)) == []


def test_page_in_a_subfolder_belongs_to_the_app_above(tmp_path: Path):
    make_app(tmp_path, "privileged")
    found = check(tmp_path, "<script>go()</script>", file="views/deep/page.html")
    assert rules(found) == ["KAI301"]


def test_message_names_the_policy_that_blocks(tmp_path: Path):
    make_app(tmp_path, "privileged")
    (finding,) = check(tmp_path, "<script>go()</script>")
    assert "KaiOS 2.5 privileged apps" in finding.message
    assert "script-src 'self'" in finding.message and "never runs" in finding.message


# -- configuration, broken markup, positions -----------------------------------------------


def test_default_csp_setting_replaces_the_3_0_policy(tmp_path: Path):
    make_app(tmp_path, "signed")
    page = "<script>go()</script>"
    assert rules(check(tmp_path, page)) == ["KAI301"]
    relaxed = apply_settings(Config(), {"defaultCsp": {"3.0": "script-src * 'unsafe-inline'"}}, "t")
    assert relaxed.problems == () and check(tmp_path, page, config=relaxed) == []
    none = apply_settings(Config(), {"defaultCsp": {"3.0/signed": ""}}, "t")
    assert check(tmp_path, page, config=none) == []


def test_default_csp_setting_rejects_unknown_keys():
    config = apply_settings(Config(), {"defaultCsp": {"4.0": "x"}}, "t")
    assert config.default_csp == {} and "defaultCsp must map" in config.problems[0]


def test_kaios3_manifest_csp_setting(tmp_path: Path):
    manifest = {"name": "A", "start_url": "/index.html", "b2g_features": {"csp": "img-src 'self'"}}
    make_app(tmp_path, "signed", manifest)
    page = '<meta name="referrer" content="no-referrer"><img src="https://x.example/a.png">'
    assert check(tmp_path, page) == []  # the manifest csp is not applied on 3.0 by default
    on = apply_settings(Config(), {"kaios3ManifestCsp": True}, "t")
    # img-src is not checked by the HTML rules, but the policy now shows in messages
    assert check(tmp_path, page, config=on) == []
    relaxed = apply_settings(on, {"defaultCsp": {"3.0": ""}}, "t")
    assert (
        check(tmp_path, "<script>go()</script>", config=relaxed) == []
    )  # no default, img-src only
    strict = {"name": "A", "start_url": "/", "b2g_features": {"csp": "script-src 'self'"}}
    make_app(tmp_path, "signed", strict)
    (found,) = check(tmp_path, "<script>go()</script>", config=relaxed)
    assert found.rule == "KAI301" and "the manifest csp" in found.message
    assert check(tmp_path, "<script>go()</script>", config=Config()) != []  # the default blocks


@pytest.mark.parametrize(
    "page",
    [
        "<script>unclosed(",
        '<button onclick="x()',
        "<a href='javascript:go()",
        "<<<>>><script<script>>",
        "<!-- <script>x()</script>",
        "\x00\ufffd<p onclick=\x00>",
        "<object",
    ],
)
def test_broken_markup_is_reported_not_crashed(tmp_path: Path, page: str):
    make_app(tmp_path, "privileged")
    for finding in check(tmp_path, page):
        assert 0 <= finding.start <= finding.end <= len(page)
        # page rules, or the script rules on inline code (KAI401: `unclosed(` is invalid JS)
        assert finding.rule.startswith(("KAI3", "KAI4")), finding.message


def test_broken_manifest_still_gives_an_app(tmp_path: Path):
    (tmp_path / "manifest.webapp").write_text('{"name": "A", "type": "privileged",', "utf-8")
    assert rules(check(tmp_path, "<script>go()</script>")) == ["KAI301"]


def test_ranges_are_exact_around_astral_and_cjk_text(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<p title="🎧🎧 中文">歌</p><button onclick="play(\'🎵\')">▶</button>'
    (finding,) = check(tmp_path, page)
    assert page[finding.start : finding.end] == "onclick=\"play('🎵')\""


def test_suppression_by_rule_setting(tmp_path: Path):
    make_app(tmp_path, "privileged")
    config = apply_settings(Config(), {"rules": {"inline-script": "off"}}, "t")
    assert check(tmp_path, "<script>go()</script>", config=config) == []
