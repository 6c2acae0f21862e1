"""The VS Code extension without VS Code: its unit tests (interpreter discovery, venv
bootstrap, settings mapping; `npm test` with node:test), and its settings against the
server's configuration model."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

from kaios_lsp.app.project import COPY_FOLDERS, TARGET_CONFIG_NAMES
from kaios_lsp.config import Config
from kaios_lsp.lsp.workspace_check import CHECK_WORKSPACE_COMMAND
from kaios_lsp.settings import apply_settings
from tests.editors.conftest import EXTENSION, extension_modules_or_skip


def test_extension_unit_tests_pass():
    extension_modules_or_skip()
    result = subprocess.run(
        ["npm", "test"],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    passed = re.search(r"^\S* ?pass (\d+)$", output, re.MULTILINE)
    failed = re.search(r"^\S* ?fail (\d+)$", output, re.MULTILINE)
    assert passed and int(passed.group(1)) > 0, output
    assert failed and failed.group(1) == "0", output


def contributed_settings() -> dict:
    package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    return package["contributes"]["configuration"]["properties"]


def node_server_settings(values: dict) -> dict:
    """What the extension's settings module sends the server for these settings."""
    script = (
        "const s = require('./out/settings.js');"
        "const values = JSON.parse(process.argv[1]);"
        "process.stdout.write(JSON.stringify(s.serverSettings({get: (k) => values[k]})));"
    )
    result = subprocess.run(
        ["node", "-e", script, json.dumps(values)],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_every_contributed_setting_is_accepted_by_the_server():
    extension_modules_or_skip()
    subprocess.run(
        ["npx", "--no-install", "tsc", "-p", "."], cwd=EXTENSION, check=True, timeout=300
    )
    properties = contributed_settings()
    assert set(properties) == {
        "kaios.targetVersion",
        "kaios.rules",
        "kaios.distribution",
        "kaios.debounceMs",
        "kaios.maxFileSize",
        "kaios.defaultCsp",
        "kaios.kaios3ManifestCsp",
        "kaios.secureContext",
        "kaios.checkVendorCode",
        "kaios.exclude",
        "kaios.unreachedFiles",
        "kaios.signatureExpiryDays",
        "kaios.server.path",
        "kaios.interpreter",
        "kaios.trace.server",
    }
    # Every setting set to a value the user might choose (not the default).
    values = {
        "targetVersion": "2.5",
        "rules": {"KAI103": "error", "store-requirement": "off"},
        "distribution": "hosted",
        "debounceMs": 50,
        "maxFileSize": 4096,
        "defaultCsp": {"3.0": "script-src 'self'"},
        "kaios3ManifestCsp": True,
        "secureContext": "insecure",
        "checkVendorCode": True,
        "exclude": ["docs/**", "tools/"],
        "unreachedFiles": "report",
        "signatureExpiryDays": 14,
        "server.path": "/opt/kaios-lsp/bin/kaios-lsp",
        "interpreter": "/usr/bin/python3",
        "trace.server": "verbose",
    }
    assert {f"kaios.{key}" for key in values} == set(properties)
    sent = node_server_settings(values)
    config = apply_settings(Config(), sent, "workspace configuration")
    assert config.problems == ()
    assert config.target == "2.5"
    assert config.distribution == "hosted"
    assert config.debounce_ms == 50
    assert config.max_file_size == 4096
    assert config.default_csp == {"3.0": "script-src 'self'"}
    assert config.kaios3_manifest_csp is True
    assert config.secure_context == "insecure"
    assert config.check_vendor_code is True
    assert config.exclude == ("docs/**", "tools/")
    assert config.unreached_files == "report"
    assert config.signature_expiry_days == 14
    assert config.rules["KAI103"].name.lower() == "error"
    assert config.rules["KAI105"] is None


def test_enums_match_what_the_server_accepts():
    properties = contributed_settings()
    for key, values in (
        ("kaios.targetVersion", ("auto", "2.5", "3.0")),
        ("kaios.distribution", ("auto", "packaged", "hosted")),
        ("kaios.secureContext", ("auto", "secure", "insecure")),
        ("kaios.unreachedFiles", ("hint", "report", "off")),
    ):
        assert tuple(properties[key]["enum"]) == values
        assert properties[key]["default"] == values[0]
        assert len(properties[key].get("enumDescriptions", values)) == len(values)
        for value in values:
            config = apply_settings(Config(), {key.split(".", 1)[1]: value}, "test")
            assert config.problems == (), (key, value)
    for key in ("kaios.kaios3ManifestCsp", "kaios.checkVendorCode"):
        assert properties[key]["type"] == "boolean" and properties[key]["default"] is False
        for value in (True, False):
            config = apply_settings(Config(), {key.split(".", 1)[1]: value}, "test")
            assert config.problems == (), (key, value)
    assert Config().secure_context == "auto" and Config().check_vendor_code is False
    assert Config().unreached_files == properties["kaios.unreachedFiles"]["default"]
    exclude = properties["kaios.exclude"]
    assert exclude["type"] == "array" and exclude["items"] == {"type": "string"}
    assert list(Config().exclude) == exclude["default"]
    config = apply_settings(Config(), {"exclude": ["dist/**", "*.test.js"]}, "test")
    assert config.problems == () and config.exclude == ("dist/**", "*.test.js")
    levels = properties["kaios.rules"]["additionalProperties"]["enum"]
    for level in levels:
        assert apply_settings(Config(), {"rules": {"KAI101": level}}, "test").problems == ()


def test_the_extension_sends_what_the_server_checks():
    """The build configs and TypeScript/JSX files the server analyses are in the document
    selector, the folders where it looks for a build project's manifest are where the
    extension looks, and every language of the selector activates the extension."""
    extension_modules_or_skip()
    subprocess.run(
        ["npx", "--no-install", "tsc", "-p", "."], cwd=EXTENSION, check=True, timeout=300
    )
    script = (
        "const a = require('./out/apps.js');"
        "process.stdout.write(JSON.stringify({names: a.BUILD_CONFIG_NAMES,"
        " folders: a.MANIFEST_FOLDERS, selector: a.DOCUMENT_SELECTOR,"
        " languages: a.APP_LANGUAGES}));"
    )
    result = subprocess.run(
        ["node", "-e", script],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    apps = json.loads(result.stdout)
    assert set(apps["names"]) == set(TARGET_CONFIG_NAMES)
    assert set(COPY_FOLDERS) <= set(apps["folders"])
    patterns = {f["pattern"] for f in apps["selector"] if "pattern" in f}
    assert {f"**/{name}" for name in TARGET_CONFIG_NAMES} <= patterns
    languages = {f["language"] for f in apps["selector"] if "language" in f}
    assert {"typescript", "typescriptreact", "javascriptreact"} <= languages
    package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    events = set(package["activationEvents"])
    assert {f"onLanguage:{language}" for language in apps["languages"]} <= events
    # a manifest in public/, src/… of a project activates the extension too
    assert "workspaceContains:**/manifest.webapp" in events
    assert "workspaceContains:**/manifest.webmanifest" in events


def test_every_contributed_command_is_registered_and_sends_the_servers_command():
    extension_modules_or_skip()
    subprocess.run(
        ["npx", "--no-install", "tsc", "-p", "."], cwd=EXTENSION, check=True, timeout=300
    )
    script = (
        "const c = require('./out/workspaceCheck.js');"
        "process.stdout.write(JSON.stringify([c.CHECK_WORKSPACE_PALETTE_COMMAND,"
        " c.checkWorkspaceParams()]));"
    )
    result = subprocess.run(
        ["node", "-e", script],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    palette, params = json.loads(result.stdout)
    # The palette command is not the server's id, which vscode-languageclient registers
    # itself once the server announces it (a second registration of that id would fail).
    assert palette == "kaios.checkWorkspace" != CHECK_WORKSPACE_COMMAND
    assert params == {"command": CHECK_WORKSPACE_COMMAND, "arguments": []}

    package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    commands = {c["command"]: c for c in package["contributes"]["commands"]}
    assert set(commands) == {"kaios.restartServer", "kaios.checkWorkspace", "kaios.showOutput"}
    assert all(c["category"] == "KaiOS" for c in commands.values())
    source = (EXTENSION / "src" / "extension.ts").read_text(encoding="utf-8")
    constants = {"CHECK_WORKSPACE_PALETTE_COMMAND": palette}
    registered = {
        literal or constants[name]
        for literal, name in re.findall(r'registerCommand\((?:"([^"]+)"|([A-Z_]+))', source)
    }
    assert set(commands) <= registered


def test_vsix_bundles_the_server_wheel_and_nothing_else(vsix: Path):
    with zipfile.ZipFile(vsix) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("extension/package.json"))
    wheels = [n for n in names if n.startswith("extension/server/")]
    assert len(wheels) == 1 and wheels[0].endswith("-py3-none-any.whl"), wheels
    assert wheels[0].startswith("extension/server/kaios_lsp-")
    assert "extension/out/extension.js" in names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    unwanted = [
        n
        for n in names
        if n.startswith(("extension/src/", "extension/out/test/", "extension/node_modules/@types/"))
        or n.endswith((".ts", ".map"))
    ]
    assert unwanted == []
    assert manifest["main"] == "./out/extension.js"
    assert manifest.get("extensionDependencies", []) == []
    assert manifest.get("extensionPack", []) == []
