"""KAI412: input of another app (activity request, system message, the page's URL, a
window message) reaching a sensitive action without a user decision; the fixes."""

from __future__ import annotations

from collections import Counter

import pytest

from kaios_lsp.app.files import DiskFiles
from kaios_lsp.config import Config
from kaios_lsp.findings import Severity
from kaios_lsp.parse.js.parse import parse_script
from kaios_lsp.rules.js.context import ScriptContext, collect_names
from kaios_lsp.rules.js.forgery_rules import sensitive_flows
from tests.rules.js.support import PACKAGED30, PRIV25, analyse, fix_text

ALARMING = (Severity.ERROR, Severity.WARNING)


def kai412(tmp_path, code, manifest=PRIV25, name="app.js"):
    return [
        (code[f.start : f.end], f.severity)
        for f in analyse(tmp_path, code, manifest, name=name)
        if f.rule == "KAI412"
    ]


def activity(body: str) -> str:
    return "navigator.mozSetMessageHandler('activity', function (request) {\n" + body + "\n});\n"


W, H = Severity.WARNING, Severity.HINT

# -- sources ---------------------------------------------------------------------------------

SOURCES = [
    # 2.5 activity handler, its parameter aliases and destructuring
    (
        activity("  navigator.mozTelephony.dial(request.source.data.number);"),
        "navigator.mozTelephony.dial",
    ),
    (
        activity(
            "  var src = request.source;\n  var n = src.data.number;\n  navigator.mozTelephony.dial(n);"
        ),
        "navigator.mozTelephony.dial",
    ),
    (
        activity("  const { data } = request.source;\n  navigator.mozTelephony.dial(data.number);"),
        "navigator.mozTelephony.dial",
    ),
    (
        activity("  navigator.mozTelephony.dial(request.source.name);"),
        "navigator.mozTelephony.dial",
    ),
    # a named handler
    (
        "function onActivity(req) {\n  navigator.mozContacts.remove(req.source.data.contact);\n}\n"
        "navigator.mozSetMessageHandler('activity', onActivity);\n",
        "navigator.mozContacts.remove",
    ),
    # the page's URL
    (
        "function init() {\n  var q = new URLSearchParams(location.search);\n  navigator.mozMobileMessage.send(q.get('to'), 'hi');\n}\n",
        "navigator.mozMobileMessage.send",
    ),
    (
        "function init() {\n  var to = window.location.hash.slice(1);\n  navigator.mozMobileMessage.send(to, 'hi');\n}\n",
        "navigator.mozMobileMessage.send",
    ),
    (
        "function init() {\n  var u = new URL(document.URL);\n  navigator.mozMobileMessage.send(u.searchParams.get('to'), 'hi');\n}\n",
        "navigator.mozMobileMessage.send",
    ),
    (
        "function init() {\n  var to = document.location.search.split('=')[1];\n  navigator.mozMobileMessage.send(to, 'hi');\n}\n",
        "navigator.mozMobileMessage.send",
    ),
    (
        "var params = new URLSearchParams(location.search);\nvar amount = params.get('amount');\n"
        "function pay() {\n  navigator.mozPay([amount]);\n}\n",
        "navigator.mozPay",
    ),
    # window messages
    (
        "window.addEventListener('message', function (e) {\n  navigator.sendBeacon('/log', e.data);\n});\n",
        "navigator.sendBeacon",
    ),
    (
        "window.onmessage = function (e) {\n  navigator.sendBeacon('/log', e.data);\n};\n",
        "navigator.sendBeacon",
    ),
]


@pytest.mark.parametrize("code, flagged", SOURCES)
def test_sources(tmp_path, code, flagged):
    assert kai412(tmp_path, code) == [(flagged, W)]


SW = [
    "self.addEventListener('systemmessage', (e) => {\n  const handler = e.data.webActivityRequestHandler();\n"
    "  navigator.b2g.mobileMessageManager.send(handler.source.data.number, 'x');\n});\n",
    "self.onsystemmessage = function (e) {\n  var h = e.data.webActivityRequestHandler();\n  var d = h.source.data;\n"
    "  fetch('/api/send', { method: 'POST', body: JSON.stringify(d) });\n};\n",
]


@pytest.mark.parametrize("code", SW)
def test_service_worker_system_message(tmp_path, code):
    (result,) = kai412(tmp_path, code, PACKAGED30, name="sw.js")
    assert result[1] == W
    assert result[0] in ("navigator.b2g.mobileMessageManager.send", "fetch")


# -- sinks -----------------------------------------------------------------------------------

SINKS = [
    ("  fetch('/api/transfer', { method: 'POST', body: d.amount });", "fetch"),
    ("  fetch('/api/items/' + d.id, { method: 'DELETE' });", "fetch"),
    ("  fetch('/api', { body: JSON.stringify({ to: d.to }) });", "fetch"),
    (
        "  var x = new XMLHttpRequest();\n  x.open('POST', '/api/transfer');\n  x.send('to=' + d.to);",
        "x.send",
    ),
    (
        "  var x = new XMLHttpRequest();\n  x.open('DELETE', '/api/item/' + d.id);\n  x.send();",
        "x.send",
    ),
    ("  navigator.sendBeacon('/api/transfer', d.to);", "navigator.sendBeacon"),
    (
        "  var f = document.getElementById('f');\n  f.elements.to.value = d.to;\n  f.submit();",
        "f.submit",
    ),
    ("  navigator.mozMobileMessage.send(d.number, d.text);", "navigator.mozMobileMessage.send"),
    (
        "  navigator.mozMobileMessage.sendMMS({ receivers: [d.number] });",
        "navigator.mozMobileMessage.sendMMS",
    ),
    ("  navigator.mozTelephony.dial(d.number);", "navigator.mozTelephony.dial"),
    ("  navigator.mozContacts.save(new mozContact(d.contact));", "navigator.mozContacts.save"),
    ("  navigator.mozContacts.remove(d.contact);", "navigator.mozContacts.remove"),
    ("  var sd = navigator.getDeviceStorage('sdcard');\n  sd.delete(d.file);", "sd.delete"),
    (
        "  navigator.getDeviceStorage('pictures').addNamed(d.blob, d.name);",
        "navigator.getDeviceStorage('pictures').addNamed",
    ),
    (
        "  navigator.mozAlarms.add(new Date(d.when), 'ignoreTimezone', d);",
        "navigator.mozAlarms.add",
    ),
    (
        "  navigator.mozSettings.createLock().set({ 'wifi.enabled': d.on });",
        "navigator.mozSettings.createLock().set",
    ),
    ("  var lock = navigator.mozSettings.createLock();\n  lock.set(d.settings);", "lock.set"),
    ("  navigator.mozApps.install(d.url);", "navigator.mozApps.install"),
    ("  navigator.mozApps.installPackage(d.url);", "navigator.mozApps.installPackage"),
    ("  navigator.mozApps.mgmt.uninstall(d.app);", "navigator.mozApps.mgmt.uninstall"),
    ("  navigator.mozPay(d.jwt);", "navigator.mozPay"),
    ("  location.href = d.url;", "location.href = d.url"),
    ("  window.location = d.url;", "window.location = d.url"),
    ("  location.assign(d.url);", "location.assign"),
    ("  window.location.replace('' + d.url);", "window.location.replace"),
    ("  window.open(d.url);", "window.open"),
]


@pytest.mark.parametrize("body, flagged", SINKS)
def test_sinks(tmp_path, body, flagged):
    code = activity("  var d = request.source.data;\n" + body)
    assert kai412(tmp_path, code) == [(flagged, W)]


READ_ONLY = [
    "  fetch('/api/search?q=' + encodeURIComponent(d.query));",
    "  fetch('/api/items/' + d.id).then(show);",
    "  fetch('/api/items/' + d.id, { method: 'GET', credentials: 'include' });",
    "  console.log('shared', d.blobs);",
    "  document.querySelector('img').src = URL.createObjectURL(d.blobs[0]);",
    "  var x = new XMLHttpRequest();\n  x.open('GET', '/api/item/' + d.id);\n  x.send();",
    "  var lock = navigator.mozSettings.createLock();\n  lock.get(d.key);",
    "  var sd = navigator.getDeviceStorage('pictures');\n  sd.get(d.name);",
    "  if (navigator.mozMobileMessage) { show(d.number); }",
    "  navigator.mozTelephony.dial('112');",  # no input reaches it
    "  if (d.page === 'help') { location.href = 'help.html'; }",  # routing among own pages
    "  request.postResult({ ok: true });",
]


@pytest.mark.parametrize("body", READ_ONLY)
def test_read_only_uses_are_not_flagged(tmp_path, body):
    code = activity("  var d = request.source.data;\n" + body)
    assert kai412(tmp_path, code) == []


def test_url_reads_that_are_not_input(tmp_path):
    code = (
        "function reload() {\n  location.href = location.href.split('#')[0];\n}\n"
        "function log() {\n  navigator.sendBeacon('/log', location.href);\n}\n"
        "function host() {\n  fetch('/api', { method: 'POST', body: location.hostname });\n}\n"
    )
    assert kai412(tmp_path, code) == []


def test_worker_messages_come_from_the_own_page(tmp_path):
    code = "self.addEventListener('message', function (e) {\n  fetch('/sync', { method: 'POST', body: e.data });\n});\n"
    assert kai412(tmp_path, code, name="sync-worker.js") == []


# -- decisions -------------------------------------------------------------------------------

SEND = "navigator.mozMobileMessage.send(d.number, d.text);"
CONFIRMED = [
    f"  if (!confirm('Send to ' + d.number + '?')) return;\n  {SEND}",
    f"  if (!window.confirm('Send?')) {{\n    return;\n  }}\n  {SEND}",
    f"  if (confirm('Send?')) {{\n    {SEND}\n  }}",
    f"  var ok = window.confirm('Send?');\n  if (!ok) return;\n  {SEND}",
    f"  askUser('Send?', function () {{\n    {SEND}\n  }});",
    f"  showDialog('Send?').then(function () {{\n    {SEND}\n  }});",
    f"  window.confirm('Send?') && {SEND}",
]


@pytest.mark.parametrize("body", CONFIRMED)
def test_confirmation_forms(tmp_path, body):
    code = activity("  var d = request.source.data;\n" + body)
    assert kai412(tmp_path, code) == []


def test_awaited_dialog_counts(tmp_path):
    code = (
        "navigator.mozSetMessageHandler('activity', async function (request) {\n"
        "  var d = request.source.data;\n  if (!(await askUser('Send?'))) { return; }\n"
        f"  {SEND}\n}});\n"
        "navigator.mozSetMessageHandler('activity', async function (request) {\n"
        "  var d = request.source.data;\n  await confirmDialog('Send?');\n"
        f"  {SEND}\n}});\n"
    )
    assert kai412(tmp_path, code) == []


def test_a_confirm_that_gates_nothing_does_not_count(tmp_path):
    code = activity(f"  var d = request.source.data;\n  confirm('Sending');\n  {SEND}")
    assert kai412(tmp_path, code) == [("navigator.mozMobileMessage.send", W)]


@pytest.mark.parametrize(
    "wrap",
    [
        "  button.addEventListener('click', function () {\n    {SEND}\n  });",
        "  window.addEventListener('keydown', (e) => {\n    if (e.key === 'Enter') {\n      {SEND}\n    }\n  });",
        "  button.onclick = function () {\n    {SEND}\n  };",
        "  softkeys.register({\n    onSoftLeft: function () {\n      {SEND}\n    }\n  });",
    ],
)
def test_user_event_handlers_gate_the_action(tmp_path, wrap):
    code = activity("  var d = request.source.data;\n" + wrap.replace("{SEND}", SEND))
    assert kai412(tmp_path, code) == []


def test_message_handler_checking_the_origin(tmp_path):
    checked = (
        "window.addEventListener('message', function (e) {\n"
        "  if (e.origin !== 'https://partner.example.com') { return; }\n"
        "  fetch('/api', { method: 'POST', body: e.data });\n});\n"
    )
    assert kai412(tmp_path, checked) == []
    unchecked = checked.replace("e.origin !== 'https://partner.example.com'", "!e.data")
    assert kai412(tmp_path, unchecked) == [("fetch", W)]


def test_one_level_of_calls(tmp_path):
    code = (
        "function transfer(to, amount) {\n"
        "  fetch('/api/transfer', { method: 'POST', body: to + ':' + amount });\n}\n"
        + activity("  var d = request.source.data;\n  transfer(d.to, d.amount);")
    )
    assert kai412(tmp_path, code) == [("fetch", W)]
    confirmed = code.replace("  transfer(d.to", "  if (confirm('Transfer?')) transfer(d.to")
    assert kai412(tmp_path, confirmed) == []


# -- fixed values: a hint --------------------------------------------------------------------


def test_selection_among_fixed_values_is_a_hint(tmp_path):
    code = activity(
        "  switch (request.source.data.type) {\n    case 'emergency':\n"
        "      navigator.mozTelephony.dial('112');\n      break;\n  }"
    )
    assert kai412(tmp_path, code) == [("navigator.mozTelephony.dial", H)]
    compared = activity(
        "  var d = request.source.data;\n  if (d.plan === 'gold') {\n"
        "    fetch('/api/upgrade', { method: 'POST', body: 'gold' });\n  }"
    )
    assert kai412(tmp_path, compared) == [("fetch", H)]


# -- related information ---------------------------------------------------------------------


def test_related_information_follows_the_path(tmp_path):
    code = activity(
        "  var d = request.source.data;\n  var number = d.number;\n  navigator.mozTelephony.dial(number);"
    )
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI412"]
    assert [(code[r.start : r.end], r.message) for r in finding.related] == [
        ("request.source.data", "the activity request's data: read here"),
        ("d = request.source.data", "assigned here"),
        ("number = d.number", "assigned here"),
    ]
    assert finding.message.startswith(
        "navigator.mozTelephony.dial() dials a phone number, built from the activity request's data"
    )
    assert "new MozActivity" in finding.message


# -- fixes -----------------------------------------------------------------------------------

FIXABLE = [
    activity(f"  var d = request.source.data;\n  {SEND}"),
    activity(
        "  var d = request.source.data;\n  if (d.number) {\n    navigator.mozTelephony.dial(d.number);\n  }"
    ),
    activity(
        "  var d = request.source.data;\n  switch (d.kind) {\n    case 'call':\n      navigator.mozTelephony.dial('123');\n  }"
    ),
    "window.addEventListener('message', async (e) => {\n  await fetch('/api', { method: 'POST', body: e.data });\n});\n",
    "function go() {\n  var next = new URLSearchParams(location.search).get('next');\n  location.href = next;\n}\n",
    "function go() {\n  const p = new URLSearchParams(location.search);\n  window.open(p.get('next'));\n}\n",
    SW[0],
]


@pytest.mark.parametrize("code", FIXABLE)
def test_each_fix_removes_the_finding_and_adds_no_problem(tmp_path, code):
    manifest = PACKAGED30 if "systemmessage" in code else PRIV25
    name = "sw.js" if "systemmessage" in code else "app.js"
    before = analyse(tmp_path, code, manifest, name=name)
    (finding,) = [f for f in before if f.rule == "KAI412"]
    assert finding.fixes
    alarms = Counter(f.rule for f in before if f.severity in ALARMING)
    for fix in finding.fixes:
        assert not fix.safe
        fixed = fix_text(code, finding, fix.title)
        after = analyse(tmp_path, fixed, manifest, name=name)
        assert [f for f in after if f.rule in ("KAI412", "KAI401")] == []
        new = Counter(f.rule for f in after if f.severity in ALARMING) - alarms
        new.pop("KAI412", None)
        assert not new, (fixed, new)
        assert parse_script(fixed, front="esprima").syntax_errors == []


def test_confirm_fix_text(tmp_path):
    code = activity(f"  var d = request.source.data;\n  {SEND}")
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI412"]
    assert fix_text(code, finding) == activity(
        "  var d = request.source.data;\n"
        "  if (!window.confirm('Another app asks to send an SMS' + ' (' + d.number + ')' + '. Allow?')) { return; }\n"
        f"  {SEND}"
    )


def test_redirect_fix_text(tmp_path):
    code = "function go() {\n  var next = location.hash.slice(1);\n  location.assign(next);\n}\n"
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI412"]
    assert fix_text(code, finding) == (
        "function go() {\n  var next = location.hash.slice(1);\n"
        "  if (new URL(next, location.href).origin !== location.origin) { return; }\n"
        "  location.assign(next);\n}\n"
    )


@pytest.mark.parametrize(
    "code",
    [
        # an arrow with an expression body: no statement to guard
        "window.addEventListener('message', (e) => navigator.sendBeacon('/x', e.data));\n",
        # a branch without braces
        activity("  var d = request.source.data;\n  if (d.n) navigator.mozTelephony.dial(d.n);"),
        # top-level code: nothing to return from
        "var to = new URLSearchParams(location.search).get('to');\nnavigator.mozMobileMessage.send(to, 'x');\n",
    ],
)
def test_no_fix_where_no_statement_can_be_guarded(tmp_path, code):
    (finding,) = [f for f in analyse(tmp_path, code) if f.rule == "KAI412"]
    assert finding.fixes == ()


# -- the API for the manifest-side rule ------------------------------------------------------


def test_sensitive_flows_api():
    code = activity(
        "  var d = request.source.data;\n  navigator.mozTelephony.dial(d.number);\n"
        "  if (confirm('Send?')) { navigator.mozMobileMessage.send(d.number, 'x'); }\n"
        "  if (d.kind === 'a') { navigator.mozAlarms.add(new Date(), 'honorTimezone'); }"
    )
    parsed = parse_script(code)
    ctx = ScriptContext(parsed.tree, "app.js", None, Config(), DiskFiles(), "2.5")
    collect_names(ctx)
    flows = sensitive_flows(ctx)
    assert [
        (code[f.sink.start : f.sink.end], f.action, f.source_kind, f.confirmed, f.fixed_values)
        for f in flows
    ] == [
        ("navigator.mozTelephony.dial", "dials a phone number", "activity", False, False),
        ("navigator.mozMobileMessage.send", "sends an SMS", "activity", True, False),
        ("navigator.mozAlarms.add", "sets an alarm", "activity", False, True),
    ]


def test_scripts_without_sources_or_sinks_cost_nothing():
    from kaios_lsp.rules.js.forgery_flow import looks_relevant

    assert not looks_relevant("navigator.mozTelephony.dial('112');")
    assert not looks_relevant("var q = location.search;")
    assert looks_relevant("var q = location.search; fetch(q, { method: 'POST' });")


def test_ask_only_as_a_word_of_the_name(tmp_path):
    code = (
        "navigator.mozSetMessageHandler('activity', async function (request) {\n"
        "  var d = request.source.data;\n  await runTask();\n"
        f"  {SEND}\n}});\n"
    )
    assert kai412(tmp_path, code) == [("navigator.mozMobileMessage.send", W)]
    assert kai412(tmp_path, code.replace("runTask", "doAsk")) == []


def test_every_url_read_of_a_region_counts_whatever_comes_first(tmp_path):
    """Regression: a harmless read of location.hash before the redirect's read of
    location.search hid the redirect (the region was analysed at its first read only)."""
    code = (
        "var q = location.hash.replace('#q=', '');\n"
        "document.querySelector('input').value = q;\n"
        "var next = new URLSearchParams(location.search).get('next');\n"
        "if (next) { location.href = next; }\n"
    )
    assert kai412(tmp_path, code, PACKAGED30) == [("location.href = next", Severity.WARNING)]
