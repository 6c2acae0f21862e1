"""Whole-file rules of an edited script (``scope = "file"``): run again only when the edit
can change what they find."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kaios_lsp.findings import Finding
from kaios_lsp.parse.js.tree import JsTree
from kaios_lsp.parse.js.treesitter_front import TsTree
from kaios_lsp.rules.js.context import ScriptContext
from kaios_lsp.rules.js.region_facts import RegionFacts, region_context
from kaios_lsp.rules.js.regions import Region, Rehydrated

log = logging.getLogger("kaios_lsp.analysis")


@dataclass
class FileRun:
    """What a whole-file rule found, the text it looked at (code-point ranges of the
    nodes it read), the names in that text and the file facts it asked for: it runs again
    only when an edit touches that text, changes one of those names or those facts, or
    changes how other regions parse."""

    findings: list[Finding]
    read: list[tuple[int, int]]
    names: frozenset[str]
    observed: dict[str, Any]  # the file facts it asked for

    def affected(self, old: str, new: str, start: int, old_end: int) -> bool:
        """Can the edit change what the rule finds? When it touches what the rule read, or
        changes a name that occurs there (a function it followed, a variable it traced)."""
        if any(s <= old_end and start <= e for s, e in self.read):
            return True
        delta = len(new) - len(old)
        changed = _words_around(old, start, old_end) | _words_around(new, start, old_end + delta)
        return not changed.isdisjoint(self.names)

    def moved(self, start: int, old_end: int, delta: int) -> FileRun | None:
        """The run with every offset where the edit moved it (``None`` when one is inside
        the edited text: then run it again)."""
        if delta == 0 and start == old_end:
            return self

        def at(offset: int) -> int:
            if start < offset < old_end:
                raise _Inside
            return offset + delta if offset >= old_end and offset > start else offset

        try:
            findings = [f.mapped(at) for f in self.findings]
            read = [(at(s), at(e)) for s, e in self.read]
        except _Inside:
            return None
        return FileRun(findings, read, self.names, self.observed)


class _Inside(Exception):
    """An offset inside the edited text: it cannot be moved."""


_WORD = re.compile(r"[A-Za-z_$][\w$]*")


def _words_around(text: str, start: int, end: int) -> set[str]:
    """The identifiers the text from ``start`` to ``end`` touches (whole words)."""
    low = start
    while low > 0 and (text[low - 1].isalnum() or text[low - 1] in "_$"):
        low -= 1
    high = end
    while high < len(text) and (text[high].isalnum() or text[high] in "_$"):
        high += 1
    return set(_WORD.findall(text, low, high))


def run_whole(
    rule: Callable[[ScriptContext], Iterable[Finding]],
    tree: TsTree,
    make_context: Callable[[JsTree], ScriptContext],
    names: tuple[dict[str, str], frozenset[str]],
    facts: RegionFacts,
    regions: list[Region],
) -> FileRun:
    view = tree.reading()
    whole = region_context(make_context, view, names)
    asking = Region(0, 0, 0, 0, 0, "")  # (what the file facts it asks for were)
    whole.facts = facts.recorder(asking, len(regions))
    whole.cache["names"] = (Rehydrated(regions, view, 0), Rehydrated(regions, view, 1))
    try:
        found = list(rule(whole))
    except Exception:
        log.exception("rule %s failed on %s", rule.__name__, whole.path)
        found = []
    offset = view.offset_of
    read = sorted((offset(s), offset(e)) for s, e in view.outside())
    merged: list[tuple[int, int]] = []
    for s, e in read:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    text = tree.text
    names_read = frozenset(w for s, e in merged for w in _WORD.findall(text, s, e))
    return FileRun(found, merged, names_read, asking.observed)
