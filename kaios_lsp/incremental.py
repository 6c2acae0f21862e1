"""Re-use the previous parse when an edit only changes the inside of one string.

Most keystrokes in a manifest type into a string (a name, a path, a description).
Such an edit cannot change the structure of the JSON, so instead of parsing the whole
text again we update that string's value, shift every later offset and return the
patched :class:`Manifest`. Anything else — an edit touching a quote, a backslash, a
control character, a key that is or becomes a duplicate, or text outside strings —
returns ``None`` and the caller parses from scratch. The property tests check that a
patched manifest is identical to a fresh parse.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace
from operator import attrgetter

from kaios_lsp.app.manifest import ANALYSIS, EVERY_MEMBER, Lineage, Manifest, StringEdit
from kaios_lsp.findings import FileChange, Finding, Fix, Related, TextEdit
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode
from kaios_lsp.parse.json.tree import ParseResult
from kaios_lsp.rules.manifest.schema_check import iter_nodes

FLAT = "flat"  # Manifest.derived: the tree in document order (see _flat)
_CLEAN_STRING = re.compile(r'"[^"\\\x00-\x1f]*"')


def patch_string_edit(
    previous: Manifest, text: str, start: int, old_end: int, new_end: int
) -> Manifest | None:
    """The manifest of ``text``, made from ``previous`` by one edit, or ``None``.

    The edit replaced ``previous.text[start:old_end]`` with ``text[start:new_end]``.
    On success the tree of ``previous`` is reused (mutated), so ``previous`` must not be
    used afterwards.
    """
    previous.settle()
    root = previous.parsed.root
    if root is None:
        return None
    node = _string_containing(root, start, old_end)
    if node is None or not _CLEAN_STRING.fullmatch(previous.text, node.start, node.end):
        return None
    delta = (new_end - start) - (old_end - start)
    token_end = node.end + delta
    if not _CLEAN_STRING.fullmatch(text, node.start, token_end):
        return None
    if any(f.start < node.end and node.start < f.end for f in previous.parsed.findings):
        return None  # a syntax message may quote this string
    new_value = text[node.start + 1 : token_end - 1]
    parent = node.parent
    is_key = isinstance(parent, Member) and parent.key is node
    if is_key:
        assert isinstance(parent, Member)
        owner = parent.parent
        assert isinstance(owner, ObjectNode)
        names = [m.key.value for m in owner.members]
        if names.count(node.value) != 1 or new_value in names:
            return None  # duplicate keys: let the full parse decide what wins
    value = _updated_value(previous.value, node, new_value, is_key)
    if value is _NOT_FOUND:
        return None
    edit = StringEdit(
        start,
        old_end,
        new_end - start,
        (node.start, node.end),
        _members_of(node, new_value),
        renames=is_key,
        removed=previous.text[start:old_end],
    )

    flat = previous.derived.get(FLAT)
    if flat is None:
        flat = _flat(root)
    unsettled = _shift_tree(flat, node, old_end, delta)  # type: ignore[arg-type]
    node.value = new_value
    if is_key:
        parent.parent._index = None  # type: ignore[union-attr]
    findings = [_shift_finding(f, old_end, delta) for f in previous.parsed.findings]
    parsed = ParseResult(text, root, findings, previous.parsed.max_depth)
    patched = Manifest(
        previous.kind, text, previous.path, parsed, value, previous.too_deep, previous.broken
    )
    patched.lineage = _lineage(previous, edit)
    patched.derived[FLAT] = flat
    patched._unsettled = unsettled  # (the members after the edited one: see Manifest.settle)
    return patched


def _members_of(node: Node, new_name: str) -> frozenset[str]:
    """The members an edit of the string ``node`` is in (see :class:`StringEdit`)."""
    names: list[str] = []  # innermost first
    current: Node | Member | None = node
    while current is not None:
        if isinstance(current, Member):
            names.append(current.key.value)  # type: ignore[arg-type]
        current = current.parent
    names.reverse()
    found = set(names[:2] if names[:1] == ["b2g_features"] else names[:1])
    parent = node.parent
    if isinstance(parent, Member) and parent.key is node and len(names) <= len(found):
        found.add(new_name)  # a renamed member that rules look up by name
        if "b2g_features" in (names[0], new_name) and len(names) == 1:
            return EVERY_MEMBER  # (where 3.0 keeps what most rules read)
    return frozenset(found)


def _lineage(previous: Manifest, edit: StringEdit) -> Lineage | None:
    if not edit.members:
        return None  # (the root is no object: nothing to reuse)
    if ANALYSIS in previous.derived:
        return Lineage(previous.derived, (edit,))
    if previous.lineage is not None:  # edits since the last analysis, not yet analysed
        return Lineage(previous.lineage.derived, (*previous.lineage.edits, edit))
    return None


def _string_containing(root: Node, start: int, end: int) -> Node | None:
    """The string node whose quotes strictly enclose ``[start, end)``."""
    node: Node | None = root
    while node is not None:
        if node.kind == "string":
            return node if node.start < start and end < node.end else None
        found: Node | None = None
        if isinstance(node, ObjectNode):
            for member in node.members:
                if member.key.start < start and end < member.key.end:
                    found = member.key
                    break
                value = member.value
                if value is not None and value.start <= start and end <= value.end:
                    found = value
                    break
        elif isinstance(node, ArrayNode):
            for item in node.items:
                if item.start <= start and end <= item.end:
                    found = item
                    break
        node = found
    return None


_NOT_FOUND = object()


def _updated_value(value: object, node: Node, new_value: str, is_key: bool) -> object:
    """The JSON value with the string at ``node`` replaced (in place where possible)."""
    path: list[object] = []
    current: Node | Member | None = node.parent if is_key else node
    while current is not None:
        parent = current.parent
        if isinstance(current, Member):
            path.append(current.key.value)
            current = parent
            continue
        if isinstance(parent, ArrayNode):
            path.append(parent.items.index(current))
        current = parent
    path.reverse()
    if is_key:
        path.pop()  # the member's own name: we rename it inside its object
    container = value
    holders: list[tuple[object, object]] = []
    for step in path:
        try:
            holders.append((container, step))
            container = container[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return _NOT_FOUND
    if is_key:
        if not isinstance(container, dict) or node.value not in container:
            return _NOT_FOUND
        renamed = {(new_value if k == node.value else k): v for k, v in container.items()}
        if not holders:
            return renamed
        holder, step = holders[-1]
        holder[step] = renamed  # type: ignore[index]
        return value
    if not holders:
        return new_value
    holder, step = holders[-1]
    if holder[step] != node.value:  # type: ignore[index]
        return _NOT_FOUND  # below the validation depth limit, or a duplicate that lost
    holder[step] = new_value  # type: ignore[index]
    return value


def _shift_tree(flat: Flat, string: Node, at: int, delta: int) -> Callable[[], None] | None:
    """Move every offset at or after ``at``, which is inside ``string``, by ``delta``:
    those of the top-level member the string is in now, and return what moves those of
    the members after it (``None``: nothing left), for later.

    What starts at or after ``at`` comes last in document order and moves entirely;
    what starts before it and ends after it is ``string`` and what holds it."""
    if delta == 0:
        return None
    holders, members = flat
    first_holder = bisect_left(holders, at, key=_start)  # (all found before anything moves)
    first_member = bisect_left(members, at, key=_start)
    top = _top_member(string)
    boundary = top.end if top is not None else None
    last_holder = (
        len(holders)
        if boundary is None
        else bisect_left(holders, boundary, first_holder, key=_start)
    )
    last_member = (
        len(members)
        if boundary is None
        else bisect_left(members, boundary, first_member, key=_start)
    )
    for holder in holders[first_holder:last_holder]:
        holder.start += delta
        holder.end += delta
    for member in members[first_member:last_member]:
        member.colon += delta
    current: Node | Member | None = string
    while current is not None:
        current.end += delta
        if isinstance(current, Member) and current.colon >= at:
            current.colon += delta  # (a member whose name is edited)
        current = current.parent
    if last_holder == len(holders) and last_member == len(members):
        return None

    def the_rest() -> None:
        for holder in holders[last_holder:]:
            holder.start += delta
            holder.end += delta
        for member in members[last_member:]:
            member.colon += delta

    return the_rest


def _top_member(node: Node) -> Member | None:
    """The member of the root object that holds ``node``."""
    current: Node | Member | None = node
    while current is not None:
        parent = current.parent
        if isinstance(current, Member) and parent is not None and parent.parent is None:
            return current
        current = parent
    return None


# Every node and member of a tree in document order, and the members alone (both sorted
# by start): what a keystroke shifts, found by a binary search. An edit inside a string
# changes no structure, so it serves every version patched from the same parse.
Flat = tuple[list["Node | Member"], list[Member]]
_start = attrgetter("start")


def _flat(root: Node) -> Flat:
    holders: list[Node | Member] = []
    members: list[Member] = []
    for item in iter_nodes(root):
        holders.append(item)
        if isinstance(item, Member):
            members.append(item)
            holders.append(item.key)  # (a member starts at its name: the same place)
    return holders, members


def _shift(offset: int, at: int, delta: int) -> int:
    return offset + delta if offset >= at else offset


def _shift_finding(finding: Finding, at: int, delta: int) -> Finding:
    if delta == 0:
        return finding
    fixes = tuple(
        Fix(
            fix.title,
            tuple(
                FileChange(
                    change.path,
                    tuple(
                        TextEdit(_shift(e.start, at, delta), _shift(e.end, at, delta), e.new_text)
                        for e in change.edits
                    )
                    if change.path is None
                    else change.edits,
                    change.create,
                    change.content,
                )
                for change in fix.changes
            ),
            fix.safe,
        )
        for fix in finding.fixes
    )
    related = tuple(
        Related(_shift(r.start, at, delta), _shift(r.end, at, delta), r.message, r.path)
        if r.path is None
        else r
        for r in finding.related
    )
    return replace(
        finding,
        start=_shift(finding.start, at, delta),
        end=_shift(finding.end, at, delta),
        fixes=fixes,
        related=related,
    )
