"""Our esprima.character answers every code point as esprima-python's own tables do."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from kaios_lsp.parse.js import esprima_character as ours
from kaios_lsp.parse.js.esprima_front import load_esprima


def _original():
    """esprima-python's own module, loaded from its file under another name (its tables
    take ~0.4 s and ~120 MiB to build: once, here)."""
    load_esprima()  # (ours first: importing esprima's package must not build its tables)
    spec = importlib.util.find_spec("esprima")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "character.py"
    loaded = importlib.util.spec_from_file_location("esprima._original_character", path)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    module.__package__ = "esprima"
    loaded.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def original():
    return _original()


def test_every_code_point_is_classified_alike(original) -> None:
    theirs, mine = original.Character, ours.Character
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert mine.isIdentifierStart(ch) == theirs.isIdentifierStart(ch), hex(code)
        assert mine.isIdentifierPart(ch) == theirs.isIdentifierPart(ch), hex(code)
        assert mine.isWhiteSpace(ch) == theirs.isWhiteSpace(ch), hex(code)
        assert mine.isLineTerminator(ch) == theirs.isLineTerminator(ch), hex(code)


def test_digits_and_tables(original) -> None:
    for ch in "0123456789abcdefABCDEFgxz_ ":
        assert ours.Character.isDecimalDigit(ch) == original.Character.isDecimalDigit(ch)
        assert ours.Character.isHexDigit(ch) == original.Character.isHexDigit(ch)
        assert ours.Character.isOctalDigit(ch) == original.Character.isOctalDigit(ch)
    assert ours.HEX_CONV == original.HEX_CONV
    assert ours.OCTAL_CONV == original.OCTAL_CONV
    for odd in ("", "ab", None):
        assert ours.Character.isIdentifierStart(odd) is False
        assert ours.Character.isIdentifierPart(odd) is False


def test_esprima_reads_unicode_identifiers_with_it() -> None:
    esprima = load_esprima()
    program = esprima.parseScript("var ünïcödé_名前 = 1; var $x\u200d = '🙂';")
    names = [d.declarations[0].id.name for d in program.body]
    assert names == ["ünïcödé_名前", "$x\u200d"]


def test_a_fresh_process_loads_esprima_without_its_tables() -> None:
    code = (
        "import sys\n"
        "from kaios_lsp.parse.js.esprima_front import parse_esprima\n"
        "parse_esprima('var a = 1;')\n"
        "print(sys.modules['esprima.character'].__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "kaios_lsp.parse.js.esprima_character"
