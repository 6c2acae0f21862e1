"""Realistic KaiOS manifests (tests/data/apps) and exactly what kaios-lsp reports for them:
the ones without mistakes must stay quiet (information aside), the others get exactly
the findings listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaios_lsp.engine import analyze_document
from tests.support.paths import DATA

APPS = DATA / "apps"

EXPECTED = {
    "01-podcasts-privileged": [("KAI204", "info", '"device-storage:sdcard"')],
    "02-kaiads-web-game": [],
    "03-weather-web": [
        ("KAI204", "info", '"geolocation"'),
        ("KAI204", "info", '"desktop-notification"'),
    ],
    "04-messenger-privileged": [
        ("KAI204", "info", '"desktop-notification"'),
        ("KAI204", "info", '"camera"'),
    ],
    "05-contacts-backup": [("KAI203", "error", '"contacts"')],
    "06-file-manager": [
        ("KAI204", "info", '"device-storage:pictures"'),
        ("KAI204", "info", '"device-storage:videos"'),
        ("KAI204", "info", '"device-storage:music"'),
        ("KAI204", "info", '"device-storage:sdcard"'),
    ],
    "07-china-store-game": [("KAI214", "info", '"mobiledata"'), ("KAI214", "info", '"wifidata"')],
    "08-firefox-os-port": [
        ("KAI210", "warning", "'unsafe-eval'"),
        ("KAI206", "error", '"permissions"'),
    ],
    "09-kaios3-music": [("KAI204", "info", '"device-storage:music"')],
    "10-kaios3-bad-migration": [
        ("KAI215", "error", '"spatialnavigation-app-manage"'),
        ("KAI215", "hint", '"serviceworker"'),
        ("KAI208", "hint", '"push"'),
        ("KAI204", "info", '"geolocation"'),
    ],
    "11-hosted-pwa": [
        ("KAI202", "error", '"systemXHR"'),
        ("KAI204", "info", '"desktop-notification"'),
    ],
    "12-location-privileged": [
        ("KAI207", "error", '"geolocation-noprompt"'),
        ("KAI202", "error", '"settings"'),
        ("KAI203", "error", '"write"'),  # never granted, so no prompt either
    ],
}


def manifest_of(app: str) -> Path:
    return next(p for p in (APPS / app).iterdir() if p.name.startswith("manifest."))


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in APPS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_exact_findings(app: str) -> None:
    path = manifest_of(app)
    text = path.read_text("utf-8")
    # the apps' scripts are one-line stubs, so "unused permission" (KAI405, tested in
    # tests/rules/js/test_js_rules.py) would flag every permission: not what these cases are about
    findings = [f for f in analyze_document(str(path), text).findings if f.rule != "KAI405"]
    assert [(f.rule, f.severity.label, text[f.start : f.end]) for f in findings] == EXPECTED[app]
