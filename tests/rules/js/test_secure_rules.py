"""KAI403: secure-context APIs used unguarded, every documented guard form, aliases and the guard fix."""

from __future__ import annotations

import pytest

from tests.rules.js.support import HOSTED_HTTP30, PACKAGED30, analyse, fix_text, found

# -- KAI403 insecure-context-api ---------------------------------------------------------------

GUARDED = [
    "if ('serviceWorker' in navigator) { navigator.serviceWorker.register('sw.js'); }",
    "if (navigator.serviceWorker) { navigator.serviceWorker.register('sw.js'); }",
    "if (window.isSecureContext) { navigator.serviceWorker.register('sw.js'); }",
    "if (typeof navigator.serviceWorker !== 'undefined') navigator.serviceWorker.register('sw.js');",
    "navigator.serviceWorker && navigator.serviceWorker.register('sw.js');",
    "navigator.serviceWorker?.register('sw.js');",
    "function go() { if (!('serviceWorker' in navigator)) return; navigator.serviceWorker.register('sw.js'); }",
    "try { navigator.serviceWorker.register('sw.js'); } catch (e) {}",
    "var ok = navigator.serviceWorker ? navigator.serviceWorker.register('sw.js') : null;",
    "if (!navigator.serviceWorker) { fallback(); } else { navigator.serviceWorker.register('sw.js'); }",
]


@pytest.mark.parametrize("code", GUARDED)
def test_guarded_secure_context_uses_are_quiet(tmp_path, code):
    assert found(analyse(tmp_path, code, HOSTED_HTTP30), "KAI403", code) == []


def test_unguarded_use_on_an_insecure_origin_is_a_warning_with_a_guard_fix(tmp_path):
    code = "function start() {\n  navigator.serviceWorker.register('sw.js');\n}\n"
    (finding,) = [f for f in analyse(tmp_path, code, HOSTED_HTTP30) if f.rule == "KAI403"]
    assert finding.severity.label == "warning"
    assert code[finding.start : finding.end] == "navigator.serviceWorker"
    fixed = fix_text(code, finding)
    assert fixed == (
        "function start() {\n  if ('serviceWorker' in navigator) {\n"
        "    navigator.serviceWorker.register('sw.js');\n  }\n}\n"
    )
    assert found(analyse(tmp_path, fixed, HOSTED_HTTP30), "KAI403", fixed) == []


def test_packaged_3_0_is_uncertain_so_information(tmp_path):
    code = "navigator.mediaDevices.getUserMedia({ video: true }).catch(report);"
    (finding,) = [f for f in analyse(tmp_path, code, PACKAGED30) if f.rule == "KAI403"]
    assert finding.severity.label == "info"
    settled = analyse(tmp_path, code, PACKAGED30, settings={"secureContext": "secure"})
    assert found(settled, "KAI403", code) == []


def test_apis_missing_from_kaios_2_5_are_flagged_even_in_secure_apps(tmp_path):
    code = "navigator.clipboard.writeText(s);\ncaches.open('v1');\n"
    findings = [f for f in analyse(tmp_path, code) if f.rule == "KAI403"]
    # clipboard does not exist in Gecko 48; caches works in app:// (a secure context)
    assert [code[f.start : f.end] for f in findings] == ["navigator.clipboard"]
    assert "isSecureContext does not exist on KaiOS 2.5" in findings[0].message


def test_is_secure_context_on_2_5_is_always_false(tmp_path):
    code = "if (window.isSecureContext) { start(); }"
    assert found(analyse(tmp_path, code), "KAI403", code) == ["window.isSecureContext"]
    assert found(analyse(tmp_path, code, PACKAGED30), "KAI403", code) == []


def test_rejecting_api_gets_a_catch_fix(tmp_path):
    code = "caches.open('v1').then(fill);\n"
    (finding,) = [f for f in analyse(tmp_path, code, HOSTED_HTTP30) if f.rule == "KAI403"]
    fixed = fix_text(code, finding)
    assert fixed.startswith("caches.open('v1').then(fill).catch(function (error) {")
    assert found(analyse(tmp_path, fixed, HOSTED_HTTP30), "KAI403", fixed) == []


def test_aliases_are_followed_and_shadowing_is_respected(tmp_path):
    code = "var nav = navigator;\nnav.storage.persist();\n"
    assert found(analyse(tmp_path, code), "KAI403", code) == ["nav.storage"]
    shadow = "function f(navigator) { navigator.storage.persist(); }"
    assert found(analyse(tmp_path, shadow), "KAI403", shadow) == []
    reassigned = "var nav = navigator; nav = other; nav.storage.persist();"
    assert found(analyse(tmp_path, reassigned), "KAI403", reassigned) == []


def test_template_literal_lines_are_not_reindented_by_the_guard_fix(tmp_path):
    code = "navigator.clipboard.writeText(`line one\nline two`);\n"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI403"]
    fixed = fix_text(code, finding)
    assert "`line one\nline two`" in fixed  # the string's content is unchanged
