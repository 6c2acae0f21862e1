"""KaiOS 2.5 -> 3.0 manifest migration: mapping, notes, and validation of the result."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kaios_lsp.app.files import DiskFiles
from kaios_lsp.app.manifest import load_manifest
from kaios_lsp.engine import analyze_document
from kaios_lsp.services.migrate import migrate_to_3
from tests.support.paths import ROOT

APPS = ROOT / "tests" / "data" / "apps"
CLEAN_25 = [
    "01-podcasts-privileged",
    "02-kaiads-web-game",
    "03-weather-web",
    "04-messenger-privileged",
    "05-contacts-backup",
    "06-file-manager",
    "07-china-store-game",
]


def migrate_app(folder: Path, tmp_path: Path):
    app = tmp_path / folder.name
    shutil.copytree(folder, app)
    source = app / "manifest.webapp"
    migration = migrate_to_3(
        load_manifest(source.read_text("utf-8"), str(source), "webapp"), DiskFiles()
    )
    for relative, content in migration.extra_files.items():
        (app / relative).write_text(content)
    target = app / "manifest.webmanifest"
    target.write_text(migration.text)
    return migration, analyze_document(str(target), migration.text).findings


@pytest.mark.parametrize("name", CLEAN_25)
def test_clean_2_5_apps_migrate_to_clean_3_0_manifests(name: str, tmp_path: Path) -> None:
    migration, findings = migrate_app(APPS / name, tmp_path)
    alarms = [(f.rule, f.message) for f in findings if f.severity.value <= 2]  # errors and warnings
    assert alarms == [], migration.text


@pytest.mark.parametrize(
    ("name", "inherited"),
    [("08-firefox-os-port", {"KAI210"}), ("12-location-privileged", {"KAI202"})],
)
def test_problems_of_the_2_5_app_carry_over_but_nothing_new(
    name: str, inherited: set, tmp_path: Path
) -> None:
    _, findings = migrate_app(APPS / name, tmp_path)
    assert {f.rule for f in findings if f.severity.value <= 2} == inherited


def test_the_mapping(tmp_path: Path) -> None:
    source = {
        "name": "Old App",
        "description": "d",
        "version": "2.1.0",
        "type": "privileged",
        "launch_path": "/main.html",
        "default_locale": "fr-FR",
        "fullscreen": True,
        "cursor": "false",
        "orientation": ["landscape-primary", "portrait"],
        "theme_color": "#123456",
        "subtitle": "Sub",
        "icons": {"56": "/i/56.png", "112": "/i/112.jpg", "big": "/x.png"},
        "developer": {"name": "Me", "url": "https://me.example.com"},
        "locales": {"fr-FR": {"name": "Vieux", "launch_path": "/fr.html"}},
        "permissions": {
            "spatialnavigation-app-manage": {"description": "nav"},
            "serviceworker": {},
            "push": {},
            "contacts": {"access": "readwrite"},
            "udp-socket": {"description": "x"},
        },
        "activities": {
            "share": {
                "href": "/share.html",
                "disposition": "inline",
                "filters": {"url": {"required": True, "regexp": "https?:.*"}},
            }
        },
        "messages": ["alarm"],
        "origin": "app://old.example.com",
        "appcache_path": "/a.appcache",
        "weird": 1,
    }
    text = json.dumps(source)
    migration = migrate_to_3(
        load_manifest(text, str(tmp_path / "manifest.webapp"), "webapp"), DiskFiles()
    )
    out = json.loads(migration.text)
    features = out["b2g_features"]
    assert (
        out["start_url"] == "/main.html"
        and out["lang"] == "fr-FR"
        and out["display"] == "fullscreen"
    )
    assert (
        out["orientation"] == "landscape-primary"
        and out["id"] == "oldapp"
        and out["theme_color"] == "#123456"
    )
    assert out["icons"] == [
        {"src": "/i/56.png", "sizes": "56x56", "type": "image/png"},
        {"src": "/i/112.jpg", "sizes": "112x112", "type": "image/jpeg"},
    ]
    assert (
        features["version"] == "2.1.0"
        and features["type"] == "privileged"
        and features["cursor"] is False
    )
    assert features["locales"] == {"fr-FR": {"name": "Vieux"}}
    assert set(features["permissions"]) == {"virtualcursor", "contacts"}
    assert features["permissions"]["contacts"]["access"] == "readwrite"
    assert features["activities"] == {
        "share": {"filters": {"url": {"required": True, "pattern": "https?:.*"}}}
    }
    assert features["messages"] == ["alarm"] and features["serviceworker"] == {
        "script_url": "sw.js"
    }
    assert "sw.js" in migration.extra_files
    notes = " ".join(migration.notes)
    for fragment in (
        "virtualcursor",
        "serviceworker",
        "push",
        "udp-socket",
        "origin",
        "appcache_path",
        "weird",
        "href and disposition",
        "one orientation",
        "icon 'big'",
        "locales.fr-FR: launch_path",
    ):
        assert fragment in notes, fragment


def test_cli_migrate_never_overwrites_silently(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(APPS / "01-podcasts-privileged", app)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kaios_lsp", "migrate", str(app), *args],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )

    first = run()
    assert first.returncode == 0 and (app / "manifest.webmanifest").exists()
    assert "note:" in first.stderr
    (app / "manifest.webmanifest").write_text("{}")
    second = run()
    assert second.returncode == 1 and "--force" in second.stderr
    assert (app / "manifest.webmanifest").read_text() == "{}"
    assert run("--force").returncode == 0
    assert json.loads((app / "manifest.webmanifest").read_text())["name"] == "Podcasts"
    assert json.loads(run("-o", "-").stdout)["start_url"] == "/index.html"
