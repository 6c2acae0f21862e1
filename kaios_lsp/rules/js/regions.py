"""The regions of an edited script (rules/js/incremental.py): how a tree is cut into
them, what each keeps between keystrokes, and where an edit moves it."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from typing import Any

from kaios_lsp.findings import Finding
from kaios_lsp.parse.js.treesitter_front import TsTree
from kaios_lsp.rules.js.context import NamePart, ScriptContext


@dataclass(frozen=True)
class Ranges:
    """A region's member or variable index as data: the names it was filled for, and
    (start, end, node type) of each node found, offsets from the region's start byte."""

    loaded: frozenset[str]
    found: dict[str, list[tuple[int, int, str]]]


@dataclass
class Region:
    start: int  # code points: the top-level node
    end: int
    start_byte: int
    end_byte: int
    key_start: int  # the text it depends on starts here (its line, the end before it)
    key: str
    names: NamePart | None = None
    jsx: bool = False  # (set with names)
    counts: tuple[frozenset[str], tuple[dict[str, int], set[str]]] | None = None
    judged: bool = False
    findings: list[Finding] = field(default_factory=list)
    records: dict[str, list[Any]] = field(default_factory=dict)  # region_part results
    syntax: list[Finding] = field(default_factory=list)
    observed: dict[str, Any] = field(default_factory=dict)  # file facts it asked for
    parts: dict[str, Any] = field(default_factory=dict)  # its part of each file fact
    reach: tuple[int, int] | None = None  # code points it looked at, when outside itself
    # its member and variable index (rules/js/uses.py) as byte ranges from its start and
    # node types: the whole-file rules' index is made from these, without a query
    index: tuple[Ranges, Ranges] | None = None

    def moved(self, delta: int) -> Region:
        """The region where the edit moved it (``delta`` code points; the caller sets
        the byte offsets, which move by another amount when the edit is not ASCII)."""
        if delta == 0:
            return self  # (the old session state is dropped: no copy needed)
        return replace(
            self,
            start=self.start + delta,
            end=self.end + delta,
            key_start=self.key_start + delta,
            findings=[f.translated(delta) for f in self.findings],
            records={k: [moved_record(r, delta) for r in v] for k, v in self.records.items()},
            syntax=[f.translated(delta) for f in self.syntax],
            reach=(self.reach[0] + delta, self.reach[1] + delta) if self.reach else None,
        )


def long_line(text: str, start: int, end: int, limit: int) -> bool:
    position = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    while position <= stop:
        line_end = text.find("\n", position, stop)
        line_end = stop if line_end < 0 else line_end
        if line_end - position > limit:
            return True
        position = line_end + 1
    return False


# A top-level node this big (bytes) is a region of its own; smaller ones are grouped, the
# group ending after a node whose hash says so (about one in eight) or at this size. The
# boundaries depend only on the nodes' own text, so an edit moves none but its own.
REGION_BYTES = 2048


def regions_of(tree: TsTree) -> list[Region]:
    """The regions of a tree: its top-level nodes, small ones grouped, in source order."""
    text = tree.text
    source = tree._ctx.source
    offset = tree.offset_of
    groups: list[tuple[int, int]] = []
    first = -1
    for ts in tree._root_ts.children:
        if first < 0:
            first = ts.start_byte
        size = ts.end_byte - ts.start_byte
        if (
            size >= REGION_BYTES
            or ts.end_byte - first >= REGION_BYTES
            or zlib.crc32(source[ts.start_byte : ts.end_byte]) % 8 == 0
        ):
            groups.append((first, ts.end_byte))
            first = -1
    if first >= 0:
        groups.append((first, tree._root_ts.children[-1].end_byte))
    out = []
    previous_end = 0
    for start_byte, end_byte in groups:
        start, end = offset(start_byte), offset(end_byte)
        line = text.rfind("\n", 0, start) + 1
        key_start = max(0, min(line, previous_end - 1))
        out.append(Region(start, end, start_byte, end_byte, key_start, text[key_start:end]))
        previous_end = end
    return out


def unjudged(region: Region) -> Region:
    return Region(
        region.start,
        region.end,
        region.start_byte,
        region.end_byte,
        region.key_start,
        region.key,
        region.names,
        region.jsx,
        region.counts,
    )  # (its index goes: it is judged again)


def reach_of(view: TsTree, region: Region) -> tuple[int, int] | None:
    outside = view.outside()
    if not outside:
        return None
    offset = view.offset_of
    low = min(offset(min(s for s, _e in outside)), region.key_start)
    high = max(offset(max(e for _s, e in outside)), region.end)
    return low, high


def reaches_over(region: Region, start: int, old_end: int) -> bool:
    """Did the region look at nodes outside itself, with the edit among them?"""
    reach = region.reach
    return reach is not None and start <= reach[1] and reach[0] <= old_end


def edit_between(old: str, new: str) -> tuple[int, int, int]:
    """(start, old end, new end) of the one replacement that turns ``old`` into ``new``."""
    limit = min(len(old), len(new))
    low, high = 0, limit  # the common prefix is at least low, less than high + 1
    while low < high:  # (binary search: each comparison is a C memcmp)
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    limit -= prefix
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle : len(old) - low] == new[len(new) - middle : len(new) - low]:
            low = middle
        else:
            high = middle - 1
    return prefix, len(old) - low, len(new) - low


def moved_record(record: Any, delta: int) -> Any:
    """A region_part record: a finding, or a tuple whose findings move with the text."""
    if isinstance(record, Finding):
        return record.translated(delta)
    if isinstance(record, tuple):
        return tuple(x.translated(delta) if isinstance(x, Finding) else x for x in record)
    return record


# The names a region's index was filled for: one shared set per distinct set of names (all
# regions of a script usually preload the same few hundred), not one copy per region.
_LOADED: dict[frozenset[str], frozenset[str]] = {}


def index_ranges(ctx: ScriptContext, base: int) -> tuple[Ranges, Ranges] | None:
    """A region's member and variable index as data: (names loaded, the ranges of the
    names found) for each, offsets from the region's start byte."""
    cached = ctx.cache.get("names")
    if not isinstance(cached, tuple):
        return None
    out: list[Ranges] = []
    for by_name in cached:
        loaded = frozenset(by_name)
        found: dict[str, list[tuple[int, int, str]]] = {}
        for name, nodes in by_name.items():
            if not nodes:
                continue
            kept = []
            for node in nodes:
                ts = getattr(node, "ts", None)
                if ts is None or getattr(node, "role", "") != "":
                    return None  # (not a plain tree-sitter node: no index from ranges)
                kept.append((ts.start_byte - base, ts.end_byte - base, ts.type))
            found[name] = kept
        out.append(Ranges(_LOADED.setdefault(loaded, loaded), found))
    if len(_LOADED) > 64:
        _LOADED.clear()  # (a bound: the sets are only shared to save memory)
    return out[0], out[1]


class Rehydrated(dict):  # type: ignore[type-arg]
    """The whole file's member (``which`` 0) or variable (1) index, made on demand from the
    regions' ranges: the node at each range is found in the tree, not by a query."""

    def __init__(self, regions: list[Region], view: TsTree, which: int) -> None:
        super().__init__()
        self._regions = regions
        self._view = view
        self._which = which

    def _known(self, name: str) -> bool:
        return all(
            r.index is not None and name in r.index[self._which].loaded for r in self._regions
        )

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or (isinstance(name, str) and self._known(name))

    def __missing__(self, name: str) -> list[Any]:
        if not self._known(name):
            raise KeyError(name)
        found = []
        root = self._view._root_ts
        wrap = self._view._ctx.wrap
        for region in self._regions:
            assert region.index is not None
            for start, end, kind in region.index[self._which].found.get(name, ()):
                ts = root.descendant_for_byte_range(
                    region.start_byte + start, region.start_byte + end
                )
                while ts is not None and ts.type != kind:
                    ts = ts.parent
                node = wrap(ts) if ts is not None else None
                if node is not None:
                    found.append(node)
        self[name] = found
        return found

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self else default  # noqa: SIM401 (dict.get skips __missing__)
