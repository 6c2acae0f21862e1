"""KAI402: eval, new Function and string timers under a policy without 'unsafe-eval'.

Privileged and certified packaged apps (and 3.0 packaged apps) run under a script-src
without 'unsafe-eval': these calls throw an EvalError. Minified and vendor code is checked
too: a shipped ``new Function`` in a library is a real violation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.csp import blocking_policy, eval_allowed
from kaios_lsp.parse.js.parse import parse_script
from kaios_lsp.parse.js.tree import JsNode, is_string_like, string_value
from kaios_lsp.rules.js.context import ScriptContext, constant_string, literal_concatenation
from kaios_lsp.rules.js.guards import (
    catch_is_empty,
    catch_rethrows,
    enclosing_try_handler,
    in_catch_clause,
)
from kaios_lsp.rules.js.uses import uses_of
from kaios_lsp.rules.meta import Rule

EVAL = "KAI402"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI402",
        name="eval-blocked",
        title="eval, new Function or a string timer under a policy without 'unsafe-eval'",
        severity=Severity.ERROR,
        category="JavaScript",
        explanation="Privileged and certified packaged apps (and KaiOS 3.0 packaged apps) run under a script-src without "
        "'unsafe-eval': eval(), new Function(), Function() and setTimeout/setInterval/setImmediate with a "
        "string throw an EvalError (timers silently do nothing). Checked in minified and vendor code too. "
        "Inside a try whose catch handles the EvalError (returns, assigns a fallback; not one that "
        "rethrows, nor an empty one while the result is used) eval/new Function is a feature probe "
        "(AngularJS's CSP detection, promise polyfills): a hint. "
        "A string timer whose string sits in a variable (var code = 'tick()'; setTimeout(code, 10)) is "
        "found when the variable is declared once with a string literal (or a + of literals) and never "
        "assigned again; other variables are left alone (they may hold a function).",
        bad='setTimeout("tick()", 1000);',
        good="setTimeout(tick, 1000);",
        fixable=True,
        example_file="app.js",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="A timer whose one-line code is known (a literal, or a variable holding one) gets a "
        "function: setTimeout(function () { tick(); }, 10). eval(text) can become JSON.parse(text), and "
        "eval('(' + text + ')') JSON.parse(text) (a choice, never applied by --fix: JSON.parse only reads "
        "strict JSON); not offered when the argument is known code (a literal that is not JSON, "
        "'return ' + x). new Function(...) and built timer strings have no mechanical fix: the code is "
        "made at run time, and only the developer knows which function it should have been.",
    ),
)

TIMERS = ("setTimeout", "setInterval", "setImmediate", "execScript")


def eval_policy(ctx: ScriptContext) -> str | None:
    """Who blocks eval here (words for a message), or ``None``."""
    policies = list(ctx.app.policies) if ctx.app else []
    policies += ctx.extra_policies
    return blocking_policy(policies, "script-src", eval_allowed)


def eval_rule(ctx: ScriptContext) -> Iterator[Finding]:
    label = eval_policy(ctx)
    if label is None:
        return
    for callee, path in uses_of(ctx, ("eval", "Function", *TIMERS)):
        call = callee.parent
        if call is None or call.type not in ("CallExpression", "NewExpression"):
            continue
        if call.node("callee") is not callee:
            continue
        args = call.nodes("arguments")
        if path == "eval" and call.type == "CallExpression":
            yield _throwing_call(call, "eval()", label, _eval_fixes(ctx, call, args))
        elif path == "Function":
            what = "new Function()" if call.type == "NewExpression" else "Function()"
            yield _throwing_call(call, what, label, ())
        elif path in TIMERS and args and is_string_like(args[0]):
            yield _finding(
                call,
                f"{path}() with a string is blocked by {label}: the string is never run. Pass a function.",
                _timer_fixes(ctx, path, call, args, string_value(args[0])),
            )
        elif path in TIMERS and args and args[0].type == "Identifier":
            held = constant_string(ctx, args[0])
            if held is None:
                continue  # a function, or a value the file does not show: leave it alone
            name = args[0].get("name")
            yield _finding(
                call,
                f"{path}() with a string (the variable {name} holds it) is blocked by {label}: "
                "the string is never run. Pass a function.",
                _timer_fixes(ctx, path, call, args, held),
            )


def _finding(call: JsNode, message: str, fixes: tuple[Fix, ...]) -> Finding:
    return Finding(EVAL, call.start, call.end, message, fixes=fixes)


def _throwing_call(call: JsNode, what: str, label: str, fixes: tuple[Fix, ...]) -> Finding:
    """eval/new Function throw an EvalError: inside a try whose catch handles that, the
    call is a feature probe (AngularJS's CSP detection ``try { new Function(''); return
    false; } catch (e) { return true; }``, promise polyfills' global lookup) and works."""
    if _handled_probe(call):
        return Finding(
            EVAL,
            call.start,
            call.end,
            f"{what} is blocked by {label}, but it sits in a try whose catch handles the "
            "EvalError: a feature probe (like AngularJS's CSP detection), which takes its "
            "fallback on the phone. Nothing to fix unless the code needs it to succeed.",
            severity=Severity.HINT,
        )
    if in_catch_clause(call):
        return Finding(
            EVAL,
            call.start,
            call.end,
            f"{what} is blocked by {label}, but it sits in a catch block: it runs only when the "
            "try block threw (a fallback, like regenerator-runtime's "
            "Function('r', 'regeneratorRuntime = r') for strict mode), and then it throws an "
            "EvalError. Check that the try block succeeds on the phone.",
            severity=Severity.HINT,
        )
    return _finding(call, f"{what} is blocked by {label}: it throws an EvalError.", fixes)


def _handled_probe(call: JsNode) -> bool:
    """A catch that rethrows passes the EvalError on; an empty one swallows it, which is
    only a probe when nothing uses the call's result (else that value silently is missing)."""
    handler = enclosing_try_handler(call)
    if handler is None or catch_rethrows(handler):
        return False
    return not catch_is_empty(handler) or not _result_used(call)


def _result_used(call: JsNode) -> bool:
    parent = call.parent
    return parent is not None and parent.type not in ("ExpressionStatement", "SequenceExpression")


def _timer_fixes(
    ctx: ScriptContext, name: str, call: JsNode, args: list[JsNode], code: str | None
) -> tuple[Fix, ...]:
    """``setTimeout("tick()", 100)`` -> ``setTimeout(function () { tick() }, 100)``; only for a
    literal string (the code is known), never for built strings. ``var code = 'tick()';
    setTimeout(code, 100)`` the same way: the argument becomes the function (the variable
    stays, unused, for the developer to remove)."""
    replacement = code_as_function(code, "")
    if replacement is None:
        return ()
    return (
        Fix.replace(
            f"Pass a function to {name}",
            args[0].start,
            args[0].end,
            replacement,
        ),
    )


def code_as_function(code: str | None, params: str) -> str | None:
    """``function (params) { code; }`` for one line of known code, or ``None`` when the
    result would not be exactly that function (a trailing ``// comment`` swallowing the
    ``}``, a ``})`` that closes it early, code that does not parse)."""
    if code is None or any(c in code for c in "\r\n\u2028\u2029"):
        return None
    inner = code.strip().rstrip(";").strip()
    text = f"function ({params}) {{ {inner}; }}" if inner else f"function ({params}) {{}}"
    try:
        parsed = parse_script("(" + text + ");")
    except Exception:
        return None
    if parsed.syntax_errors:
        return None
    body = parsed.tree.root.nodes("body")
    if len(body) != 1 or body[0].type != "ExpressionStatement":
        return None
    function = body[0].node("expression")
    if function is None or function.type != "FunctionExpression":
        return None
    if (function.start, function.end) != (1, 1 + len(text)):
        return None
    return text


def _eval_fixes(ctx: ScriptContext, call: JsNode, args: list[JsNode]) -> tuple[Fix, ...]:
    """``eval(s)`` -> ``JSON.parse(s)``: a choice for code that evaluates JSON text, never
    applied by ``--fix`` (JSON.parse rejects anything that is not strict JSON).

    Only where the text may be JSON: a literal (or a variable holding one) must parse as
    JSON; the old idiom ``eval('(' + text + ')')`` becomes ``JSON.parse(text)`` (the
    parentheses are code, JSON.parse would reject them); an argument built from literals
    and other values (``'return ' + x``, ``'f(' + x + ')'``) is code: nothing."""
    if len(args) != 1:
        return ()
    argument = args[0]
    known = literal_concatenation(argument)
    if known is None and argument.type == "Identifier":
        known = constant_string(ctx, argument)
    if known is not None:
        try:
            json.loads(known)
        except ValueError:
            return ()  # a literal that is code, not JSON
    elif is_string_like(argument):
        inner = _parenthesised(argument)
        if inner is None:
            return ()
        return (
            Fix.replace(
                "Parse it as JSON: JSON.parse(...)",
                call.start,
                call.end,
                "JSON.parse(" + ctx.text[inner.start : inner.end] + ")",
            ),
        )
    callee = call.node("callee")
    assert callee is not None
    return (
        Fix.replace("Parse it as JSON: JSON.parse(...)", callee.start, callee.end, "JSON.parse"),
    )


def _parenthesised(argument: JsNode) -> JsNode | None:
    """``x`` of ``'(' + x + ')'``."""
    if argument.type != "BinaryExpression" or argument.get("operator") != "+":
        return None
    left, right = argument.node("left"), argument.node("right")
    if string_value(right) != ")" or left is None:
        return None
    if left.type != "BinaryExpression" or left.get("operator") != "+":
        return None
    if string_value(left.node("left")) != "(":
        return None
    inner = left.node("right")
    return inner if inner is not None and not is_string_like(inner) else None


# Run on every script, vendor and minified code included: the policy breaks that code
# just the same (declaring them here registers them); and the global paths they ask about.
VENDOR_SCRIPT_CHECKS = (eval_rule,)
WATCHED_PATHS = ("eval", "Function", *TIMERS)
