"""HTML analysis (KAI301-311) as the pure core sees it: the same page in different apps,
the fixes applied and re-checked, and broken markup."""

from __future__ import annotations

import json
from pathlib import Path

import esprima
import pytest

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.parse.html import scan
from kaios_lsp.services.fixes import apply_edits
from kaios_lsp.settings import apply_settings

APPS = {
    "privileged": ("manifest.webapp", {"name": "A", "type": "privileged"}),
    "certified": ("manifest.webapp", {"name": "A", "type": "certified"}),
    "web": ("manifest.webapp", {"name": "A", "type": "web"}),
    "signed": ("manifest.webmanifest", {"name": "A", "start_url": "/index.html"}),
    "hosted": (
        "manifest.webmanifest",
        {"name": "A", "start_url": "https://app.example.com/index.html"},
    ),
}

PAGE = """<!DOCTYPE html>
<html><head>
<script>window.ready = true;</script>
<script src="https://cdn.example.net/lib.js"></script>
</head>
<body onload="start()">
<a href="javascript:void(0)">x</a>
<object data="movie.swf"></object>
<img src="http://images.example.net/a.png">
</body></html>
"""


def make_app(root: Path, kind: str, manifest: dict | None = None) -> Path:
    name, default = APPS[kind]
    (root / name).write_text(json.dumps(manifest or default), encoding="utf-8")
    return root


def check(root: Path, html: str, file: str = "index.html", config: Config | None = None):
    path = root / file
    path.parent.mkdir(parents=True, exist_ok=True)
    return analyze_document(str(path), html, config).findings


def rules(findings) -> list[str]:
    return sorted(f.rule for f in findings)


def apply_fix(root: Path, file: str, text: str, fix) -> str:
    """What an editor does with the WorkspaceEdit: other files on disk, this one in memory."""
    for change in fix.changes:
        if change.path is None:
            continue
        target = Path(change.path)
        if change.create:
            assert not target.exists(), f"{fix.title!r} would overwrite {target}"
            target.write_text(change.content, encoding="utf-8")
        else:
            target.write_text(apply_edits(target.read_text("utf-8"), change.edits), "utf-8")
    own = [e for c in fix.changes if c.path is None for e in c.edits]
    return apply_edits(text, own)


# -- the same page in five apps -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # default policy: inline code, remote script and plugins blocked; http image is cleartext
        ("privileged", ["KAI301", "KAI302", "KAI303", "KAI304", "KAI305", "KAI307"]),
        ("certified", ["KAI301", "KAI302", "KAI303", "KAI304", "KAI305", "KAI307"]),
        # 3.0 packaged pages are http://<app>.localhost: they send a Referer (2.5's app:// do not)
        ("signed", ["KAI301", "KAI302", "KAI303", "KAI304", "KAI305", "KAI307", "KAI311"]),
        # no default policy: only the network findings
        ("web", ["KAI307"]),
        # hosted: no CSP, but cross-origin script without integrity and a Referer leak
        ("hosted", ["KAI307", "KAI308", "KAI311"]),
    ],
)
def test_same_page_different_apps(tmp_path: Path, kind: str, expected: list[str]):
    make_app(tmp_path, kind)
    assert rules(check(tmp_path, PAGE)) == expected


def test_no_manifest_no_csp_findings(tmp_path: Path):
    assert rules(check(tmp_path, PAGE)) == []


def test_page_in_a_subfolder_belongs_to_the_app_above(tmp_path: Path):
    make_app(tmp_path, "privileged")
    found = check(tmp_path, "<script>go()</script>", file="views/deep/page.html")
    assert rules(found) == ["KAI301"]


def test_message_names_the_policy_that_blocks(tmp_path: Path):
    make_app(tmp_path, "privileged")
    (finding,) = check(tmp_path, "<script>go()</script>")
    assert "KaiOS 2.5 privileged apps" in finding.message
    assert "script-src 'self'" in finding.message and "never runs" in finding.message


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


def created_or_changed(root: Path, name: str) -> str:
    return (root / name).read_text("utf-8")


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
    esprima.parseScript(script)  # raises on invalid JavaScript
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
    esprima.parseScript(script)


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
    esprima.parseScript(script)
    assert check(tmp_path, after) == []


def test_javascript_url_in_form_action_is_reported_without_fix(tmp_path: Path):
    make_app(tmp_path, "privileged")
    (finding,) = check(tmp_path, '<form action="javascript:send()"></form>')
    assert finding.rule == "KAI303" and finding.fixes == ()


# -- KAI304 remote sources, KAI305 plugins ------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "blocked"),
    [
        ("https://cdn.example.net/lib.js", True),
        ("//cdn.example.net/lib.js", True),
        ("http://127.0.0.1:8081/kaiads.js", False),  # the KaiAds SDK is allowed
        ("http://local-device.kaiostech.com:8081/kaiads.js", False),
        ("lib/app.js", False),
        ("/lib/app.js", False),
    ],
)
def test_remote_script_sources(tmp_path: Path, src: str, blocked: bool):
    make_app(tmp_path, "privileged")
    found = [f for f in check(tmp_path, f'<script src="{src}"></script>') if f.rule == "KAI304"]
    assert bool(found) is blocked


def test_remote_stylesheet_is_blocked_and_range_is_the_url(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<link rel="stylesheet" href="https://fonts.example.com/css">'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI304"
    assert page[finding.start : finding.end] == "https://fonts.example.com/css"


@pytest.mark.parametrize("element", ["object", "embed", "applet"])
def test_plugins_are_blocked_and_removed(tmp_path: Path, element: str):
    make_app(tmp_path, "certified")
    page = f'<p>a</p><{element} src="x.swf"></{element}><p>b</p>'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI305"
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    assert element not in after.replace(f"</{element}>", "") or element == "embed"
    assert check(tmp_path, after) == []


# -- KAI307 mixed content -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "tag", "severity"),
    [
        (
            "hosted",
            '<script src="http://x.example.com/a.js" integrity="sha384-x" crossorigin>',
            "error",
        ),
        ("hosted", '<link rel="stylesheet" href="http://x.example.com/a.css">', "error"),
        ("hosted", '<iframe src="http://x.example.com/"></iframe>', "error"),
        ("hosted", '<img src="http://x.example.com/a.png">', "warning"),
        ("hosted", '<video poster="http://x.example.com/a.png"></video>', "warning"),
        ("web", '<form action="http://x.example.com/send"></form>', "warning"),
        ("privileged", '<audio src="http://x.example.com/a.mp3"></audio>', "warning"),
    ],
)
def test_mixed_content_severity(tmp_path: Path, kind: str, tag: str, severity: str):
    make_app(tmp_path, kind)
    found = [f for f in check(tmp_path, tag) if f.rule == "KAI307"]
    assert [f.severity.name.lower() for f in found] == [severity]
    after = apply_fix(tmp_path, "index.html", tag, found[0].fixes[0])
    assert "https://x.example.com/" in after and "http://" not in after


@pytest.mark.parametrize(
    "tag",
    [
        '<a href="http://x.example.com/">a plain link is a navigation</a>',
        '<img src="http://localhost:8080/a.png">',
        '<img src="http://127.0.0.1/a.png">',
        '<script src="http://127.0.0.1:8081/kaiads.js"></script>',
        '<img src="http://shared.localhost/a.png">',
        '<img src="https://x.example.com/a.png">',
    ],
)
def test_not_mixed_content(tmp_path: Path, tag: str):
    make_app(tmp_path, "privileged")
    assert [f for f in check(tmp_path, tag) if f.rule == "KAI307"] == []


def test_hosted_app_served_over_http_gets_warnings_only(tmp_path: Path):
    make_app(tmp_path, "hosted", {"name": "A", "start_url": "http://app.example.com/"})
    found = [f for f in check(tmp_path, '<script src="http://app.example.com/a.js"></script>')]
    assert [(f.rule, f.severity.name) for f in found] == [("KAI307", "WARNING")]


# -- KAI308/309 Subresource Integrity, KAI310 target=_blank, KAI311 Referer ------------------


def test_integrity_fix_hashes_the_local_copy(tmp_path: Path):
    import base64
    import hashlib

    make_app(tmp_path, "hosted")
    (tmp_path / "vendor").mkdir()
    body = "/*! lib v1 */\r\nwindow.lib = {};\n"
    (tmp_path / "vendor" / "lib.min.js").write_bytes(body.encode())
    page = '<meta name="referrer" content="no-referrer"><script src="https://cdn.example.net/lib.min.js?v=1"></script>'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI308" and "vendor/lib.min.js" in finding.fixes[0].title
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    digest = base64.b64encode(hashlib.sha384(body.encode()).digest()).decode()
    assert f'integrity="sha384-{digest}" crossorigin="anonymous"></script>' in after
    assert check(tmp_path, after) == []


def test_no_integrity_fix_without_a_local_copy(tmp_path: Path):
    make_app(tmp_path, "hosted")
    page = '<meta name="referrer" content="no-referrer"><link rel=stylesheet href="https://cdn.example.net/x.css">'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI308" and finding.fixes == ()


def test_integrity_without_crossorigin(tmp_path: Path):
    make_app(tmp_path, "hosted")
    page = '<meta name="referrer" content="no-referrer"><script src="https://cdn.example.net/a.js" integrity="sha384-abc"/>'
    (finding,) = check(tmp_path, page)
    assert (
        finding.rule == "KAI309" and page[finding.start : finding.end] == 'integrity="sha384-abc"'
    )
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    assert after.endswith('integrity="sha384-abc" crossorigin="anonymous"/>')


def test_same_origin_and_packaged_scripts_need_no_integrity(tmp_path: Path):
    make_app(tmp_path, "hosted")
    assert check(tmp_path, '<script src="https://app.example.com/a.js"></script>') == []
    assert check(tmp_path, '<script src="/a.js"></script>') == []


@pytest.mark.parametrize(
    ("anchor", "fixed"),
    [
        (
            '<a href="https://other.example.org/" target="_blank">x</a>',
            '<a href="https://other.example.org/" target="_blank" rel="noopener noreferrer">x</a>',
        ),
        (
            '<a href="https://other.example.org/" target=_BLANK rel="external">x</a>',
            '<a href="https://other.example.org/" target=_BLANK rel="external noopener noreferrer">x</a>',
        ),
    ],
)
def test_target_blank_gets_rel(tmp_path: Path, anchor: str, fixed: str):
    make_app(tmp_path, "signed")  # not a 2.5 packaged app: app:// pages leak nothing
    page = '<meta name="referrer" content="no-referrer">' + anchor
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI310" and finding.severity.name == "HINT"
    assert apply_fix(tmp_path, "index.html", page, finding.fixes[0]) == (
        '<meta name="referrer" content="no-referrer">' + fixed
    )


def test_target_blank_to_own_pages_is_fine(tmp_path: Path):
    make_app(tmp_path, "web")
    page = '<meta name="referrer" content="no-referrer"><a href="help.html" target="_blank">?</a>'
    assert check(tmp_path, page) == []


def test_referrer_hint_once_per_page_with_a_meta_fix(tmp_path: Path):
    make_app(tmp_path, "signed")
    page = '<head><title>t</title></head><img src="https://a.example/1.png"><img src="https://a.example/2.png">'
    (finding,) = check(tmp_path, page)
    assert finding.rule == "KAI311" and finding.severity.name == "HINT"
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    assert after.startswith('<head>\n<meta name="referrer" content="no-referrer">')
    assert check(tmp_path, after) == []


def test_inline_style_attributes_are_fine(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<p style="color: red">x</p><style>p { color: blue }</style>'
    assert check(tmp_path, page) == []


# -- configuration, broken markup, positions -----------------------------------------------


def test_default_csp_setting_replaces_the_3_0_policy(tmp_path: Path):
    make_app(tmp_path, "signed")
    page = "<script>go()</script>"
    assert rules(check(tmp_path, page)) == ["KAI301"]
    relaxed = apply_settings(Config(), {"defaultCsp": {"3.0": "script-src * 'unsafe-inline'"}}, "t")
    assert relaxed.problems == () and check(tmp_path, page, config=relaxed) == []
    none = apply_settings(Config(), {"defaultCsp": {"3.0/signed": ""}}, "t")
    assert check(tmp_path, page, config=none) == []


def test_default_csp_setting_rejects_unknown_keys():
    config = apply_settings(Config(), {"defaultCsp": {"4.0": "x"}}, "t")
    assert config.default_csp == {} and "defaultCsp must map" in config.problems[0]


def test_kaios3_manifest_csp_setting(tmp_path: Path):
    manifest = {"name": "A", "start_url": "/index.html", "b2g_features": {"csp": "img-src 'self'"}}
    make_app(tmp_path, "signed", manifest)
    page = '<meta name="referrer" content="no-referrer"><img src="https://x.example/a.png">'
    assert check(tmp_path, page) == []  # the manifest csp is not applied on 3.0 by default
    on = apply_settings(Config(), {"kaios3ManifestCsp": True}, "t")
    # img-src is not checked by the HTML rules, but the policy now shows in messages
    assert check(tmp_path, page, config=on) == []
    relaxed = apply_settings(on, {"defaultCsp": {"3.0": ""}}, "t")
    assert (
        check(tmp_path, "<script>go()</script>", config=relaxed) == []
    )  # no default, img-src only
    strict = {"name": "A", "start_url": "/", "b2g_features": {"csp": "script-src 'self'"}}
    make_app(tmp_path, "signed", strict)
    (found,) = check(tmp_path, "<script>go()</script>", config=relaxed)
    assert found.rule == "KAI301" and "the manifest csp" in found.message
    assert check(tmp_path, "<script>go()</script>", config=Config()) != []  # the default blocks


@pytest.mark.parametrize(
    "page",
    [
        "<script>unclosed(",
        '<button onclick="x()',
        "<a href='javascript:go()",
        "<<<>>><script<script>>",
        "<!-- <script>x()</script>",
        "\x00\ufffd<p onclick=\x00>",
        "<object",
    ],
)
def test_broken_markup_is_reported_not_crashed(tmp_path: Path, page: str):
    make_app(tmp_path, "privileged")
    for finding in check(tmp_path, page):
        assert 0 <= finding.start <= finding.end <= len(page)
        # page rules, or the script rules on inline code (KAI401: `unclosed(` is invalid JS)
        assert finding.rule.startswith(("KAI3", "KAI4")), finding.message


def test_broken_manifest_still_gives_an_app(tmp_path: Path):
    (tmp_path / "manifest.webapp").write_text('{"name": "A", "type": "privileged",', "utf-8")
    assert rules(check(tmp_path, "<script>go()</script>")) == ["KAI301"]


def test_ranges_are_exact_around_astral_and_cjk_text(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<p title="🎧🎧 中文">歌</p><button onclick="play(\'🎵\')">▶</button>'
    (finding,) = check(tmp_path, page)
    assert page[finding.start : finding.end] == "onclick=\"play('🎵')\""


def test_suppression_by_rule_setting(tmp_path: Path):
    make_app(tmp_path, "privileged")
    config = apply_settings(Config(), {"rules": {"inline-script": "off"}}, "t")
    assert check(tmp_path, "<script>go()</script>", config=config) == []


def test_move_handler_fix_warns_about_names_the_inline_scope_resolved(tmp_path: Path):
    make_app(tmp_path, "privileged")
    page = '<form><input id="q" onchange="if (value) submit(); this.form.reset()"></form>'
    (finding,) = check(tmp_path, page)
    title = finding.fixes[0].title
    assert "check value, submit" in title and "reset" not in title  # this.form.reset is explicit
    after = apply_fix(tmp_path, "index.html", page, finding.fixes[0])
    script = created_or_changed(tmp_path, "index-handlers.js")
    assert "'use strict'" not in script  # inline handlers run in sloppy mode; so must the copy
    esprima.parseScript(script)
    assert check(tmp_path, after) == []


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
    esprima.parseScript(script)
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
