"""Suppression comments in every form (scripts and pages), and KAI010 for the ones that suppress nothing."""

from __future__ import annotations

from kaios_lsp.engine import analyze_document
from kaios_lsp.parse.text import Encoding, LineIndex
from tests.rules.js.support import PRIV25, analyse, fix_text, found, write_app

# -- KAI010 and suppression comments ----------------------------------------------------------


def test_suppression_comments_in_every_form(tmp_path):
    code = (
        "// kaios-lsp-disable-next-line KAI402\n"
        "eval(a);\n"
        "eval(b); // kaios-lsp-disable-line eval-blocked\n"
        "/* kaios-lsp-disable KAI402 */\n"
        "eval(c);\n"
        "/* kaios-lsp-enable KAI402 */\n"
        "eval(d);\n"
    )
    findings = analyse(tmp_path, code)
    assert found(findings, "KAI402", code) == ["eval(d)"]
    assert found(findings, "KAI010", code) == []


def test_unused_suppression_is_a_hint_with_a_removal_fix(tmp_path):
    code = "var a = 1;\n// kaios-lsp-disable-next-line KAI402\nvar b = 2;\n"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI010"]
    assert finding.severity.label == "hint" and finding.unnecessary
    assert fix_text(code, finding) == "var a = 1;\nvar b = 2;\n"
    unknown = "// kaios-lsp-disable-next-line KAI999\neval(x);\n"
    findings = analyse(tmp_path, unknown)
    assert "unknown rule KAI999" in next(f for f in findings if f.rule == "KAI010").message


def test_html_suppression_and_inline_script_positions(tmp_path):
    write_app(tmp_path, PRIV25)
    page = (
        "<!doctype html>\n<p>相机 📷</p>\n"
        "<!-- kaios-lsp-disable-next-line KAI301 -->\n"
        "<script>\n  var v = '📷'; setTimeout('go()', 5);\n</script>\n"
    )
    path = tmp_path / "index.html"
    path.write_text(page)
    findings = analyze_document(str(path), page).findings
    assert [f.rule for f in findings] == ["KAI402"]  # KAI301 suppressed, the timer is not
    (timer,) = findings
    assert page[timer.start : timer.end] == "setTimeout('go()', 5)"
    assert LineIndex(page).position(timer.start, Encoding.UTF16) == (4, 16)
