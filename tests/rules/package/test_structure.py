"""The structure of an uploaded package (KAI501-507), and the app inside it checked exactly
as the same app in a folder."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaios_lsp.app.package import Limits, read_package
from kaios_lsp.config import Config
from kaios_lsp.rules.package.structure import structure_findings
from kaios_lsp.workspace import check_file, check_package, iter_files
from tests.support.packages import app_files, bundle, write_app_folder, write_zip, zip_bytes
from tests.support.signing import NOW


def package_rows(zip_path: Path, unsigned_too: bool = False) -> list[tuple[str, str]]:
    """(path inside the package or "" for the package, rule) of every finding; these test
    packages are unsigned, so KAI510 (one info) is left out unless asked for."""
    rows = []
    for result in check_package(str(zip_path), Config(), now=NOW):
        inside = result.path[len(str(zip_path)) :].removeprefix("!/")
        rows += [(inside, f.rule) for f in result.findings if unsigned_too or f.rule != "KAI510"]
    return sorted(rows)


def folder_rows(root: Path) -> list[tuple[str, str, int, int]]:
    rows = []
    for path in iter_files(str(root), "auto"):
        _text, findings, problem = check_file(path, path, False, Config(), False)
        if problem is None:
            relative = Path(path).relative_to(root).as_posix()
            rows += [(relative, f.rule, f.start, f.end) for f in findings]
    return sorted(rows)


def test_a_clean_unsigned_package_gets_one_information(tmp_path: Path) -> None:
    zip_path = write_zip(tmp_path / "app.zip", app_files())
    assert package_rows(zip_path, unsigned_too=True) == [("", "KAI510")]
    (result,) = [r for r in check_package(str(zip_path), Config()) if r.findings]
    assert result.findings[0].severity is not None and result.findings[0].severity.label == "info"


def test_a_clean_signed_package_has_no_findings(tmp_path: Path) -> None:
    from tests.support.signing import sign_entries

    signed = sign_entries(app_files())
    assert package_rows(write_zip(tmp_path / "app.zip", signed), unsigned_too=True) == []


def test_the_app_in_a_package_gets_the_findings_of_the_same_folder(tmp_path: Path) -> None:
    files = app_files(
        **{
            "js/app.js": "setTimeout('tick()', 100);\nfetch('http://api.example.com/x');\n",
            "index.html": '<!DOCTYPE html><script src="js/app.js"></script><script>go()</script>',
        }
    )
    folder = folder_rows(write_app_folder(tmp_path / "folder", files))
    zipped = []
    for result in check_package(str(write_zip(tmp_path / "app.zip", files)), Config()):
        inside = result.path.split("!/", 1)[1] if "!/" in result.path else ""
        zipped += [(inside, f.rule, f.start, f.end) for f in result.findings if f.rule != "KAI510"]
    assert folder and sorted(zipped) == folder
    assert {rule for _, rule, _, _ in folder} >= {"KAI402", "KAI408", "KAI301"}


def test_folder_zipped_with_its_parent(tmp_path: Path) -> None:
    files = {f"notes/{name}": data for name, data in app_files().items()}
    rows = package_rows(write_zip(tmp_path / "app.zip", files))
    assert rows == [("", "KAI501")]
    package = read_package(str(tmp_path / "app.zip"), zip_bytes(files))
    assert package.app_root == "notes"
    message = structure_findings(package)[0][1].message
    assert "notes/manifest.webapp" in message and "Zip the contents of notes/" in message


def test_the_app_in_the_zipped_folder_is_still_checked(tmp_path: Path) -> None:
    files = {f"notes/{k}": v for k, v in app_files(**{"js/app.js": "eval('1');\n"}).items()}
    assert package_rows(write_zip(tmp_path / "app.zip", files)) == [
        ("", "KAI501"),
        ("notes/js/app.js", "KAI402"),
    ]


def test_no_manifest_at_all(tmp_path: Path) -> None:
    rows = package_rows(write_zip(tmp_path / "app.zip", {"index.html": b"<p>hi</p>"}))
    assert rows == [("", "KAI501")]


def test_manifests_in_other_folders_but_not_a_dual_manifest(tmp_path: Path) -> None:
    dual = app_files(
        **{"manifest.webmanifest": json.dumps({"name": "Notes", "start_url": "/index.html"})}
    )
    assert "KAI502" not in {rule for _, rule in package_rows(write_zip(tmp_path / "a.zip", dual))}
    old = app_files(**{"old/manifest.webapp": json.dumps({"name": "Old"})})
    rows = package_rows(write_zip(tmp_path / "b.zip", old))
    assert ("old/", "KAI502") in rows


def test_files_a_package_should_not_carry(tmp_path: Path) -> None:
    source_map = json.dumps({"version": 3, "sources": ["src/app.ts"], "sourcesContent": ["let x"]})
    files = app_files(
        **{
            ".git/config": "[core]",
            ".git/HEAD": "ref: refs/heads/main",
            ".DS_Store": b"\0\0\0\1Bud1",
            "index.html~": "<p>old</p>",
            "js/app.js.map": source_map,
        }
    )
    zip_path = write_zip(tmp_path / "app.zip", files)
    rows = package_rows(zip_path)
    assert rows == [
        (".DS_Store", "KAI503"),
        (".git/", "KAI503"),
        ("index.html~", "KAI503"),
        ("js/app.js.map", "KAI503"),
    ]
    messages = {
        r.path.split("!/", 1)[1]: r.findings[0].message
        for r in check_package(str(zip_path), Config())
        if r.findings and "!/" in r.path
    }
    assert "(2 files)" in messages[".git/"] and "version history" in messages[".git/"]
    assert "sourcesContent" in messages["js/app.js.map"]


def test_names_that_differ_only_in_case(tmp_path: Path) -> None:
    files = app_files(**{"js/App.js": "var a = 1;\n"})
    assert ("js/App.js", "KAI504") in package_rows(write_zip(tmp_path / "app.zip", files))


def test_zip_slip_entries_are_refused_not_read(tmp_path: Path) -> None:
    files = app_files(**{"../evil.js": "eval('x')", "/etc/evil.js": "eval('y')"})
    zip_path = write_zip(tmp_path / "app.zip", files)
    package = read_package(str(zip_path), zip_path.read_bytes())
    assert sorted(package.unsafe) == ["../evil.js", "/etc/evil.js"]
    assert "../evil.js" not in package.entries
    rows = package_rows(zip_path)
    assert rows == [("", "KAI505"), ("", "KAI505")]


def test_a_zip_bomb_stops_the_reading(tmp_path: Path) -> None:
    files = app_files(**{"data/zeros.bin": b"\0" * (8 * 1024 * 1024)})
    zip_path = write_zip(tmp_path / "app.zip", files)
    package = read_package(str(zip_path), zip_path.read_bytes())
    assert package.bomb is not None and "expands" in package.bomb
    assert package_rows(zip_path) == [("", "KAI506")]


def test_the_total_size_limit(tmp_path: Path) -> None:
    data = zip_bytes(app_files(**{"big.txt": b"x" * 5000}), compression=zipfile.ZIP_STORED)
    package = read_package("app.zip", data, Limits(total=4000))
    assert package.bomb is not None and "uncompressed" in package.bomb


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "app.zip"
    path.write_bytes(b"<html>502 Bad Gateway</html>")
    assert package_rows(path) == [("", "KAI507")]


def test_an_omnisd_bundle_is_checked_through_its_application_zip(tmp_path: Path) -> None:
    inner = zip_bytes(app_files(**{"js/app.js": "eval('1');\n"}))
    zip_path = write_zip(tmp_path / "bundle.zip", bundle(inner))
    assert package_rows(zip_path) == [("application.zip!/js/app.js", "KAI402")]


def test_a_bundle_without_a_manifest_in_its_application_zip(tmp_path: Path) -> None:
    inner = zip_bytes({"index.html": b"<p>hi</p>"})
    rows = package_rows(write_zip(tmp_path / "bundle.zip", bundle(inner)))
    assert rows == [("", "KAI501")]


def test_package_files_see_only_the_package(tmp_path: Path) -> None:
    (tmp_path / "manifest.webapp").write_text("{}")  # beside the zip: not part of the app
    zip_path = write_zip(tmp_path / "app.zip", app_files())
    package = read_package(str(zip_path), zip_path.read_bytes())
    files = package.files
    root = str(zip_path) + "!"
    assert files.exists(root + "/js/app.js") and files.is_dir(root + "/js")
    assert files.list_dir(root) == ["icons", "index.html", "js", "manifest.webapp"]
    assert not files.exists(str(tmp_path / "manifest.webapp"))
    assert files.read_text(root + "/js/../index.html") is not None
    assert files.read_text(root + "/nothing.js") is None


@pytest.mark.parametrize("rule", ["KAI503", "package-unwanted-file"])
def test_package_rules_follow_the_configuration(tmp_path: Path, rule: str) -> None:
    from kaios_lsp.settings import apply_settings

    config = apply_settings(Config(), {"rules": {rule: "off"}}, "test")
    zip_path = write_zip(tmp_path / "app.zip", app_files(**{".DS_Store": b"x"}))
    rules = {f.rule for r in check_package(str(zip_path), config) for f in r.findings}
    assert rules == {"KAI510"}


def test_a_truncated_package_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    data = zip_bytes(app_files())
    path = tmp_path / "app.zip"
    path.write_bytes(data[: len(data) // 2])
    assert package_rows(path) == [("", "KAI507")]


def test_a_corrupted_entry_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    data = bytearray(zip_bytes(app_files(), compression=zipfile.ZIP_STORED))
    at = data.index(b"Notes for KaiOS")  # inside manifest.webapp's stored bytes: CRC mismatch
    data[at] ^= 0xFF
    path = tmp_path / "app.zip"
    path.write_bytes(bytes(data))
    rows = package_rows(path)
    assert rows == [("", "KAI507")]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_hostile_bytes_never_crash_the_check(tmp_path: Path, data: st.DataObject) -> None:
    original = bytearray(zip_bytes(app_files(**{"js/app.js": "eval('1');\n"})))
    for _ in range(data.draw(st.integers(1, 8))):
        index = data.draw(st.integers(0, len(original) - 1))
        original[index] = data.draw(st.integers(0, 255))
    path = tmp_path / "app.zip"
    path.write_bytes(bytes(original))
    for result in check_package(str(path), Config()):  # any finding, never an exception
        assert all(f.rule.startswith("KAI") for f in result.findings)


def test_a_big_package_analysed_in_two_processes_gives_the_same_findings(tmp_path: Path) -> None:
    body = "var total = 0;\nfunction add(n) { total += n; }\n" * 9000  # ~430 KB a script
    files = app_files(
        **{f"js/part{n}.js": body + ("eval('add(1)');\n" if n == 1 else "") for n in range(3)}
    )
    zip_path = write_zip(tmp_path / "app.zip", files)

    def rows(jobs: int) -> list[tuple[str, str, int]]:
        return sorted(
            (r.path, f.rule, f.start)
            for r in check_package(str(zip_path), Config(), now=NOW, jobs=jobs)
            for f in r.findings
        )

    one = rows(1)
    assert ("js/part1.js", "KAI402") in {(p.split("!/", 1)[-1], rule) for p, rule, _ in one}
    assert rows(2) == one
