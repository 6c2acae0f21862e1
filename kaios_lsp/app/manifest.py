"""One parsed manifest per text version, shared by every manifest rule and service.

Validation, completion, hover and links all read the same :class:`Manifest`; nothing
parses the text twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode, to_python
from kaios_lsp.parse.json.tree import ParseResult, parse

WEBAPP = "webapp"  # KaiOS 2.5 manifest.webapp (or manifest.json)
WEBMANIFEST = "webmanifest"  # KaiOS 3.x manifest.webmanifest

MANIFEST_NAMES = {"manifest.webapp": WEBAPP, "manifest.webmanifest": WEBMANIFEST}


def manifest_kind(path: str, text: str | None = None, target: str = "auto") -> str | None:
    """Which manifest format a file is, or ``None`` if it is not a KaiOS manifest.

    ``manifest.webapp`` is KaiOS 2.5 and ``manifest.webmanifest`` (and localised
    ``manifest.<lang>.webmanifest``) is KaiOS 3.x. ``manifest.json`` is accepted by
    KaiOS 2.5 as an alternative name; it counts as a KaiOS manifest when the target says
    so or, with ``auto``, when its text looks like one.
    """
    name = os.path.basename(path)
    if name in MANIFEST_NAMES:
        return MANIFEST_NAMES[name]
    if name.startswith("manifest.") and name.endswith(".webmanifest"):
        return WEBMANIFEST
    if name == "manifest.json":
        if target == "2.5":
            return WEBAPP
        if target == "3.0":
            return WEBMANIFEST
        if text is not None:
            if '"b2g_features"' in text:
                return WEBMANIFEST
            if any(
                marker in text
                for marker in ('"launch_path"', '"permissions"', '"developer"', '"locales"')
            ):
                return WEBAPP
    return None


# StringEdit.members of an edit that may change what every member means (renaming
# b2g_features, where 3.0 keeps most of what rules read)
EVERY_MEMBER = frozenset({"*"})


@dataclass
class StringEdit:
    """One edit inside one string: ``[start, old_end)`` became ``[start, start + length)``.

    ``string`` is the range of that string, quotes included, before the edit; ``members``
    names the member it is in: its top-level name and, inside ``b2g_features``, the name
    one level down (for a renamed member, the old and the new name)."""

    start: int
    old_end: int
    length: int
    string: tuple[int, int]
    members: frozenset[str]
    renames: bool = False  # the string is a member name
    removed: str = ""  # the text the edit replaced

    @property
    def delta(self) -> int:
        return self.length - (self.old_end - self.start)

    def shift(self, offset: int) -> int:
        """Where an offset of the text before the edit is after it."""
        return offset + self.delta if offset >= self.old_end else offset


@dataclass
class Lineage:
    """The edits, in order, from an analysed version of a manifest to this one, with
    what was derived from that version (its ``Manifest.derived``)."""

    derived: dict[str, object]
    edits: tuple[StringEdit, ...]

    @property
    def members(self) -> frozenset[str]:
        return frozenset().union(*(edit.members for edit in self.edits))

    def touches(self, names: Iterable[str]) -> bool:
        """Is an edit in one of these members, or in what every member means?"""
        members = self.members
        return members >= EVERY_MEMBER or not members.isdisjoint(names)

    def shift(self, offset: int) -> int:
        for edit in self.edits:
            offset = edit.shift(offset)
        return offset


# Manifest.derived: the analysis of that version, whose parts a later version may reuse
ANALYSIS = "analysis"


@dataclass
class Manifest:
    """A manifest text, its tree and its JSON value."""

    kind: str
    text: str
    path: str | None
    parsed: ParseResult
    value: object
    too_deep: list[Node]
    broken: set[int] = field(default_factory=set)
    # What was derived from this version, by name (a Manifest is one version of the
    # text: an edit makes a new one; see incremental.patch_string_edit).
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    # How this version was made from an analysed one by edits inside strings, so that
    # what those edits cannot change is reused (see manifest_reuse.reuse_for).
    lineage: Lineage | None = field(default=None, repr=False, compare=False)
    # What is left of moving the tree's offsets for the last edit (the members after the
    # edited one): done after the keystroke's diagnostics are out, or by the first
    # reader of the tree (see incremental.patch_string_edit).
    _unsettled: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def settle(self) -> None:
        """Finish moving the tree's offsets for the edit this version was made by."""
        unsettled = self._unsettled
        if unsettled is not None:
            self._unsettled = None
            unsettled()

    @property
    def tree(self) -> Node | None:
        """The parsed tree, whatever its root is (``root``: the root object)."""
        self.settle()
        return self.parsed.root

    @property
    def root(self) -> ObjectNode | None:
        root = self.tree
        return root if isinstance(root, ObjectNode) else None

    @property
    def app_root(self) -> str | None:
        return os.path.dirname(self.path) if self.path else None

    @property
    def version(self) -> str:
        return "2.5" if self.kind == WEBAPP else "3.0"

    def member(self, *path: str) -> Member | None:
        """The member at a path of object keys, like ``member("b2g_features", "core")``."""
        node: Node | None = self.root
        found: Member | None = None
        for key in path:
            if not isinstance(node, ObjectNode):
                return None
            found = node.get(key)
            if found is None:
                return None
            node = found.value
        return found

    def node(self, *path: str) -> Node | None:
        member = self.member(*path)
        return member.value if member is not None else None

    def string(self, *path: str) -> str | None:
        node = self.node(*path)
        return node.value if node is not None and node.kind == "string" else None  # type: ignore[return-value]

    @property
    def features(self) -> ObjectNode | None:
        """Where KaiOS members live: the root in 2.5, ``b2g_features`` in 3.0."""
        if self.kind == WEBAPP:
            return self.root
        node = self.node("b2g_features")
        return node if isinstance(node, ObjectNode) else None

    def distribution(self, setting: str = "auto") -> str:
        """``packaged`` or ``hosted``; ``auto`` decides from the manifest only when it is sure.

        3.0: a ``start_url`` on a web origin means a hosted PWA (packaged apps are served
        from ``http://<name>.localhost`` and use relative paths). A 2.5 manifest does not
        say, so ``auto`` means packaged (the usual case for a project folder); set the
        ``distribution`` setting for hosted apps.
        """
        if setting in ("packaged", "hosted"):
            return setting
        if self.kind == WEBAPP:
            return "packaged"

        start = self.string("start_url") or ""
        lowered = start.lower()
        if (
            lowered.startswith(("http://", "https://"))
            and ".localhost" not in lowered.split("/")[2]
        ):
            return "hosted"
        return "packaged"

    def permission_column(self, setting: str = "auto") -> str:
        """The column of the permission table this app is installed with."""
        if self.kind == WEBAPP:
            return "web" if self.distribution(setting) == "hosted" else self.app_type
        if self.distribution(setting) == "hosted":
            return "pwa"
        core = self.node("b2g_features", "core")
        return "core" if core is not None and core.value is True else "signed"

    def preinstalled(self, setting: str = "auto") -> bool:
        """Certified (2.5) and core (3.0) apps: only the phone maker installs them, so the
        KaiStore never reviews them and store-only requirements do not apply."""
        return self.permission_column(setting) in PREINSTALLED_COLUMNS

    @property
    def app_type(self) -> str:
        """The 2.5 ``type`` (default web); for 3.0 the store type in b2g_features."""
        features = self.features
        value = features.value_of("type") if features is not None else None
        if (
            value is not None
            and value.kind == "string"
            and value.value in ("web", "privileged", "certified")
        ):
            return value.value
        return "web"


PREINSTALLED_COLUMNS = ("certified", "core")


def preinstalled_value(kind: str, value: object) -> bool:
    """:meth:`Manifest.preinstalled` for a manifest's JSON value (packaged distribution)."""
    if not isinstance(value, dict):
        return False
    if kind == WEBAPP:
        return value.get("type") == "certified"
    features = value.get("b2g_features")
    return isinstance(features, dict) and features.get("core") is True


def _broken_nodes(root: Node | None) -> set[int]:
    """Ids of members without a value and of invalid nodes (syntax already reported)."""
    broken: set[int] = set()
    if root is None:
        return broken
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if node.kind == "invalid":
            broken.add(id(node))
        elif isinstance(node, ObjectNode):
            for member in node.members:
                if member.value is None:
                    broken.add(id(member.key))
                    broken.add(id(member))
                else:
                    stack.append(member.value)
        elif isinstance(node, ArrayNode):
            stack.extend(node.items)
    return broken


def load_manifest(text: str, path: str | None, kind: str) -> Manifest:
    parsed = parse(text)
    value, too_deep = to_python(parsed.root)
    return Manifest(kind, text, path, parsed, value, too_deep, _broken_nodes(parsed.root))
