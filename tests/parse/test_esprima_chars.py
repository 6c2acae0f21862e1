"""The compact esprima.character gives esprima the same answers as the original tables."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import kaios_lsp.parse  # noqa: F401  (installs the stand-in)
from kaios_lsp.parse import esprima_chars


def test_esprima_uses_the_compact_module() -> None:
    import esprima.scanner

    assert esprima.scanner.Character is esprima_chars.Character


def test_every_code_point_classified_as_the_original_does() -> None:
    # The original module is loaded from its file under another name, in a separate
    # process: it costs ~120 MiB, which this test process should not keep.
    script = textwrap.dedent(
        r"""
        import importlib.util, sys
        import esprima
        from kaios_lsp.parse import esprima_chars as mine
        path = esprima.__path__[0] + "/character.py"
        spec = importlib.util.spec_from_file_location("esprima._original_character", path)
        original = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = original
        spec.loader.exec_module(original)
        o, m = original.Character, mine.Character
        every = [chr(code) for code in range(sys.maxunicode + 1)]
        bad = []
        if {c for c in every if m.isIdentifierStart(c)} != original.IDENTIFIER_START:
            bad.append("isIdentifierStart")
        if {c for c in every if m.isIdentifierPart(c)} != original.IDENTIFIER_PART:
            bad.append("isIdentifierPart")
        for table in ("WHITE_SPACE", "LINE_TERMINATOR", "DECIMAL_DIGIT", "HEX_DIGIT",
                      "OCTAL_DIGIT", "HEX_CONV", "OCTAL_CONV", "DECIMAL_CONV"):
            if getattr(original, table) != getattr(mine, table):
                bad.append(table)
        names = ["isIdentifierStart", "isIdentifierPart", "isWhiteSpace", "isLineTerminator",
                 "isDecimalDigit", "isHexDigit", "isOctalDigit"]
        for odd in ("", "ab", None, "a", "\\", "\u00e9", "\u200d", "\U0001ee03"):
            for name in names:
                if getattr(o, name)(odd) != getattr(m, name)(odd):
                    bad.append((repr(odd), name))
        print(bad[:20])
        sys.exit(1 if bad else 0)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
