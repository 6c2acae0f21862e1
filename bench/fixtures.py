"""Deterministic KaiOS 2.5 manifests and app folders for the benchmarks.

Three manifests are generated:

* :func:`manifest_small`: a realistic ~2 KB ``manifest.webapp`` of a privileged app;
* :func:`manifest_large`: the same app with many locales and activities (~50 KB);
* :func:`manifest_huge`: the same app with thousands of locales (~5 MB), big enough for
  kaios-lsp to analyse it in its background thread (documents over 256 K characters).

All contain the same few realistic mistakes, so the server publishes real findings:

* a misspelled member (``"orientaton"``),
* a store subtitle over 40 characters (in one locale),
* an unknown activity ``disposition`` value (``"popup"``).

:func:`make_app` writes a manifest into a folder together with every file it refers to
(``index.html``, the icons, the activity pages), so missing-file checks find nothing and
do not dominate the measurement.

:data:`PROBES` are the cursor positions of the completion and hover benchmarks, and
:func:`half_typed_edits` turns a manifest into the state an editor is in while a member
is being typed (``"per`` with no closing quote, colon or value), which some probes need.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from dataclasses import dataclass
from typing import Any

EDIT_MARKER = "Listen to podcasts"
"""Start of the root ``description`` value: the benchmark edits text inside it."""

# (tag, name, description, subtitle): the last one is deliberately too long.
_BASE_LOCALES: list[tuple[str, str, str, str]] = [
    ("en-US", "Podcasts", "Listen to podcasts on your KaiOS phone.", "Your shows, everywhere"),
    ("fr", "Podcasts", "Écoutez vos podcasts sur votre téléphone KaiOS.", "Vos émissions, partout"),
    ("ja", "ポッドキャスト", "KaiOS 端末でポッドキャストを聴く 🎧", "番組をどこでも 📻"),
    ("zh-CN", "播客", "在您的 KaiOS 手机上收听播客。", "随时随地收听节目"),
    (
        "hi-IN",
        "पॉडकास्ट",
        "अपने KaiOS फ़ोन पर पॉडकास्ट सुनें।",
        "अपने पसंदीदा शो कहीं भी और कभी भी सुनें, बिना किसी रुकावट के",
    ),
]

# Language tags for the large manifest's extra locales (deterministic, no randomness).
_EXTRA_TAGS = [
    "ar",
    "bn-BD",
    "cs",
    "da",
    "de",
    "el",
    "es-ES",
    "es-MX",
    "fa",
    "fi",
    "he",
    "hu",
    "id",
    "it",
    "ko",
    "ms",
    "nb",
    "nl",
    "pl",
    "pt-BR",
    "pt-PT",
    "ro",
    "ru",
    "sk",
    "sv",
    "sw",
    "ta",
    "te",
    "th",
    "tr",
    "uk",
    "ur",
    "vi",
    "zh-TW",
    "am",
    "ha",
    "yo",
    "zu",
    "km",
    "my",
]

_ACTIVITY_NAMES = ["share", "open", "view", "pick", "record", "dial", "new", "save-bookmark"]


@dataclass(frozen=True)
class Fixture:
    """One benchmark scenario: a manifest text and where to edit it."""

    name: str
    text: str

    @property
    def size(self) -> int:
        """Size of the manifest in UTF-8 bytes."""
        return len(self.text.encode("utf-8"))


def _locale(
    tag: str, name: str, description: str, subtitle: str, developer: bool = False
) -> dict[str, Any]:
    locale: dict[str, Any] = {"name": name, "description": description, "subtitle": subtitle}
    if developer:
        locale["developer"] = {"name": "Example Labs", "url": "https://example.com/" + tag.lower()}
    return locale


def _activity(
    name: str, page: str, disposition: str = "window", detailed: bool = False
) -> dict[str, Any]:
    filters: dict[str, Any] = {"type": "audio/mpeg"}
    if detailed:
        filters = {
            "type": ["audio/mpeg", "audio/ogg"],
            "url": {"required": True, "pattern": "https?:.*"},
        }
    return {
        "href": page,
        "disposition": disposition,
        "filters": filters,
        "returnValue": name == "pick",
    }


def _manifest(extra_locales: int, extra_activities: int) -> dict[str, Any]:
    locales = {tag: _locale(tag, *rest) for tag, *rest in _BASE_LOCALES}
    for i in range(extra_locales):
        tag = f"{_EXTRA_TAGS[i % len(_EXTRA_TAGS)]}-x{i:03d}"
        locales[tag] = _locale(
            tag,
            f"Podcasts {i}",
            f"Listen to podcasts on your KaiOS phone (translation {i}): 新しいエピソード 🎙️, "
            "offline downloads, sleep timer and playback speed.",
            f"Your shows, everywhere ({i})",
            developer=True,
        )
    activities: dict[str, Any] = {
        "share": _activity("share", "/share.html"),
        "view": _activity("view", "/player.html", disposition="popup"),  # mistake: unknown value
    }
    for i in range(extra_activities):
        name = f"{_ACTIVITY_NAMES[i % len(_ACTIVITY_NAMES)]}-{i:03d}"
        activities[name] = _activity(name, "/activities/handler.html", detailed=True)
    return {
        "version": "1.4.2",
        "name": "Podcasts",
        "description": EDIT_MARKER + " on your KaiOS phone, with offline downloads.",
        "type": "privileged",
        "launch_path": "/index.html",
        "icons": {"56": "/icons/podcasts_56.png", "112": "/icons/podcasts_112.png"},
        "developer": {"name": "Example Labs", "url": "https://example.com"},
        "permissions": {
            "systemXHR": {"description": "Download podcast feeds and episodes"},
            "audio-channel-content": {"description": "Keep playing when the screen is off"},
            "device-storage:sdcard": {
                "access": "readwrite",
                "description": "Store downloaded episodes",
            },
            "alarms": {"description": "Sleep timer"},
        },
        "orientaton": "portrait",  # mistake: misspelled member
        "default_locale": "en-US",
        "locales": locales,
        "activities": activities,
        "cursor": False,
        "fullscreen": False,
    }


def manifest_small() -> Fixture:
    """The ~2 KB manifest (five locales, two activities)."""
    return Fixture(
        "2 KB manifest", json.dumps(_manifest(0, 0), indent=2, ensure_ascii=False) + "\n"
    )


def manifest_large(target_bytes: int = 50_000) -> Fixture:
    """The ~50 KB manifest: the small one plus locales and activities up to ``target_bytes``."""
    text = ""
    for count in range(1, 400):
        text = json.dumps(_manifest(count, count // 2), indent=2, ensure_ascii=False) + "\n"
        if len(text.encode("utf-8")) >= target_bytes:
            break
    return Fixture("50 KB manifest", text)


def manifest_huge(target_bytes: int = 5_000_000) -> Fixture:
    """The ~5 MB manifest: the small one plus thousands of locales (and 100 activities)."""
    activities = 100
    empty = len(json.dumps(_manifest(0, activities), indent=2, ensure_ascii=False).encode())
    sample = len(json.dumps(_manifest(1000, activities), indent=2, ensure_ascii=False).encode())
    count = max(1, -(-(target_bytes - empty) * 1000 // (sample - empty)))  # ceiling
    text = json.dumps(_manifest(count, activities), indent=2, ensure_ascii=False) + "\n"
    return Fixture("5 MB manifest", text)


# -- completion and hover probes -------------------------------------------------------

_ROOT_MEMBER_END = '"type": "privileged",\n'
"""A root member followed by its comma and newline: the cursor goes at the next line."""

_HALF_TYPED_KEY = '  "per'
"""Inserted on the line after :data:`_ROOT_MEMBER_END`: a key being typed (no closing
quote, colon or value yet), as an editor sends it while the user types."""


@dataclass(frozen=True)
class Probe:
    """A cursor position for a ``textDocument/completion`` or ``textDocument/hover``
    request: just after the first occurrence of ``before`` that is followed by ``after``."""

    key: str
    label: str
    method: str  # "completion" or "hover"
    before: str
    after: str = ""
    half_typed: bool = False  # on the text made by half_typed_edits(), not the fixture

    def offset(self, text: str) -> int:
        """Code-point offset of the cursor in ``text``."""
        return text.index(self.before + self.after) + len(self.before)


PROBES: tuple[Probe, ...] = (
    Probe(
        "root-member",
        'member name: new line after `"type": "privileged",` (root object)',
        "completion",
        _ROOT_MEMBER_END,
        '  "launch_path"',
    ),
    Probe(
        "partial-key",
        'member name: half-typed key `"per` (root object)',
        "completion",
        _ROOT_MEMBER_END + _HALF_TYPED_KEY,
        half_typed=True,
    ),
    Probe("type-colon", 'value: right after `"type":`', "completion", '"type":', ' "privileged"'),
    Probe("type-value", 'value: inside `"priv‸ileged"`', "completion", '"type": "priv', "ileged"),
    Probe(
        "orientation-value",
        'value: inside `"orientation": "por‸trait"`',
        "completion",
        '"orientation": "por',
        "trait",
        half_typed=True,
    ),
    Probe(
        "permission-name",
        'permission name: new line after `"permissions": {`',
        "completion",
        '"permissions": {\n',
        '    "systemXHR"',
    ),
    Probe("hover-permission", 'hover: permission name `"systemXHR"`', "hover", '"sys', "temXHR"),
    Probe("hover-type", 'hover: member name `"type"`', "hover", '  "ty', 'pe": "privileged"'),
)


def half_typed_edits(text: str) -> list[tuple[int, int, str]]:
    """Edits (start, end, new text; code-point offsets, to apply in this order, each on
    the result of the previous one) that give the probes marked ``half_typed`` their text:
    a key being typed (``"per``) on a new line of the root object, and the misspelled
    ``"orientaton"`` corrected to ``"orientation"`` so its value gets completions."""
    typo = text.index('"orientaton"') + len('"orientat')
    line = text.index(_ROOT_MEMBER_END) + len(_ROOT_MEMBER_END)
    assert line < typo
    return [(typo, typo, "i"), (line, line, _HALF_TYPED_KEY + "\n")]


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` after ``edits`` (as returned by :func:`half_typed_edits`)."""
    for start, end, new in edits:
        text = text[:start] + new + text[end:]
    return text


def position_at(text: str, offset: int) -> tuple[int, int]:
    """(line, UTF-16 character) of a code-point offset, as LSP positions need."""
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return line, len(text[line_start:offset].encode("utf-16-le")) // 2


def edit_offset(text: str) -> int:
    """Code-point offset of a safe place to edit: inside the root description value."""
    return text.index(EDIT_MARKER) + len("Listen")


def edit_position(text: str) -> tuple[int, int]:
    """(line, UTF-16 character) of :func:`edit_offset`, as LSP positions need."""
    return position_at(text, edit_offset(text))


def _png(size: int) -> bytes:
    """A valid, tiny, single-colour PNG of ``size`` x ``size`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    row = b"\x00" + b"\x20\x60\xa0" * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def make_app(folder: str, fixture: Fixture) -> str:
    """Write an app folder for ``fixture`` and return the manifest's absolute path."""
    os.makedirs(os.path.join(folder, "icons"), exist_ok=True)
    os.makedirs(os.path.join(folder, "activities"), exist_ok=True)
    page = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body></body></html>\n'
    for relative in ("index.html", "share.html", "player.html", "activities/handler.html"):
        with open(os.path.join(folder, relative), "w", encoding="utf-8") as handle:
            handle.write(page)
    for size in (56, 112):
        with open(os.path.join(folder, "icons", f"podcasts_{size}.png"), "wb") as handle:
            handle.write(_png(size))
    path = os.path.abspath(os.path.join(folder, "manifest.webapp"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(fixture.text)
    return path


# -- an app with scripts and pages -----------------------------------------------------

# Permissions of the app-with-scripts scenario on top of the small manifest's: the
# scripts use contacts, geolocation and notifications; nothing mentions mozTCPSocket,
# so KAI405 reads every script on every analysis (the unused-permission scan does its
# whole work).
_SCRIPTED_PERMISSIONS: dict[str, Any] = {
    "contacts": {"description": "Share episodes with friends", "access": "readonly"},
    "geolocation": {"description": "Suggest local podcasts"},
    "desktop-notification": {"description": "Tell when an episode is downloaded"},
    "tcp-socket": {"description": "Talk to the sync server"},
}

# Blocks of real-looking KaiOS code (each a function using a permissioned API, mentioned
# as an app does: contacts, alarms, notifications, mozSystem XHR); a script is made of
# numbered copies of them until it reaches its size.
_SCRIPT_BLOCKS = (
    """
function findContact{n}(name, done) {{
  var request = navigator.mozContacts.find({{
    filterBy: ['givenName', 'familyName'],
    filterValue: name,
    filterOp: 'contains',
    filterLimit: 20
  }});
  request.onsuccess = function () {{
    done(null, request.result.map(function (contact) {{
      return {{ id: contact.id, name: contact.name && contact.name[0], tel: contact.tel }};
    }}));
  }};
  request.onerror = function () {{
    done(request.error);
  }};
}}
""",
    """
function scheduleSleepTimer{n}(minutes) {{
  var when = new Date(Date.now() + minutes * 60000);
  var request = navigator.mozAlarms.add(when, 'ignoreTimezone', {{ kind: 'sleep', id: {n} }});
  request.onsuccess = function () {{
    localStorage.setItem('sleep-alarm-{n}', String(request.result));
  }};
  request.onerror = function () {{
    console.error('alarm not set', request.error);
  }};
}}
""",
    """
function downloadFeed{n}(url) {{
  return new Promise(function (resolve, reject) {{
    var xhr = new XMLHttpRequest({{ mozSystem: true }});
    xhr.open('GET', url, true);
    xhr.responseType = 'text';
    xhr.timeout = 30000;
    xhr.onload = function () {{
      if (xhr.status >= 200 && xhr.status < 300) {{
        resolve(parseFeed(xhr.responseText, {n}));
      }} else {{
        reject(new Error('HTTP ' + xhr.status));
      }}
    }};
    xhr.onerror = xhr.ontimeout = function () {{ reject(new Error('network')); }};
    xhr.send();
  }});
}}
""",
    """
function notifyDownloaded{n}(episode) {{
  if (Notification.permission !== 'granted') {{
    return;
  }}
  var notification = new Notification(episode.title, {{
    body: 'Downloaded ({n}): ' + episode.show,
    icon: '/icons/podcasts_56.png',
    tag: 'download-' + episode.id
  }});
  notification.onclick = function () {{
    window.focus();
    openEpisode(episode.id);
  }};
}}
""",
    """
var playlist{n} = {{
  items: [],
  index: 0,
  add: function (episode) {{
    this.items.push(episode);
    render{n}(this.items);
  }},
  next: function () {{
    this.index = (this.index + 1) % Math.max(this.items.length, 1);
    return this.items[this.index];
  }}
}};
function render{n}(items) {{
  var list = document.getElementById('episodes');
  list.textContent = '';
  items.forEach(function (item, i) {{
    var li = document.createElement('li');
    li.tabIndex = i;
    li.textContent = item.title;
    list.appendChild(li);
  }});
}}
""",
)

# Blocks whose calls show a permission prompt (device storage, geolocation): an app makes
# such calls in a few places, so some scripts have one of them once.
_PROMPTING_BLOCKS = (
    """
function saveEpisode{n}(episode, blob, done) {{
  var storage = navigator.getDeviceStorage('sdcard');
  var request = storage.addNamed(blob, 'podcasts/' + episode.id + '-{n}.mp3');
  request.onsuccess = function () {{
    episode.file = request.result;
    done(null, episode);
  }};
  request.onerror = function () {{
    console.warn('could not save episode', episode.id, request.error && request.error.name);
    done(request.error);
  }};
}}
""",
    """
function localShows{n}(done) {{
  navigator.geolocation.getCurrentPosition(function (position) {{
    var query = '?lat=' + position.coords.latitude.toFixed(2) +
      '&lon=' + position.coords.longitude.toFixed(2) + '&page={n}';
    downloadFeed{n}('https://api.example.com/local' + query).then(function (shows) {{
      done(null, shows);
    }}, done);
  }}, function (error) {{
    done(error);
  }}, {{ timeout: 10000, maximumAge: 600000 }});
}}
""",
)

# (file name, size in KB): ten scripts of 10-100 KB, 500 KB in all
SCRIPT_SIZES = (
    ("js/app.js", 100),
    ("js/player.js", 80),
    ("js/feeds.js", 60),
    ("js/storage.js", 60),
    ("js/contacts.js", 50),
    ("js/alarms.js", 40),
    ("js/notify.js", 40),
    ("js/nearby.js", 30),
    ("js/ui.js", 20),
    ("js/l10n.js", 10),
)


def manifest_scripted() -> Fixture:
    """The ~2 KB manifest of an app with scripts and pages (:func:`make_scripted_app`):
    the small manifest with permissions its scripts use, and one none uses."""
    value = _manifest(0, 0)
    value["permissions"].update(_SCRIPTED_PERMISSIONS)
    return Fixture(
        "2 KB manifest, app with 500 KB of scripts",
        json.dumps(value, indent=2, ensure_ascii=False) + "\n",
    )


def script_text(index: int, kilobytes: int) -> str:
    """A deterministic script of about ``kilobytes`` KB made of the code blocks."""
    parts = ["'use strict';\n"]
    if index % 3 == 0:
        parts.append(_PROMPTING_BLOCKS[(index // 3) % len(_PROMPTING_BLOCKS)].format(n=index))
    size = sum(map(len, parts))
    n = 0
    while size < kilobytes * 1000:
        block = _SCRIPT_BLOCKS[(index + n) % len(_SCRIPT_BLOCKS)].format(n=f"{index}_{n}")
        parts.append(block)
        size += len(block)
        n += 1
    return "".join(parts)


def make_scripted_app(folder: str, fixture: Fixture) -> str:
    """:func:`make_app` plus the scripts of :data:`SCRIPT_SIZES`, loaded by the pages
    (index.html loads every script, the activity pages some), so the permission rules
    read and follow real code. Returns the manifest's absolute path."""
    path = make_app(folder, fixture)
    os.makedirs(os.path.join(folder, "js"), exist_ok=True)
    for index, (relative, kilobytes) in enumerate(SCRIPT_SIZES):
        with open(os.path.join(folder, relative), "w", encoding="utf-8") as handle:
            handle.write(script_text(index, kilobytes))

    def page(title: str, scripts: list[str]) -> str:
        tags = "".join(f'    <script src="/{s}" defer></script>\n' for s in scripts)
        return (
            '<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n'
            f"    <title>{title}</title>\n{tags}  </head>\n  <body>\n"
            '    <header><h1 data-l10n-id="title">Podcasts</h1></header>\n'
            '    <ul id="episodes" role="listbox"></ul>\n'
            '    <footer class="softkeys"><span>Options</span><span>Play</span></footer>\n'
            "  </body>\n</html>\n"
        )

    every = [relative for relative, _ in SCRIPT_SIZES]
    pages = {
        "index.html": page("Podcasts", every),
        "share.html": page("Share", ["js/contacts.js", "js/ui.js", "js/l10n.js"]),
        "player.html": page("Player", ["js/player.js", "js/alarms.js", "js/ui.js"]),
    }
    for relative, text in pages.items():
        with open(os.path.join(folder, relative), "w", encoding="utf-8") as handle:
            handle.write(text)
    return path
