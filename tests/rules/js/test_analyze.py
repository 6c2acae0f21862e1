"""Bad script input gets a clear diagnostic or silence, never a crash; the syntax prefilters stay fast on hostile text."""

from __future__ import annotations

import pytest

from kaios_lsp.services.fixes import apply_edits
from tests.rules.js.support import PRIV25, analyse, found, write_app

# -- bad input: a clear diagnostic or silence, never a crash ----------------------------------


def test_binary_and_deeply_nested_scripts(tmp_path):
    write_app(tmp_path, PRIV25)
    deep = "x = " + "(" * 3000 + "1" + ")" * 3000 + ";\neval(x);\n"
    findings = analyse(tmp_path, deep)
    assert found(findings, "KAI402", deep) == ["eval(x)"]
    nested = "var a = " + "[" * 5000 + "]" * 5000 + ";"
    analyse(tmp_path, nested)  # esprima's recursion limit: tree-sitter reads it
    from kaios_lsp.engine import decode

    _text, problems, analysable = decode(b"\x00\x01binary\x00" * 100)
    assert not analysable and problems[0].rule == "KAI008"


@pytest.mark.parametrize(
    "code",
    [
        "navigator.",
        "navigator.geolocation.getCurrentPosition(",
        "setTimeout('",
        "new XMLHttpRequest({ mozSystem: ",
        "`${",
        "/* kaios-lsp-disable",
        "class { #",
        "\ufeffeval(x)",
        "if (",
        "\u2028eval(x)\u2029",
    ],
)
def test_half_typed_code_keeps_ranges_inside_the_text(tmp_path, code):
    for finding in analyse(tmp_path, code):
        assert 0 <= finding.start <= finding.end <= len(code)
        for fix in finding.fixes:
            for change in fix.changes:
                if change.path is None:
                    apply_edits(code, list(change.edits))  # raises if out of range


def test_the_syntax_prefilters_stay_fast_on_hostile_text():
    import time

    from kaios_lsp.rules.js.features import _needless_captures

    hostile = [
        "f(a, " + "// a " * 20000 + "\n)",  # comment runs after a comma
        "/******/" * 50000,  # webpack's banner lines
        "x = '" + "0123456789abcdef" * 60000 + "';",  # a long hex blob
    ]
    start = time.perf_counter()
    for text in hostile:
        _needless_captures(text)
    assert time.perf_counter() - start < 1.0
    assert _needless_captures("f(a, /* x */)") == frozenset()
    assert _needless_captures("var big = 10n;") == frozenset({"arguments", "parameters"})
