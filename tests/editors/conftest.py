"""Fixtures shared by the editor tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.support import REPO, setup_status

EXTENSION = REPO / "editors" / "vscode"


def extension_modules_or_skip() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not found: the extension needs Node 20 and npm")
    if not (EXTENSION / "node_modules" / "typescript").is_dir():
        ready, reason = setup_status("vscode-extension")
        pytest.skip(
            f"editors/vscode/node_modules is missing (npm ci): {reason}"
            if ready is not True
            else "editors/vscode/node_modules is missing; run `npm ci` in editors/vscode"
        )


@pytest.fixture(scope="session")
def vsix(tmp_path_factory) -> Path:
    """The .vsix, packaged from the current sources (the kaios-lsp wheel inside) by the
    extension's build script."""
    extension_modules_or_skip()
    path = tmp_path_factory.mktemp("vsix") / "kaios-lsp.vsix"
    build = subprocess.run(
        ["bash", str(EXTENSION / "scripts" / "package.sh"), "--skip-npm-ci", "--out", str(path)],
        env=dict(os.environ, PYTHON=sys.executable),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert build.returncode == 0 and path.is_file(), build.stdout + build.stderr
    return path
