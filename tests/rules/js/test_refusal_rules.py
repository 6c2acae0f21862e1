"""KAI406: prompting APIs without refusal handling, what counts as handled, and the error-callback fix."""

from __future__ import annotations

import pytest

from tests.rules.js.support import PACKAGED30, analyse, fix_text, found

# -- KAI406 unhandled-refusal -----------------------------------------------------------------


@pytest.mark.parametrize(
    "code, flagged",
    [
        (
            "navigator.geolocation.getCurrentPosition(show);",
            "navigator.geolocation.getCurrentPosition(show)",
        ),
        (
            "var id = navigator.geolocation.watchPosition(show, null);",
            "navigator.geolocation.watchPosition(show, null)",
        ),
        (
            "navigator.mediaDevices.getUserMedia({ video: true }).then(play);",
            "navigator.mediaDevices.getUserMedia({ video: true })",
        ),
        (
            "async function f() { var s = await navigator.mediaDevices.getUserMedia({ audio: true }); }",
            "navigator.mediaDevices.getUserMedia({ audio: true })",
        ),
        (
            "navigator.mozGetUserMedia({ audio: true }, play);",
            "navigator.mozGetUserMedia({ audio: true }, play)",
        ),
    ],
)
def test_prompting_apis_without_refusal_handling(tmp_path, code, flagged):
    findings = analyse(tmp_path, code, PACKAGED30, settings={"secureContext": "secure"})
    assert found(findings, "KAI406", code) == [flagged]


@pytest.mark.parametrize(
    "code",
    [
        "navigator.geolocation.getCurrentPosition(show, fail);",
        "navigator.mediaDevices.getUserMedia({ video: true }).then(play).catch(fail);",
        "navigator.mediaDevices.getUserMedia({ video: true }).then(play, fail);",
        "async function f() { try { await navigator.mediaDevices.getUserMedia({ audio: true }); } catch (e) {} }",
        "function f() { return navigator.mediaDevices.getUserMedia({ audio: true }); }",  # caller handles
        "var p = navigator.mediaDevices.getUserMedia({ audio: true });",
    ],
)
def test_refusal_handled_or_not_ours_to_judge(tmp_path, code):
    findings = analyse(tmp_path, code, PACKAGED30, settings={"secureContext": "secure"})
    assert found(findings, "KAI406", code) == []


def test_error_callback_fix(tmp_path):
    code = "navigator.geolocation.getCurrentPosition(show);"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI406"]
    fixed = fix_text(code, finding)
    assert fixed.startswith("navigator.geolocation.getCurrentPosition(show, function (error) {")
    assert found(analyse(tmp_path, fixed), "KAI406", fixed) == []


def test_device_storage_request_without_onerror(tmp_path):
    code = (
        "var sd = navigator.getDeviceStorage('sdcard');\n"
        "var req = sd.get('a.mp3');\n"
        "req.onsuccess = function () { play(this.result); };\n"
    )
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI406"]
    fixed = fix_text(code, finding)
    assert "req.onerror = function" in fixed
    assert found(analyse(tmp_path, fixed), "KAI406", fixed) == []
