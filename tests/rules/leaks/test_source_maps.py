"""KAI521 source-map-shipped: the comment in a shipped script (vendor bundles included) is
flagged, its fix removes exactly that line; build input and tests are quiet."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaios_lsp.engine import analyze_document
from tests.rules.js.support import fix_text
from tests.rules.leaks.support import WEBPACK, app, flagged, write

BUNDLE = "!function(){console.log('ready')}();\n//# sourceMappingURL=bundle.js.map\n"


def test_a_shipped_bundle_and_its_fix(tmp_path: Path) -> None:
    root = app(tmp_path, ("js/bundle.js",))
    write(root, {"js/bundle.js": BUNDLE})
    findings = analyze_document(str(root / "js/bundle.js"), BUNDLE).findings
    assert [(f.rule, BUNDLE[f.start : f.end]) for f in findings] == [
        ("KAI521", "//# sourceMappingURL=bundle.js.map")
    ]
    (finding,) = findings
    assert "bundle.js.map" in finding.message and ".map file" in finding.message
    fixed = fix_text(BUNDLE, finding)
    assert fixed == "!function(){console.log('ready')}();\n"
    assert analyze_document(str(root / "js/bundle.js"), fixed).findings == []


@pytest.mark.parametrize(
    ("code", "comment", "fixed"),
    [
        (
            "a();\n//@ sourceMappingURL=app.js.map",
            "//@ sourceMappingURL=app.js.map",
            "a();",
        ),
        (
            "a();\n/*# sourceMappingURL=app.js.map */\nb();\n",
            "/*# sourceMappingURL=app.js.map */",
            "a();\nb();\n",
        ),
        (
            "a();//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==\n",
            "//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==",
            "a();\n",
        ),
    ],
)
def test_old_block_and_inline_forms(tmp_path: Path, code: str, comment: str, fixed: str) -> None:
    root = app(tmp_path, ("js/app.js",))
    write(root, {"js/app.js": code})
    (finding,) = [
        f for f in analyze_document(str(root / "js/app.js"), code).findings if f.rule == "KAI521"
    ]
    assert code[finding.start : finding.end] == comment
    assert fix_text(code, finding) == fixed


def test_a_vendor_library_is_flagged_too(tmp_path: Path) -> None:
    code = "/*! lib v1 */\n!function(){}();\n//# sourceMappingURL=lib.min.js.map\n"
    root = app(tmp_path, ("vendor/lib.min.js",))
    assert flagged(root, "vendor/lib.min.js", code, "KAI521") == [
        "//# sourceMappingURL=lib.min.js.map"
    ]


def test_not_a_comment_is_quiet(tmp_path: Path) -> None:
    code = 'var tail = "//# sourceMappingURL=" + name + ".map";\n'
    assert flagged(app(tmp_path), "js/app.js", code, "KAI521") == []


def test_build_input_and_tests_are_quiet(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": WEBPACK, "src/index.html": "<p>", "manifest.webapp": "{}"})
    code = "export const a = 1;\n//# sourceMappingURL=a.js.map\n"
    assert flagged(tmp_path, "src/a.js", code, "KAI521") == []
    assert flagged(tmp_path, "test/a.test.js", code, "KAI521") == []


def test_build_output_is_flagged(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": WEBPACK,
            "dist/manifest.webapp": {
                "name": "D",
                "type": "privileged",
                "launch_path": "/index.html",
            },
            "dist/index.html": "<script src=main.js></script>",
        },
    )
    code = "!function(){}();\n//# sourceMappingURL=main.js.map\n"
    assert flagged(tmp_path, "dist/main.js", code, "KAI521") == ["//# sourceMappingURL=main.js.map"]
