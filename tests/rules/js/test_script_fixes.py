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

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.findings import Severity
from kaios_lsp.rules.js import analyze as js_analyze
from kaios_lsp.services.fixes import apply_edits

PRIV25 = {"name": "Demo", "type": "privileged"}
WEB25 = {"name": "Demo", "type": "web"}
PACKAGED30 = {"name": "Demo", "start_url": "/index.html"}
HOSTED30 = {"name": "Demo", "start_url": "https://news.example.com/index.html"}


@pytest.fixture(params=["esprima", "tree-sitter"])
def front(request, monkeypatch):
    original = js_analyze.parse_script
    # "esprima": the default for small files (which falls back to tree-sitter where
    # esprima cannot read the code, as for module syntax in a classic script)
    chosen = "auto" if request.param == "esprima" else "tree-sitter"
    forced = functools.partial(original, front=chosen)

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


# -- 1c: inline handlers and javascript: URLs made by script (KAI302/KAI303) --------------------


@pytest.mark.parametrize(
    "code, rule, flagged",
    [
        ("el.setAttribute('onclick', 'go(1)');\n", "KAI302", "el.setAttribute('onclick', 'go(1)')"),
        (
            "el.setAttribute('ONCLICK', 'go(' + n + ')');\n",
            "KAI302",
            "el.setAttribute('ONCLICK', 'go(' + n + ')')",
        ),
        ("el.onclick = 'go()';\n", "KAI302", "el.onclick = 'go()'"),
        ("a.href = 'javascript:go()';\n", "KAI303", "a.href = 'javascript:go()'"),
        ("a.href = 'javascript:void(0)';\n", "KAI303", "a.href = 'javascript:void(0)'"),
        ("location.href = 'javascript:go()';\n", "KAI303", "location.href = 'javascript:go()'"),
        ("window.location = 'JavaScript:go()';\n", "KAI303", "window.location = 'JavaScript:go()'"),
        ("location.assign('javascript:go()');\n", "KAI303", "location.assign('javascript:go()')"),
        ("window.open('javascript:go()');\n", "KAI303", "window.open('javascript:go()')"),
        (
            "el.setAttribute('href', 'javascript:' + code);\n",
            "KAI303",
            "el.setAttribute('href', 'javascript:' + code)",
        ),
    ],
)
def test_inline_code_made_by_script(tmp_path, front, code, rule, flagged):
    assert found(analyse(tmp_path, code), rule, code) == [flagged]


@pytest.mark.parametrize(
    "code",
    [
        "el.setAttribute('onclick', handler);\n",  # a variable: maybe not a string at all
        "el.setAttribute('title', 'go()');\n",
        "el.setAttribute('data-onclick', 'go()');\n",
        "el.onclick = go;\n",
        "el.onclick = function () { go(); };\n",
        "options.onload = 'callbackName';\n",  # a name, not code: a library's option
        "a.href = 'https://example.com/';\n",
        "a.href = url;\n",
        "if (a.href === 'javascript:void(0)') {}\n",
    ],
)
def test_script_without_inline_code(tmp_path, front, code):
    findings = analyse(tmp_path, code)
    assert found(findings, "KAI302", code) == [] and found(findings, "KAI303", code) == []


def test_set_attribute_handler_is_allowed_under_unsafe_inline(tmp_path, front):
    code = "el.setAttribute('onclick', 'go()');\n"
    assert found(analyse(tmp_path, code, WEB25), "KAI302", code) == []


@pytest.mark.parametrize(
    "code, expected",
    [
        (
            "el.setAttribute('onclick', 'go(1)');\n",
            "el.onclick = function (event) { go(1); };\n",
        ),
        (
            "document.getElementById('b').setAttribute('onkeydown', 'return key(event);');\n",
            "document.getElementById('b').onkeydown = function (event) { return key(event); };\n",
        ),
        ("el.onclick = 'go()';\n", "el.onclick = function (event) { go(); };\n"),
        ("a.href = 'javascript:void(0)';\n", "a.href = '#';\n"),
    ],
)
def test_inline_code_fixes(tmp_path, front, code, expected):
    finding = next(f for f in analyse(tmp_path, code) if f.rule in ("KAI302", "KAI303"))
    assert apply_fix(tmp_path, code, finding) == expected


def test_set_attribute_fix_warns_about_scope_names(tmp_path, front):
    code = "el.setAttribute('onclick', 'alert(value)');\n"
    finding = only(analyse(tmp_path, code), "KAI302")
    assert "check value" in finding.fixes[0].title


@pytest.mark.parametrize(
    "code",
    [
        "var ok = el.setAttribute('onclick', 'go()');\n",  # the result is used
        "el.setAttribute('onclick', 'a();\\nb()');\n",  # code over lines
        "location.href = 'javascript:go()';\n",  # what should run instead is not mechanical
    ],
)
def test_inline_code_without_mechanical_fix(tmp_path, front, code):
    finding = next(f for f in analyse(tmp_path, code) if f.rule in ("KAI302", "KAI303"))
    assert finding.fixes == ()


# -- 1d: window.open of another origin (KAI310) -------------------------------------------------


@pytest.mark.parametrize(
    "code, expected",
    [
        (
            "window.open('https://example.com/', '_blank');\n",
            "window.open('https://example.com/', '_blank', 'noopener,noreferrer');\n",
        ),
        (
            "open('https://example.com/');\n",
            "open('https://example.com/', '_blank', 'noopener,noreferrer');\n",
        ),
        (
            "window.open('https://example.com/' + id, '_blank', 'width=200');\n",
            "window.open('https://example.com/' + id, '_blank', 'width=200,noopener,noreferrer');\n",
        ),
        (
            'window.open("//example.com/", "_blank", "noopener");\n',
            'window.open("//example.com/", "_blank", "noopener,noreferrer");\n',
        ),
    ],
)
def test_window_open_to_another_origin_gets_noopener_on_30(tmp_path, front, code, expected):
    finding = only(analyse(tmp_path, code, PACKAGED30), "KAI310")
    assert apply_fix(tmp_path, code, finding) == expected


@pytest.mark.parametrize(
    "code",
    [
        "window.open('/help.html', '_blank');\n",  # the app's own page
        "window.open('https://news.example.com/a', '_blank');\n",  # the hosted app's origin
        "window.open('http://localhost:8080/', '_blank');\n",
        "window.open('https://example.com/', 'help');\n",  # a named window
        "window.open('https://example.com/', '_self');\n",
        "window.open(url, '_blank');\n",  # unknown: maybe the app's own
        "window.open('https://example.com/', '_blank', 'noopener,noreferrer');\n",
        "window.open('https://example.com/', '_blank', features);\n",
        "db.open('https://example.com/');\n",
    ],
)
def test_window_open_that_leaks_nothing(tmp_path, front, code):
    assert found(analyse(tmp_path, code, HOSTED30), "KAI310", code) == []


def test_window_open_whose_window_is_used_has_no_fix(tmp_path, front):
    """noopener makes window.open return null: code that uses the window would break."""
    code = "var w = window.open('https://example.com/', '_blank');\nw.focus();\n"
    finding = only(analyse(tmp_path, code, PACKAGED30), "KAI310")
    assert finding.fixes == ()


def test_window_open_in_a_25_packaged_app_leaks_nothing(tmp_path, front):
    code = "window.open('https://example.com/', '_blank');\n"
    assert found(analyse(tmp_path, code, PRIV25), "KAI310", code) == []


def test_window_open_in_a_25_hosted_app_cuts_the_opener(tmp_path, front):
    from kaios_lsp.settings import apply_settings

    write_app(tmp_path, WEB25)
    config = apply_settings(Config(), {"distribution": "hosted"}, "test")
    code = "go();\nwindow.open('https://example.com/', '_blank');\n"
    path = tmp_path / "app.js"
    path.write_text(code, "utf-8")
    finding = only(analyze_document(str(path), code, config).findings, "KAI310")
    assert "Gecko 48" in finding.message
    fix = finding.fixes[0]
    fixed = apply_edits(code, [e for c in fix.changes for e in c.edits])
    assert fixed == "go();\n(window.open('https://example.com/', '_blank') || {}).opener = null;\n"
    path.write_text(fixed, "utf-8")
    after = analyze_document(str(path), fixed, config).findings
    assert not serious(after)
    code = "go()\nwindow.open('https://example.com/', '_blank');\n"  # no semicolon before
    path.write_text(code, "utf-8")
    finding = only(analyze_document(str(path), code, config).findings, "KAI310")
    fixed = apply_edits(code, [e for c in finding.fixes[0].changes for e in c.edits])
    assert fixed.startswith("go()\n;(window.open(")


# -- 1e: import/export in a script a page loads as a classic script (KAI401) ----------------------


def make_module_app(root: Path, manifest: dict, tag: str) -> Path:
    write_app(root, manifest)
    (root / "index.html").write_text(
        f"<!DOCTYPE html>\n<html><head>{tag}</head><body></body></html>\n", "utf-8"
    )
    (root / "js").mkdir()
    (root / "js" / "lib.js").write_text("export const a = 1;\n", "utf-8")
    code = "import { a } from './lib.js';\nexport function f() { return a; }\n"
    (root / "js" / "app.js").write_text(code, "utf-8")
    return root / "js" / "app.js"


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="js/app.js" defer></script>',
        '<script type="text/javascript" src="/js/app.js"></script>',
        '<script src="./js/app.js?v=2"></script>',
    ],
)
def test_module_syntax_in_a_classic_script_is_a_syntax_error(tmp_path, front, tag):
    path = make_module_app(tmp_path, PACKAGED30, tag)
    code = path.read_text("utf-8")
    findings = analyze_document(str(path), code, Config()).findings
    finding = only(findings, "KAI401")
    assert code[finding.start : finding.end] == "import"
    assert "index.html" in finding.message
    fix = finding.fixes[0]
    assert not fix.safe
    (change,) = fix.changes
    page = Path(change.path)
    page.write_text(apply_edits(page.read_text("utf-8"), change.edits), "utf-8")
    assert 'type="module"' in page.read_text("utf-8")
    after = analyze_document(str(path), code, Config()).findings
    assert not serious(after) - serious(findings) and not found(after, "KAI401", code)
    html = page.read_text("utf-8")
    assert not serious(analyze_document(str(page), html, Config()).findings)


@pytest.mark.parametrize(
    "tag",
    [
        '<script type="module" src="js/app.js"></script>',
        '<script src="js/other.js"></script>',  # not loaded by a page: imported, or unused
    ],
)
def test_module_syntax_loaded_as_module_is_fine(tmp_path, front, tag):
    path = make_module_app(tmp_path, PACKAGED30, tag)
    code = path.read_text("utf-8")
    assert found(analyze_document(str(path), code, Config()).findings, "KAI401", code) == []


def test_module_syntax_in_a_25_classic_script_has_no_fix(tmp_path, front):
    path = make_module_app(tmp_path, PRIV25, '<script src="js/app.js"></script>')
    code = path.read_text("utf-8")
    findings = analyze_document(str(path), code, Config()).findings
    at_import = [f for f in findings if f.rule in ("KAI401", "KAI409") and f.start == 0]
    assert len(at_import) == 1  # one finding per token
    assert all(not f.fixes for f in at_import)


def test_module_syntax_in_build_input_is_not_judged(tmp_path, front):
    """A bundler project: src/ is build input, rewritten before it ships."""
    (tmp_path / "package.json").write_text(
        json.dumps(
            {"name": "x", "scripts": {"build": "webpack"}, "devDependencies": {"webpack": "5"}}
        ),
        "utf-8",
    )
    (tmp_path / "webpack.config.js").write_text(
        "module.exports = { entry: './src/app.js', output: { path: __dirname + '/dist' } };\n",
        "utf-8",
    )
    (tmp_path / "src").mkdir()
    path = make_module_app(tmp_path / "src", PACKAGED30, '<script src="js/app.js"></script>')
    code = path.read_text("utf-8")
    assert found(analyze_document(str(path), code, Config()).findings, "KAI401", code) == []


# -- code moved into a function must be exactly that function -----------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "setTimeout('tick() // again', 10);\n",  # the comment would swallow the closing brace
        "var code = 'tick() // again';\nsetTimeout(code, 10);\n",
        "setTimeout('}); evil(); (function () {', 10);\n",  # closes the function early
        "el.setAttribute('onclick', 'go() // x');\n",
        "el.onclick = 'go() /* x';\n",
    ],
)
def test_code_that_would_not_stay_one_function_has_no_fix(tmp_path, front, code):
    finding = next(f for f in analyse(tmp_path, code) if f.rule in ("KAI302", "KAI402"))
    assert finding.fixes == () or all("function" not in f.title.lower() for f in finding.fixes)
