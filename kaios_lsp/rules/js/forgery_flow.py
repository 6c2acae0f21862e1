"""Where data another app chose reaches an action of this app (KAI412's analysis).

Intra-file and deliberately small: a *region* is the code that receives the input (the
activity / system-message / message handler, or the function around a read of the
page's URL); names and ``a.b`` chains assigned from the input inside the region are
tainted (flow-insensitive), the taint follows string building, method calls on tainted
values, object and array literals, and the arguments of direct calls of functions defined
in the same file, one level deep.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kaios_lsp.facts import sensitive_apis as apis
from kaios_lsp.parse.js.tree import (
    FUNCTION_TYPES,
    JsNode,
    identifier_name,
    property_name,
    string_value,
)
from kaios_lsp.rules.js.context import ScriptContext, file_fact
from kaios_lsp.rules.js.forgery_decisions import DECISION, decided
from kaios_lsp.rules.js.forgery_sources import regions
from kaios_lsp.rules.js.forgery_taint import (
    ACTIVITY,
    MESSAGE,
    PART,
    SPLIT,
    SYSTEM_MESSAGE,
    URL,
    WHOLE,
    Taint,
    chain_key,
    member_taint,
    method_taint,
)
from kaios_lsp.rules.js.uses import call_of, members_reading, uses_of

DESCRIPTION = {
    ACTIVITY: "the activity request's data",
    SYSTEM_MESSAGE: "the activity request's data (system message)",
    URL: "parameters of the page's URL",
    MESSAGE: "a message from another window",
}
SOURCE_WORDS = (
    "mozSetMessageHandler",
    "systemmessage",
    "location",
    "document.URL",
    "documentURI",
    "URLSearchParams",
    "'message'",
    '"message"',
    "onmessage",
)
SINK_WORDS = (
    "fetch",
    "XMLHttpRequest",
    "sendBeacon",
    "submit",
    "mozMobileMessage",
    "mobileMessageManager",
    "elephony",
    "mozContacts",
    "getDeviceStorage",
    "mozAlarms",
    "alarmManager",
    "createLock",
    "mozApps",
    "mozPay",
    "location.href",
    "location.assign",
    "location.replace",
    "location =",
    "location=",
    "open(",
)
_EXPRESSIONS_TRANSPARENT = ("AwaitExpression", "SpreadElement", "ChainExpression")

_DATA = (PART,)
_GLOBAL_ROOTS = frozenset(
    {"location", "window", "self", "document", "navigator", "globalThis", "top", "parent"}
)


@dataclass
class Flow:
    """One action reached by input of another app."""

    sink: JsNode  # what the finding marks: the callee, or the assignment
    action: str  # "sends an SMS"
    source_kind: str  # "activity", "system-message", "url", "message"
    confirmed: bool  # a user decision gates it
    fixed_values: bool  # the input only selects among fixed values
    source: JsNode | None = None  # the expression the input is read from
    steps: tuple[JsNode, ...] = ()  # assignments and calls on the way
    call: JsNode | None = None  # the call or assignment that acts
    navigation: bool = False
    key_input: JsNode | None = None  # the argument built from the input
    call_site: JsNode | None = None  # the call of the function the sink is in (one level)
    reference: str = ""  # where the fact about the sink comes from


@dataclass
class _Sink:
    node: JsNode
    report: JsNode
    action: str
    data: list[JsNode]
    navigation: bool
    reference: str


def looks_relevant(text: str) -> bool:
    return any(w in text for w in SOURCE_WORDS) and any(w in text for w in SINK_WORDS)


def sensitive_flows(ctx: ScriptContext) -> list[Flow]:
    """Every sensitive action of the script that input of another app reaches."""
    if not looks_relevant(ctx.text):
        return []
    analysis = _Analysis(ctx)
    try:
        for region, seed, kind in regions(ctx, analysis.function_value, analysis.url_sources):
            analysis.run(region, seed, kind)
    except RecursionError:  # thousands of nested expressions: not worth knowing
        return []
    return sorted(analysis.flows.values(), key=lambda f: f.sink.start)


# -- the analysis --------------------------------------------------------------------------


@dataclass
class _Analysis:
    ctx: ScriptContext
    url_sources: dict[tuple[int, int], JsNode] = field(default_factory=dict)
    flows: dict[tuple[int, int], Flow] = field(default_factory=dict)
    _functions: dict[str, JsNode | None] | None = None
    _handles: dict[str, str] | None = None  # variable -> factory path / "xhr"
    _xhr_writes: dict[str, list[JsNode]] | None = None  # xhr variable -> open() args

    # names ---------------------------------------------------------------------------

    def function_named(self, name: str) -> JsNode | None:
        """The function the file declares under this name, once (``function f() {}`` or
        ``var f = function () {}``): the names are a fact of the whole file, and only
        that declaration is looked at (see rules/js/incremental.py)."""
        if self._functions is None:
            self._functions = {}
        if name not in self._functions:
            counts = file_fact(self.ctx, "function declarations", _function_names, _counted)
            found = None
            if counts.get(name) == 1:
                for declaration in self.ctx.tree.declarations_named(name):
                    if declaration.type == "FunctionDeclaration":
                        found = declaration
                    else:
                        init = declaration.node("init")
                        found = init if init is not None and init.type in FUNCTION_TYPES else None
                    if found is not None:
                        break
            self._functions[name] = found
        return self._functions[name]

    def function_value(self, node: JsNode | None) -> JsNode | None:
        if node is None:
            return None
        if node.type in FUNCTION_TYPES:
            return node
        name = identifier_name(node)
        return self.function_named(name) if name else None

    def handles(self) -> dict[str, str]:
        """Variables holding a DeviceStorage, a settings lock or an XMLHttpRequest."""
        if self._handles is None:
            self._handles = {}
            for node, path in uses_of(self.ctx, (*apis.factory_paths(), apis.XHR)):
                call = call_of(node)
                parent = call.parent if call is not None else None
                if parent is not None and parent.type == "VariableDeclarator":
                    name = identifier_name(parent.node("id"))
                    if name:
                        self._handles[name] = path
        return self._handles

    def xhr_opens(self, name: str) -> list[JsNode] | None:
        """The arguments of ``name.open(...)`` with a writing method, ``None`` if none."""
        if self._xhr_writes is None:
            self._xhr_writes = {}
            xhrs = {n for n, p in self.handles().items() if p == apis.XHR}
            if xhrs:
                for callee in members_reading(self.ctx, "open"):
                    call = callee.parent
                    if call is None or call.type != "CallExpression":
                        continue
                    if call.node("callee") is not callee:
                        continue
                    owner = identifier_name(callee.node("object"))
                    args = call.nodes("arguments")
                    method = string_value(args[0]) if args else None
                    if owner in xhrs and method and method.upper() in apis.XHR_WRITE_METHODS:
                        self._xhr_writes.setdefault(owner, []).extend(args[1:])
        return self._xhr_writes.get(name)

    # one region ------------------------------------------------------------------------

    def run(
        self,
        region: JsNode,
        seed: Taint | None,
        kind: str,
        depth: int = 0,
        call_site: JsNode | None = None,
        seeds: dict[str, Taint] | None = None,
    ) -> None:
        env: dict[str, Taint] = dict(seeds or {})
        if seed is not None and region.type in FUNCTION_TYPES:
            params = region.nodes("params")
            if params:
                self._bind(params[0], seed, env)
        nodes = list(region.walk())
        for _ in range(2):  # names assigned from names assigned later: a second pass
            for node in nodes:
                self._assign(node, env)
        origin_reads = self._origin_reads(region, env) if kind == MESSAGE else []
        for node in nodes:
            sink = self._sink(node, env)
            if sink is not None:
                self._judge(sink, env, region, kind, origin_reads, call_site)
            elif depth == 0 and node.type == "CallExpression":
                self._follow_call(node, env, kind)

    def _bind(self, target: JsNode | None, taint: Taint, env: dict[str, Taint]) -> None:
        if target is None:
            return
        name = identifier_name(target)
        if name is not None:
            env[name] = taint
        elif target.type == "AssignmentPattern":
            self._bind(target.node("left"), taint, env)
        elif target.type == "ObjectPattern":
            for prop in target.nodes("properties"):
                if prop.type == "Property":
                    key = prop.node("key")
                    key_name = identifier_name(key) or string_value(key)
                    inner = member_taint(taint, key_name, prop) if key_name else None
                    if inner is not None:
                        self._bind(prop.node("value"), inner, env)
                elif prop.type in ("Identifier", "AssignmentPattern"):  # tree-sitter `{ a }`
                    bound = prop.node("left") if prop.type == "AssignmentPattern" else prop
                    inner = member_taint(taint, identifier_name(bound) or "", prop)
                    if inner is not None:
                        self._bind(bound, inner, env)
        elif target.type == "ArrayPattern" and taint.state in _DATA:
            for element in target.nodes("elements"):
                self._bind(element, taint, env)

    def _assign(self, node: JsNode, env: dict[str, Taint]) -> None:
        if node.type == "VariableDeclarator":
            taint = self.taint(node.node("init"), env)
            if taint is not None:
                self._bind(node.node("id"), taint.via(node), env)
        elif node.type == "AssignmentExpression" and node.get("operator") in (
            "=",
            "+=",
            "||=",
            "??=",
        ):
            taint = self.taint(node.node("right"), env)
            left = node.node("left")
            if taint is None or left is None:
                return
            key = chain_key(left)
            if key is not None:
                if key.split(".")[0] not in _GLOBAL_ROOTS:  # location.href = x navigates
                    env[key] = taint.via(node)
            else:
                self._bind(left, taint.via(node), env)

    def taint(self, node: JsNode | None, env: dict[str, Taint]) -> Taint | None:
        """What input of another app this expression carries (containers included)."""
        if node is None:
            return None
        kind = node.type
        if kind in _EXPRESSIONS_TRANSPARENT:
            return self.taint(node.node("argument") or node.node("expression"), env)
        source = self.url_sources.get((node.start, node.end))
        if source is not None and kind in ("Identifier", "MemberExpression"):
            return Taint(URL, WHOLE, node)
        if kind == "Identifier":
            return env.get(identifier_name(node) or "")
        if kind == "MemberExpression":
            key = chain_key(node)
            if key is not None and key in env:
                return env[key]
            inner = self.taint(node.node("object"), env)
            if inner is None:
                return None
            if node.get("computed") and property_name(node) is None:
                subscript = node.node("property")
                value = subscript.get("value") if subscript is not None else None
                if inner.state == SPLIT:
                    return inner.to(WHOLE if value == 0 else PART)
                return inner if inner.state in _DATA else None
            return member_taint(inner, property_name(node) or "", node)
        if kind in ("CallExpression", "NewExpression"):
            return self._call_taint(node, env)
        if kind == "BinaryExpression":
            if node.get("operator") != "+":
                return None
            left = self.taint(node.node("left"), env)
            if left is not None and left.state in (PART, WHOLE):
                return left
            right = self.taint(node.node("right"), env)
            return right.to(PART) if right is not None and right.state in (PART, WHOLE) else None
        if kind == "TemplateLiteral":
            for index, expression in enumerate(node.nodes("expressions")):
                found = self.taint(expression, env)
                if found is not None and found.state in (PART, WHOLE):
                    quasis = node.nodes("quasis")
                    leading = quasis[0].get("cooked") if quasis else ""
                    return found if index == 0 and not leading else found.to(PART)
            return None
        if kind == "LogicalExpression":
            return self.taint(node.node("left"), env) or self.taint(node.node("right"), env)
        if kind == "ConditionalExpression":
            return self.taint(node.node("consequent"), env) or self.taint(
                node.node("alternate"), env
            )
        if kind == "AssignmentExpression":
            return self.taint(node.node("right"), env)
        if kind == "SequenceExpression":
            expressions = node.nodes("expressions")
            return self.taint(expressions[-1], env) if expressions else None
        if kind == "UnaryExpression":
            return (
                self.taint(node.node("argument"), env)
                if node.get("operator") in ("-", "+")
                else None
            )
        if kind == "ObjectExpression":
            for prop in node.nodes("properties"):
                if prop.type == "Property":
                    found = self.taint(prop.node("value"), env)
                elif prop.type == "SpreadElement":
                    found = self.taint(prop.node("argument"), env)
                else:
                    found = self.taint(prop, env)
                if found is not None and found.state == PART:
                    return found
            return None
        if kind == "ArrayExpression":
            for element in node.nodes("elements"):
                found = self.taint(element, env)
                if found is not None and found.state == PART:
                    return found
            return None
        return None

    def _call_taint(self, node: JsNode, env: dict[str, Taint]) -> Taint | None:
        callee = node.node("callee")
        if callee is None:
            return None
        name = identifier_name(callee)
        if callee.type == "MemberExpression":
            owner = self.taint(callee.node("object"), env)
            method = property_name(callee) or ""
            if owner is not None:
                return method_taint(owner, method, node)
            name = method
        if name and DECISION.search(name):
            return None  # the answer of a dialog is the user's
        for argument in node.nodes("arguments"):
            found = self.taint(argument, env)
            if found is not None and found.state in (PART, WHOLE):
                return found  # encodeURIComponent(x), new URL(x), format(x)...
        return None

    # sinks -----------------------------------------------------------------------------

    def _sink(self, node: JsNode, env: dict[str, Taint]) -> _Sink | None:
        ctx = self.ctx
        if node.type == "AssignmentExpression":
            left = node.node("left")
            if node.get("operator") == "=" and ctx.path_of(left) in apis.NAVIGATION_TARGETS:
                right = node.node("right")
                return _Sink(
                    node,
                    node,
                    apis.NAVIGATION_ACTION,
                    [right] if right else [],
                    True,
                    apis.NAVIGATION_SOURCE,
                )
            return None
        if node.type != "CallExpression":
            return None
        callee = node.node("callee")
        if callee is None:
            return None
        args = node.nodes("arguments")
        path = ctx.path_of(callee)
        if path is not None:
            for call in apis.CALLS:
                if call.path == path:
                    return _Sink(node, callee, call.action, args, False, call.source)
            if path in apis.NAVIGATION_CALLS:
                return _Sink(
                    node, callee, apis.NAVIGATION_ACTION, args[:1], True, apis.NAVIGATION_SOURCE
                )
            if path == apis.FETCH:
                return self._fetch(node, callee, args)
        if callee.type != "MemberExpression":
            return None
        method = property_name(callee) or ""
        owner = callee.node("object")
        factory = self._factory_of(owner)
        if factory is not None:
            for entry in apis.METHODS:
                if entry.factory == factory and entry.method == method:
                    return _Sink(node, callee, entry.action, args, False, entry.source)
        name = identifier_name(owner)
        if method == "send" and name is not None and self.handles().get(name) == apis.XHR:
            opened = self.xhr_opens(name)
            if opened is not None:
                return _Sink(
                    node, callee, apis.XHR_ACTION, [*args, *opened], False, apis.XHR_SOURCE
                )
        if method == "submit" and not args:
            fields = [env_key for env_key in env if env_key.endswith((".value", ".action"))]
            if fields and name is not None:
                return _Sink(node, callee, apis.FORM_ACTION, [], False, apis.FORM_SOURCE)
        return None

    def _factory_of(self, owner: JsNode | None) -> str | None:
        if owner is None:
            return None
        name = identifier_name(owner)
        if name is not None:
            return self.handles().get(name)
        if owner.type == "CallExpression":
            return self.ctx.path_of(owner.node("callee"))
        return None

    def _fetch(self, node: JsNode, callee: JsNode, args: list[JsNode]) -> _Sink | None:
        if len(args) < 2 or args[1].type != "ObjectExpression":
            return None
        writes = False
        for prop in args[1].nodes("properties"):
            key = prop.node("key")
            key_name = identifier_name(key) or string_value(key)
            if key_name == "body":
                writes = True
            elif key_name == "method":
                method = string_value(prop.node("value"))
                if method is None or method.upper() not in apis.READ_METHODS:
                    writes = True
        if not writes:
            return None
        return _Sink(node, callee, apis.FETCH_ACTION, args, False, apis.FETCH_SOURCE)

    def _judge(
        self,
        sink: _Sink,
        env: dict[str, Taint],
        region: JsNode,
        kind: str,
        origin_reads: list[JsNode],
        call_site: JsNode | None,
    ) -> None:
        data: Taint | None = None
        key_input: JsNode | None = None
        for argument in sink.data:
            found = self.taint(argument, env)
            if found is not None and found.state == PART:
                data, key_input = found, _key_input(argument, env, self)
                break
        if sink.action == apis.FORM_ACTION:
            data = next(
                (
                    t
                    for k, t in env.items()
                    if k.endswith((".value", ".action")) and t.state == PART
                ),
                None,
            )
        fixed = False
        if data is None:
            if sink.navigation:
                return  # routing among the app's own pages
            data = self._gating_input(sink.node, region, env)
            if data is None:
                return
            fixed = True
        if kind == MESSAGE and any(read.start < sink.node.start for read in origin_reads):
            return  # the handler checks who sent the message
        confirmed = decided(sink.node, self.ctx, sink.navigation) or (
            call_site is not None and decided(call_site, self.ctx, sink.navigation)
        )
        flow = Flow(
            sink.report,
            sink.action,
            data.kind,
            confirmed,
            fixed,
            data.source,
            data.steps,
            sink.node,
            sink.navigation,
            key_input,
            call_site,
            sink.reference,
        )
        key = (sink.report.start, sink.report.end)
        old = self.flows.get(key)
        if old is None or _worse(flow, old):
            self.flows[key] = flow

    def _gating_input(self, node: JsNode, region: JsNode, env: dict[str, Taint]) -> Taint | None:
        child = node
        for ancestor in node.ancestors():
            test = None
            if ancestor.type in (
                "IfStatement",
                "ConditionalExpression",
            ) and child is not ancestor.node("test"):
                test = ancestor.node("test")
            elif ancestor.type == "SwitchStatement":
                test = ancestor.node("discriminant")
            elif ancestor.type == "LogicalExpression" and child is ancestor.node("right"):
                test = ancestor.node("left")
            if test is not None:
                for part in test.walk():
                    found = (
                        self.taint(part, env)
                        if part.type in ("Identifier", "MemberExpression")
                        else None
                    )
                    if found is not None and found.state == PART:
                        return found
            if ancestor is region:
                return None
            child = ancestor
        return None

    def _origin_reads(self, region: JsNode, env: dict[str, Taint]) -> list[JsNode]:
        return [
            n
            for n in region.walk()
            if n.type == "MemberExpression"
            and property_name(n) == "origin"
            and (t := self.taint(n.node("object"), env)) is not None
            and t.state == "event"
        ]

    def _follow_call(self, call: JsNode, env: dict[str, Taint], kind: str) -> None:
        """``transfer(data.to, data.amount)`` with ``function transfer(to, amount)`` in the
        file: its body is judged with the parameters tainted (one level)."""
        name = identifier_name(call.node("callee"))
        if name is None:
            return
        args = call.nodes("arguments")
        taints = [self.taint(a, env) for a in args]
        if not any(t is not None for t in taints):
            return
        function = self.function_named(name)
        if function is None or function.start <= call.start < function.end:
            return
        seeds: dict[str, Taint] = {}
        for param, taint in zip(function.nodes("params"), taints, strict=False):
            if taint is not None:
                self._bind(param, taint.via(call), seeds)
        if seeds:
            self.run(function, None, kind, depth=1, call_site=call, seeds=seeds)


def _worse(new: Flow, old: Flow) -> bool:
    return (not new.confirmed, not new.fixed_values) > (not old.confirmed, not old.fixed_values)


def _key_input(argument: JsNode, env: dict[str, Taint], analysis: _Analysis) -> JsNode | None:
    """The simplest tainted part of an argument (a name or member chain) for messages."""
    for node in argument.walk():
        if node.type in ("Identifier", "MemberExpression") and (
            chain_key(node) or identifier_name(node)
        ):
            found = analysis.taint(node, env)
            if found is not None and found.state == PART:
                return node
    return None


def _function_names(ctx: ScriptContext) -> dict[str, int]:
    """How often each name is declared as a function (``function f`` or ``var f = ...``
    with a function value) in a script or region."""
    counts: dict[str, int] = {}
    for function in ctx.tree.nodes_of("FunctionDeclaration"):
        name = identifier_name(function.node("id"))
        if name:
            counts[name] = counts.get(name, 0) + 1
    for declarator in ctx.tree.nodes_of("VariableDeclarator"):
        init = declarator.node("init")
        name = identifier_name(declarator.node("id"))
        if name and init is not None and init.type in FUNCTION_TYPES:
            counts[name] = counts.get(name, 0) + 1
    return counts


def _counted(parts: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for part in parts:
        for name, count in part.items():
            total[name] = total.get(name, 0) + count
    return total
