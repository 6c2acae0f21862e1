"""A tolerant JSON parser that knows the range of every key and value.

KaiOS reads manifests with Gecko's strict ``JSON.parse``: a comment, a trailing comma,
a single-quoted string or a stray byte makes the whole manifest unreadable and the
install fails. Editors, though, hold half-typed text most of the time. This parser
therefore:

* reports every problem it can (not only the first) as findings with exact ranges and,
  where one edit is clearly right, a fix;
* keeps going after an error, so the tree is useful to validation and completion
  while the user types (missing values, keys, commas, colons and closing brackets);
* never recurses: nesting depth is bounded only by memory, so 10,000 levels are fine;
* scans with one compiled regular expression, so a 5 MB manifest costs seconds, not
  minutes, and never hangs.
"""

from __future__ import annotations

import json
import re

from kaios_lsp.findings import Finding, Fix, Related
from kaios_lsp.parse.json.edit import remove_member

# Rule ids used by this module (documented in kaios_lsp.rules.catalog).
JSON_SYNTAX = "KAI001"
JSON_COMMENT = "KAI002"
JSON_TRAILING_COMMA = "KAI003"
JSON_QUOTES = "KAI004"
JSON_BOM = "KAI005"
JSON_DUPLICATE_KEY = "KAI006"

_INSTALL_FAILS = "the manifest cannot be read and the install fails"


class Node:
    """A JSON value with its range ``[start, end)`` in the text."""

    __slots__ = ("end", "kind", "parent", "start", "value")

    def __init__(self, kind: str, start: int, end: int, value: object = None) -> None:
        self.kind = kind  # object, array, string, number, boolean, null, invalid
        self.start = start
        self.end = end
        self.value = value
        self.parent: Node | Member | None = None

    def __repr__(self) -> str:
        return f"<{self.kind} {self.start}:{self.end}>"

    @property
    def is_container(self) -> bool:
        return False


class ObjectNode(Node):
    __slots__ = ("_index", "closed", "members")

    def __init__(self, start: int) -> None:
        super().__init__("object", start, start + 1)
        self.members: list[Member] = []
        self.closed = False
        self._index: dict[str, Member] | None = None

    @property
    def is_container(self) -> bool:
        return True

    def get(self, key: str) -> Member | None:
        """The member named ``key``; with duplicates the last one, as ``JSON.parse``."""
        if self._index is None:
            self._index = {m.key.value: m for m in self.members}  # type: ignore[misc]
        return self._index.get(key)

    def value_of(self, key: str) -> Node | None:
        member = self.get(key)
        return member.value if member is not None else None

    def key_names(self) -> list[str]:
        return [m.key.value for m in self.members]  # type: ignore[misc]


class ArrayNode(Node):
    __slots__ = ("closed", "items")

    def __init__(self, start: int) -> None:
        super().__init__("array", start, start + 1)
        self.items: list[Node] = []
        self.closed = False

    @property
    def is_container(self) -> bool:
        return True


class Member:
    """``"key": value`` inside an object. ``value`` is ``None`` while half-typed."""

    __slots__ = ("colon", "end", "key", "parent", "start", "value")

    def __init__(self, key: Node, parent: ObjectNode) -> None:
        self.key = key
        self.colon = -1
        self.value: Node | None = None
        self.start = key.start
        self.end = key.end
        self.parent = parent
        key.parent = self

    def __repr__(self) -> str:
        return f"<member {self.key.value!r} {self.start}:{self.end}>"


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

_VALUE_START = frozenset({"string", "number", "word", "squote"})

# Parser states
_TOP_VALUE, _TOP_END = 0, 1
_OBJ_KEY_OR_END, _OBJ_KEY, _OBJ_COLON, _OBJ_VALUE, _OBJ_COMMA_OR_END = 2, 3, 4, 5, 6
_ARR_VALUE_OR_END, _ARR_VALUE, _ARR_COMMA_OR_END = 7, 8, 9


class ParseResult:
    """The tree (``root`` is ``None`` when the text holds no value) and the findings."""

    __slots__ = ("findings", "max_depth", "root", "text")

    def __init__(self, text: str, root: Node | None, findings: list[Finding], max_depth: int):
        self.text = text
        self.root = root
        self.findings = findings
        self.max_depth = max_depth

    @property
    def has_errors(self) -> bool:
        return any(
            f.rule in (JSON_SYNTAX, JSON_COMMENT, JSON_TRAILING_COMMA, JSON_QUOTES)
            for f in self.findings
        )


def _describe(kind: str, text: str) -> str:
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


class _Parser:
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
            m = _TOKEN.match(text, self.pos)
            kind = m.lastgroup
            start = m.start(kind)
            end = self.pos = m.end()
            if kind == "line_comment" or kind == "block_comment":
                self.findings.append(self._comment_finding(kind, start, end))
                continue
            if kind == "cstring":
                self._clean_end = end
                kind = "string"
            return kind, start, end  # type: ignore[return-value]

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
        message = f"Comments are not allowed in JSON: JSON.parse rejects them, so {_INSTALL_FAILS}."
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
        found = _describe(kind, self.text[start:end])
        self.error(
            start,
            end,
            f"Expected {what} but found {found}: {_INSTALL_FAILS}.",
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
                f"Unterminated string: add the closing quote. Until then {_INSTALL_FAILS}.",
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
                f"{_INSTALL_FAILS}.",
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
            m = _ESCAPE.match(body, j)
            if m:
                out.append(m.group())
                i = m.end()
                continue
            seq = body[j : j + 2] if j + 1 < n else "\\"
            self.error(
                base + j,
                base + j + len(seq),
                f"Invalid escape sequence {seq!r} in a JSON string: {_INSTALL_FAILS}. "
                'Valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u plus four hex digits.',
                Fix.replace("Escape the backslash", base + j, base + j + 1, "\\\\", safe=False),
            )
            out.append(seq[1:])
            i = j + len(seq)
        return json.loads('"' + "".join(out) + '"', strict=False)

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
            fixes = (
                (Fix.replace(f"Write it as {fixed}", start, end, fixed, safe=True),)
                if fixed
                else ()
            )
            self.error(start, end, f"Invalid JSON number '{raw}': {_INSTALL_FAILS}.", *fixes)
            return Node("invalid", start, end, raw)
        if kind == "word":
            if raw == "true":
                return Node("boolean", start, end, True)
            if raw == "false":
                return Node("boolean", start, end, False)
            if raw == "null":
                return Node("null", start, end, None)
            lowered = raw.lower()
            fixes: tuple[Fix, ...] = ()
            if lowered in ("true", "false", "null"):
                fixes = (Fix.replace(f"Write it as {lowered}", start, end, lowered, safe=True),)
                message = (
                    f"'{raw}' is not a JSON literal (JSON is case-sensitive): {_INSTALL_FAILS}."
                )
            else:
                fixes = (
                    Fix.replace(f'Quote it as "{raw}"', start, end, json.dumps(raw), safe=False),
                )
                message = (
                    f"'{raw}' is not a JSON value (strings need double quotes; "
                    f"NaN, Infinity and undefined do not exist in JSON): {_INSTALL_FAILS}."
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
            f"Strings must use double quotes in JSON: {_INSTALL_FAILS}.",
            Fix.replace("Use double quotes", start, end, replacement, safe=True),
            rule=JSON_QUOTES,
        )
        return Node("string", start, end, decoded)

    # -- the state machine --------------------------------------------------------------

    def parse(self) -> ParseResult:
        text = self.text
        root: Node | None = None
        stack: list[Node] = []  # open containers
        states: list[int] = []  # state of each open container
        state = _TOP_VALUE
        member: Member | None = None  # the member whose value is expected
        last_comma = -1
        max_depth = 0
        skip_depth = 0  # > 0 while skipping a stray container
        reported_trailing = False
        dup_index: list[dict[str, Member]] = []

        def attach(node: Node) -> None:
            nonlocal root, state, member
            if not stack:
                root = node
                state = _TOP_END
                return
            parent = stack[-1]
            if isinstance(parent, ObjectNode):
                assert member is not None
                member.value = node
                node.parent = member
                member.end = node.end
                state = _OBJ_COMMA_OR_END
            else:
                assert isinstance(parent, ArrayNode)
                parent.items.append(node)
                node.parent = parent
                state = _ARR_COMMA_OR_END

        def open_container(node: Node) -> None:
            nonlocal state, max_depth
            attach(node)
            states.append(state)
            stack.append(node)
            if len(stack) > max_depth:
                max_depth = len(stack)
            if isinstance(node, ObjectNode):
                state = _OBJ_KEY_OR_END
                dup_index.append({})
            else:
                state = _ARR_VALUE_OR_END

        def close_top(end: int, closed: bool) -> None:
            """Close the innermost container at ``end``; restore the parent's state."""
            nonlocal state, member
            node = stack.pop()
            node.end = end
            if isinstance(node, ObjectNode):
                node.closed = closed
                dup_index.pop()
            else:
                node.closed = closed  # type: ignore[attr-defined]
            state = states.pop()
            parent = node.parent
            if isinstance(parent, Member):
                parent.end = end
                member = parent
            # Propagate the new end to enclosing members of still-open containers later.

        def add_member(key: Node) -> None:
            nonlocal member, state
            obj = stack[-1]
            assert isinstance(obj, ObjectNode)
            new = Member(key, obj)
            obj.members.append(new)
            member = new
            state = _OBJ_COLON
            seen = dup_index[-1]
            name = key.value
            if isinstance(name, str):
                earlier = seen.get(name)
                if earlier is not None:
                    self._duplicate(earlier, new, obj)
                seen[name] = new

        def mismatched_close(kind_char: str, start: int, end: int) -> bool:
            """Handle ``]`` inside an object or ``}`` inside an array.

            If an enclosing container of the right kind exists, close everything up to
            and including it; otherwise report and skip the token.
            """
            want = ArrayNode if kind_char == "]" else ObjectNode
            for depth in range(len(stack) - 1, -1, -1):
                if isinstance(stack[depth], want):
                    inner = stack[-1]
                    closer = "}" if isinstance(inner, ObjectNode) else "]"
                    self.error(
                        start,
                        end,
                        f"Expected '{closer}' before '{kind_char}': {_INSTALL_FAILS}.",
                        Fix.replace(f"Insert '{closer}'", start, start, closer, safe=False),
                    )
                    while len(stack) > depth + 1:
                        close_top(start, False)
                    close_top(end, True)
                    return True
            self.error(
                start,
                end,
                f"Unexpected '{kind_char}': {_INSTALL_FAILS}.",
                Fix.replace(f"Remove '{kind_char}'", start, end, "", safe=False),
            )
            return False

        match = _TOKEN.match
        while True:
            # Inlined self.next(): this loop runs once per token.
            if self._peeked is not None:
                (kind, start, end), self._peeked = self._peeked, None
            else:
                m = match(text, self.pos)
                kind = m.lastgroup  # type: ignore[assignment]
                start = m.start(kind)
                end = self.pos = m.end()
                if kind == "cstring":
                    self._clean_end = end
                    kind = "string"
                elif kind == "line_comment" or kind == "block_comment":
                    self.findings.append(self._comment_finding(kind, start, end))
                    continue
            if kind == "eof":
                break
            raw_char = text[start] if kind == "punct" else ""

            if skip_depth:
                if raw_char in "{[":
                    skip_depth += 1
                elif raw_char in "}]":
                    skip_depth -= 1
                self.last_end = end
                continue

            if kind == "other":
                self._unexpected_char(start, end)
                continue

            self.last_end = end

            if state == _TOP_VALUE:
                if raw_char == "{":
                    open_container(ObjectNode(start))
                elif raw_char == "[":
                    open_container(ArrayNode(start))
                elif kind in _VALUE_START:
                    attach(self.scalar(kind, start, end))
                else:
                    self.expected("a JSON value", kind, start, end)
                continue

            if state == _TOP_END:
                self.error(
                    start,
                    len(text),
                    f"Unexpected content after the end of the JSON value: {_INSTALL_FAILS}.",
                    Fix.replace("Remove the trailing content", start, len(text), "", safe=False),
                )
                # Scan the rest only for comments, which are reported by the scanner.
                while self.next()[0] != "eof":
                    pass
                break

            container = stack[-1]

            if state in (_OBJ_KEY_OR_END, _OBJ_KEY):
                if raw_char == "}":
                    if state == _OBJ_KEY and last_comma >= 0 and not reported_trailing:
                        self._trailing_comma(last_comma)
                    close_top(end, True)
                elif kind == "string":
                    add_member(self.string_node(start, end))
                elif kind == "squote":
                    add_member(self.single_quoted(start, end))
                elif kind in ("word", "number"):
                    raw = text[start:end]
                    self.error(
                        start,
                        end,
                        f"Property names must be double-quoted strings in JSON: {_INSTALL_FAILS}.",
                        Fix.replace(f'Quote it as "{raw}"', start, end, json.dumps(raw), safe=True),
                        rule=JSON_QUOTES,
                    )
                    add_member(Node("string", start, end, raw))
                elif raw_char == ",":
                    self.error(
                        start,
                        end,
                        f"Expected a property name before ',': {_INSTALL_FAILS}.",
                        Fix.replace("Remove the extra ','", start, end, "", safe=True),
                    )
                    last_comma = start
                elif raw_char == "]":
                    mismatched_close("]", start, end)
                elif raw_char in "{[":
                    self.expected("a property name", kind, start, end)
                    skip_depth = 1
                else:
                    self.expected("a property name or '}'", kind, start, end)
                continue

            if state == _OBJ_COLON:
                assert member is not None
                key_end = member.key.end
                if raw_char == ":":
                    member.colon = start
                    member.end = end
                    state = _OBJ_VALUE
                    continue
                insert_colon = Fix.replace("Insert ':'", key_end, key_end, ":", safe=False)
                if kind in _VALUE_START or raw_char in "{[":
                    nxt = self.peek() if kind == "string" else None
                    if nxt is not None and nxt[0] == "punct" and text[nxt[1]] == ":":
                        # `"a"  "b": 1` — the first string is a key with nothing after it.
                        self.error(
                            member.key.start,
                            key_end,
                            f"Expected ':' and a value after this property name: {_INSTALL_FAILS}.",
                        )
                        state = _OBJ_KEY
                        add_member(self.string_node(start, end))
                        continue
                    self.error(
                        start,
                        end,
                        f"Expected ':' between the property name and this value: {_INSTALL_FAILS}.",
                        insert_colon,
                    )
                    state = _OBJ_VALUE
                    # fall through to value handling with the same token
                elif raw_char == "}":
                    self.error(
                        member.key.start,
                        key_end,
                        f"Expected ':' and a value after this property name: {_INSTALL_FAILS}.",
                    )
                    close_top(end, True)
                    continue
                elif raw_char == ",":
                    self.error(
                        member.key.start,
                        key_end,
                        f"Expected ':' and a value after this property name: {_INSTALL_FAILS}.",
                    )
                    state = _OBJ_KEY
                    last_comma = start
                    continue
                elif raw_char == "]":
                    mismatched_close("]", start, end)
                    continue
                else:
                    self.expected("':'", kind, start, end)
                    continue

            if state == _OBJ_VALUE:
                if raw_char == "{":
                    open_container(ObjectNode(start))
                elif raw_char == "[":
                    open_container(ArrayNode(start))
                elif kind in _VALUE_START:
                    attach(self.scalar(kind, start, end))
                elif raw_char == "}":
                    self._missing_value(member, start)
                    close_top(end, True)
                elif raw_char == ",":
                    self._missing_value(member, start)
                    state = _OBJ_KEY
                    last_comma = start
                elif raw_char == "]":
                    mismatched_close("]", start, end)
                else:
                    self.expected("a value", kind, start, end)
                continue

            if state == _OBJ_COMMA_OR_END:
                if raw_char == ",":
                    state = _OBJ_KEY
                    last_comma = start
                    reported_trailing = False
                elif raw_char == "}":
                    close_top(end, True)
                elif kind in ("string", "squote"):
                    prev_end = member.end if member is not None else start
                    self.error(
                        start,
                        end,
                        f"Expected ',' before this member: {_INSTALL_FAILS}.",
                        Fix.replace("Insert ','", prev_end, prev_end, ",", safe=True),
                    )
                    add_member(
                        self.string_node(start, end)
                        if kind == "string"
                        else self.single_quoted(start, end)
                    )
                elif raw_char == "]":
                    mismatched_close("]", start, end)
                elif raw_char in "{[":
                    self.expected("',' or '}'", kind, start, end)
                    skip_depth = 1
                else:
                    self.expected("',' or '}'", kind, start, end)
                continue

            # arrays
            assert isinstance(container, ArrayNode)
            if state in (_ARR_VALUE_OR_END, _ARR_VALUE):
                if raw_char == "]":
                    if state == _ARR_VALUE and last_comma >= 0:
                        self._trailing_comma(last_comma)
                    close_top(end, True)
                elif raw_char == "{":
                    open_container(ObjectNode(start))
                elif raw_char == "[":
                    open_container(ArrayNode(start))
                elif kind in _VALUE_START:
                    attach(self.scalar(kind, start, end))
                elif raw_char == ",":
                    self.error(
                        start,
                        end,
                        f"Expected a value before ',': {_INSTALL_FAILS}.",
                        Fix.replace("Remove the extra ','", start, end, "", safe=True),
                    )
                    last_comma = start
                elif raw_char == "}":
                    mismatched_close("}", start, end)
                else:
                    self.expected("a value", kind, start, end)
                continue

            if state == _ARR_COMMA_OR_END:
                if raw_char == ",":
                    state = _ARR_VALUE
                    last_comma = start
                elif raw_char == "]":
                    close_top(end, True)
                elif kind in _VALUE_START or raw_char in "{[":
                    prev_end = container.items[-1].end if container.items else start
                    self.error(
                        start,
                        end,
                        f"Expected ',' before this item: {_INSTALL_FAILS}.",
                        Fix.replace("Insert ','", prev_end, prev_end, ",", safe=True),
                    )
                    if raw_char == "{":
                        open_container(ObjectNode(start))
                    elif raw_char == "[":
                        open_container(ArrayNode(start))
                    else:
                        attach(self.scalar(kind, start, end))
                elif raw_char == "}":
                    mismatched_close("}", start, end)
                else:
                    self.expected("',' or ']'", kind, start, end)
                continue

        # End of input: report what is missing, then close what is open.
        if root is None and not skip_depth:
            if not text.strip("\ufeff \t\r\n"):
                self.error(0, 0, f"The file is empty: {_INSTALL_FAILS}.")
            elif not any(f.rule == JSON_SYNTAX for f in self.findings):
                self.error(0, len(text), f"The file holds no JSON value: {_INSTALL_FAILS}.")
        if stack:
            if state == _OBJ_VALUE and member is not None:
                self._missing_value(member, len(text))
            elif state == _OBJ_COLON and member is not None:
                self.error(
                    member.key.start,
                    member.key.end,
                    f"Expected ':' and a value after this property name: {_INSTALL_FAILS}.",
                )
            eof = len(text)
            innermost = stack[-1]
            closer_text = "".join(
                "}" if isinstance(n, ObjectNode) else "]" for n in reversed(stack)
            )
            opener = "{" if isinstance(innermost, ObjectNode) else "["
            self.error(
                innermost.start,
                innermost.start + 1,
                f"This '{opener}' is never closed: the file ends first, so {_INSTALL_FAILS}.",
                Fix.replace(
                    f"Insert '{closer_text}' at the end of the file",
                    eof,
                    eof,
                    ("\n" if not text.endswith("\n") else "") + closer_text + "\n",
                    safe=False,
                ),
            )
            while stack:
                close_top(self.last_end, False)
        return ParseResult(text, root, one_per_token(self.findings), max_depth)

    # -- helpers for specific errors ---------------------------------------------------

    def _unexpected_char(self, start: int, end: int) -> None:
        char = self.text[start:end]
        if char in "\u00a0\u2028\u2029\u200b\u3000\ufeff" or (
            char.isspace() and char not in " \t\r\n"
        ):
            self.error(
                start,
                end,
                f"U+{ord(char):04X} is not JSON whitespace: JSON.parse rejects it, "
                f"so {_INSTALL_FAILS}.",
                Fix.replace("Replace it with a space", start, end, " ", safe=True),
            )
        else:
            self.error(
                start,
                end,
                f"Unexpected character {_describe('other', char)}: {_INSTALL_FAILS}.",
                Fix.replace("Remove it", start, end, "", safe=False),
            )

    def _missing_value(self, member: Member | None, at: int) -> None:
        if member is None:
            return
        anchor_start = member.key.start
        anchor_end = member.colon + 1 if member.colon >= 0 else member.key.end
        self.error(
            anchor_start,
            anchor_end,
            f"Expected a value for {json.dumps(member.key.value)}: {_INSTALL_FAILS}.",
        )

    def _trailing_comma(self, comma: int) -> None:
        self.error(
            comma,
            comma + 1,
            f"Trailing comma: JSON.parse rejects a ',' before a closing bracket, so {_INSTALL_FAILS}.",
            Fix.replace("Remove the trailing comma", comma, comma + 1, "", safe=True),
            rule=JSON_TRAILING_COMMA,
        )

    def _duplicate(self, earlier: Member, later: Member, obj: ObjectNode) -> None:
        name = earlier.key.value
        edit = remove_member(self.text, obj, earlier)
        self.findings.append(
            Finding(
                JSON_DUPLICATE_KEY,
                earlier.key.start,
                earlier.key.end,
                f"Duplicate key {json.dumps(name)}: JSON.parse keeps only the last one, so this "
                "value is silently ignored.",
                fixes=(Fix.edits("Remove this earlier duplicate", [edit]),),
                related=(Related(later.key.start, later.key.end, "the value that wins"),),
                unnecessary=True,
            )
        )


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


def one_per_token(findings: list[Finding]) -> list[Finding]:
    """One syntax finding per broken token: two recoveries may both report the token where
    they resumed (``{'a'}``: single quotes, and a missing ':'), and two fixes for one
    token would conflict. The most helpful one stays: a safe fix, then any fix, then the
    specific rule (comment, trailing comma, quotes) over the generic KAI001, then the first."""
    best: dict[int, Finding] = {}
    for finding in findings:
        kept = best.get(finding.start)
        if kept is None or _helpfulness(finding) > _helpfulness(kept):
            best[finding.start] = finding
    chosen = {id(f) for f in best.values()}
    return [f for f in findings if id(f) in chosen]


def _helpfulness(finding: Finding) -> tuple[bool, bool, bool]:
    return (
        any(fix.safe for fix in finding.fixes),
        bool(finding.fixes),
        finding.rule != JSON_SYNTAX,
    )


def parse(text: str) -> ParseResult:
    """Parse ``text`` into a tree with ranges, collecting every syntax finding."""
    return _Parser(text).parse()


# -- tree helpers shared by validation, completion and rules ----------------------------


def node_path(node: Node | Member) -> list[str | int]:
    """The JSON path of a node (member names and array indices) from the root."""
    path: list[str | int] = []
    current: Node | Member | None = node
    while current is not None:
        parent = current.parent
        if isinstance(current, Member):
            path.append(current.key.value)  # type: ignore[arg-type]
            current = current.parent
            continue
        if isinstance(parent, ArrayNode):
            path.append(parent.items.index(current))
        current = parent
    path.reverse()
    return path


def find_path(
    root: Node | None, path: list[str | int] | tuple[str | int, ...]
) -> Node | Member | None:
    """The node at ``path`` (the member for the last key), or ``None``."""
    node: Node | Member | None = root
    last_member: Member | None = None
    for step in path:
        value = node.value if isinstance(node, Member) else node
        if isinstance(value, ObjectNode) and isinstance(step, str):
            last_member = value.get(step)
            node = last_member
        elif (
            isinstance(value, ArrayNode) and isinstance(step, int) and 0 <= step < len(value.items)
        ):
            node = value.items[step]
            last_member = None
        else:
            return None
        if node is None:
            return None
    return node if last_member is None or node is not last_member else last_member


def member_at(root: Node | None, offset: int) -> tuple[Member | None, bool]:
    """The innermost member whose key or scalar value contains ``offset``, and whether
    the offset is in the key. Offsets at either end of a token count as inside."""
    node: Node | None = root
    found: Member | None = None
    in_key = False
    while node is not None and node.start <= offset <= node.end:
        following: Node | None = None
        if isinstance(node, ObjectNode):
            for member in node.members:
                if member.key.start <= offset <= member.key.end:
                    return member, True
                value = member.value
                if value is not None and value.start <= offset <= value.end:
                    found, in_key = member, False
                    following = value if value.is_container else None
                    break
        elif isinstance(node, ArrayNode):
            following = next(
                (
                    item
                    for item in node.items
                    if item.start <= offset <= item.end and item.is_container
                ),
                None,
            )
        node = following
    return found, in_key


_DEPTH_LIMIT = 128


def to_python(root: Node | None, depth_limit: int = _DEPTH_LIMIT) -> tuple[object, list[Node]]:
    """The Python value of a tree, as ``JSON.parse`` would give it (last duplicate wins).

    Missing values of half-typed members become ``None``. Containers deeper than
    ``depth_limit`` are replaced by empty ones of the same type (listed in the second
    result) so that later validation can neither recurse too deep nor format huge
    messages; their type is still right.
    """
    too_deep: list[Node] = []
    if root is None:
        return None, too_deep

    result_holder: list[object] = [None]
    # Work items: (node, container to fill, key or None for append, depth)
    work: list[tuple[Node, object, object, int]] = [(root, result_holder, 0, 0)]
    while work:
        node, target, key, depth = work.pop()
        if isinstance(node, ObjectNode):
            value: object = {}
            if depth >= depth_limit:
                too_deep.append(node)
            else:
                for member in node.members:
                    name = member.key.value
                    value[name] = None  # type: ignore[index]  # keeps the key order
                    # With duplicate keys only the last member counts, as in JSON.parse.
                    if member.value is not None and node.get(name) is member:  # type: ignore[arg-type]
                        work.append((member.value, value, name, depth + 1))
        elif isinstance(node, ArrayNode):
            if depth >= depth_limit:
                value = []
                too_deep.append(node)
            else:
                value = [None] * len(node.items)
                for index, item in enumerate(node.items):
                    work.append((item, value, index, depth + 1))
        elif node.kind == "invalid":
            value = None
        else:
            value = node.value
        target[key] = value  # type: ignore[index]
    return result_holder[0], too_deep
