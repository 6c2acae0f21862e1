"""Analyse an edited script again at the cost of what the edit changed.

A :class:`ScriptSession` keeps, for one open script, its tree-sitter tree and what each
*region* (a top-level statement, or a few small ones, with the text before it on its
line) gave: its findings,
what it declares (for aliases and shadowed globals), its parts of the file facts rules ask
for (:func:`~kaios_lsp.rules.js.context.file_fact`), and what it looked at elsewhere. After
an edit the tree is re-parsed from the old one (tree-sitter re-reads only the edited
part), and a region is judged again only when

- its text (or the text before it on its line) changed;
- a file-wide fact it used has another value now (the names that alias or shadow a
  global, the indentation and line ends, whether the file is minified, an answer of
  :func:`file_fact` it asked for);
- or it looked at nodes outside itself (the statements before it, for a guard) and the
  edit is between them.

The findings of every other region are moved by the edit's length. Rules that correlate
the whole file (the activity flows of KAI412, import/export of KAI401 in a classic
script) declare ``scope = "file"`` and run on the whole tree; rules that report once per
file (KAI203's first use of an API) declare ``region_part`` and ``combine``. The property
tests check that the result always equals a fresh :func:`analyze_script`.
"""

from __future__ import annotations

import copy
import logging
import re
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kaios_lsp.findings import Finding, Fix, Related, TextEdit
from kaios_lsp.parse.html import HtmlDocument, patch_scan, scan
from kaios_lsp.parse.js.parse import ParsedScript, parse_script
from kaios_lsp.parse.js.tree import JsTree
from kaios_lsp.parse.js.treesitter_front import TsTree, reparse_treesitter
from kaios_lsp.parse.json.edit import indent_unit
from kaios_lsp.rules.js.context import (
    NamePart,
    ScriptContext,
    name_part,
    relevant_names,
    resolve_names,
)
from kaios_lsp.rules.js.features import MAX_REPORTS

log = logging.getLogger("kaios_lsp.analysis")


_Ranges = dict[str, list[tuple[int, int, str]]]


@dataclass
class _Region:
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
    index: tuple[_Ranges, _Ranges] | None = None

    def moved(self, delta: int) -> _Region:
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
            records={k: [_moved_record(r, delta) for r in v] for k, v in self.records.items()},
            syntax=[f.translated(delta) for f in self.syntax],
            reach=(self.reach[0] + delta, self.reach[1] + delta) if self.reach else None,
        )


@dataclass
class _State:
    setting: tuple[Any, ...]
    text: str
    parsed: ParsedScript
    regions: list[_Region]
    names: tuple[dict[str, str], frozenset[str]]
    text_facts: tuple[str, bool]
    long_lines: bool = False
    runs: dict[str, _FileRun] = field(default_factory=dict)  # of the whole-file rules


class ScriptSession:
    """What the analysis keeps of one open script between two of its versions."""

    def __init__(self) -> None:
        self._state: _State | None = None
        # how each file fact is computed (its part and combine), as the rules asked
        self._how: dict[str, tuple[Callable[..., Any], Callable[[list[Any]], Any]]] = {}
        self.regions_judged = 0  # (for tests and benchmarks: regions judged last time)
        self.whole_file_runs = 0  # (and whole-file rules run again)
        self._long_lines: bool | None = None  # (None: not asked for this text)

    def reset(self) -> None:
        self._state = None

    def has_long_line(self, text: str, limit: int) -> bool:
        """Has ``text`` a line longer than ``limit`` (minified)? After an edit of a text
        that had none, only the edited lines can have become one."""
        state = self._state
        if state is None or state.long_lines:
            found = _long_line(text, 0, len(text), limit)
        else:
            start, _old_end, new_end = _edit_between(state.text, text)
            found = _long_line(text, start, new_end, limit)
        self._long_lines = found
        return found

    def parse(self, text: str, setting: tuple[Any, ...]) -> tuple[ParsedScript, int, int, int]:
        """The parse of ``text`` (re-using the last tree) and the edit from the last text:
        (parsed, start, old end, new end); the whole text when nothing can be re-used."""
        state = self._state
        if state is None or state.setting != setting or not isinstance(state.parsed.tree, TsTree):
            self._state = None
            return parse_script(text), 0, 0, len(text)
        start, old_end, new_end = _edit_between(state.text, text)
        old_tree = state.parsed.tree
        if start == old_end == new_end and len(text) == len(state.text):
            return state.parsed, 0, 0, 0
        tree = reparse_treesitter(old_tree, text, start, old_end, new_end)
        state.parsed = ParsedScript(tree, tree.errors[:1], None)  # (the old tree is spent)
        return state.parsed, start, old_end, new_end

    def analyze(
        self,
        text: str,
        setting: tuple[Any, ...],
        make_context: Callable[[JsTree], ScriptContext],
        local_rules: Iterable[Callable[[ScriptContext], Iterable[Finding]]],
        file_rules: Iterable[Callable[[ScriptContext], Iterable[Finding]]],
        prepare: Callable[[ScriptContext], None],
        syntax: Callable[[TsTree], list[Finding]] | None,
    ) -> tuple[ParsedScript, list[Finding], list[Finding]]:
        """(parse, findings of the rules, findings of ``syntax``) for ``text``; the caller
        adds the syntax errors. ``make_context`` gives a rule context for a tree or a view."""
        parsed, start, old_end, new_end = self.parse(text, setting)
        tree = parsed.tree
        if not isinstance(tree, TsTree):
            raise ValueError("a session needs a tree-sitter tree")
        previous = self._state
        delta = (new_end - start) - (old_end - start)
        old_by_key: dict[tuple[int, str], _Region] = {}
        if previous is not None:
            for region in previous.regions:
                if region.end <= start and region.judged:
                    old_by_key[(region.key_start, region.key)] = region
                elif region.key_start >= old_end and region.judged:
                    old_by_key[(region.key_start + delta, region.key)] = region
        regions = []
        kept_structure = previous is not None
        for fresh in _regions(tree):
            old = old_by_key.get((fresh.key_start, fresh.key))
            if old is not None and not _reaches_over(old, start, old_end):
                region = old.moved(fresh.key_start - old.key_start)
                region.start_byte, region.end_byte = fresh.start_byte, fresh.end_byte
                regions.append(region)
            else:
                regions.append(fresh)
                if fresh.end < start or fresh.start > new_end:
                    kept_structure = False  # (the edit changed how other regions parse)

        # the names that alias or shadow a global: from every region's declarations
        for region in regions:
            if region.names is None:
                view = tree.within(region.start_byte, region.end_byte)
                region.names = name_part(view)
                region.jsx = view.has_jsx()
        tree.knows_jsx(any(r.jsx for r in regions))
        parts = [r.names for r in regions if r.names is not None]
        relevant = relevant_names(parts)
        for region in regions:
            if region.counts is None or region.counts[0] != relevant:
                view = tree.within(region.start_byte, region.end_byte)
                region.counts = (relevant, view.binding_counts(relevant))
        aliases, shadowed = resolve_names(parts, [r.counts[1] for r in regions if r.counts])
        names = (aliases, frozenset(shadowed))
        text_facts = (indent_unit(text), "\r\n" in text)  # (minified or not: in setting)
        if previous is None or previous.names != names or previous.text_facts != text_facts:
            regions = [_unjudged(r) for r in regions]
            kept_structure = False

        def context(view: TsTree) -> ScriptContext:
            ctx = _region_context(make_context, view, names)
            prepare(ctx)  # (one query per kind for every rule and fact of the region)
            return ctx

        facts = _Facts(regions, tree, self._how, context)
        for index, region in enumerate(regions):
            if region.judged and any(
                facts.value(name, index) != value for name, value in region.observed.items()
            ):
                regions[index] = _unjudged(region)
        judged = 0
        for index, region in enumerate(regions):
            if region.judged:
                continue
            judged += 1
            ctx = facts.context_of(region)
            region_view = ctx.tree
            assert isinstance(region_view, TsTree)
            ctx.facts = facts.recorder(region, index)
            findings: list[Finding] = []
            records: dict[str, list[Any]] = {}
            for rule in local_rules:
                try:
                    part = getattr(rule, "region_part", None)
                    if part is not None:
                        records[rule.__name__] = list(part(ctx))
                    else:
                        findings.extend(rule(ctx))
                except Exception:  # a bug in one rule must not hide the others
                    log.exception("rule %s failed on a region of %s", rule.__name__, ctx.path)
            region.findings = findings
            region.records = records
            region.syntax = syntax(region_view) if syntax is not None else []
            region.reach = _reach(region_view, region)
            region.index = _index_ranges(ctx, region.start_byte)
            region.judged = True
        self.regions_judged = judged

        out = [f for r in regions for f in r.findings]
        for rule in local_rules:
            combine = getattr(rule, "combine", None)
            if combine is not None:
                records_in_order = [x for r in regions for x in r.records.get(rule.__name__, ())]
                out.extend(combine(records_in_order))
        runs: dict[str, _FileRun] = {}
        self.whole_file_runs = 0
        for rule in file_rules:
            name = rule.__name__
            last = previous.runs.get(name) if previous is not None else None
            if (
                last is not None
                and previous is not None
                and kept_structure
                and not last.affected(previous.text, text, start, old_end)
                and all(facts.value(n, len(regions)) == v for n, v in last.observed.items())
            ):
                moved = last.moved(start, old_end, delta)
            else:
                moved = None
            if moved is None:
                moved = _run_whole(rule, tree, make_context, names, facts, regions)
                self.whole_file_runs += 1
            runs[name] = moved
            out.extend(copy.copy(f) for f in runs[name].findings)
        syntax_found = [f for r in regions for f in r.syntax][:MAX_REPORTS]
        self._state = _State(
            setting, text, parsed, regions, names, text_facts, self._long_lines is not False, runs
        )
        return parsed, out, syntax_found


@dataclass
class _FileRun:
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

    def moved(self, start: int, old_end: int, delta: int) -> _FileRun | None:
        """The run with every offset where the edit moved it (``None`` when one is inside
        the edited text: then run it again)."""
        if delta == 0 and start == old_end:
            return self

        def at(offset: int) -> int:
            if start < offset < old_end:
                raise _Inside
            return offset + delta if offset >= old_end and offset > start else offset

        try:
            findings = [_mapped(f, at) for f in self.findings]
            read = [(at(s), at(e)) for s, e in self.read]
        except _Inside:
            return None
        return _FileRun(findings, read, self.names, self.observed)


class _Inside(Exception):
    """An offset inside the edited text: it cannot be moved."""


def _mapped(finding: Finding, at: Callable[[int], int]) -> Finding:
    return replace(
        finding,
        start=at(finding.start),
        end=at(finding.end),
        fixes=tuple(
            Fix(
                fix.title,
                tuple(
                    replace(
                        change,
                        edits=tuple(
                            TextEdit(at(e.start), at(e.end), e.new_text) for e in change.edits
                        ),
                    )
                    if change.path is None
                    else change
                    for change in fix.changes
                ),
                fix.safe,
            )
            for fix in finding.fixes
        ),
        related=tuple(
            Related(at(r.start), at(r.end), r.message, r.path) if r.path is None else r
            for r in finding.related
        ),
    )


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


def _run_whole(
    rule: Callable[[ScriptContext], Iterable[Finding]],
    tree: TsTree,
    make_context: Callable[[JsTree], ScriptContext],
    names: tuple[dict[str, str], frozenset[str]],
    facts: _Facts,
    regions: list[_Region],
) -> _FileRun:
    view = tree.reading()
    whole = _region_context(make_context, view, names)
    asking = _Region(0, 0, 0, 0, 0, "")  # (what the file facts it asks for were)
    whole.facts = facts.recorder(asking, len(regions))
    whole.cache["names"] = (_Rehydrated(regions, view, 0), _Rehydrated(regions, view, 1))
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
    return _FileRun(found, merged, names_read, asking.observed)


def _index_ranges(ctx: ScriptContext, base: int) -> tuple[_Ranges, _Ranges] | None:
    cached = ctx.cache.get("names")
    if not isinstance(cached, tuple):
        return None
    out: list[_Ranges] = []
    for by_name in cached:
        ranges: _Ranges = {}
        for name, nodes in by_name.items():
            kept = []
            for node in nodes:
                ts = getattr(node, "ts", None)
                if ts is None or getattr(node, "role", "") != "":
                    return None  # (not a plain tree-sitter node: no index from ranges)
                kept.append((ts.start_byte - base, ts.end_byte - base, ts.type))
            ranges[name] = kept
        out.append(ranges)
    return out[0], out[1]


class _Rehydrated(dict):  # type: ignore[type-arg]
    """The whole file's member (``which`` 0) or variable (1) index, made on demand from the
    regions' ranges: the node at each range is found in the tree, not by a query."""

    def __init__(self, regions: list[_Region], view: TsTree, which: int) -> None:
        super().__init__()
        self._regions = regions
        self._view = view
        self._which = which

    def _known(self, name: str) -> bool:
        return all(r.index is not None and name in r.index[self._which] for r in self._regions)

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
            for start, end, kind in region.index[self._which][name]:
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


class ScriptSessions:
    """The sessions of the scripts being edited, the most recently used ``limit`` of them
    (each keeps its tree and what its regions gave: a few times the script's size)."""

    def __init__(self, limit: int = 8) -> None:
        self.limit = limit
        self._sessions: OrderedDict[Hashable, ScriptSession] = OrderedDict()
        self._memo: OrderedDict[Hashable, list[Finding]] = OrderedDict()  # inline scripts
        self._pages: OrderedDict[str, HtmlDocument] = OrderedDict()  # the last scan of each

    def get(self, key: Hashable) -> ScriptSession:
        session = self._sessions.pop(key, None) or ScriptSession()
        self._sessions[key] = session
        while len(self._sessions) > self.limit:
            self._sessions.popitem(last=False)
        return session

    def scan_page(self, path: str, text: str) -> HtmlDocument:
        """The scan of a page, patched from its last one when the edit stays inside one
        of its scripts (typing in an inline script does not scan the page again)."""
        last = self._pages.pop(path, None)
        doc = None
        if last is not None:
            if last.text == text:
                doc = last
            else:
                doc = patch_scan(last, text, *_edit_between(last.text, text))
        if doc is None:
            doc = scan(text)
        self._pages[path] = doc
        while len(self._pages) > self.limit:
            self._pages.popitem(last=False)
        return doc

    def recall(self, key: Hashable) -> list[Finding] | None:
        """Copies of the findings remembered for ``key`` (a script block's text and all
        it is judged by), or ``None``."""
        found = self._memo.get(key)
        if found is None:
            return None
        self._memo.move_to_end(key)
        return [copy.copy(f) for f in found]

    def remember(self, key: Hashable, findings: list[Finding]) -> None:
        self._memo[key] = [copy.copy(f) for f in findings]
        while len(self._memo) > 8 * self.limit:
            self._memo.popitem(last=False)

    def drop(self, path: str) -> None:
        """Forget the sessions of one file (closed in the editor)."""
        for key in [k for k in self._sessions if isinstance(k, tuple) and k[:1] == (path,)]:
            del self._sessions[key]

    def __len__(self) -> int:
        return len(self._sessions)


class _Facts:
    """Answers file_fact() from the parts of every region (computed once per region)."""

    def __init__(
        self,
        regions: list[_Region],
        tree: TsTree,
        how: dict[str, tuple[Callable[..., Any], Callable[[list[Any]], Any]]],
        context: Callable[[TsTree], ScriptContext],
    ) -> None:
        self.regions = regions  # (the caller's list: regions judged again replace theirs)
        self._tree = tree
        self._how = how
        self._context = context
        self._values: dict[str, Any] = {}
        self._prefixes: dict[str, list[Any]] = {}
        self._contexts: dict[int, ScriptContext] = {}  # by id() of the region

    def value(self, name: str, index: int) -> Any:
        """The fact as the region at ``index`` saw it (``name`` ends in ``<`` for a fact
        about the regions before it only)."""
        how = self._how.get(name)
        if how is None:
            return _UNKNOWN  # (asked last time, but nobody knows how now: judge again)
        return self._compute(name, *how, index)

    def _compute(
        self, name: str, part: Callable[..., Any], combine: Callable[..., Any], index: int
    ) -> Any:
        if name.endswith("<"):  # what the regions before each region give
            prefixes = self._prefixes.get(name)
            if prefixes is None:
                so_far = combine([])
                prefixes = [so_far]
                for region in self.regions:
                    # (combine must then be associative: a union, a sum)
                    so_far = combine([so_far, self._part(region, name, part)])
                    prefixes.append(so_far)
                self._prefixes[name] = prefixes
            return prefixes[index]
        if name not in self._values:
            self._values[name] = combine([self._part(r, name, part) for r in self.regions])
        return self._values[name]

    def context_of(self, region: _Region) -> ScriptContext:
        """The rule context of a region's view (one per region and analysis: the facts
        and the rules of a region share its queries)."""
        ctx = self._contexts.get(id(region))
        if ctx is None:
            ctx = self._contexts[id(region)] = self._context(
                self._tree.within(region.start_byte, region.end_byte)
            )
        return ctx

    def _part(self, region: _Region, name: str, part: Callable[..., Any]) -> Any:
        if name not in region.parts:
            ctx = self.context_of(region)
            asking, ctx.facts = ctx.facts, None  # (a part is of the region alone)
            try:
                region.parts[name] = part(ctx)
            finally:
                ctx.facts = asking
        return region.parts[name]

    def recorder(self, region: _Region, index: int) -> Callable[..., Any]:
        region.observed = {}

        def ask(
            name: str, part: Callable[..., Any], combine: Callable[..., Any], earlier: bool = False
        ) -> Any:
            if earlier:
                name += "<"
            self._how[name] = (part, combine)
            value = self._compute(name, part, combine, index)
            region.observed[name] = value
            return value

        return ask


_UNKNOWN = object()


def _region_context(
    make_context: Callable[[JsTree], ScriptContext],
    view: TsTree,
    names: tuple[dict[str, str], frozenset[str]],
) -> ScriptContext:
    ctx = make_context(view)
    ctx.aliases, ctx.shadowed = dict(names[0]), set(names[1])
    return ctx


def _long_line(text: str, start: int, end: int, limit: int) -> bool:
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


def _regions(tree: TsTree) -> list[_Region]:
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
        out.append(_Region(start, end, start_byte, end_byte, key_start, text[key_start:end]))
        previous_end = end
    return out


def _unjudged(region: _Region) -> _Region:
    return _Region(
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


def _reach(view: TsTree, region: _Region) -> tuple[int, int] | None:
    outside = view.outside()
    if not outside:
        return None
    offset = view.offset_of
    low = min(offset(min(s for s, _e in outside)), region.key_start)
    high = max(offset(max(e for _s, e in outside)), region.end)
    return low, high


def _reaches_over(region: _Region, start: int, old_end: int) -> bool:
    """Did the region look at nodes outside itself, with the edit among them?"""
    reach = region.reach
    return reach is not None and start <= reach[1] and reach[0] <= old_end


def _edit_between(old: str, new: str) -> tuple[int, int, int]:
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


def _moved_record(record: Any, delta: int) -> Any:
    """A region_part record: a finding, or a tuple whose findings move with the text."""
    if isinstance(record, Finding):
        return record.translated(delta)
    if isinstance(record, tuple):
        return tuple(x.translated(delta) if isinstance(x, Finding) else x for x in record)
    return record
