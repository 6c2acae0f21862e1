"""Tokens and scalar values of the tolerant JSON parser, with the findings they raise
(comments, byte order mark, bad strings, numbers and literals)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from kaios_lsp.findings import Finding, Fix
from kaios_lsp.parse.json.nodes import Node

# Rule ids used by the JSON parser (documented in kaios_lsp.rules.catalog).
JSON_SYNTAX = "KAI001"
JSON_COMMENT = "KAI002"
JSON_TRAILING_COMMA = "KAI003"
JSON_QUOTES = "KAI004"
JSON_BOM = "KAI005"
JSON_DUPLICATE_KEY = "KAI006"

INSTALL_FAILS = "the manifest cannot be read and the install fails"


# One pass of this pattern yields the next token after any JSON whitespace.
# Group order matters: comments before the catch-all, numbers before words.
_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
      (?P<punct>[{}\[\]:,])
    | (?P<cstring>"[^"\\\x00-\x1f]*")
    | (?P<string>"[^"\\\r\n]*(?:\\[^\r\n][^"\\\r\n]*)*"?)
    | (?P<line_comment>//[^\r\n]*)
    | (?P<block_comment>/\*(?:[^*]|\*(?!/))*(?:\*/)?)
    | (?P<number>[+-]?(?:[0-9]|\.[0-9])(?:[0-9A-Za-z_.]|(?<=[eE])[+-])*)
    | (?P<word>[+-]?[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<squote>'[^'\\\r\n]*(?:\\[^\r\n][^'\\\r\n]*)*'?)
    | (?P<other>.|[\r\n])
    | (?P<eof>\Z)
    )""",
    re.VERBOSE | re.DOTALL,
)
_STRICT_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_CONTROL = re.compile(r"[\x00-\x1f]")
_ESCAPE = re.compile(r'\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})')

# _TOKEN always matches (its last alternative is ``\Z``) and every alternative is a named
# group, so neither the match nor its ``lastgroup`` is ever None.
match_token: Callable[[str, int], re.Match[str]] = _TOKEN.match  # type: ignore[assignment]

VALUE_START = frozenset({"string", "number", "word", "squote"})


def describe(kind: str, text: str) -> str:
    if kind == "eof":
        return "the end of the file"
    if kind == "other":
        char = text
        if char in "\r\n":
            return "a line break"
        return (
            f"'{char}' (U+{ord(char):04X})"
            if char.isprintable() and char.strip()
            else f"U+{ord(char):04X}"
        )
    shown = text if len(text) <= 24 else text[:21] + "..."
    return f"'{shown}'"


class Scanner:
    """Reads tokens and scalars from ``text``, collecting findings; the parser extends it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.findings: list[Finding] = []
        self.pos = self._skip_bom()
        self._peeked: tuple[str, int, int] | None = None
        self._clean_end = -1  # end of the last string token without escapes or control chars
        self.last_end = 0  # end of the last significant token

    # -- scanning ---------------------------------------------------------------

    def _skip_bom(self) -> int:
        if not self.text.startswith("\ufeff"):
            return 0
        self.findings.append(
            Finding(
                JSON_BOM,
                0,
                1,
                "The file starts with a byte order mark (U+FEFF). JSON.parse rejects it, "
                "so on builds that do not strip it the manifest cannot be read and the "
                "install fails. Save the file as UTF-8 without BOM.",
                fixes=(Fix.replace("Remove the byte order mark", 0, 1, "", safe=True),),
            )
        )
        return 1

    def next(self) -> tuple[str, int, int]:
        """The next significant token; comments are reported and skipped.

        The main loop inlines this for speed; this method serves lookahead and the
        rare paths.
        """
        if self._peeked is not None:
            token, self._peeked = self._peeked, None
            return token
        text = self.text
        while True:
            m = match_token(text, self.pos)
            kind: str = m.lastgroup  # type: ignore[assignment]  # (never None: see match_token)
            start = m.start(kind)
            end = self.pos = m.end()
            if kind == "line_comment" or kind == "block_comment":
                self.findings.append(self._comment_finding(kind, start, end))
                continue
            if kind == "cstring":
                self._clean_end = end
                kind = "string"
            return kind, start, end

    def peek(self) -> tuple[str, int, int]:
        if self._peeked is None:
            self._peeked = self.next()
        return self._peeked

    def _comment_finding(self, kind: str, start: int, end: int) -> Finding:
        text = self.text
        unterminated = kind == "block_comment" and not text.endswith("*/", start + 2, end)
        # Remove the whole line when the comment is alone on it, so the fix leaves no blank line.
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        cut_start, cut_end = start, end
        if not text[line_start:start].strip():
            after = end
            while after < len(text) and text[after] in " \t":
                after += 1
            if text.startswith("\r\n", after):
                cut_start, cut_end = line_start, after + 2
            elif after < len(text) and text[after] in "\r\n":
                cut_start, cut_end = line_start, after + 1
            elif after == len(text):
                cut_start, cut_end = start, after
        message = f"Comments are not allowed in JSON: JSON.parse rejects them, so {INSTALL_FAILS}."
        if unterminated:
            message = "Unterminated comment. " + message
        return Finding(
            JSON_COMMENT,
            start,
            end,
            message,
            fixes=(Fix.replace("Remove the comment", cut_start, cut_end, "", safe=True),),
        )

    # -- findings -----------------------------------------------------------------

    def error(
        self, start: int, end: int, message: str, *fixes: Fix, rule: str = JSON_SYNTAX
    ) -> None:
        if end <= start:
            end = min(start + 1, len(self.text)) if start < len(self.text) else start
        self.findings.append(Finding(rule, start, end, message, fixes=tuple(fixes)))

    def expected(self, what: str, kind: str, start: int, end: int, *fixes: Fix) -> None:
        found = describe(kind, self.text[start:end])
        self.error(
            start,
            end,
            f"Expected {what} but found {found}: {INSTALL_FAILS}.",
            *fixes,
        )

    # -- scalars ------------------------------------------------------------------

    def string_node(self, start: int, end: int) -> Node:
        text = self.text
        if end == self._clean_end:  # the common case: nothing to decode or report
            return Node("string", start, end, text[start + 1 : end - 1])
        raw = text[start:end]
        terminated = len(raw) >= 2 and raw.endswith('"') and not _ends_escaped(raw)
        body = raw[1:-1] if terminated else raw[1:]
        if not terminated:
            self.error(
                start,
                end,
                f"Unterminated string: add the closing quote. Until then {INSTALL_FAILS}.",
                Fix.replace('Add the closing "', end, end, '"', safe=True),
            )
        if "\\" not in body and not _CONTROL.search(body):
            return Node("string", start, end, body)
        return Node("string", start, end, self._decode(body, start + 1))

    def _decode(self, body: str, base: int) -> str:
        """Decode escapes, reporting each invalid one and each raw control character."""
        for m in _CONTROL.finditer(body):
            char = m.group()
            escaped = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char, f"\\u{ord(char):04x}")
            self.error(
                base + m.start(),
                base + m.end(),
                f"Control character U+{ord(char):04X} must be escaped inside a JSON string: "
                f"{INSTALL_FAILS}.",
                Fix.replace(
                    f"Escape it as {escaped}", base + m.start(), base + m.end(), escaped, safe=True
                ),
            )
        # Keep valid escapes for json.loads (which joins surrogate pairs); drop the
        # backslash of invalid ones after reporting them.
        out: list[str] = []
        i = 0
        n = len(body)
        while i < n:
            j = body.find("\\", i)
            if j < 0:
                out.append(body[i:])
                break
            out.append(body[i:j])
            escape = _ESCAPE.match(body, j)
            if escape:
                out.append(escape.group())
                i = escape.end()
                continue
            seq = body[j : j + 2] if j + 1 < n else "\\"
            self.error(
                base + j,
                base + j + len(seq),
                f"Invalid escape sequence {seq!r} in a JSON string: {INSTALL_FAILS}. "
                'Valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u plus four hex digits.',
                Fix.replace("Escape the backslash", base + j, base + j + 1, "\\\\", safe=False),
            )
            out.append(seq[1:])
            i = j + len(seq)
        decoded: str = json.loads('"' + "".join(out) + '"', strict=False)
        return decoded

    def scalar(self, kind: str, start: int, end: int) -> Node:
        text = self.text
        if kind == "string":
            return self.string_node(start, end)
        raw = text[start:end]
        if kind == "number":
            if _STRICT_NUMBER.fullmatch(raw):
                value: object = float(raw) if any(c in raw for c in ".eE") else int(raw)
                return Node("number", start, end, value)
            fixed = _repair_number(raw)
            fixes: tuple[Fix, ...] = (
                (Fix.replace(f"Write it as {fixed}", start, end, fixed, safe=True),)
                if fixed
                else ()
            )
            self.error(start, end, f"Invalid JSON number '{raw}': {INSTALL_FAILS}.", *fixes)
            return Node("invalid", start, end, raw)
        if kind == "word":
            if raw == "true":
                return Node("boolean", start, end, True)
            if raw == "false":
                return Node("boolean", start, end, False)
            if raw == "null":
                return Node("null", start, end, None)
            lowered = raw.lower()
            fixes = ()
            if lowered in ("true", "false", "null"):
                fixes = (Fix.replace(f"Write it as {lowered}", start, end, lowered, safe=True),)
                message = (
                    f"'{raw}' is not a JSON literal (JSON is case-sensitive): {INSTALL_FAILS}."
                )
            else:
                fixes = (
                    Fix.replace(f'Quote it as "{raw}"', start, end, json.dumps(raw), safe=False),
                )
                message = (
                    f"'{raw}' is not a JSON value (strings need double quotes; "
                    f"NaN, Infinity and undefined do not exist in JSON): {INSTALL_FAILS}."
                )
            self.error(start, end, message, *fixes)
            return Node("invalid", start, end, raw)
        # single-quoted string
        return self.single_quoted(start, end)

    def single_quoted(self, start: int, end: int) -> Node:
        raw = self.text[start:end]
        terminated = len(raw) >= 2 and raw.endswith("'") and not _ends_escaped(raw)
        body = raw[1:-1] if terminated else raw[1:]
        value = re.sub(r"\\(.)", lambda m: m.group(1) if m.group(1) in "'\"\\" else m.group(), body)
        try:
            decoded = json.loads('"' + value.replace('"', '\\"') + '"')
        except ValueError:
            decoded = value
        replacement = json.dumps(decoded, ensure_ascii=False)
        self.error(
            start,
            end,
            f"Strings must use double quotes in JSON: {INSTALL_FAILS}.",
            Fix.replace("Use double quotes", start, end, replacement, safe=True),
            rule=JSON_QUOTES,
        )
        return Node("string", start, end, decoded)


def _ends_escaped(raw: str) -> bool:
    """True when the final quote of ``raw`` is escaped by an odd run of backslashes."""
    count = 0
    i = len(raw) - 2
    while i >= 1 and raw[i] == "\\":
        count += 1
        i -= 1
    return count % 2 == 1


def _repair_number(raw: str) -> str | None:
    """A strict JSON spelling of a lenient number, when one is obvious."""
    text = raw
    if text.startswith("+"):
        text = text[1:]
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    if re.fullmatch(r"0[xX][0-9A-Fa-f]+", text):
        return sign + str(int(text, 16))
    if re.fullmatch(r"[0-9]*\.?[0-9]*([eE][+-]?[0-9]+)?", text) and any(c.isdigit() for c in text):
        mantissa, _, exponent = text.partition("e") if "e" in text else text.partition("E")
        if mantissa.startswith("."):
            mantissa = "0" + mantissa
        if mantissa.endswith("."):
            mantissa = mantissa[:-1]
        integer, dot, fraction = mantissa.partition(".")
        integer = integer.lstrip("0") or "0"
        fixed = sign + integer + (dot + fraction if fraction else "")
        if exponent:
            fixed += "e" + exponent
        if _STRICT_NUMBER.fullmatch(fixed) and fixed != raw:
            return fixed
    return None
