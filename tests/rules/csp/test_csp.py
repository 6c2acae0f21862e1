"""The manifest csp: parsing, what the default policies already allow, and the rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.parse.csp import default_policy, parse_policy, source_allowed
from kaios_lsp.services.fixes import apply_edits, same_file_edits
from kaios_lsp.settings import apply_settings


def test_parse_keeps_offsets_and_fallbacks() -> None:
    text = "default-src * data:;  script-src 'self' https://cdn.example.com ; object-src 'none'"
    policy = parse_policy(text)
    assert [d.name for d in policy.directives] == ["default-src", "script-src", "object-src"]
    cdn = policy.get("script-src").sources[1]
    assert text[cdn.start : cdn.end] == "https://cdn.example.com"
    assert policy.effective("img-src").name == "default-src"
    assert policy.effective("script-src-elem").name == "script-src"
    assert policy.problems == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("default-src 'self' script-src 'self'", "missing ';' before script-src"),
        ("script-src self", "needs single quotes"),
        ("scirpt-src 'self'", "unknown directive"),
        ("script-src 'self'; script-src *", "appears twice"),
        ("script-src 'unsafe-everything'", "unknown keyword"),
    ],
)
def test_malformed_policies(text: str, fragment: str) -> None:
    assert any(fragment in message for _, _, message, *_ in parse_policy(text).problems)


@pytest.mark.parametrize(
    ("token", "directive", "allowed"),
    [
        ("'self'", "script-src", True),
        ("http://127.0.0.1:8081", "script-src", True),  # the KaiAds local server
        ("http://local-device.kaiostech.com:8081", "script-src", True),
        ("https://cdn.example.com", "script-src", False),
        ("'unsafe-eval'", "script-src", False),
        ("'unsafe-inline'", "script-src", False),
        ("'nonce-abc'", "script-src", False),
        ("'none'", "object-src", True),
        ("'self'", "object-src", False),
        ("'unsafe-inline'", "style-src", True),
        ("https://fonts.example.com", "style-src", False),
        ("https://images.example.com", "img-src", True),  # default-src *
        ("data:", "img-src", True),
        ("https:", "img-src", True),
    ],
)
def test_what_the_privileged_default_policy_allows(
    token: str, directive: str, allowed: bool
) -> None:
    default = parse_policy(default_policy("2.5", "privileged"))
    assert source_allowed(token, default.effective(directive)) is allowed


def check(
    tmp_path: Path,
    csp: str,
    app_type: str = "privileged",
    name: str = "manifest.webapp",
    settings=None,
):
    if name == "manifest.webapp":
        value = {"name": "Demo", "type": app_type, "csp": csp}
    else:
        value = {"name": "Demo", "b2g_features": {"csp": csp}}
    text = json.dumps(value)
    config = apply_settings(Config(), settings, "test") if settings else None
    findings = [
        f
        for f in analyze_document(str(tmp_path / name), text, config).findings
        if f.rule.startswith("KAI21")
    ]
    return text, findings


def test_loosening_sources_are_underlined_inside_the_string(tmp_path: Path) -> None:
    text, findings = check(
        tmp_path, "script-src 'self' 'unsafe-eval' https://cdn.example.com; object-src *"
    )
    assert [(f.rule, text[f.start : f.end]) for f in findings] == [
        ("KAI210", "'unsafe-eval'"),
        ("KAI210", "https://cdn.example.com"),
        ("KAI210", "*"),
    ]
    fixed = text
    for finding in reversed(findings):
        fixed = apply_edits(fixed, same_file_edits(finding.fixes[0]))
    assert json.loads(fixed)["csp"] == "script-src 'self'; object-src 'none'"
    assert check(tmp_path, json.loads(fixed)["csp"])[1] == []


def test_web_apps_have_no_default_policy_to_loosen(tmp_path: Path) -> None:
    assert check(tmp_path, "script-src 'self' 'unsafe-eval'", app_type="web")[1] == []


def test_certified_default_allows_the_theme_origin(tmp_path: Path) -> None:
    assert (
        check(tmp_path, "script-src 'self' app://theme.gaiamobile.org", app_type="certified")[1]
        == []
    )
    assert [f.rule for f in check(tmp_path, "script-src 'self' app://theme.gaiamobile.org")[1]] == [
        "KAI210"
    ]


def test_unsafe_eval_in_default_src_only_when_it_governs_scripts(tmp_path: Path) -> None:
    assert [f.rule for f in check(tmp_path, "default-src 'self' 'unsafe-eval'")[1]] == ["KAI210"]
    assert check(tmp_path, "default-src 'self' 'unsafe-eval'; script-src 'self'")[1] == []


def test_policy_that_blocks_the_apps_own_scripts(tmp_path: Path) -> None:
    text, findings = check(tmp_path, "script-src https://cdn.example.com")
    blocks = [f for f in findings if f.rule == "KAI212"]
    assert [(text[f.start : f.end], f.severity.label) for f in blocks] == [("script-src", "error")]
    fixed = apply_edits(text, same_file_edits(blocks[0].fixes[0]))
    assert json.loads(fixed)["csp"] == "script-src 'self' https://cdn.example.com"
    _, findings = check(tmp_path, "script-src https://cdn.example.com", name="manifest.webmanifest")
    assert [f.severity.label for f in findings if f.rule == "KAI212"] == [
        "warning"
    ]  # 3.0: not confirmed
    assert check(tmp_path, "script-src 'none'")[1] == []  # deliberate


def test_syntax_fix_inserts_the_missing_semicolon(tmp_path: Path) -> None:
    text, findings = check(tmp_path, "default-src 'self' script-src 'self'")
    finding = next(f for f in findings if f.rule == "KAI211")
    fixed = apply_edits(text, same_file_edits(finding.fixes[0]))
    assert json.loads(fixed)["csp"] == "default-src 'self'; script-src 'self'"


def test_escaped_strings_get_whole_value_ranges_and_no_token_fixes(tmp_path: Path) -> None:
    text = '{"name": "Demo", "type": "privileged", "csp": "script-src \\u0027self\\u0027 \'unsafe-eval\'"}'
    findings = [
        f
        for f in analyze_document(str(tmp_path / "manifest.webapp"), text).findings
        if f.rule == "KAI210"
    ]
    assert len(findings) == 1 and text[findings[0].start : findings[0].end].startswith(
        '"script-src'
    )
    assert findings[0].fixes == ()
