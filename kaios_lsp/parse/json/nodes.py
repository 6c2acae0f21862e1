"""The tree the tolerant JSON parser builds: values and members with their ranges, and
the helpers that walk it (path of a node, node at a path, member at an offset, Python value)."""

from __future__ import annotations


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
