"""KAI301-303 inline code: what runs per version, policies that allow it, and the fixes that move it into files (keeping what runs and when)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaios_lsp.parse.html import scan
from kaios_lsp.parse.js.esprima_front import load_esprima
from tests.rules.html.support import apply_fix, check, created_or_changed, make_app, rules

# -- KAI301 inline scripts --------------------------------------------------------------------


@pytest.mark.parametrize(
    "script",
    [
        '<script type="text/template"><div onclick="x()"></div></script>',
        '<script type="text/x-handlebars">{{name}}</script>',
        '<script type="application/json">{"a": 1}</script>',
        '<script type="application/ld+json">{"@context": "x"}</script>',
        '<script type="importmap">{"imports": {}}</script>',
        "<script>   \n  </script>",
        '<script src="app.js"></script>',
        '<script src="app.js">ignored()</script>',
    ],
)
def test_scripts_that_are_not_inline_code_are_fine(tmp_path: Path, script: str):
    make_app(tmp_path, "privileged")
    assert check(tmp_path, script) == []


@pytest.mark.parametrize(
    ("script", "on_25", "on_30"),
    [
        ('<script type="module">go()</script>', False, True),
        ("<script nomodule>go()</script>", True, False),
        ('<script type="text/javascript; charset=utf-8">go()</script>', True, True),
        ('<script type="TEXT/JAVASCRIPT">go()</script>', True, True),
        ('<script language="javascript">go()</script>', True, True),
    ],
)
def test_what_runs_depends_on_the_version(tmp_path: Path, script, on_25, on_30):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    make_app(old, "privileged")
    make_app(new, "signed")
    assert bool(check(old, script)) is on_25
    assert bool(check(new, script)) is on_30


def test_nonce_and_hash_in_a_web_apps_own_policy(tmp_path: Path):
    make_app(tmp_path, "web", {"name": "A", "type": "web", "csp": "script-src 'self' 'nonce-r4nd'"})
    page = "<script nonce=r4nd>ok()</script><script>blocked()</script><p onclick=x()>"
    found = check(tmp_path, page)
    assert rules(found) == ["KAI301", "KAI302"]
    assert found[0].start == page.index("<script>blocked")


def test_hash_source_allows_exactly_that_code(tmp_path: Path):
    import base64
    import hashlib

    code = "ok();"
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    csp = f"script-src 'self' 'sha256-{digest}'"
    make_app(tmp_path, "web", {"name": "A", "type": "web", "csp": csp})
    assert check(tmp_path, f"<script>{code}</script>") == []
    assert rules(check(tmp_path, "<script>ok(); </script>")) == ["KAI301"]


def test_manifest_policy_cannot_loosen_the_default(tmp_path: Path):
    manifest = {"name": "A", "type": "privileged", "csp": "script-src 'self' 'unsafe-inline'"}
    make_app(tmp_path, "privileged", manifest)
    assert rules(check(tmp_path, "<script>go()</script>")) == ["KAI301"]


def test_meta_policy_applies_only_after_itself(tmp_path: Path):
    make_app(tmp_path, "web")
    page = (
        "<script>before()</script>"
        '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
        "<script>after()</script>"
    )
    found = check(tmp_path, page)
    assert rules(found) == ["KAI301", "KAI306"]
    inline = next(f for f in found if f.rule == "KAI301")
    assert inline.start == page.index("<script>after")
    assert "the page's <meta> policy" in inline.message


def test_meta_policy_outside_head_is_ignored_and_reported(tmp_path: Path):
    make_app(tmp_path, "web")
    page = (
        "<head><title>t</title></head><body><p>x</p>"
        '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
        "<script>after()</script></body>"
    )
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI306" and finding.severity.name == "WARNING"
    assert "ignored" in finding.message
    assert "<meta" not in apply_fix(tmp_path, "index.html", page, finding.fixes[0])


def test_meta_policy_message_mentions_the_app_policies(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<meta http-equiv="content-security-policy" content="img-src \'self\'">'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI306" and "default policy" in finding.message
    assert (finding.start, finding.end) == (0, len(page))


# -- the extract-script fix keeps what runs and when ---------------------------------------


def execution_order(root: Path, html: str, version: str = "2.5") -> list[str]:
    """The order a browser runs a page's classic and deferred scripts, as their code.

    Parser-inserted classic scripts (inline, or src without defer/async) run where they
    stand; deferred ones (src + defer, modules) after parsing, in document order. Async
    scripts have no fixed place and are left out."""
    now, later = [], []
    for tag in scan(html).elements("script"):
        kind = (tag.value("type") or "").lower()
        if kind not in ("", "text/javascript", "module") or (version == "2.5" and kind == "module"):
            continue
        if tag.has("src"):
            code = (root / tag.value("src")).read_text("utf-8")
            if tag.has("async"):
                continue
            (later if tag.has("defer") or kind == "module" else now).append(code)
        else:
            code = html[tag.content_start : tag.content_end]
            (later if kind == "module" else now).append(code)
    return now + later


@pytest.mark.parametrize(
    "page",
    [
        "<head><script>var a = 1;</script></head><body><p>x</p></body>",
        # a synchronous script after it: defer would move it behind that one
        '<script>var a = 1;</script><script src="lib.js"></script>',
        # a deferred script before it: defer keeps it after, a plain src would run first
        '<script src="lib.js" defer></script><script>var a = 1;</script>',
        # document.write needs the parser: never deferred
        "<script>document.write('<p>hi</p>');</script>",
        # attributes are kept
        '<script id="boot" data-x="1" charset="utf-8">\n  var 中文 = "🎧";\n</script>',
    ],
)
def test_extract_script_moves_code_verbatim_and_keeps_order(tmp_path: Path, page: str):
    make_app(tmp_path, "privileged")
    (tmp_path / "lib.js").write_text("lib();", encoding="utf-8")
    before = execution_order(tmp_path, page)
    (finding,) = [f for f in check(tmp_path, page) if f.rule == "KAI301"]
    (fix,) = finding.fixes
    created = next(c for c in fix.changes if c.create)
    inline = next(t for t in scan(page).elements("script") if not t.has("src"))
    assert created.content == page[inline.content_start : inline.content_end]
    after = apply_fix(tmp_path, "index.html", page, fix)
    assert execution_order(tmp_path, after) == before
    assert [f for f in check(tmp_path, after) if f.rule == "KAI301"] == []
    new_tag = next(t for t in scan(after).elements("script") if t.value("src") != "lib.js")
    for attr in inline.attrs:
        assert new_tag.value(attr.name) == attr.value  # id, data-*, charset survive


def test_extract_two_scripts_gets_two_free_names(tmp_path: Path):
    make_app(tmp_path, "privileged")
    (tmp_path / "index-inline.js").write_text("taken")
    page = "<script>one()</script><script>two()</script>"
    fixes = [f.fixes[0] for f in check(tmp_path, page)]
    names = [Path(next(c.path for c in fix.changes if c.create)).name for fix in fixes]
    assert names == ["index-inline-2.js", "index-inline-3.js"]


def test_module_script_is_extracted_as_module_without_defer(tmp_path: Path):
    make_app(tmp_path, "signed")
    page = '<script type="module">import "./a.js";</script>'
    (finding,) = check(tmp_path, page)
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    assert after == '<script type="module" src="index-inline.js"></script>'


# -- KAI302 inline handlers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "needles"),
    [
        ('<button onclick="play()">▶</button>', ['getElementById("kaios-button-1")', "play()"]),
        (
            '<button id="go" ONCLICK="play(this.id); return false">▶</button>',
            ['getElementById("go")', ".call(this, event) === false", "preventDefault"],
        ),
        ('<body onload="start()"><p>x</p></body>', ['window.addEventListener("load"']),
        (
            '<input id="q" onkeydown="if (event.key === &quot;Enter&quot;) go()">',
            ['"keydown"', 'if (event.key === "Enter") go()'],
        ),
    ],
)
def test_move_handler_fix_gives_valid_javascript(tmp_path: Path, page: str, needles: list[str]):
    make_app(tmp_path, "privileged")
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI302"
    attr = next(a for t in scan(page).elements() for a in t.attrs if a.name.startswith("on"))
    assert (finding.start, finding.end) == (attr.start, attr.end)
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    script = created_or_changed(tmp_path, "index-handlers.js")
    load_esprima().parseScript(script)  # raises on invalid JavaScript
    for needle in needles:
        assert needle in script
    assert '<script src="index-handlers.js" defer></script>' in after
    assert check(tmp_path, after) == []


def test_move_handler_appends_to_an_existing_handlers_file(tmp_path: Path):
    make_app(tmp_path, "privileged")
    (tmp_path / "index-handlers.js").write_text("// mine\nfirst();", encoding="utf-8")
    page = '<script src="index-handlers.js" defer></script><a id="x" onclick="second()">'
    (finding,) = check(tmp_path, page)
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    script = created_or_changed(tmp_path, "index-handlers.js")
    assert script.startswith("// mine\nfirst();\n") and "second()" in script
    assert after.count("index-handlers.js") == 1  # the page already loads it
    load_esprima().parseScript(script)


def test_ids_given_to_elements_are_unique(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<p id="kaios-p-1">a</p><p onclick="a()">b</p><p onclick="b()">c</p>'
    ids = set()
    for finding in check(tmp_path, page):
        own = [e for c in finding.fixes[0].changes if c.path is None for e in c.edits]
        ids |= {e.new_text for e in own if "id=" in e.new_text}
    assert ids == {' id="kaios-p-2"', ' id="kaios-p-3"'}


def test_handler_without_code_has_no_fix(tmp_path: Path):
    make_app(tmp_path, "privileged")
    (finding,) = check(tmp_path, '<p onclick="">x</p>')
    assert finding.rule == "KAI302" and finding.fixes == ()


def test_attributes_that_only_start_with_on_are_not_handlers(tmp_path: Path):
    make_app(tmp_path, "privileged")
    assert check(tmp_path, '<p one="1" on="x" on-click="y" style="color: red">x</p>') == []


# -- KAI303 javascript: URLs --------------------------------------------------------------------


def test_javascript_void_becomes_hash(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<a href="JavaScript:void(0);">x</a>'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI303"
    assert apply_fix(tmp_path, "index.html", page, finding.fixes[0]) == '<a href="#">x</a>'


def test_javascript_code_moves_to_a_click_listener(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<a href="javascript:play(%22a%20b%22)">x</a>'
    (finding,) = check(tmp_path, page)
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    script = created_or_changed(tmp_path, "index-handlers.js")
    assert 'play("a b")' in script and "event.preventDefault()" in script
    load_esprima().parseScript(script)
    assert check(tmp_path, after) == []


def test_javascript_url_in_form_action_is_reported_without_fix(tmp_path: Path):
    make_app(tmp_path, "privileged")
    (finding,) = check(tmp_path, '<form action="javascript:send()"></form>')
    assert finding.rule == "KAI303" and finding.fixes == ()


# -- the handler-move fix: scope caveats and navigation races -------------------------------------


@pytest.mark.parametrize(
    ("code", "caveat"),
    [
        ("show({title: 'x'})", False),  # an object key
        ("show({a: 1, title: 2})", False),
        ("a.title = 'x'", False),  # a property
        ("var title = 'x'; alert(title)", False),  # the handler's own variable
        ("alert(title)", True),  # the document's title through the scope chain
        ("show(x ? title : y)", True),
        ("show({ title })", True),  # shorthand: a reference
    ],
)
def test_move_handler_title_names_only_bare_references(tmp_path: Path, code: str, caveat: bool):
    make_app(tmp_path, "privileged")
    page = f'<button type="button" onclick="{code}">x</button>'
    (finding,) = check(tmp_path, page)
    assert ("check title" in finding.fixes[0].title) is caveat, finding.fixes[0].title


@pytest.mark.parametrize(
    ("page", "prevents"),
    [
        ('<a href="javascript:void(0)" onclick="history.back()">Back</a>', True),
        ('<a href="javascript:void(0)" onclick="play()">Play</a>', True),  # href becomes "#"
        ('<a href="#" onclick="history.back()">Back</a>', True),
        ('<a href="#" onclick="location.href = \'b.html\'">B</a>', True),
        ('<a href="#" onclick="window.open(\'b.html\')">B</a>', True),
        ('<form action="send"><button onclick="form.submit()">S</button></form>', True),
        ("<form onsubmit=\"location.hash = '#done'\"><input></form>", True),
        ('<a href="#" onclick="play()">Play</a>', False),  # no navigation of its own
        ('<button type="button" onclick="history.back()">Back</button>', False),  # no default
        ('<input type="checkbox" onclick="location.reload()">', False),  # would undo the tick
        ('<a href="#" onclick="event.preventDefault(); history.back()">Back</a>', False),
        ('<a href="#" onclick="db.open(\'x\')">B</a>', False),
    ],
)
def test_moved_listener_cancels_the_default_action_when_it_navigates(
    tmp_path: Path, page: str, prevents: bool
):
    make_app(tmp_path, "privileged")
    finding = next(f for f in check(tmp_path, page) if f.rule == "KAI302")
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    script = created_or_changed(tmp_path, "index-handlers.js")
    load_esprima().parseScript(script)
    added = script.count("event.preventDefault();") - page.count("event.preventDefault();")
    assert added == (1 if prevents else 0), script
    if prevents:  # first, before the code can navigate
        assert script.split("function (event) {", 1)[1].lstrip().startswith("event.preventDefault")
    assert not [f for f in check(tmp_path, after) if f.rule == "KAI302"]


def test_javascript_href_and_onclick_fixed_together_cannot_race(tmp_path: Path):
    """Both fixes applied (as check --fix or two quick fixes would): href="#" and a
    listener that cancels the "#" navigation before history.back() runs."""
    make_app(tmp_path, "privileged")
    page = '<a href="javascript:void(0)" onclick="history.back()">Back</a>'
    findings = check(tmp_path, page)
    href = next(f for f in findings if f.rule == "KAI303")
    page = apply_fix(tmp_path, "index.html", page, href.fixes[0])
    assert page == '<a href="#" onclick="history.back()">Back</a>'
    handler = next(f for f in check(tmp_path, page) if f.rule == "KAI302")
    after = apply_fix(tmp_path, "index.html", page, handler.fixes[0])
    script = created_or_changed(tmp_path, "index-handlers.js")
    assert "event.preventDefault();\n  history.back()" in script
    assert check(tmp_path, after) == []


def test_move_handler_fix_warns_about_names_the_inline_scope_resolved(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<form><input id="q" onchange="if (value) submit(); this.form.reset()"></form>'
    (finding,) = check(tmp_path, page)
    title = finding.fixes[0].title
    assert "check value, submit" in title and "reset" not in title  # this.form.reset is explicit
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    script = created_or_changed(tmp_path, "index-handlers.js")
    assert "'use strict'" not in script  # inline handlers run in sloppy mode; so must the copy
    load_esprima().parseScript(script)
    assert check(tmp_path, after) == []
