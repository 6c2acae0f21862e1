"""File facts (rules/js/context.file_fact) answered from the parts of a script's regions,
each computed once per region and kept while the region is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kaios_lsp.parse.js.tree import JsTree
from kaios_lsp.parse.js.treesitter_front import TsTree
from kaios_lsp.rules.js.context import ScriptContext
from kaios_lsp.rules.js.regions import Region


class RegionFacts:
    """Answers file_fact() from the parts of every region (computed once per region)."""

    def __init__(
        self,
        regions: list[Region],
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
            return UNKNOWN  # (asked last time, but nobody knows how now: judge again)
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

    def context_of(self, region: Region) -> ScriptContext:
        """The rule context of a region's view (one per region and analysis: the facts
        and the rules of a region share its queries)."""
        ctx = self._contexts.get(id(region))
        if ctx is None:
            ctx = self._contexts[id(region)] = self._context(
                self._tree.within(region.start_byte, region.end_byte)
            )
        return ctx

    def _part(self, region: Region, name: str, part: Callable[..., Any]) -> Any:
        if name not in region.parts:
            ctx = self.context_of(region)
            asking, ctx.facts = ctx.facts, None  # (a part is of the region alone)
            try:
                region.parts[name] = part(ctx)
            finally:
                ctx.facts = asking
        return region.parts[name]

    def recorder(self, region: Region, index: int) -> Callable[..., Any]:
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


UNKNOWN = object()


def region_context(
    make_context: Callable[[JsTree], ScriptContext],
    view: TsTree,
    names: tuple[dict[str, str], frozenset[str]],
) -> ScriptContext:
    ctx = make_context(view)
    ctx.aliases, ctx.shadowed = dict(names[0]), set(names[1])
    return ctx
