"""KAI409 syntax the target engine cannot parse, KAI401 syntax errors, their fixes and exact positions."""

from __future__ import annotations

import pytest

from kaios_lsp.parse.text import Encoding, LineIndex
from tests.rules.js.support import PACKAGED30, analyse, fix_text, found

# -- KAI409 unsupported-syntax and KAI401 syntax errors -----------------------------------------


def test_modern_syntax_on_2_5_is_an_error_with_the_feature_name(tmp_path):
    code = "const name = user?.profile?.name ?? 'guest';\n"
    findings = [f for f in analyse(tmp_path, code) if f.rule == "KAI409"]
    assert [code[f.start : f.end] for f in findings] == ["?.", "?.", "??"]
    assert "Optional chaining" in findings[0].message and "Gecko 48" in findings[0].message
    assert [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI409"] == []


def test_3_0_still_rejects_newer_syntax(tmp_path):
    code = "class A { #secret = 1; static { init(); } }\n"
    findings = [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI409"]
    assert {f.message.split(":")[0] for f in findings} == {
        "Private class fields (#x)",
        "Class static initialization blocks",
    }


@pytest.mark.parametrize(
    "code, fixed",
    [
        ("var n = 1_000_000;", "var n = 1000000;"),
        ("f(a, b,);", "f(a, b);"),
        ("try { x(); } catch { y(); }", "try { x(); } catch (error) { y(); }"),
        ("for (const item of list) { use(item); }", "for (let item of list) { use(item); }"),
    ],
)
def test_mechanical_syntax_fixes(tmp_path, code, fixed):
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI409"]
    assert fix_text(code, finding) == fixed
    assert [f for f in analyse(tmp_path, fixed) if f.rule in ("KAI409", "KAI401")] == []


def test_syntax_error_is_reported_once_and_other_rules_still_run(tmp_path):
    code = "eval(x);\nfunction broken( {\n"
    findings = analyse(tmp_path, code)
    assert [f.rule for f in findings if f.rule == "KAI401"] == ["KAI401"]
    assert found(findings, "KAI402", code) == ["eval(x)"]


def test_positions_are_utf16_with_emoji_and_cjk(tmp_path):
    code = "var label = '📷 相机'; eval(label);\n"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI402"]
    index = LineIndex(code)
    assert index.position(finding.start, Encoding.UTF16) == (0, 21)  # the emoji counts 2
    assert index.position(finding.start, Encoding.UTF32) == (0, 20)
    assert index.position(finding.start, Encoding.UTF8) == (0, 27)
