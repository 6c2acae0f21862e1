"""KAI402: eval-class calls under a policy without unsafe-eval, lookalikes that are not eval, and the string-timer fix."""

from __future__ import annotations

import pytest

from tests.rules.js.support import WEB25, analyse, fix_text, found

# -- KAI402 eval-blocked -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, flagged",
    [
        ("eval(text);", "eval(text)"),
        ("window.eval(text);", "window.eval(text)"),
        ("var f = new Function('a', 'return a');", "new Function('a', 'return a')"),
        ("var f = Function('return 1');", "Function('return 1')"),
        ('setTimeout("tick()", 10);', 'setTimeout("tick()", 10)'),
        ("setInterval(`tick(${n})`, 10);", "setInterval(`tick(${n})`, 10)"),
        ("setTimeout('go(' + n + ')', 5);", "setTimeout('go(' + n + ')', 5)"),
        ("self.setImmediate('x()');", "self.setImmediate('x()')"),
    ],
)
def test_eval_class_calls_are_blocked_in_privileged_apps(tmp_path, code, flagged):
    findings = analyse(tmp_path, code)
    assert found(findings, "KAI402", code) == [flagged]


@pytest.mark.parametrize(
    "code",
    [
        "setTimeout(tick, 10);",
        "setTimeout(function () { tick(); }, 10);",
        "var evaluate = 1; obj.eval('x');",
        "function eval2(x) { return x; } eval2('1');",
        "function setTimeout(code) {} setTimeout('x');",  # the file's own function
    ],
)
def test_functions_and_lookalikes_are_not_eval(tmp_path, code):
    assert found(analyse(tmp_path, code), "KAI402", code) == []


def test_eval_is_allowed_in_web_apps(tmp_path):
    assert found(analyse(tmp_path, "eval(x);", WEB25), "KAI402", "eval(x);") == []


def test_string_timer_fix_and_json_choice(tmp_path):
    code = 'setTimeout("tick()", 10);\nvar data = eval(text);\n'
    findings = [f for f in analyse(tmp_path, code) if f.rule == "KAI402"]
    assert fix_text(code, findings[0]).startswith("setTimeout(function () { tick(); }, 10);")
    (json_fix,) = findings[1].fixes
    assert not json_fix.safe  # a choice, never applied by --fix
    assert "JSON.parse(text)" in fix_text(code, findings[1])


def test_vendor_code_gets_the_csp_rule_only(tmp_path):
    code = "new Function('x'); navigator.mozContacts.getAll();"
    (tmp_path / "vendor").mkdir()
    findings = analyse(tmp_path, code, name="vendor/angular.js")
    assert [f.rule for f in findings] == ["KAI402"]
    minified = analyse(tmp_path, code, name="lib.min.js")
    assert [f.rule for f in minified] == ["KAI402"]
    checked = analyse(tmp_path, code, name="lib.min.js", settings={"checkVendorCode": True})
    assert sorted(f.rule for f in checked) == ["KAI402", "KAI404"]
