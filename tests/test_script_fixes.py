"""Script and page problems the rules used to miss, and the fixes they offer.

Every fix here is applied and the file analysed again: it must leave no error or warning
that was not there before (the fix-safety contract), and the fixed finding must be gone.
Script cases run through both front ends (esprima for small files, tree-sitter for big or
modern ones)."""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path

import pytest

from kaios_lsp.analysis.engine import analyze_document
from kaios_lsp.analysis.findings import Severity
from kaios_lsp.analysis.fixes import apply_edits
from kaios_lsp.analysis.js import analyze as js_analyze
from kaios_lsp.config import Config

PRIV25 = {"name": "Demo", "type": "privileged"}
WEB25 = {"name": "Demo", "type": "web"}
PACKAGED30 = {"name": "Demo", "start_url": "/index.html"}
HOSTED30 = {"name": "Demo", "start_url": "https://news.example.com/index.html"}


@pytest.fixture(params=["esprima", "tree-sitter"])
def front(request, monkeypatch):
    original = js_analyze.parse_script
    if request.param == "esprima":
        forced = functools.partial(original, front="esprima")
    else:
        forced = functools.partial(original, front="tree-sitter")

    def parse(text, *, module=False, front="auto", dialect="js"):
        return forced(text, module=module, dialect=dialect)

    monkeypatch.setattr(js_analyze, "parse_script", parse)
    return request.param


def write_app(root: Path, manifest: dict) -> None:
    name = "manifest.webmanifest" if "start_url" in manifest else "manifest.webapp"
    (root / name).write_text(json.dumps(manifest, indent=2), "utf-8")


def analyse(root: Path, code: str, manifest: dict | None = PRIV25, name: str = "app.js"):
    if manifest is not None:
        write_app(root, manifest)
    path = root / name
    path.write_text(code, "utf-8")
    return analyze_document(str(path), code, Config()).findings


def found(findings, rule: str, code: str) -> list[str]:
    return [code[f.start : f.end] for f in findings if f.rule == rule]


def serious(findings) -> Counter:
    return Counter((f.rule, f.message) for f in findings if f.severity <= Severity.WARNING)


def apply_fix(root: Path, code: str, finding, title: str | None = None, name: str = "app.js"):
    """Apply the fix, analyse again, check the contract; the fixed text."""
    fix = next(f for f in finding.fixes if title is None or title in f.title)
    before = analyse(root, code, None, name)
    fixed = apply_edits(code, [e for c in fix.changes if c.path is None for e in c.edits])
    after = analyse(root, fixed, None, name)
    new = serious(after) - serious(before)
    assert not new, f"the fix {fix.title!r} adds {new}:\n{fixed}"
    same = [
        f
        for f in after
        if f.rule == finding.rule
        and f.message == finding.message
        and f.severity <= Severity.WARNING
    ]
    assert len(same) < len(
        [f for f in before if f.rule == finding.rule and f.message == finding.message]
    ) or (finding.severity > Severity.WARNING), (
        f"the fix {fix.title!r} leaves the problem:\n{fixed}"
    )
    return fixed


def only(findings, rule: str):
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, matching
    return matching[0]


# -- 1a: a string timer whose string is held in a variable (KAI402) -----------------------------


@pytest.mark.parametrize(
    "code, replaced",
    [
        (
            "var code = 'tick()';\nsetTimeout(code, 10);\n",
            "setTimeout(function () { tick(); }, 10)",
        ),
        (
            "const code = 'go(' + '1' + ')';\nsetInterval(code, 10);\n",
            "setInterval(function () { go(1); }, 10)",
        ),
        (
            "let code = `tick();`;\nwindow.setTimeout(code, 10);\n",
            "window.setTimeout(function () { tick(); }, 10)",
        ),
    ],
)
def test_string_timer_held_in_a_variable(tmp_path, front, code, replaced):
    findings = analyse(tmp_path, code)
    finding = only(findings, "KAI402")
    assert code[finding.start : finding.end].split("(")[0].endswith(("setTimeout", "setInterval"))
    assert "holds it" in finding.message
    fixed = apply_fix(tmp_path, code, finding)
    assert replaced in fixed


@pytest.mark.parametrize(
    "code",
    [
        "var code = 'tick()';\ncode = other;\nsetTimeout(code, 10);\n",  # reassigned
        "var code = 'tick()';\ncode += 'x';\nsetTimeout(code, 10);\n",
        "function f(code) { setTimeout(code, 10); }\n",  # a parameter: unknown
        "var code = make();\nsetTimeout(code, 10);\n",  # unknown value
        "var code = tick;\nsetTimeout(code, 10);\n",  # a function
        "var code = 'a';\nfunction g() { var code = tick; setTimeout(code, 10); }\n",  # two
        "var code = 'x' + n;\nsetTimeout(code, 10);\n",  # built from an unknown
    ],
)
def test_timer_variable_that_is_not_a_known_string_is_left_alone(tmp_path, front, code):
    assert found(analyse(tmp_path, code), "KAI402", code) == []


def test_timer_variable_with_multiline_code_has_no_fix(tmp_path, front):
    code = "var code = 'a();\\nb();';\nsetTimeout(code, 10);\n"
    finding = only(analyse(tmp_path, code), "KAI402")
    assert finding.fixes == () or all("function" not in f.title for f in finding.fixes)


# -- 2: eval -> JSON.parse only where the text may be JSON --------------------------------------


@pytest.mark.parametrize(
    "code, expected",
    [
        ("var data = eval(text);\n", "var data = JSON.parse(text);\n"),
        ("var data = eval('(' + text + ')');\n", "var data = JSON.parse(text);\n"),
        ("var data = eval('{\"a\": 1}');\n", "var data = JSON.parse('{\"a\": 1}');\n"),
    ],
)
def test_eval_of_json_text_offers_json_parse(tmp_path, front, code, expected):
    finding = only(analyse(tmp_path, code), "KAI402")
    assert apply_fix(tmp_path, code, finding, "JSON.parse") == expected


@pytest.mark.parametrize(
    "code",
    [
        "var f = eval('return ' + x);\n",
        "eval('go(' + x + ')');\n",
        "eval('tick()');\n",
        "var code = 'tick()';\neval(code);\n",
        "var f = new Function('return ' + x);\n",
    ],
)
def test_eval_of_code_offers_nothing(tmp_path, front, code):
    finding = only(analyse(tmp_path, code), "KAI402")
    assert finding.fixes == () or all("JSON" not in f.title for f in finding.fixes)


# -- 1b: destructured globals are aliases ------------------------------------------------------


def test_destructured_service_worker_is_a_secure_context_use(tmp_path, front):
    code = "const { serviceWorker } = navigator;\nserviceWorker.register('/sw.js');\n"
    assert found(analyse(tmp_path, code, PACKAGED30), "KAI403", code) == ["serviceWorker"]


def test_destructured_service_worker_guard_fix_is_safe(tmp_path, front):
    code = "const { storage } = navigator;\nstorage.persist();\n"
    finding = only(analyse(tmp_path, code, PRIV25), "KAI403")
    assert finding.fixes
    apply_fix(tmp_path, code, finding)


@pytest.mark.parametrize(
    "code",
    [
        "const { geolocation } = navigator;\ngeolocation.getCurrentPosition(show);\n",
        "var { geolocation: geo } = window.navigator;\ngeo.getCurrentPosition(show);\n",
    ],
)
def test_destructured_geolocation_needs_its_permission(tmp_path, front, code):
    findings = analyse(tmp_path, code, PACKAGED30)
    assert len(found(findings, "KAI404", code)) == 1
    assert len(found(findings, "KAI406", code)) == 1


@pytest.mark.parametrize(
    "code",
    [
        "const { serviceWorker } = navigator;\nserviceWorker = fake;\nserviceWorker.register('/sw.js');\n",
        "const { serviceWorker } = navigator;\nfunction f(serviceWorker) { serviceWorker.register('/sw.js'); }\n",
        "const { serviceWorker } = other;\nserviceWorker.register('/sw.js');\n",
        "const { [key]: serviceWorker } = navigator;\nserviceWorker.register('/sw.js');\n",
    ],
)
def test_destructuring_that_is_not_an_alias(tmp_path, front, code):
    assert found(analyse(tmp_path, code, PACKAGED30), "KAI403", code) == []


# -- 1f: an early return on a related feature test guards --------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "function setup() {\n  if (!('PushManager' in window)) return;\n  navigator.serviceWorker.register('/sw.js');\n}\n",
        "function setup() {\n  if (!('PushManager' in window)) { return; }\n  navigator.serviceWorker.register('/sw.js');\n}\n",
        "function setup() {\n  if (!navigator.serviceWorker) { return; }\n  navigator.serviceWorker.register('/sw.js');\n}\n",
        "function setup() {\n  if (!('serviceWorker' in navigator) || !('PushManager' in window)) {\n    return;\n  }\n  navigator.serviceWorker.register('/sw.js');\n}\n",
    ],
)
def test_early_return_on_a_failed_feature_test_guards(tmp_path, front, code):
    assert found(analyse(tmp_path, code, PACKAGED30), "KAI403", code) == []


def test_early_return_on_an_unrelated_test_does_not_guard(tmp_path, front):
    code = "function setup() {\n  if (!('Notification' in window)) return;\n  navigator.serviceWorker.register('/sw.js');\n}\n"
    assert found(analyse(tmp_path, code, PACKAGED30), "KAI403", code) == ["navigator.serviceWorker"]
