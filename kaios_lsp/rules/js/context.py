"""What the JavaScript rules know about one script: its tree, its app, and which names
refer to browser globals.

Names are resolved conservatively: ``navigator``, ``window.navigator`` and
``self.navigator`` are the global; a local alias (``var nav = navigator``) counts when it
is declared once and never reassigned; a global name that the file declares itself
(``function fetch() {}``, a parameter called ``navigator``) is not the global anywhere in
the file, so rules stay quiet rather than guess.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, TypeVar

from kaios_lsp.app.context import AppContext
from kaios_lsp.app.files import FileView
from kaios_lsp.config import Config
from kaios_lsp.parse.csp import Policy
from kaios_lsp.parse.js.tree import JsNode, JsTree, identifier_name, property_name, string_value

if TYPE_CHECKING:
    from kaios_lsp.parse.js.treesitter_front import TsTree

GLOBAL_OBJECTS = ("window", "self", "globalThis", "top", "parent")
VENDOR_FOLDERS = ("vendor", "node_modules", "bower_components", "third_party", "3rdparty")
LONG_LINE = 1000
T = TypeVar("T")
R = TypeVar("R")


@dataclass
class ScriptContext:
    tree: JsTree
    path: str | None
    app: AppContext | None
    config: Config
    files: FileView
    version: str | None  # "2.5", "3.0", or None when neither the app nor the settings say
    module: bool = False
    vendor: bool = False  # minified or third-party: only the CSP rules run by default
    extra_policies: list[tuple[str, Policy]] = field(default_factory=list)  # page <meta>
    aliases: dict[str, str] = field(default_factory=dict)
    shadowed: set[str] = field(default_factory=set)
    cache: dict[str, object] = field(default_factory=dict)  # indexes rules share
    # Set when the script is analysed one region at a time (rules/js/incremental.py):
    # answers file_fact() for the whole file from every region's part.
    facts: FactSource | None = None

    @property
    def text(self) -> str:
        return self.tree.text

    def path_of(self, node: JsNode | None) -> str | None:
        return global_path(node, self)


class FactSource(Protocol):
    def __call__(
        self,
        name: str,
        part: Callable[[ScriptContext], Any],
        combine: Callable[[list[Any]], Any],
        earlier: bool = False,  # only from the regions before the one asking
    ) -> Any: ...


def file_fact(
    ctx: ScriptContext,
    name: str,
    part: Callable[[ScriptContext], T],
    combine: Callable[[list[T]], R],
) -> R:
    """A fact about the whole file that a rule needs while judging one place (is
    ``Notification.permission`` read anywhere? which variables hold a storage?).

    ``part`` reads it from one region (a whole file is one region) and must return plain
    data, no nodes or offsets; ``combine`` joins the parts of the file's regions in source
    order. Analysed one region at a time, the file's other regions answer from their cached
    parts, and the answer is remembered: the region is judged again when it changes."""
    if ctx.facts is not None:
        return ctx.facts(name, part, combine)  # type: ignore[no-any-return]
    key = "fact:" + name
    if key not in ctx.cache:
        ctx.cache[key] = combine([part(ctx)])
    return ctx.cache[key]  # type: ignore[return-value]  # (the combined value stored above)


def is_vendor(path: str | None, text: str) -> bool:
    """Minified or third-party code: ``*.min.js``, a vendor folder, or very long lines."""
    if path:
        name = os.path.basename(path).lower()
        parts = {p.lower() for p in re.split(r"[\\/]", os.path.dirname(path))}
        if name.endswith((".min.js", ".min.mjs", "-min.js", ".bundle.js")) or parts & set(
            VENDOR_FOLDERS
        ):
            return True
    return _LONG_LINE.search(text) is not None


# (anchored at line starts: each line is scanned once)
_LONG_LINE = re.compile(f"^[^\\n]{{{LONG_LINE + 1}}}", re.MULTILINE)


def global_path(node: JsNode | None, ctx: ScriptContext) -> str | None:
    """``navigator.geolocation.getCurrentPosition`` for that member chain (also through
    ``window.``, ``a['b']`` and aliases); ``None`` when it does not start at a global."""
    chain = member_chain(node)
    return path_of_chain(chain, ctx.aliases, ctx.shadowed) if chain is not None else None


# A member chain as plain data: its head (a variable name, or "this" for the window) and
# the property names read from it, so facts about a file can be kept without its tree.
Chain = tuple[str, tuple[str, ...]]
THIS_WINDOW = "this"


def member_chain(node: JsNode | None) -> Chain | None:
    """(head, properties) of ``a.b['c']`` (``('a', ('b', 'c'))``); ``None`` for anything
    else (a call, a computed name, ``this`` inside a function)."""
    parts: list[str] = []
    current = node
    while current is not None:
        if current.type == "MemberExpression":
            name = property_name(current)
            if name is None:
                return None
            parts.append(name)
            current = current.node("object")
            continue
        if current.type == "Identifier":
            name = identifier_name(current)
            if name is None or name == THIS_WINDOW:
                return None
            return name, tuple(reversed(parts))
        if current.type == "ThisExpression" and not _inside_function(current):
            return THIS_WINDOW, tuple(reversed(parts))  # a classic script's top-level this
        return None
    return None


def path_of_chain(chain: Chain, aliases: dict[str, str], shadowed: AbstractSet[str]) -> str | None:
    """The global path of a member chain, given the file's aliases and shadowed names."""
    head, props = chain
    if head == THIS_WINDOW:
        first = "window"
    elif head in shadowed:
        return None
    else:
        first = aliases.get(head, head)
    dotted = ".".join((first, *props))
    while True:
        start, _, rest = dotted.partition(".")
        if start in GLOBAL_OBJECTS and rest:
            dotted = rest
            continue
        return dotted


def _inside_function(node: JsNode) -> bool:
    return any(a.type.endswith("Function") or "Function" in a.type for a in node.ancestors())


def collect_names(ctx: ScriptContext) -> None:
    """Fill ``aliases`` and ``shadowed`` from the file's declarations."""
    from kaios_lsp.parse.js.treesitter_front import TsTree

    if isinstance(ctx.tree, TsTree):
        part = name_part(ctx.tree)
        relevant = relevant_names([part])
        ctx.aliases, ctx.shadowed = resolve_names([part], [ctx.tree.binding_counts(relevant)])
        return
    tree = ctx.tree
    declared: dict[str, int] = {}
    alias_inits: dict[str, JsNode] = {}
    patterns: list[JsNode] = []
    for declarator in tree.nodes_of("VariableDeclarator"):
        target = declarator.node("id")
        name = identifier_name(target)
        if name is None:
            for bound in _pattern_names(target):
                declared[bound] = declared.get(bound, 0) + 1
            if target is not None and target.type == "ObjectPattern":
                patterns.append(declarator)
            continue
        declared[name] = declared.get(name, 0) + 1
        init = declarator.node("init")
        if init is not None and init.type in ("MemberExpression", "Identifier"):
            alias_inits[name] = init
    for function in tree.nodes_of(
        "FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"
    ):
        own = identifier_name(function.node("id"))
        if own is not None and function.type == "FunctionDeclaration":
            declared[own] = declared.get(own, 0) + 1
        for param in function.nodes("params"):
            for name in _pattern_names(param):
                declared[name] = declared.get(name, 0) + 2  # a parameter is never an alias
    for catch in tree.nodes_of("CatchClause"):
        for name in _pattern_names(catch.node("param")):
            declared[name] = declared.get(name, 0) + 2
    for klass in tree.nodes_of("ClassDeclaration"):
        own = identifier_name(klass.node("id"))
        if own is not None:
            declared[own] = declared.get(own, 0) + 2
    assigned = {
        identifier_name(a.node("left"))
        for a in tree.nodes_of("AssignmentExpression")
        if identifier_name(a.node("left")) is not None
    }
    # resolve aliases in declaration order, so `var n = navigator, g = n.geolocation` works
    for name, init in sorted(alias_inits.items(), key=lambda item: item[1].start):
        if declared.get(name) != 1 or name in assigned:
            continue
        path = global_path(init, ctx)
        if path and path.split(".")[0] in KNOWN_GLOBALS:
            ctx.aliases[name] = path
    destructured = [_pattern_fact(d) for d in sorted(patterns, key=lambda d: d.start)]
    _destructured_aliases(ctx.aliases, destructured, declared, assigned)
    ctx.shadowed = {n for n in KNOWN_GLOBALS if n in declared and n not in ctx.aliases}


# (owner chain, (property name, bound name) pairs, every name the pattern binds)
PatternFact = tuple[Chain | None, tuple[tuple[str, str], ...], tuple[str, ...]]


@dataclass(frozen=True)
class NamePart:
    """What one region of a script declares that can alias or shadow a global, as plain
    data (the file's names are resolved from the parts of all its regions, in order)."""

    candidates: tuple[tuple[str, str, Chain | None], ...]  # var name = init: (name, head, init)
    patterns: tuple[PatternFact, ...]  # var { a, b: c } = init


_LEADING_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def name_part(tree: TsTree) -> NamePart:
    """The declarations of one tree (or view of a region) that matter for names, read
    with tree-sitter queries: a big file has thousands of others."""
    candidates = []
    for name, init, declarator in sorted(tree.alias_candidates(), key=lambda c: c[2].start):
        leading = _LEADING_NAME.match(init)
        head = leading.group() if leading else ""
        candidates.append((name, head, member_chain(declarator.node("init"))))
    patterns = sorted(tree.pattern_declarators(), key=lambda d: d.start)
    return NamePart(tuple(candidates), tuple(_pattern_fact(d) for d in patterns))


def relevant_names(parts: list[NamePart]) -> frozenset[str]:
    """Known globals, names that may alias one (``var n = navigator, g = n.geolocation``:
    aliases of aliases) and names bound by destructuring: whose bindings are counted."""
    relevant = set(KNOWN_GLOBALS)
    candidates = [c for part in parts for c in part.candidates]
    changed = True
    while changed:
        changed = False
        for name, head, _chain in candidates:
            if head in relevant and name not in relevant:
                relevant.add(name)
                changed = True
    for part in parts:
        for _owner, _pairs, bound in part.patterns:
            relevant.update(bound)
    return frozenset(relevant)


def resolve_names(
    parts: list[NamePart], counts: list[tuple[dict[str, int], set[str]]]
) -> tuple[dict[str, str], set[str]]:
    """(aliases, shadowed) of a file from its regions' parts, in order, and the binding
    counts (declared, assigned) of the relevant names in each region."""
    relevant = relevant_names(parts)
    declared: dict[str, int] = {}
    assigned: set[str] = set()
    for region_declared, region_assigned in counts:
        for name, count in region_declared.items():
            declared[name] = declared.get(name, 0) + count
        assigned |= region_assigned
    for part in parts:
        for _owner, _pairs, bound in part.patterns:
            for name in bound:
                declared[name] = declared.get(name, 0) + 1
    aliases: dict[str, str] = {}
    for part in parts:
        for name, head, chain in part.candidates:
            if head not in relevant or declared.get(name) != 1 or name in assigned:
                continue
            path = path_of_chain(chain, aliases, frozenset()) if chain is not None else None
            if path and path.split(".")[0] in KNOWN_GLOBALS:
                aliases[name] = path
    _destructured_aliases(aliases, [p for part in parts for p in part.patterns], declared, assigned)
    shadowed = {n for n in KNOWN_GLOBALS if n in declared and n not in aliases}
    return aliases, shadowed


def _pattern_fact(declarator: JsNode) -> PatternFact:
    """``var { geolocation: geo, storage = null } = navigator`` as data."""
    target = declarator.node("id")
    pairs: list[tuple[str, str]] = []
    for prop in target.nodes("properties") if target is not None else ():
        if prop.type == "Property" and not prop.get("computed"):
            key = prop.node("key")
            key_name = identifier_name(key) or string_value(key)
            value = prop.node("value")
        elif prop.type in ("Identifier", "AssignmentPattern"):  # tree-sitter's `{ a }`
            value = prop
            key_name = identifier_name(prop.node("left") if prop.node("left") else prop)
        else:
            continue
        if value is not None and value.type == "AssignmentPattern":
            value = value.node("left")
        name = identifier_name(value)
        if key_name is not None and name is not None:
            pairs.append((key_name, name))
    return member_chain(declarator.node("init")), tuple(pairs), tuple(_pattern_names(target))


def _destructured_aliases(
    aliases: dict[str, str],
    patterns: list[PatternFact],
    declared: dict[str, int],
    assigned: AbstractSet[str | None],
) -> None:
    """``const { serviceWorker } = navigator`` / ``var { geolocation: geo } = navigator``:
    each name bound once and never assigned aliases the global's property (a default,
    ``{ storage = null }``, still aliases it: the default only applies when it is missing)."""
    for owner_chain, pairs, _bound in patterns:
        owner = path_of_chain(owner_chain, aliases, frozenset()) if owner_chain else None
        if not owner or owner.split(".")[0] not in KNOWN_GLOBALS:
            continue
        for key_name, name in pairs:
            if declared.get(name) != 1 or name in assigned:
                continue
            aliases[name] = f"{owner}.{key_name}" if owner not in GLOBAL_OBJECTS else key_name


def _pattern_names(node: JsNode | None) -> list[str]:
    if node is None:
        return []
    seen: dict[tuple[int, int], str] = {}  # a shorthand `{ a }` has a key and a value `a`
    for n in node.walk():
        if n.type == "Identifier" and _binds(n):
            seen.setdefault((n.start, n.end), n.get("name"))  # type: ignore[arg-type]  # an Identifier's name is a str
    return list(seen.values())


def _binds(identifier: JsNode) -> bool:
    """An identifier inside a pattern that binds a name (not a property key or default)."""
    parent = identifier.parent
    if parent is None:
        return True
    if (
        parent.type == "Property"
        and parent.node("key") is identifier
        and not parent.get("shorthand")
    ):
        return False
    if parent.type == "AssignmentPattern" and parent.node("right") is identifier:
        return False
    return parent.type not in ("MemberExpression", "CallExpression")


KNOWN_GLOBALS = frozenset(
    {
        "navigator",
        "window",
        "self",
        "globalThis",
        "document",
        "crypto",
        "caches",
        "Notification",
        "XMLHttpRequest",
        "WebSocket",
        "EventSource",
        "fetch",
        "eval",
        "Function",
        "setTimeout",
        "setInterval",
        "setImmediate",
        "execScript",
        "importScripts",
        "MozActivity",
        "UDPSocket",
        "MozSpeakerManager",
        "PushManager",
        "isSecureContext",
        "location",
        "top",
        "parent",
    }
)


_GIVEN_A_STRING = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*=\s*['\"`]")


def constant_string(ctx: ScriptContext, node: JsNode | None) -> str | None:
    """The value when ``node`` names a variable the file declares exactly once
    (``var``/``let``/``const``) with a string literal or a ``+`` of string literals and never
    assigns again: ``var code = 'tick()'``. ``None`` for anything less certain (a parameter
    or a second declaration of the name anywhere in the file, an assignment, ``+=``)."""
    name = identifier_name(node)
    if name is None or name in ctx.shadowed:
        return None
    # a cheap look first: most timer arguments are functions, and indexing every binding
    # of a big file costs a walk of its tree
    if name not in file_fact(ctx, "string-names", _string_names, _union):
        return None
    return file_fact(ctx, "constant:" + name, partial(_constant_part, name), _constant)


def region_text(ctx: ScriptContext) -> str:
    """The text of the script, or of the region a view of it judges."""
    scope = getattr(ctx.tree, "scope_text", None)
    return scope if isinstance(scope, str) else ctx.text


def _string_names(ctx: ScriptContext) -> frozenset[str]:
    return frozenset(_GIVEN_A_STRING.findall(region_text(ctx)))


def _union(parts: list[frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*parts)


# (values of its simple declarations, bound any other way, assigned to)
_ConstantPart = tuple[tuple[str | None, ...], bool, bool]


def _constant_part(name: str, ctx: ScriptContext) -> _ConstantPart:
    try:
        bindings = _binding_index(ctx)
    except RecursionError:  # thousands of nested parentheses: not worth knowing
        ctx.cache["bindings"] = {"declarators": {}, "other": set(), "assigned": set()}
        return (), True, False
    values = tuple(
        literal_concatenation(d.node("init")) for d in bindings["declarators"].get(name, [])
    )
    return values, name in bindings["other"], name in bindings["assigned"]


def _constant(parts: list[_ConstantPart]) -> str | None:
    values = [v for part in parts for v in part[0]]
    if len(values) != 1 or any(part[1] or part[2] for part in parts):
        return None
    return values[0]


def literal_concatenation(node: JsNode | None) -> str | None:
    """The value of ``'a'``, `` `a` `` or ``'a' + 'b' + ...`` (string literals only)."""
    parts: list[str] = []
    stack = [node]  # iterative: a minified file may chain thousands of `+`
    while stack:
        current = stack.pop()
        if current is None:
            return None
        if current.type == "BinaryExpression" and current.get("operator") == "+":
            stack.append(current.node("right"))
            stack.append(current.node("left"))
            continue
        value = string_value(current)
        if value is None:
            return None
        parts.append(value)
    return "".join(parts)


class _Bindings(TypedDict):
    declarators: dict[str, list[JsNode]]  # simple `var x = ...` declarators by name
    other: set[str]  # names bound any other way
    assigned: set[str]  # names assigned to


def _binding_index(ctx: ScriptContext) -> _Bindings:
    """Per script, once: simple ``var x = ...`` declarators by name, names bound any other
    way (parameters, functions, classes, catch, destructuring) and names assigned to."""
    cached = ctx.cache.get("bindings")
    if cached is not None:
        return cached  # type: ignore[return-value]  # the _Bindings stored below
    tree = ctx.tree
    declarators: dict[str, list[JsNode]] = {}
    other: set[str] = set()
    assigned: set[str] = set()
    for declarator in tree.nodes_of("VariableDeclarator"):
        target = declarator.node("id")
        name = identifier_name(target)
        if name is not None:
            declarators.setdefault(name, []).append(declarator)
        else:
            other.update(_pattern_names(target))
    for function in tree.nodes_of(
        "FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"
    ):
        own = identifier_name(function.node("id"))
        if own is not None:
            other.add(own)
        for param in function.nodes("params"):
            other.update(_pattern_names(param))
    for catch in tree.nodes_of("CatchClause"):
        other.update(_pattern_names(catch.node("param")))
    for klass in tree.nodes_of("ClassDeclaration"):
        own = identifier_name(klass.node("id"))
        if own is not None:
            other.add(own)
    for assignment in tree.nodes_of("AssignmentExpression"):
        left = assignment.node("left")
        if left is not None and left.type != "MemberExpression":
            assigned.update(_pattern_names(left))
    for update in tree.nodes_of("UpdateExpression"):
        name = identifier_name(update.node("argument"))
        if name is not None:
            assigned.add(name)
    for loop in tree.nodes_of("ForInStatement", "ForOfStatement"):
        name = identifier_name(loop.node("left"))
        if name is not None:
            assigned.add(name)
    index: _Bindings = {"declarators": declarators, "other": other, "assigned": assigned}
    ctx.cache["bindings"] = index
    return index
