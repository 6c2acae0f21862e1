"""`kaios-lsp check app.zip` as a user runs it: findings named app.zip!/js/app.js in text,
JSON and SARIF, packages found in folders, the exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as SarifLog

from tests.support.packages import app_files, bundle, write_zip, zip_bytes

FLAWED = app_files(
    **{
        "js/app.js": "var ok = 1;\nsetTimeout('tick()', 100);\n",
        ".DS_Store": b"\0\0\0\1Bud1",
    }
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kaios_lsp", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_text_output_names_files_inside_the_package(tmp_path: Path) -> None:
    write_zip(tmp_path / "app.zip", FLAWED)
    result = run("check", "app.zip", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = [line.split(" ", 2)[:2] for line in result.stdout.splitlines() if "KAI" in line]
    assert lines == [
        ["app.zip:1:1:", "info"],  # KAI510: not signed (the store signs it)
        ["app.zip!/.DS_Store:1:1:", "warning"],
        ["app.zip!/js/app.js:2:1:", "error"],
    ]
    assert "KAI503" in result.stdout and "KAI402" in result.stdout


def test_json_output(tmp_path: Path) -> None:
    write_zip(tmp_path / "app.zip", FLAWED)
    document = json.loads(run("check", "app.zip", "--format", "json", cwd=tmp_path).stdout)
    rows = [(f["path"], f["line"], f["column"], f["rule"]) for f in document["findings"]]
    assert rows == [
        ("app.zip", 1, 1, "KAI510"),
        ("app.zip!/.DS_Store", 1, 1, "KAI503"),
        ("app.zip!/js/app.js", 2, 1, "KAI402"),
    ]
    assert all(f["fixes"] == [] for f in document["findings"])  # made in the sources, not the zip


def test_sarif_output_is_valid_and_keeps_the_bang(tmp_path: Path) -> None:
    write_zip(tmp_path / "app.zip", FLAWED)
    document = json.loads(run("check", "app.zip", "--format", "sarif", cwd=tmp_path).stdout)
    SarifLog.model_validate(document)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    ]
    assert uris == ["app.zip", "app.zip!/.DS_Store", "app.zip!/js/app.js"]


def test_a_folder_with_a_package_checks_the_package_too(tmp_path: Path) -> None:
    (tmp_path / "dist").mkdir()
    write_zip(tmp_path / "dist" / "bundle.zip", bundle(zip_bytes(FLAWED)))
    result = run("check", ".", "--format", "json", cwd=tmp_path)
    paths = [f["path"] for f in json.loads(result.stdout)["findings"]]
    assert paths == [
        "dist/bundle.zip",
        "dist/bundle.zip!/application.zip!/.DS_Store",
        "dist/bundle.zip!/application.zip!/js/app.js",
    ]


def test_a_clean_package_exits_0(tmp_path: Path) -> None:
    write_zip(tmp_path / "app.zip", app_files())
    result = run("check", "app.zip", cwd=tmp_path)
    rules = {line.split()[2] for line in result.stdout.splitlines() if " KAI" in line}
    assert result.returncode == 0 and rules == {"KAI510"}, result.stdout


def _signed(**signer_dates: datetime) -> dict[str, bytes]:
    from tests.support.signing import make_ca, make_signer, sign_entries

    ca = make_ca()
    return sign_entries(app_files(), make_signer(ca, **signer_dates), ca)


def _rows(tmp_path: Path, files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    write_zip(tmp_path / "app.zip", files)
    document = json.loads(run("check", "app.zip", "--format", "json", cwd=tmp_path).stdout)
    return [(f["path"], f["rule"], f["severity"]) for f in document["findings"]]


def test_a_valid_signed_package_has_no_package_findings(tmp_path: Path) -> None:
    write_zip(tmp_path / "app.zip", _signed())
    result = run("check", "app.zip", cwd=tmp_path)
    assert result.returncode == 0 and " KAI" not in result.stdout, result.stdout


def test_a_file_changed_after_signing(tmp_path: Path) -> None:
    files = _signed()
    files["js/app.js"] += b"\n// patched after signing\n"
    assert _rows(tmp_path, files) == [("app.zip!/js/app.js", "KAI513", "error")]


def test_an_expired_and_an_expiring_signer(tmp_path: Path) -> None:
    now = datetime.now(timezone.utc)
    expired = _signed(not_before=now - timedelta(days=400), not_after=now - timedelta(days=2))
    assert _rows(tmp_path, expired) == [("app.zip!/META-INF/zigbert.rsa", "KAI511", "warning")]
    soon = _signed(not_before=now - timedelta(days=300), not_after=now + timedelta(days=10))
    assert _rows(tmp_path, soon) == [("app.zip!/META-INF/zigbert.rsa", "KAI512", "warning")]
