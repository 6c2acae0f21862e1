"""`kaios-lsp check` and `kaios-lsp rules` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as SarifLog

from kaios_lsp.engine import analyze_document
from kaios_lsp.rules.catalog import RULES
from tests.support.paths import ROOT

DEMO = ROOT / "examples" / "demo-app"
CLEAN = {
    "name": "Clean",
    "description": "d",
    "version": "1.0.0",
    "launch_path": "/index.html",
    "icons": {"56": "/56.png", "112": "/112.png"},
    "developer": {"name": "me", "url": "https://example.com"},
}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kaios_lsp", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
    )


@pytest.fixture
def clean_app(tmp_path: Path) -> Path:
    for name in ("index.html", "56.png", "112.png"):
        (tmp_path / name).write_text("x")
    (tmp_path / "manifest.webapp").write_text(json.dumps(CLEAN, indent=2))
    return tmp_path


def test_demo_app_reports_errors_and_exits_1() -> None:
    result = run("check", "examples/demo-app")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # The demo's deliberate mistakes, in file order (README: "what a new user sees").
    expected = [
        "examples/demo-app/index.html:8:3: error KAI301",  # inline <script> never runs
        "examples/demo-app/index.html:16:34: error KAI302",  # onclick never runs
        "examples/demo-app/manifest.webapp:3:15: warning KAI106",  # subtitle over 40 characters
        "examples/demo-app/manifest.webapp:7:18: error KAI116",  # /Index.html: wrong letter case
        "examples/demo-app/manifest.webapp:8:18: warning KAI103",  # portrait-primery
        "examples/demo-app/manifest.webapp:9:13: warning KAI102",  # cursor "false" is a string
        "examples/demo-app/manifest.webapp:12:12: warning KAI116",  # /img/Icon112.png
        "examples/demo-app/manifest.webapp:36:5: error KAI203",  # device-storage:sdcard without access
        "examples/demo-app/manifest.webapp:40:44: warning KAI210",  # 'unsafe-eval' cannot loosen the CSP
        "examples/demo-app/manifest.webapp:44:15: error KAI111",  # absolute activity href
        "examples/demo-app/manifest.webapp:48:36: warning KAI101",  # regexp instead of pattern
        "examples/demo-app/manifest.webapp:52:13: error KAI112",  # origin not app://
        "examples/demo-app/manifest.webapp:52:52: error KAI003",  # trailing comma
        "examples/demo-app/js/app.js:26:19: warning KAI406",  # storage request without onerror
        "examples/demo-app/js/app.js:31:12: warning KAI408",  # cleartext http:// fetch
        "examples/demo-app/js/app.js:40:3: error KAI402",  # string timer under the default CSP
    ]
    assert [" ".join(line.split(" ")[:3]) for line in lines[:-1]] == expected
    assert lines[-1] == "8 errors, 8 warnings in 3 of 4 files checked."


def test_clean_app_exits_0(clean_app: Path) -> None:
    result = run("check", str(clean_app))
    assert result.returncode == 0, result.stdout
    # The manifest and the launch page (a bare "x", nothing to report).
    assert "No problems in 2 files checked." in result.stdout


def test_warnings_only_exit_0(clean_app: Path) -> None:
    manifest = {**CLEAN, "cursor": "yes"}
    (clean_app / "manifest.webapp").write_text(json.dumps(manifest))
    result = run("check", str(clean_app))
    assert result.returncode == 0 and "warning KAI102" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "no/such/dir"],
        ["check", ".", "--format", "xml"],
        ["check", ".", "--rule", "KAI101"],
        ["frobnicate"],
    ],
)
def test_bad_usage_exits_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage" in result.stderr or "error" in result.stderr


def test_json_output_matches_the_analysis() -> None:
    result = run("check", "examples/demo-app", "--format", "json")
    document = json.loads(result.stdout)
    expected = []
    for name in ("index.html", "manifest.webapp", "js/app.js"):  # the CLI reports in walk order
        text = (DEMO / name).read_text("utf-8")
        findings = analyze_document(str(DEMO / name), text).findings
        expected += [(f"examples/demo-app/{name}", f.rule, f.message) for f in findings]
    assert [(f["path"], f["rule"], f["message"]) for f in document["findings"]] == expected
    assert document["columnUnit"] == "utf-16"


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "demo")
    result = run("check", "demo", "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    SarifLog.model_validate(document)  # raises on anything the SARIF 2.1.0 schema forbids
    run_ = document["runs"][0]
    assert {rule["id"] for rule in run_["tool"]["driver"]["rules"]} == set(RULES)
    results = run_["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"demo/manifest.webapp", "demo/index.html", "demo/js/app.js"}
    assert any(
        r["ruleId"] == "KAI003" and r["level"] == "error" and r.get("fixes") for r in results
    )
    assert run_["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/")


def test_rule_override_and_target_options(clean_app: Path) -> None:
    (clean_app / "manifest.webapp").write_text(json.dumps({**CLEAN, "type": "hosted"}))
    assert run("check", str(clean_app)).returncode == 1
    result = run("check", str(clean_app), "--rule", "app-type=warning")
    assert result.returncode == 0 and "warning KAI110" in result.stdout
    result = run("check", str(clean_app), "--rule", "KAI110=off")
    assert "KAI110" not in result.stdout


def test_project_config_file_is_read(clean_app: Path) -> None:
    (clean_app / "manifest.webapp").write_text(json.dumps({"name": "x"}))
    assert "KAI105" in run("check", str(clean_app)).stdout
    (clean_app / "kaios-lsp.toml").write_text('[rules]\nstore-requirement = "off"\n')
    assert "KAI105" not in run("check", str(clean_app)).stdout
    (clean_app / "kaios-lsp.toml").unlink()
    (clean_app / "pyproject.toml").write_text('[tool.kaios-lsp.rules]\nKAI105 = "off"\n')
    assert "KAI105" not in run("check", str(clean_app)).stdout


def test_bad_config_is_reported_not_fatal(clean_app: Path) -> None:
    (clean_app / "kaios-lsp.toml").write_text(
        'target = "9"\n[rules]\nKAI999 = "off"\nKAI101 = "loud"\n'
    )
    result = run("check", str(clean_app))
    assert result.returncode == 0
    assert (
        "unknown rule 'KAI999'" in result.stderr
        and "targetVersion" in result.stderr
        and "loud" in result.stderr
    )


def test_fix_applies_safe_fixes_and_keeps_the_rest(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "demo")
    manifest = tmp_path / "demo" / "manifest.webapp"
    result = run("check", "demo", "--fix", cwd=tmp_path)
    fixed = manifest.read_text("utf-8")
    value = json.loads(fixed)  # the trailing comma is gone: valid JSON now
    assert value["orientation"] == "portrait-primary" and value["cursor"] is False
    assert value["launch_path"] == "/index.html" and value["icons"]["112"] == "/img/icon112.png"
    assert "KAI111" in result.stdout  # not safe to change automatically: still reported
    assert "播客精简版 🎧" in fixed  # nothing else touched


def test_fix_never_rewrites_a_file_it_could_not_decode(tmp_path: Path) -> None:
    path = tmp_path / "manifest.webapp"
    data = b'{"name": "caf\xe9", "cursor": "true",}'
    path.write_bytes(data)
    result = run("check", str(tmp_path), "--fix")
    assert path.read_bytes() == data
    assert "KAI008" in result.stdout and "byte 13" in result.stdout


def test_manifest_json_is_found_only_when_it_is_a_kaios_manifest(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "manifest.json").write_text(
        '{"name": "x", "launch_path": "/i.html", "cursor": 1}'
    )
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "manifest.json").write_text(
        '{"name": "Chrome extension", "manifest_version": 3}'
    )
    result = run("check", str(tmp_path), "--format", "json")
    paths = {Path(f["path"]).parent.name for f in json.loads(result.stdout)["findings"]}
    assert paths == {"a"}


def test_rules_command_lists_every_rule() -> None:
    text = run("rules").stdout
    assert all(rule_id in text for rule_id in RULES)
    data = json.loads(run("rules", "--format", "json").stdout)
    assert [r["id"] for r in data] == list(RULES)


def test_version_flag() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("kaios-lsp ")


def test_parallel_check_gives_the_same_report_and_a_progress_bar(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "demo")
    for n in range(4):  # enough scripts to be split over processes
        (tmp_path / "demo" / "js" / f"extra{n}.js").write_text(
            f"setTimeout('tick({n})', 10);\nfetch('http://api.example.com/{n}');\n"
        )
    serial = run("check", "demo", "--jobs", "1", cwd=tmp_path)
    parallel = run("check", "demo", "--jobs", "2", "--progress", "always", cwd=tmp_path)
    assert parallel.stdout == serial.stdout and parallel.returncode == serial.returncode == 1
    assert "extra3.js" in serial.stdout
    assert "] 8/8 files" in parallel.stderr  # the bar reached the end
    assert "files" not in serial.stderr  # no terminal, no bar


PROJECTS = ROOT / "tests" / "data" / "projects"


def test_explain_app_prints_the_app_model_and_the_summary_names_build_input() -> None:
    done = run("check", "tests/data/projects/preact-webpack", "--explain-app")
    out = done.stdout
    # the model first: the root manifest is build input, dist/ the shipped package
    assert "manifest: manifest.webapp" in out and "build input" in out
    assert "because the launch page index.html is not here: the build creates it" in out
    assert "package: dist/ — build output: the shipped package" in out
    assert "package.json depends on" in out and "webpack" in out
    # the summary, after the findings, says which folders were judged as build input and why
    summary = out.strip().splitlines()[-2:]
    assert any("build input" in line and "judged for behaviour" in line for line in summary)
    assert any("dist/manifest.webapp: build output" in line for line in summary)


def test_the_summary_counts_the_files_no_entry_point_opens() -> None:
    done = run("check", "tests/data/projects/gaia-vendored")
    last = done.stdout.strip().splitlines()[-1]
    assert "6 page(s)/script(s) no entry point opens" in last and "hints" in last
    explained = run("check", "tests/data/projects/gaia-vendored", "--explain-app").stdout
    assert "not opened: shared/style/buttons/index.html" in explained
    assert "not opened: test/test.html" in explained


def test_explain_app_goes_to_stderr_with_machine_formats() -> None:
    done = run("check", "tests/data/projects/vue-cli", "--explain-app", "--format", "json")
    json.loads(done.stdout)  # stdout stays valid JSON
    assert "package: public/ — build input" in done.stderr


def test_exclude_and_unreached_files_settings_from_the_project_file(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(PROJECTS / "gaia-vendored", app)
    (app / "kaios-lsp.toml").write_text('exclude = ["test/"]\nunreachedFiles = "off"\n')
    report = json.loads(run("check", str(app), "--format", "json").stdout)
    paths = {Path(f["path"]).relative_to(app).as_posix() for f in report["findings"]}
    assert not any(p.startswith(("test/", "shared/")) for p in paths)
    assert {"js/stats.js", "js/timer.js", "manifest.webapp"} <= paths
