"""Edits to JSON text that keep it valid and keep the user's formatting.

Quick fixes insert, remove and rename members; these helpers compute the exact text
edits so that the result still parses and looks as if the user had typed it.
"""

from __future__ import annotations

import json
import re

from kaios_lsp.findings import TextEdit
from kaios_lsp.parse.json.nodes import Member, ObjectNode

_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


def line_start(text: str, offset: int) -> int:
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def indentation_at(text: str, offset: int) -> str:
    """The whitespace that starts the line containing ``offset``."""
    start = line_start(text, offset)
    end = start
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[start:end]


def indent_unit(text: str) -> str:
    """The document's indentation step (two spaces when it has none)."""
    match = _INDENT.search(text)
    if match is None:
        return "  "
    unit = match.group()
    return "\t" if unit.startswith("\t") else unit


def _starts_line(text: str, offset: int) -> bool:
    return not text[line_start(text, offset) : offset].strip()


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def insert_member(text: str, obj: ObjectNode, name: str, value_text: str) -> TextEdit:
    """Add ``"name": value`` as the last member of a closed object."""
    member_text = f"{json.dumps(name, ensure_ascii=False)}: {value_text}"
    nl = _newline(text)
    if obj.members:
        last = obj.members[-1]
        if _starts_line(text, last.start):
            indent = indentation_at(text, last.start)
            return TextEdit(last.end, last.end, f",{nl}{indent}{member_text}")
        return TextEdit(last.end, last.end, f", {member_text}")
    inner_start, inner_end = obj.start + 1, obj.end - 1
    inside = text[inner_start:inner_end]
    if "\n" in inside or "\r" in inside:
        indent = indentation_at(text, obj.start)
        child = indent + indent_unit(text)
        return TextEdit(inner_start, inner_end, f"{nl}{child}{member_text}{nl}{indent}")
    return TextEdit(inner_start, inner_end, member_text)


def remove_member(text: str, obj: ObjectNode, member: Member) -> TextEdit:
    """Remove ``member`` and exactly one neighbouring comma."""
    members = obj.members
    index = members.index(member)
    if index + 1 < len(members):
        nxt = members[index + 1]
        start = line_start(text, member.start) if _starts_line(text, member.start) else member.start
        end = line_start(text, nxt.start) if _starts_line(text, nxt.start) else nxt.start
        return TextEdit(start, end, "")
    if index > 0:
        return TextEdit(members[index - 1].end, member.end, "")
    # The only member: empty the object but keep its brackets.
    return TextEdit(obj.start + 1, obj.end - 1 if obj.closed else member.end, "")


def replace_value(member: Member, value_text: str) -> TextEdit | None:
    if member.value is None:
        return None
    return TextEdit(member.value.start, member.value.end, value_text)
