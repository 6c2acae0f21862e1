"""What the editor tests share: where `editors/setup-editor-tests.sh` put things, what it
recorded, the findings the CLI reports (the expected answer), and process clean-up."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO_APP = REPO / "examples" / "demo-app"
SETUP_SCRIPT = "editors/setup-editor-tests.sh"
CACHE = Path(os.environ.get("KAIOS_EDITOR_CACHE", Path.home() / ".cache" / "kaios-lsp-editors"))
SEVERITIES = {"error": 1, "warning": 2, "info": 3, "hint": 4}


def setup_status(name: str) -> tuple[bool | None, str]:
    """What the set-up script recorded for one component: (True, detail) when it is
    ready, (False, reason) when it failed, (None, hint) when the script did not run."""
    path = CACHE / "status" / name
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None, f"{SETUP_SCRIPT} has not prepared {name} (no {path}); run it first"
    if text.startswith("ok"):
        return True, text[2:].strip()
    return False, f"{SETUP_SCRIPT} could not prepare {name}: {text}"


@dataclass(frozen=True)
class Finding:
    line: int  # 0-based
    character: int  # 0-based, UTF-16 code units (as the CLI reports them)
    severity: int  # LSP severity
    rule: str
    message: str


def cli_findings(
    app: Path, name: str = "manifest.webapp", allow_none: bool = False
) -> list[Finding]:
    """What `kaios-lsp check APP` reports for one file of the app: the answer every
    editor must show."""
    result = subprocess.run(
        [sys.executable, "-m", "kaios_lsp", "check", str(app), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["columnUnit"] == "utf-16"
    findings = [
        Finding(
            f["line"] - 1,
            f["column"] - 1,
            SEVERITIES[f["severity"]],
            f["rule"],
            f["message"],
        )
        for f in report["findings"]
        if Path(f["path"]).name == name
    ]
    assert findings or allow_none, f"the CLI found nothing in {name}: {report}"
    return sorted(findings, key=lambda f: (f.line, f.character, f.rule))


def utf16_to_byte_column(line: str, character: int) -> int:
    """A UTF-16 column of a line as a UTF-8 byte column (what Neovim's API uses)."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return len(line[:index].encode("utf-8"))
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line.encode("utf-8"))


def copy_demo_app(destination: Path) -> Path:
    app = destination / "demo-app"
    shutil.copytree(DEMO_APP, app)
    return app


def process_group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_process_group(process: subprocess.Popen, grace: float = 10.0) -> list[str]:
    """Stops a process started with `start_new_session=True` and everything it started
    (editor, extension host, language server, its worker). Returns what had to be
    killed by force."""
    pgid = process.pid
    forced: list[str] = []
    if process.poll() is None or process_group_alive(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and process_group_alive(pgid):
        time.sleep(0.1)
        process.poll()
    if process_group_alive(pgid):
        forced.append(f"process group {pgid}")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and process_group_alive(pgid):
        time.sleep(0.1)
    return forced


def isolated_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment for an editor: its own XDG folders, so that no user
    configuration is read and nothing is written into the home folder."""
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        folder = tmp / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env.update(extra)
    return env
