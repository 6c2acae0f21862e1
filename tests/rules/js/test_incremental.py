"""Incremental analysis of an edited script (rules/js/incremental.py): after every edit of a
random sequence, the findings equal those of a fresh analysis of the same text."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kaios_lsp.engine import analyze_document
from kaios_lsp.rules.js.incremental import ScriptSession
from kaios_lsp.rules.js.regions import edit_between
from kaios_lsp.rules.js.sessions import ScriptSessions
from tests.support.findings import finding_key
from tests.support.paths import DATA

CORPUS = sorted((DATA / "js" / "es2017").glob("*.js")) + sorted((DATA / "forgery").rglob("*.js"))

# Pieces typed in: tokens that open and close things, declarations that change what a
# name means (aliases, shadowed globals, string constants), sources and sinks of KAI412,
# APIs that need permissions or a secure context, and text outside the BMP.
SNIPPETS = [
    "x",
    ";",
    "\n",
    "{",
    "}",
    "(",
    ")",
    "'",
    "/*",
    "*/",
    "// kaios-lsp-disable-next-line\n",
    "var nav = navigator;\n",
    "var navigator = {};\n",
    "nav.mozContacts.find({});\n",
    "navigator.getDeviceStorage('sdcard').get('a.txt');\n",
    "var code = 'tick()';\n",
    "setTimeout(code, 10);\n",
    "var code = 1;\n",
    "function send(x) { fetch(x, {method: 'POST'}); }\n",
    "navigator.mozSetMessageHandler('activity', function (r) { send(r.source.data.url); });\n",
    "location.hash",
    "Notification.requestPermission();\n",
    "Notification.permission",
    "var sd = navigator.getDeviceStorage('music');\nvar req = sd.get('x');\n",
    "req.onsuccess = function () {};\n",
    "req.onerror = function () {};\n",
    "if (!navigator.serviceWorker) { throw new Error('no'); }\n",
    "navigator.serviceWorker.register('sw.js');\n",
    "eval('1');\n",
    "let a = b ?? c;\n",
    "x => x\n",
    "'🙂 中文'",
    "  ",
    "\t",
    "import x from './x.js';\n",
]


def _findings(path: Path, text: str, sessions: ScriptSessions | None = None) -> list[tuple]:
    found = analyze_document(str(path), text, sessions=sessions).findings
    return sorted(map(finding_key, found), key=repr)


def _script(rng: random.Random, size: int, wrapped: float = 0.5) -> str:
    parts = []
    while sum(map(len, parts)) < size:
        code = rng.choice(CORPUS).read_text("utf-8")
        parts.append(code if rng.random() >= wrapped else f"(function () {{\n{code}\n}})();\n")
    return "\n".join(parts)


def _edit(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    choice = rng.random()
    if choice < 0.5:
        return text[:at] + rng.choice(SNIPPETS) + text[at:]
    end = min(len(text), at + rng.randrange(1, 40))
    if choice < 0.8:
        return text[:at] + text[end:]
    return text[:at] + rng.choice(SNIPPETS) + text[end:]


@pytest.fixture(params=["2.5", "2.5 and 3.0"])
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A privileged app whose page loads the script, for KaiOS 2.5 or with a 3.0 manifest
    beside it (then the engine merges what each app's analysis returns, rewording it)."""
    manifest = {
        "name": "Notes",
        "description": "Notes",
        "type": "privileged",
        "launch_path": "/index.html",
        "permissions": {"alarms": {}},
    }
    (tmp_path / "manifest.webapp").write_text(json.dumps(manifest), "utf-8")
    (tmp_path / "index.html").write_text('<script src="app.js" defer></script>', "utf-8")
    if request.param == "2.5 and 3.0":
        webmanifest = {
            "name": "Notes",
            "start_url": "/index.html",
            "b2g_features": {"type": "privileged", "permissions": {"alarms": {}}},
        }
        (tmp_path / "manifest.webmanifest").write_text(json.dumps(webmanifest), "utf-8")
    return tmp_path / "app.js"


@pytest.mark.parametrize("seed", range(3))
def test_incremental_findings_equal_a_fresh_analysis_after_every_edit(app: Path, seed: int) -> None:
    rng = random.Random(seed)
    text = _script(rng, 10_000 + 3_000 * seed)
    sessions = ScriptSessions()
    assert _findings(app, text, sessions) == _findings(app, text)
    for step in range(30):
        text = _edit(rng, text)
        incremental = _findings(app, text, sessions)
        fresh = _findings(app, text)
        assert incremental == fresh, f"seed {seed}, edit {step}"


def test_a_keystroke_judges_only_the_region_it_changed(app: Path) -> None:
    rng = random.Random(7)
    text = _script(rng, 30_000, wrapped=1.0)  # (each piece one top-level statement)
    sessions = ScriptSessions()
    analyze_document(str(app), text, sessions=sessions)
    session = sessions.get((str(app), str(app.parent / "manifest.webapp")))
    at = text.index("function", len(text) // 2)
    typed = text[:at] + " " + text[at:]
    assert _findings(app, typed, sessions) == _findings(app, typed)
    assert text.count("\n(function ()") > 10  # (many regions, one of them edited)
    assert session.regions_judged == 1


def test_a_new_alias_judges_every_region_again(app: Path) -> None:
    text = _script(random.Random(3), 20_000)
    sessions = ScriptSessions()
    analyze_document(str(app), text, sessions=sessions)
    session = sessions.get((str(app), str(app.parent / "manifest.webapp")))
    changed = "var nav = navigator;\n" + text
    assert _findings(app, changed, sessions) == _findings(app, changed)
    assert session.regions_judged > 5


def test_sessions_keep_the_most_recently_used() -> None:
    sessions = ScriptSessions(limit=2)
    first = sessions.get(("a.js", None))
    sessions.get(("b.js", None))
    sessions.get(("c.js", None))
    assert len(sessions) == 2
    assert sessions.get(("a.js", None)) is not first  # evicted: a new one
    sessions.drop("a.js")
    assert len(sessions) == 1


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("abc", "abc", (3, 3, 3)),
        ("abc", "abXc", (2, 2, 3)),
        ("abc", "ac", (1, 2, 1)),
        ("aaaa", "aaa", (3, 4, 3)),
        ("", "x", (0, 0, 1)),
        ("x🙂y", "x中y", (1, 2, 2)),
    ],
)
def test_the_edit_between_two_texts(old: str, new: str, expected: tuple[int, int, int]) -> None:
    start, old_end, new_end = edit_between(old, new)
    assert (start, old_end, new_end) == expected
    assert old[:start] + new[start:new_end] + old[old_end:] == new


def test_a_small_script_is_analysed_whole() -> None:
    session = ScriptSession()
    from kaios_lsp.config import Config
    from kaios_lsp.rules.js.analyze import analyze_script

    analyze_script("navigator.mozContacts;", None, None, Config(), None, session=session)  # type: ignore[arg-type]
    assert session.regions_judged == 0


@pytest.mark.parametrize("seed", range(2))
def test_page_findings_equal_a_fresh_analysis_after_every_edit(app: Path, seed: int) -> None:
    """A page with a big inline script (judged incrementally), a small one (remembered while
    unchanged) and markup with inline handlers: edits in the scripts and the markup."""
    rng = random.Random(100 + seed)
    page = app.parent / "index.html"
    big = _script(rng, 12_000)
    text = (
        "<!doctype html><html><head><title>Notes</title>\n"
        "<script>navigator.mozAlarms.add(new Date(), 'ignoreTimezone');</script>\n"
        "</head><body>\n"
        + "".join(
            f'<li onclick="go({n})"><a href="javascript:go()">{n}</a></li>\n' for n in range(20)
        )
        + f"<script>\n{big}\n</script>\n</body></html>\n"
    )
    sessions = ScriptSessions()
    assert _findings(page, text, sessions) == _findings(page, text)
    for step in range(25):
        if rng.random() < 0.7:  # mostly typing in the big script
            start = text.index("<script>\n") + len("<script>\n")
            at = rng.randint(start, text.rindex("</script>"))
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        else:
            text = _edit(rng, text)
        assert _findings(page, text, sessions) == _findings(page, text), f"edit {step}"


HANDLER = """navigator.mozSetMessageHandler('activity', function (request) {
  upload(request.source.data);
});
"""
UPLOAD = "function upload(data) {\n  fetch(data.url, { method: 'POST', body: data.text });\n}\n"


def test_a_whole_file_rule_runs_again_only_when_the_edit_can_change_it(app: Path) -> None:
    filler = "".join(f"function step{n}(a) {{\n  return a * {n};\n}}\n" for n in range(400))
    text = HANDLER + UPLOAD + filler  # (what comes after the action cannot gate it)
    sessions = ScriptSessions()
    first = _findings(app, text, sessions)
    assert any(f[0] == "KAI412" for f in first)
    session = sessions.get((str(app), str(app.parent / "manifest.webapp")))
    at = text.index("a * 200") + 1  # in a region it never read
    typed = text[:at] + " " + text[at:]
    assert _findings(app, typed, sessions) == _findings(app, typed)
    assert session.whole_file_runs == 0
    renamed = typed.replace("function upload(", "function uploaded(")
    assert _findings(app, renamed, sessions) == _findings(app, renamed)
    assert session.whole_file_runs >= 1
    assert not any(f[0] == "KAI412" for f in _findings(app, renamed))


def test_sessions_keep_no_more_than_so_much_script() -> None:
    from kaios_lsp.config import Config
    from kaios_lsp.rules.js.analyze import analyze_script

    sessions = ScriptSessions(limit=8, max_chars=20_000)
    text = _script(random.Random(2), 12_000)
    first = sessions.get(("a.js", None))
    analyze_script(text, "/tmp/a.js", None, Config(), None, session=first)  # type: ignore[arg-type]
    assert first.size == len(text)
    second = sessions.get(("b.js", None))
    analyze_script(text, "/tmp/b.js", None, Config(), None, session=second)  # type: ignore[arg-type]
    sessions.get(("c.js", None))  # a.js is the oldest, and 24,000+ characters are too many
    assert len(sessions) == 2
    assert sessions.get(("b.js", None)) is second
