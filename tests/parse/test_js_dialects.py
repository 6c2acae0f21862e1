"""Sources of projects with a build step, read as what they are: JSX (in ``.jsx`` and in
``.js`` files), TypeScript (``.ts``) and TSX (``.tsx``). No syntax error for valid code,
one at the right place for broken code, and the behaviour rules see the same calls in a
TypeScript file as in its JavaScript twin (``tests/data/js/dialects/``)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from kaios_lsp.app.context import app_context
from kaios_lsp.app.files import DiskFiles
from kaios_lsp.config import Config
from kaios_lsp.findings import Finding
from kaios_lsp.parse.js.parse import DIALECTS, dialect_for, parse_script
from kaios_lsp.parse.js.tree import identifier_name
from kaios_lsp.parse.js.treesitter_front import TsTree, parse_treesitter, ts_nodes
from kaios_lsp.parse.js.ts_grammar import GRAMMARS, compile_query
from kaios_lsp.rules.js import analyze as js_analyze
from kaios_lsp.rules.js.analyze import analyze_script
from kaios_lsp.rules.js.context import ScriptContext, collect_names, global_path, is_vendor
from kaios_lsp.rules.js.features import _PATTERNS, syntax_findings, syntax_uses
from kaios_lsp.rules.js.uses import preload
from tests.support.paths import DATA

DIALECT_DIR = DATA / "js" / "dialects"
SOURCES = (".js", ".jsx", ".ts", ".tsx")
VALID = sorted(
    p for p in DIALECT_DIR.iterdir() if p.suffix in SOURCES and not p.name.startswith("broken")
)
BROKEN = sorted(DIALECT_DIR.glob("broken_*"))
PRIVILEGED_25 = {"name": "Demo", "type": "privileged"}


def analyze_dialect(
    text: str,
    path: str | None,
    app,
    config: Config,
    files,
    *,
    module: bool = False,
    dialect: str = "js",
) -> list[Finding]:
    """What ``analyze_script`` does, with ``parse_script(dialect=...)`` (the lead wires the
    dialect into analyze.py; this shim calls the same pieces in the same order)."""
    parsed = parse_script(text, module=module, dialect=dialect)
    findings = [
        Finding(js_analyze.SYNTAX_ERROR, p.start, max(p.end, p.start), p.message)
        for p in parsed.syntax_errors
    ]
    version = js_analyze.target_version(app, config)
    ctx = ScriptContext(
        parsed.tree,
        path,
        app,
        config,
        files,
        version,
        module=module,
        vendor=is_vendor(path, text),
        extra_policies=[],
    )
    collect_names(ctx)
    preload(ctx, js_analyze.watched_paths(), ("open",))
    every_script, app_code = js_analyze.script_checks()
    for rule in every_script + app_code:
        findings.extend(rule(ctx))
    if version is not None and not parsed.build_step:
        tree = parsed.tree if isinstance(parsed.tree, TsTree) else parse_treesitter(text)
        findings.extend(syntax_findings(text, version, module=module, tree=tree))
    return findings


@pytest.fixture
def app_dir(tmp_path):
    (tmp_path / "manifest.webapp").write_text(json.dumps(PRIVILEGED_25), "utf-8")
    return tmp_path


def run(app_dir: Path, name: str, text: str, dialect: str | None = None) -> list[Finding]:
    path = str(app_dir / name)
    files, config = DiskFiles(), Config(target="2.5")
    app = app_context(path, files, config)
    return analyze_dialect(
        text, path, app, config, files, module=True, dialect=dialect or dialect_for(name) or "js"
    )


def spans(findings, text: str, rule: str | None = None) -> list[tuple[str, str]]:
    return sorted(
        ((f.rule, text[f.start : f.end]) for f in findings if rule in (None, f.rule)),
        key=lambda item: item,
    )


# -- dialect_for ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, dialect",
    [
        ("src/app.js", "js"),
        ("src/app.mjs", "js"),
        ("src/app.cjs", "js"),
        ("src/App.jsx", "jsx"),
        ("src/service.ts", "ts"),
        ("src/service.mts", "ts"),
        ("src/service.cts", "ts"),
        ("src/Thread.tsx", "tsx"),
        ("SRC\\THREAD.TSX", "tsx"),
        ("types/kaios.d.ts", None),
        ("types/kaios.d.mts", None),
        ("types/kaios.d.cts", None),
        ("README", "js"),
        (None, "js"),
    ],
)
def test_dialect_follows_the_file_suffix(path, dialect):
    assert dialect_for(path) == dialect


def test_an_unknown_dialect_is_refused():
    with pytest.raises(ValueError):
        parse_script("x;", dialect="coffee")
    with pytest.raises(ValueError):
        parse_script("x;", dialect="ts", front="esprima")


# -- valid sources: no syntax error ------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_sources_have_no_syntax_error(path):
    text = path.read_text("utf-8")
    dialect = dialect_for(path.name)
    parsed = parse_script(text, module=True, dialect=dialect)
    assert parsed.syntax_errors == []
    assert parsed.tree.front == ("tree-sitter" if dialect != "js" else parsed.tree.front)
    # every dialect is its own source; the JavaScript twin of the service is not
    assert parsed.build_step == (path.name != "contacts_service.js")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_reads_plain_javascript(dialect):
    text = (DIALECT_DIR / "contacts_service.js").read_text("utf-8")
    assert parse_script(text, module=True, dialect=dialect).syntax_errors == []


def test_jsx_in_a_js_file_needs_no_dialect(app_dir):
    """Preact's ``class=`` attributes: tree-sitter-javascript 0.25 rejects reserved words
    as attribute names, the TSX grammar's second opinion reads them."""
    text = (DIALECT_DIR / "contacts_list_preact.js").read_text("utf-8")
    parsed = parse_script(text, module=True)
    assert parsed.syntax_errors == [] and parsed.esprima_error is not None
    assert isinstance(parsed.tree, TsTree) and parsed.tree.grammar == "tsx"
    assert parsed.build_step
    # and through the unchanged entry point
    path = str(app_dir / "list.js")
    files, config = DiskFiles(), Config(target="2.5")
    app = app_context(path, files, config)
    findings = analyze_script(text, path, app, config, files, module=True)
    assert "KAI401" not in {f.rule for f in findings}
    assert ("KAI402", "eval(this.props.onCall)") in spans(findings, text)


@pytest.mark.parametrize(
    "code",
    [
        'x = <p class="a" for="b">{y}</p>;',
        "x = <Fade in={open} default={1} />;",
        "x = <><b /></>;",
        "x = <ns:tag a-b='1' {...rest} />;",
    ],
)
def test_jsx_attribute_names_may_be_reserved_words(code):
    for dialect in ("js", "jsx", "tsx"):
        assert parse_script(code, dialect=dialect).syntax_errors == [], dialect


def test_typescript_in_a_js_file_is_still_an_error():
    """The TSX second opinion is taken only when it finds no TypeScript syntax."""
    for code in ("var x: number = 1;", "var y = z as any;", "enum E { A }", "f(a!);"):
        parsed = parse_script(code, front="tree-sitter")
        assert len(parsed.syntax_errors) == 1, code
        assert parsed.tree.grammar == "javascript"


# -- broken sources: one syntax error, where the compiler reports it ----------------------------


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_sources_give_one_error_where_the_compiler_does(path):
    text = path.read_text("utf-8")
    line, column = map(int, re.match(r"// error: line (\d+) col (\d+)", text).groups())
    errors = parse_script(text, module=True, dialect=dialect_for(path.name)).syntax_errors
    assert len(errors) == 1
    start = errors[0].start
    assert text.count("\n", 0, start) + 1 == line, errors
    assert abs(start - text.rfind("\n", 0, start) - column) <= 1, errors


def test_a_mismatched_closing_tag_is_an_error():
    code = "const a = (\n  <div>\n    <p>text</p>\n  </span>\n);\n"
    for dialect in ("js", "jsx", "tsx"):
        (error,) = parse_script(code, dialect=dialect).syntax_errors
        assert code[error.start : error.end] == "</span>"
        assert "<div>" in error.message
    # on one line with the JSX esprima fails on: esprima's position is not taken
    (error,) = parse_script("const a = <div></span>;\n").syntax_errors
    assert (error.start, error.end) == (15, 22)


def test_a_typescript_error_is_reported_in_the_declaration_that_failed():
    code = (
        "export class Rows {\n"
        "  private cache = new Map<string, number>();\n"
        "  constructor(private store: Store<Row>, limit = 20 {\n"
        "    this.limit = limit;\n"
        "  }\n"
        "}\n"
    )
    (error,) = parse_script(code, dialect="ts").syntax_errors
    assert code.count("\n", 0, error.start) == 2  # the constructor's line, not the class's


# -- the ESTree view of TypeScript ---------------------------------------------------------------


def test_type_syntax_is_transparent_or_skipped():
    code = (
        "interface Api { find(q: typeof navigator.mozContacts): void }\n"
        "declare const injected: Navigator;\n"
        "type T = typeof window.eval;\n"
        "function f(this: Window, a: string, b?: number, c: number = 1, ...d: any[]): void {\n"
        "  (navigator as any).mozSetMessageHandler('alarm', (m: unknown) => m);\n"
        "  window.eval(a!);\n"
        "  return <void>g<string>(b satisfies number | undefined);\n"
        "}\n"
    )
    tree = parse_script(code, dialect="ts").tree
    (function,) = tree.nodes_of("FunctionDeclaration")
    params = function.nodes("params")
    assert [p.type for p in params] == [
        "Identifier",
        "Identifier",
        "AssignmentPattern",
        "RestElement",
    ]
    assert identifier_name(params[2].node("left")) == "c"
    assert params[2].node("right").get("value") == 1
    calls = {code[c.start : c.node("callee").end]: c for c in tree.nodes_of("CallExpression")}
    handler = calls["(navigator as any).mozSetMessageHandler"].node("callee")
    assert handler.node("object").type == "Identifier"  # `as any` and the parentheses erased
    argument = calls["window.eval"].nodes("arguments")[0]
    assert argument.type == "Identifier" and argument.parent is calls["window.eval"]
    assert calls["g"].node("callee").type == "Identifier"  # g<string>(...)
    # nothing inside a type is a program node: no `navigator.mozContacts`, no `window.eval`
    members = tree.nodes_of("MemberExpression")
    assert sorted(code[m.start : m.end] for m in members) == [
        "(navigator as any).mozSetMessageHandler",
        "window.eval",
    ]
    assert [code[m.start : m.end] for m in tree.members_named(frozenset({"mozContacts"}))] == []
    assert all(n.start >= code.index("function f") for n in tree.root.walk() if n.type != "Program")


def test_classes_keep_their_runtime_parts():
    code = (
        "@component({ tag: 'x-list' })\n"
        "export abstract class List<T> extends Base<T> implements Api {\n"
        "  private readonly items: T[] = [];\n"
        "  static count?: number;\n"
        "  constructor(private nav: Navigator, public url: string = 'http://a.example.com') {\n"
        "    super();\n"
        "  }\n"
        "  abstract render(): void;\n"
        "  @bound open(): void { fetch(this.url); }\n"
        "}\n"
        "enum Mode { Fast = 1, Slow = eval('2') }\n"
    )
    tree = parse_script(code, dialect="ts").tree
    (klass,) = tree.nodes_of("ClassDeclaration")
    assert identifier_name(klass.node("id")) == "List"
    assert identifier_name(klass.node("superClass")) == "Base"
    fields = tree.nodes_of("PropertyDefinition")
    assert [identifier_name(f.node("key")) for f in fields] == ["items", "count"]
    assert [m.node("key").get("name") for m in tree.nodes_of("MethodDefinition")] == [
        "constructor",
        "open",
    ]
    assert {code[c.start : c.end] for c in tree.nodes_of("CallExpression")} >= {
        "component({ tag: 'x-list' })",
        "fetch(this.url)",
        "eval('2')",
    }


def test_aliases_and_guards_look_the_same_as_in_javascript(app_dir):
    ts = (
        "const nav: Navigator = navigator;\n"
        "const geo = navigator.geolocation as Geolocation;\n"
        "const contacts = (navigator as any).mozContacts!;\n"
        "if ('geolocation' in navigator) {\n"
        "  nav.geolocation.getCurrentPosition((p: GeolocationPosition) => p);\n"
        "}\n"
        "geo.watchPosition((p: GeolocationPosition) => p);\n"
        "contacts.find({});\n"
    )
    js = (
        "const nav = navigator;\n"
        "const geo = navigator.geolocation;\n"
        "const contacts = navigator.mozContacts;\n"
        "if ('geolocation' in navigator) {\n"
        "  nav.geolocation.getCurrentPosition((p) => p);\n"
        "}\n"
        "geo.watchPosition((p) => p);\n"
        "contacts.find({});\n"
    )
    tree = parse_script(ts, dialect="ts").tree
    assert [(name, init) for name, init, _ in tree.alias_candidates()] == [
        ("nav", "navigator"),
        ("geo", "navigator.geolocation"),
        ("contacts", "navigator as any).mozContacts"),
    ]
    assert normalized(run(app_dir, "a.ts", ts), ts) == normalized(run(app_dir, "a.js", js), js)
    assert {f.rule for f in run(app_dir, "a.ts", ts)} >= {"KAI404", "KAI406"}


def test_secure_context_guards_work_in_typescript(tmp_path):
    (tmp_path / "manifest.webmanifest").write_text(
        json.dumps({"name": "x", "start_url": "http://news.example.com/"}), "utf-8"
    )
    ts = (
        "export function start(): void {\n"
        "  if ('serviceWorker' in navigator) {\n"
        "    navigator.serviceWorker!.register('sw.js' as string);\n"
        "  }\n"
        "  (navigator as any).serviceWorker.register('other.js');\n"
        "  navigator.mediaDevices!.getUserMedia({ audio: true } as MediaStreamConstraints);\n"
        "}\n"
    )
    js = (
        "export function start() {\n"
        "  if ('serviceWorker' in navigator) {\n"
        "    navigator.serviceWorker.register('sw.js');\n"
        "  }\n"
        "  navigator.serviceWorker.register('other.js');\n"
        "  navigator.mediaDevices.getUserMedia({ audio: true });\n"
        "}\n"
    )
    by_ts = run(tmp_path, "start.ts", ts)
    assert normalized(by_ts, ts) == normalized(run(tmp_path, "start.js", js), js)
    assert ("KAI403", "(navigator as any).serviceWorker") in spans(by_ts, ts)
    assert ("KAI403", "navigator.serviceWorker") not in spans(by_ts, ts)  # the guarded one


def test_a_typescript_class_shadows_a_global(app_dir):
    ts = (
        "export abstract class Notification { static requestPermission(): void {} }\n"
        "Notification.requestPermission();\n"
        "const n: Notification | null = null;\n"
    )
    assert run(app_dir, "own.ts", ts) == []
    (finding,) = run(app_dir, "global.ts", "Notification.requestPermission();\n")
    assert finding.rule == "KAI404"


def test_global_paths_see_through_casts(app_dir):
    code = "(window as any).navigator!.mozApps.mgmt.getAll();\n"
    path = str(app_dir / "a.ts")
    files, config = DiskFiles(), Config(target="2.5")
    parsed = parse_script(code, dialect="ts")
    ctx = ScriptContext(parsed.tree, path, None, config, files, "2.5", module=True)
    collect_names(ctx)
    (call,) = parsed.tree.nodes_of("CallExpression")
    assert global_path(call.node("callee"), ctx) == "navigator.mozApps.mgmt.getAll"


# -- the rules on TypeScript: the same findings as on the JavaScript twin -----------------------


def erase_types(snippet: str) -> str:
    """The JavaScript a flagged TypeScript snippet compiles to (for the snippets here)."""
    snippet = re.sub(r"\s+(as|satisfies)\s+(const|any|unknown|[A-Z]\w*(\[\])?)", "", snippet)
    snippet = re.sub(r"(?<=[\w)\]])!(?!=)", "", snippet)
    snippet = re.sub(r":\s*[A-Z]\w*(\[\])?(?=[,)=])", "", snippet)
    snippet = re.sub(r"<[A-Z]\w*(\[\])?>", "", snippet)
    return re.sub(r"\((\w+)\)", r"\1", snippet)


def normalized(findings: list[Finding], text: str) -> list[tuple[str, str, str]]:
    """(rule, flagged code without types, message) in source order: the offsets of a
    TypeScript finding are matched to its twin's by the code they point at."""
    return [
        (f.rule, erase_types(text[f.start : f.end]), f.message)
        for f in sorted(findings, key=lambda f: (f.start, f.end, f.rule))
        if f.rule != "KAI409"
    ]


def test_typescript_twin_gives_the_same_findings(app_dir):
    ts = (DIALECT_DIR / "contacts_service.ts").read_text("utf-8")
    js = (DIALECT_DIR / "contacts_service.js").read_text("utf-8")
    by_ts = run(app_dir, "contacts_service.ts", ts)
    by_js = run(app_dir, "contacts_service.js", js)
    assert normalized(by_ts, ts) == normalized(by_js, js)
    assert [rule for rule, _, _ in normalized(by_ts, ts)] == [
        "KAI404",  # (navigator as any).mozContacts: "contacts"
        "KAI404",  # nav.geolocation: "geolocation"
        "KAI406",  # getCurrentPosition without an error callback
        "KAI408",  # fetch('http://...')
        "KAI402",  # new Function
        "KAI402",  # window.eval(expression!)
        "KAI404",  # new XMLHttpRequest({ mozSystem: true }): "systemXHR"
    ]
    assert ("KAI402", "window.eval(expression!)") in spans(by_ts, ts)
    assert ("KAI404", "(navigator as any).mozContacts") in spans(by_ts, ts)


def test_the_twin_is_analysed_the_same_by_analyze_script(app_dir):
    """The shim is faithful: on JavaScript it gives what analyze_script gives."""
    js = (DIALECT_DIR / "contacts_service.js").read_text("utf-8")
    path = str(app_dir / "contacts_service.js")
    files, config = DiskFiles(), Config(target="2.5")
    app = app_context(path, files, config)
    by_entry = analyze_script(js, path, app, config, files, module=True)
    assert normalized(by_entry, js) == normalized(run(app_dir, "contacts_service.js", js), js)


def test_jsx_and_tsx_components_are_checked(app_dir):
    jsx = (DIALECT_DIR / "dialer_pad.jsx").read_text("utf-8")
    assert spans(run(app_dir, "dialer_pad.jsx", jsx), jsx) == [
        ("KAI402", "setTimeout('redial()', 0)"),
        ("KAI404", "mozSystem: true"),
        ("KAI404", "navigator.geolocation"),
        ("KAI406", jsx[jsx.index("navigator.geolocation.get") : jsx.index("latitude)))") + 11]),
        ("KAI408", "http://stats.example.com/calls"),
    ]
    tsx = (DIALECT_DIR / "sms_thread.tsx").read_text("utf-8")
    assert spans(run(app_dir, "sms_thread.tsx", tsx), tsx) == [
        ("KAI404", "manager"),  # const manager = (navigator as any).mozMobileMessage
        ("KAI408", "http://sms-backup.example.com/threads/${threadId}"),
    ]


def test_declaration_files_are_not_analysed():
    assert dialect_for("node_modules/@types/kaios/index.d.ts") is None


# -- queries compile for the grammar they run on ----------------------------------------------


@pytest.mark.parametrize("grammar", GRAMMARS)
def test_the_syntax_query_compiles_for_every_grammar(grammar):
    assert compile_query(_PATTERNS, grammar) is compile_query(_PATTERNS, grammar)
    # a node kind the grammar does not have (JSX in TypeScript) drops only its pattern
    compile_query("(jsx_element) @a\n(no_such_node) @b\n(call_expression) @c", grammar)


@pytest.mark.parametrize("grammar", GRAMMARS)
def test_a_query_keeps_the_patterns_that_compile_alone(grammar):
    """compile_query compiles the patterns together and retries only the one an error
    names: the same patterns (and spellings) as compiling each alone."""
    from tree_sitter import Query

    from kaios_lsp.parse.js.ts_grammar import _spellings, language_and_parser

    language, _parser = language_and_parser(grammar)
    extra = "(no_such_node) @x\n(field_definition) @f\n(jsx_element) @j\n(program (nope)) @y"
    for source in (_PATTERNS, _PATTERNS + "\n" + extra, extra + "\n" + _PATTERNS, "(nope) @n"):
        alone = []
        for line in source.splitlines():
            for spelling in _spellings(line.strip(), grammar) if line.strip() else ():
                try:
                    Query(language, spelling)
                except Exception:
                    continue
                alone.append(spelling)
                break
        expected = Query(language, "\n".join(alone) or "(program) @unused")
        query = compile_query(source + "\n; (a comment line: not the cached query)", grammar)
        assert query.pattern_count == expected.pattern_count
        assert [
            (query.start_byte_for_pattern(i), query.end_byte_for_pattern(i))
            for i in range(query.pattern_count)
        ] == [
            (expected.start_byte_for_pattern(i), expected.end_byte_for_pattern(i))
            for i in range(expected.pattern_count)
        ]
        names = [query.capture_name(i) for i in range(query.capture_count)]
        assert names == [expected.capture_name(i) for i in range(expected.capture_count)]


def test_a_javascript_query_runs_on_a_typescript_tree():
    """features.py compiles its query for JavaScript: ts_nodes recompiles it for the tree."""
    code = "class A { #x = 1; static y: number = 2 }\nconst z = a?.b ?? (c as any);\n"
    tree = parse_script(code, dialect="ts").tree
    found = {use.feature for use in syntax_uses(tree)}
    assert {"optional-chaining", "nullish-coalescing", "class-private-fields"} <= found
    assert "class-fields-static" in found  # field_definition is public_field_definition in TS
    captures = ts_nodes(tree, compile_query("(identifier) @id"))
    assert [code[s:e] for _, _, s, e in captures] == ["z", "a", "c"]  # `any` is a type


# -- speed ------------------------------------------------------------------------------------


def _best_of(runs: int, action) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def test_typescript_is_about_as_fast_as_javascript(app_dir):
    ts_unit = (DIALECT_DIR / "contacts_service.ts").read_text("utf-8")
    js_unit = (DIALECT_DIR / "contacts_service.js").read_text("utf-8")
    copies = 100_000 // len(ts_unit) + 1
    ts = "\n".join(ts_unit.replace("ContactsService", f"Service{i}") for i in range(copies))
    js = "\n".join(js_unit.replace("ContactsService", f"Service{i}") for i in range(copies))
    assert len(ts) >= 100_000

    def parse_and_adapt(text, dialect):
        tree = parse_script(text, module=True, dialect=dialect).tree
        return sum(1 for _ in tree.root.walk())  # wraps every node

    def analyse(name, text):
        return run(app_dir, name, text)

    ts_parse = _best_of(3, lambda: parse_and_adapt(ts, "ts"))
    js_parse = _best_of(3, lambda: parse_and_adapt(js, "js"))
    ts_rules = _best_of(3, lambda: analyse("big.ts", ts))
    js_rules = _best_of(3, lambda: analyse("big.js", js))
    # 2x is the goal (measured ~1.3x); the bound leaves room for a loaded CI machine
    assert ts_parse < 3 * js_parse, (ts_parse, js_parse)
    assert ts_rules < 3 * js_rules, (ts_rules, js_rules)


# -- robustness -------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TS_TOKENS = st.sampled_from(
    [
        "navigator",
        ".",
        "mozContacts",
        "geolocation",
        "getCurrentPosition",
        "(",
        ")",
        "{",
        "}",
        "<",
        ">",
        "</",
        "/>",
        "div",
        "class=",
        ":",
        "?",
        "!",
        " as any",
        " satisfies T",
        "<T>",
        "interface ",
        "type ",
        "enum ",
        "declare ",
        "abstract ",
        "private ",
        "readonly ",
        "@dec ",
        "this",
        "implements ",
        "extends ",
        "typeof ",
        "eval",
        "new ",
        "Function",
        "'x()'",
        "if ",
        "=>",
        "?.",
        "class ",
        "function ",
        "const ",
        "=",
        "'http://a.example'",
        "fetch",
        ";",
        ",",
        "\n",
        "相机",
    ]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TS_TOKENS, max_size=50).map("".join), st.sampled_from(DIALECTS))
def test_any_token_soup_in_any_dialect_is_analysed_without_exceptions(
    tmp_path_factory, code, dialect
):
    root = tmp_path_factory.mktemp("soup")
    (root / "manifest.webapp").write_text(json.dumps(PRIVILEGED_25), "utf-8")
    findings = run(root, "soup." + dialect, code, dialect)  # the shim does not catch
    parsed = parse_script(code, dialect=dialect)
    assert len(parsed.syntax_errors) <= 1
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(code)
    for node in parsed.tree.root.walk():
        assert 0 <= node.start <= node.end <= len(code)
        node.get("type")
        node.parent  # noqa: B018
