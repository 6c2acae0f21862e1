"""KAI520 secret-in-app: real secrets flagged at their exact place, public keys,
placeholders, vendor code, tests and build input quiet."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kaios_lsp.engine import analyze_document
from kaios_lsp.rules.leaks import secrets
from tests.rules.leaks.support import WEBPACK, app, flagged, write

AWS_ID = "AKIA2E0A8F3B244C9986"
AWS_SECRET = "q8Vf2kR7tLm0XyZ4bN9cD1eG3hJ5pS6uW8aQ2rTz"
PEM = (
    "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n"
    "-----END PRIVATE KEY-----"
)
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
    "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)


def test_a_firebase_web_config_is_not_a_secret(tmp_path: Path) -> None:
    config = """var firebaseConfig = {
  apiKey: "AIzaSyB3xQk9vN2mL7pR4tY8wZ1cD5fG6hJ0kLm",
  authDomain: "kai-notes.firebaseapp.com",
  projectId: "kai-notes",
  storageBucket: "kai-notes.appspot.com",
  messagingSenderId: "123456789012",
  appId: "1:123456789012:web:9f8e7d6c5b4a3f2e1d0c",
};
firebase.initializeApp(firebaseConfig);
"""
    assert flagged(app(tmp_path, ("js/config.js",)), "js/config.js", config, "KAI520") == []


def test_aws_keys_in_a_config_script(tmp_path: Path) -> None:
    code = (
        f'const AWS_ACCESS_KEY_ID = "{AWS_ID}";\n'
        f'const AWS_SECRET_ACCESS_KEY = "{AWS_SECRET}";\n'
        "const s3 = new AWS.S3({ region: 'eu-west-1' });\n"
    )
    root = app(tmp_path, ("js/config.js",))
    write(root, {"js/config.js": code})
    findings = [
        f for f in analyze_document(str(root / "js/config.js"), code).findings if f.rule == "KAI520"
    ]
    assert [code[f.start : f.end] for f in findings] == [AWS_ID, AWS_SECRET]
    assert "AWS access key ID" in findings[0].message
    assert "AWS secret access key" in findings[1].message
    assert "readable" in findings[1].message or "read" in findings[1].message
    assert "server" in findings[1].message and "rotate" in findings[1].message
    assert all(f.severity.label == "warning" and not f.fixes for f in findings)


def test_a_pem_private_key_in_a_json_file_is_flagged_whole(tmp_path: Path) -> None:
    text = (
        '{\n  "type": "service_account",\n  "project_id": "kai-notes",\n'
        f'  "private_key": "{PEM}\\n",\n  "client_email": "bot@kai-notes.iam.gserviceaccount.com"\n}}\n'
    )
    root = app(tmp_path)
    assert flagged(root, "data/service-account.json", text, "KAI520") == [PEM]
    result = analyze_document(str(root / "data/service-account.json"), text)
    assert result.kind == "json"
    assert "private key" in result.findings[0].message


def test_a_json_file_of_no_app_is_not_ours(tmp_path: Path) -> None:
    text = f'{{"private_key": "{PEM}"}}'
    write(tmp_path, {"key.json": text})
    result = analyze_document(str(tmp_path / "key.json"), text)
    assert (result.kind, result.findings) == (None, [])


@pytest.mark.parametrize(
    ("code", "secret"),
    [
        ('var DB_PASSWORD = "Tr0ub4dor&3";', "Tr0ub4dor&3"),
        (
            'const stripe = require("stripe")("sk_live_4eC39HqLyjWDarjtT1zdp7dc");',
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        ),
        (
            'var GH = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";',
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        ),
        (f'xhr.setRequestHeader("Authorization", "Bearer {JWT}");', JWT),
        ('fetch("https://admin:hunter22@api.example.com/v1");', "hunter22"),
        ('var client_secret = "GOCSPX-4f9Kd0sLq2Xw8Zr7Tn3Vb";', "GOCSPX-4f9Kd0sLq2Xw8Zr7Tn3Vb"),
    ],
)
def test_shaped_secrets_and_passwords_in_code(tmp_path: Path, code: str, secret: str) -> None:
    assert flagged(app(tmp_path), "js/app.js", code + "\n", "KAI520") == [secret]


@pytest.mark.parametrize(
    "code",
    [
        'const API_KEY = "YOUR_API_KEY";',
        'var password = "changeme";',
        'var secret = "";',
        'var apiKey = "<your api key>";',
        'var apiKey = "xxxxxxxxxxxxxxxx";',
        "var secret = `${process.env.SECRET}`;",
        'Stripe("pk_live_51HabcDEF123ghiJKL456");',  # publishable: public by design
        'mapboxgl.accessToken = "pk.' + JWT + '";',  # a Mapbox public token
        'input.placeholder = "Enter your password";',
        'if (password.length < 8) error("Password too short");',
        'var AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";',
    ],
)
def test_placeholders_labels_and_public_keys_are_quiet(tmp_path: Path, code: str) -> None:
    assert flagged(app(tmp_path), "js/app.js", code + "\n", "KAI520") == []


def test_locale_strings_are_not_passwords(tmp_path: Path) -> None:
    text = '{"password": "Password", "forgotPassword": "Forgot password?", "pwdHint": "8+ chars"}'
    assert flagged(app(tmp_path), "locales/en-US.json", text, "KAI520") == []


def test_a_minified_vendor_bundle_with_long_random_strings_is_quiet(tmp_path: Path) -> None:
    bundle = (
        '!function(e){var t={password:"a8Fk2Lq9Zx7Wv3Rt",secret:"Qm9zX2lsbGE0LjBfQ2hyb21lX1NhZmFyaQ",'
        'k:"9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c"};' + "e.x=1;" * 300 + "}(window);\n"
    )
    root = app(tmp_path, ("lib/vendor.min.js",))
    assert flagged(root, "lib/vendor.min.js", bundle, "KAI520") == []


def test_a_test_fixture_and_build_input_are_quiet(tmp_path: Path) -> None:
    code = f'var AWS_SECRET_ACCESS_KEY = "{AWS_SECRET}";\n'
    write(
        tmp_path,
        {"package.json": WEBPACK, "src/index.html": "<p>", "manifest.webapp": {"name": "D"}},
    )
    assert flagged(tmp_path, "test/fixtures/aws.js", code, "KAI520") == []
    assert flagged(tmp_path, "src/aws.js", code, "KAI520") == []


def test_a_secret_in_the_manifest(tmp_path: Path) -> None:
    text = (
        '{"name": "Demo", "type": "privileged", "launch_path": "/index.html",\n'
        f' "x-config": {{"aws_secret_access_key": "{AWS_SECRET}"}}}}\n'
    )
    write(tmp_path, {"index.html": "<p>"})
    assert flagged(tmp_path, "manifest.webapp", text, "KAI520") == [AWS_SECRET]


def test_a_suppression_comment_silences_it(tmp_path: Path) -> None:
    code = f'// kaios-lsp-disable-next-line secret-in-app\nvar AWS_SECRET_KEY = "{AWS_SECRET}";\n'
    assert flagged(app(tmp_path), "js/app.js", code, "KAI520") == []


def _hits_of_whole_text(text: str) -> list[int]:
    """The prefilter as it was first written: the whole text lowered at once."""
    hits = [
        match.start()
        for match in secrets._NEEDLES.finditer(text.lower())
        if secrets._CASED.get(match.group()) is None
        or text.startswith(secrets._CASED[match.group()], match.start())
    ]
    hits.extend(match.start() for match in secrets._PASSWORD_IN_URL.finditer(text))
    return sorted(hits)


@pytest.mark.parametrize("seed", range(12))
def test_the_prefilter_lowers_big_non_ascii_texts_a_window_at_a_time(seed, monkeypatch):
    # small windows, so that needles straddle many window boundaries
    monkeypatch.setattr(secrets, "_LOWER_WINDOW", 257)
    rng = random.Random(seed)
    # needles, needles inside others ("key_passw" holds "passw"), a prefix in another case
    pieces = ["key_passw", "api_key", "database_pass", "secret", "aws", "AKIA", "akia", "ghp_"]
    pieces += [
        "sk_live_",
        "xoxb-",
        "eyJ",
        "-us",
        "PRIVATE KEY",
        "😀",
        "中文",
        " ",
        "\n",
        "://u:p@h",
    ]
    if seed % 4 == 0:
        pieces.append("İ")  # lowers to two characters: the whole text is lowered instead
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(200, 3000)))
    assert secrets._hits(text) == _hits_of_whole_text(text)


def test_requests_loads_only_when_something_uses_it() -> None:
    """detect-secrets imports ``requests`` for its network verification, which we never
    run: scanning leaves it unloaded (~10 MB), and a real use in the same process gets
    the real module, through the name the plugins hold too."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kaios_lsp.rules.leaks import secrets\n"
        "found = list(secrets.secret_rule('/app/js/pay.js', "
        "\"var key = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';\\n\", None))\n"
        "assert [f.rule for f in found] == ['KAI520'], found\n"
        "assert 'urllib3' not in sys.modules and 'http.client' not in sys.modules\n"
        "import requests\n"
        "from detect_secrets.plugins import base\n"
        "assert base.requests.exceptions.RequestException is "
        "requests.exceptions.RequestException\n"
        "assert type(sys.modules['requests']).__name__ == 'module'\n"
        "import requests.adapters\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr
