"""KAI522 sensitive-data-in-storage: passwords, PINs, tokens and secrets written to
localStorage, sessionStorage, IndexedDB or cookies; word-boundary name matching."""

from __future__ import annotations

import pytest

from kaios_lsp.rules.js.storage_rules import sensitive_name
from tests.rules.js.support import analyse, found


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        (
            'localStorage.setItem("authToken", response.token);',
            'localStorage.setItem("authToken", response.token)',
        ),
        (
            "sessionStorage.setItem('session', data.accessToken);",
            "sessionStorage.setItem('session', data.accessToken)",
        ),
        ("localStorage.setItem(KEY_API_KEY, key);", "localStorage.setItem(KEY_API_KEY, key)"),
        ("localStorage.token = res.t;", "localStorage.token"),
        ("localStorage['password'] = pwd;", "localStorage['password']"),
        ("window.sessionStorage.userPin = pin;", "window.sessionStorage.userPin"),
        ("localStorage.user = credentials;", "localStorage.user"),
        ("document.cookie = 'token=' + t;", "document.cookie = 'token=' + t"),
        ("document.cookie = `sid=${authToken}`;", "document.cookie = `sid=${authToken}`"),
        (
            "tx.objectStore('auth').put({ id: 1, refreshToken: res.refresh });",
            "refreshToken: res.refresh",
        ),
        ("store.add({ user: name, 'private_key': pem });", "'private_key': pem"),
    ],
)
def test_flagged(tmp_path, code: str, flagged: str) -> None:
    findings = analyse(tmp_path, code)
    assert found(findings, "KAI522", code) == [flagged]
    (finding,) = [f for f in findings if f.rule == "KAI522"]
    assert "PBKDF2" in finding.message and "Web Crypto" in finding.message
    assert not finding.fixes


@pytest.mark.parametrize(
    "code",
    [
        'localStorage.setItem("theme", "dark");',
        'localStorage.setItem("pinnedItems", JSON.stringify(items));',
        'localStorage.setItem("spinnerColor", tokenizer.color);',
        "localStorage.lastTab = tab;",
        'localStorage.setItem("authToken", "");',  # clearing it
        "localStorage.token = null;",
        'localStorage.removeItem("authToken");',
        'var t = localStorage.getItem("authToken");',
        "document.cookie = 'lang=' + lang;",
        "el.classList.add('token');",
        "store.put({ id: 1, pinned: true, spinner: 'x' });",
    ],
)
def test_not_flagged(tmp_path, code: str) -> None:
    assert found(analyse(tmp_path, code), "KAI522", code) == []


@pytest.mark.parametrize(
    ("name", "sensitive"),
    [
        ("authToken", True),
        ("auth_token", True),
        ("USER_PIN", True),
        ("pinCode", True),
        ("apiKey", True),
        ("API_KEY", True),
        ("privateKey", True),
        ("password", True),
        ("credentials", True),
        ("tokenizer", False),
        ("pinned", False),
        ("pinnedItems", False),
        ("spinner", False),
        ("spinnerColor", False),
        ("keyboard", False),
        ("theme", False),
        ("passage", False),
    ],
)
def test_names_are_matched_by_words(name: str, sensitive: bool) -> None:
    assert sensitive_name(name) is sensitive
