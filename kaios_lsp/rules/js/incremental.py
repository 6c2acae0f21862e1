"""Analyse an edited script again at the cost of what the edit changed.

A :class:`ScriptSession` keeps, for one open script, its tree-sitter tree and what each
*region* (a top-level statement, or a few small ones grouped, with the text before it on
its line) gave: its findings, what it declares (for the names that alias or shadow a
global), its parts of the file facts rules ask for
(:func:`~kaios_lsp.rules.js.context.file_fact`), and what it looked at outside itself.
After an edit the tree is re-parsed from the old one (tree-sitter re-reads only the edited
part), and a region is judged again only when

- its text (or the text before it on its line) changed;
- a file-wide fact it used has another value now: the names that alias or shadow a
  global, the indentation and line ends, whether the file is minified, an answer of
  :func:`file_fact` it asked for (top-level early exits, string constants, storage
  variables, request handlers...);
- or it looked at nodes outside itself and the edit is between them and it.

The findings of every other region move with the text. Rules that follow code across the
file (the activity flows of KAI412, import/export of KAI401 in a classic script) declare
``scope = "file"``: they run on the whole tree, again only when the edit can change what
they find (rules/js/file_runs.py). Rules that report once per file (KAI203 at an API's
first use) declare ``region_part`` and ``combine``. The property tests
(tests/rules/js/test_incremental.py) check that the result always equals a fresh
:func:`~kaios_lsp.rules.js.analyze.analyze_script`.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kaios_lsp.findings import Finding
from kaios_lsp.parse.js.parse import ParsedScript, parse_script
from kaios_lsp.parse.js.tree import JsTree
from kaios_lsp.parse.js.treesitter_front import TsTree
from kaios_lsp.parse.js.ts_reparse import reparse_treesitter
from kaios_lsp.parse.json.edit import indent_unit
from kaios_lsp.rules.js.context import ScriptContext, name_part, relevant_names, resolve_names
from kaios_lsp.rules.js.features import MAX_REPORTS
from kaios_lsp.rules.js.file_runs import FileRun, run_whole
from kaios_lsp.rules.js.region_facts import RegionFacts, region_context
from kaios_lsp.rules.js.regions import (
    Region,
    edit_between,
    index_ranges,
    long_line,
    reach_of,
    reaches_over,
    regions_of,
    unjudged,
)

log = logging.getLogger("kaios_lsp.analysis")


@dataclass
class _State:
    setting: tuple[Any, ...]
    text: str
    parsed: ParsedScript
    regions: list[Region]
    names: tuple[dict[str, str], frozenset[str]]
    text_facts: tuple[str, bool]
    long_lines: bool = False
    runs: dict[str, FileRun] = field(default_factory=dict)  # of the whole-file rules


class ScriptSession:
    """What the analysis keeps of one open script between two of its versions."""

    def __init__(self) -> None:
        self._state: _State | None = None
        # how each file fact is computed (its part and combine), as the rules asked
        self._how: dict[str, tuple[Callable[..., Any], Callable[[list[Any]], Any]]] = {}
        self.regions_judged = 0  # (for tests and benchmarks: regions judged last time)
        self.whole_file_runs = 0  # (and whole-file rules run again)
        self._long_lines: bool | None = None  # (None: not asked for this text)
        self._last_edit: tuple[str, str, tuple[int, int, int]] | None = None

    def reset(self) -> None:
        self._state = None

    def _edit(self, old: str, new: str) -> tuple[int, int, int]:
        """The edit from ``old`` to ``new``, found once per keystroke (the minified-line
        check and the re-parse both ask; each search compares up to the whole text)."""
        known = self._last_edit
        if known is not None and known[0] is old and known[1] is new:
            return known[2]
        edit = edit_between(old, new)
        self._last_edit = (old, new, edit)
        return edit

    @property
    def size(self) -> int:
        """The characters of the script it keeps (0 before its first analysis)."""
        return len(self._state.text) if self._state is not None else 0

    def has_long_line(self, text: str, limit: int) -> bool:
        """Has ``text`` a line longer than ``limit`` (minified)? After an edit of a text
        that had none, only the edited lines can have become one."""
        state = self._state
        if state is None or state.long_lines:
            found = long_line(text, 0, len(text), limit)
        else:
            start, _old_end, new_end = self._edit(state.text, text)
            found = long_line(text, start, new_end, limit)
        self._long_lines = found
        return found

    def parse(self, text: str, setting: tuple[Any, ...]) -> tuple[ParsedScript, int, int, int]:
        """The parse of ``text`` (re-using the last tree) and the edit from the last text:
        (parsed, start, old end, new end); the whole text when nothing can be re-used."""
        state = self._state
        if state is None or state.setting != setting or not isinstance(state.parsed.tree, TsTree):
            self._state = None
            return parse_script(text), 0, 0, len(text)
        start, old_end, new_end = self._edit(state.text, text)
        self._last_edit = None  # (it keeps the old text alive)
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
        old_by_key: dict[tuple[int, str], Region] = {}
        if previous is not None:
            for region in previous.regions:
                if region.end <= start and region.judged:
                    old_by_key[(region.key_start, region.key)] = region
                elif region.key_start >= old_end and region.judged:
                    old_by_key[(region.key_start + delta, region.key)] = region
        regions = []
        kept_structure = previous is not None
        for fresh in regions_of(tree):
            old = old_by_key.get((fresh.key_start, fresh.key))
            if old is not None and not reaches_over(old, start, old_end):
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
            regions = [unjudged(r) for r in regions]
            kept_structure = False

        def context(view: TsTree) -> ScriptContext:
            ctx = region_context(make_context, view, names)
            prepare(ctx)  # (one query per kind for every rule and fact of the region)
            return ctx

        facts = RegionFacts(regions, tree, self._how, context)
        for index, region in enumerate(regions):
            if region.judged and any(
                facts.value(name, index) != value for name, value in region.observed.items()
            ):
                regions[index] = unjudged(region)
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
            region.reach = reach_of(region_view, region)
            region.index = index_ranges(ctx, region.start_byte)
            region.judged = True
        self.regions_judged = judged

        out = [f for r in regions for f in r.findings]
        for rule in local_rules:
            combine = getattr(rule, "combine", None)
            if combine is not None:
                records_in_order = [x for r in regions for x in r.records.get(rule.__name__, ())]
                out.extend(combine(records_in_order))
        runs: dict[str, FileRun] = {}
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
                moved = run_whole(rule, tree, make_context, names, facts, regions)
                self.whole_file_runs += 1
            runs[name] = moved
            out.extend(copy.copy(f) for f in runs[name].findings)
        syntax_found = [f for r in regions for f in r.syntax][:MAX_REPORTS]
        self._state = _State(
            setting, text, parsed, regions, names, text_facts, self._long_lines is not False, runs
        )
        return parsed, out, syntax_found
