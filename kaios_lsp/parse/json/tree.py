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

from kaios_lsp.findings import Finding, Fix, Related
from kaios_lsp.parse.json.edit import remove_member
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode
from kaios_lsp.parse.json.scanner import (
    INSTALL_FAILS,
    JSON_COMMENT,
    JSON_DUPLICATE_KEY,
    JSON_QUOTES,
    JSON_SYNTAX,
    JSON_TRAILING_COMMA,
    VALUE_START,
    Scanner,
    describe,
    match_token,
)

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


class _Parser(Scanner):
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
                        f"Expected '{closer}' before '{kind_char}': {INSTALL_FAILS}.",
                        Fix.replace(f"Insert '{closer}'", start, start, closer, safe=False),
                    )
                    while len(stack) > depth + 1:
                        close_top(start, False)
                    close_top(end, True)
                    return True
            self.error(
                start,
                end,
                f"Unexpected '{kind_char}': {INSTALL_FAILS}.",
                Fix.replace(f"Remove '{kind_char}'", start, end, "", safe=False),
            )
            return False

        match = match_token
        while True:
            # Inlined self.next(): this loop runs once per token.
            if self._peeked is not None:
                (kind, start, end), self._peeked = self._peeked, None
            else:
                m = match(text, self.pos)
                kind = m.lastgroup  # type: ignore[assignment]  # (never None: see match_token)
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
                elif kind in VALUE_START:
                    attach(self.scalar(kind, start, end))
                else:
                    self.expected("a JSON value", kind, start, end)
                continue

            if state == _TOP_END:
                self.error(
                    start,
                    len(text),
                    f"Unexpected content after the end of the JSON value: {INSTALL_FAILS}.",
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
                        f"Property names must be double-quoted strings in JSON: {INSTALL_FAILS}.",
                        Fix.replace(f'Quote it as "{raw}"', start, end, json.dumps(raw), safe=True),
                        rule=JSON_QUOTES,
                    )
                    add_member(Node("string", start, end, raw))
                elif raw_char == ",":
                    self.error(
                        start,
                        end,
                        f"Expected a property name before ',': {INSTALL_FAILS}.",
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
                if kind in VALUE_START or raw_char in "{[":
                    nxt = self.peek() if kind == "string" else None
                    if nxt is not None and nxt[0] == "punct" and text[nxt[1]] == ":":
                        # `"a"  "b": 1` — the first string is a key with nothing after it.
                        self.error(
                            member.key.start,
                            key_end,
                            f"Expected ':' and a value after this property name: {INSTALL_FAILS}.",
                        )
                        state = _OBJ_KEY
                        add_member(self.string_node(start, end))
                        continue
                    self.error(
                        start,
                        end,
                        f"Expected ':' between the property name and this value: {INSTALL_FAILS}.",
                        insert_colon,
                    )
                    state = _OBJ_VALUE
                    # fall through to value handling with the same token
                elif raw_char == "}":
                    self.error(
                        member.key.start,
                        key_end,
                        f"Expected ':' and a value after this property name: {INSTALL_FAILS}.",
                    )
                    close_top(end, True)
                    continue
                elif raw_char == ",":
                    self.error(
                        member.key.start,
                        key_end,
                        f"Expected ':' and a value after this property name: {INSTALL_FAILS}.",
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
                elif kind in VALUE_START:
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
                        f"Expected ',' before this member: {INSTALL_FAILS}.",
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
                elif kind in VALUE_START:
                    attach(self.scalar(kind, start, end))
                elif raw_char == ",":
                    self.error(
                        start,
                        end,
                        f"Expected a value before ',': {INSTALL_FAILS}.",
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
                elif kind in VALUE_START or raw_char in "{[":
                    prev_end = container.items[-1].end if container.items else start
                    self.error(
                        start,
                        end,
                        f"Expected ',' before this item: {INSTALL_FAILS}.",
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
                self.error(0, 0, f"The file is empty: {INSTALL_FAILS}.")
            elif not any(f.rule == JSON_SYNTAX for f in self.findings):
                self.error(0, len(text), f"The file holds no JSON value: {INSTALL_FAILS}.")
        if stack:
            if state == _OBJ_VALUE and member is not None:
                self._missing_value(member, len(text))
            elif state == _OBJ_COLON and member is not None:
                self.error(
                    member.key.start,
                    member.key.end,
                    f"Expected ':' and a value after this property name: {INSTALL_FAILS}.",
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
                f"This '{opener}' is never closed: the file ends first, so {INSTALL_FAILS}.",
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
                f"so {INSTALL_FAILS}.",
                Fix.replace("Replace it with a space", start, end, " ", safe=True),
            )
        else:
            self.error(
                start,
                end,
                f"Unexpected character {describe('other', char)}: {INSTALL_FAILS}.",
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
            f"Expected a value for {json.dumps(member.key.value)}: {INSTALL_FAILS}.",
        )

    def _trailing_comma(self, comma: int) -> None:
        self.error(
            comma,
            comma + 1,
            f"Trailing comma: JSON.parse rejects a ',' before a closing bracket, so {INSTALL_FAILS}.",
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
