"""Reading settings into a :class:`~kaios_lsp.config.Config`, the same way for the server
and the CLI.

Sources, later ones winning:

1. defaults;
2. the project file at the app root: ``kaios-lsp.toml``, or ``[tool.kaios-lsp]`` in
   ``pyproject.toml``;
3. for the server, ``initializationOptions`` and then the ``kaios`` section of
   ``workspace/configuration``.

Keys are matched without regard to case, ``-`` and ``_``: ``targetVersion``,
``target-version`` and ``target_version`` are the same key. Rules are named by id or name
(the catalog resolves them), which is why this sits above the rules and ``Config`` below.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from kaios_lsp.config import Config
from kaios_lsp.findings import Severity
from kaios_lsp.rules.catalog import lookup

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

PROJECT_FILES = ("kaios-lsp.toml", "pyproject.toml")


def _norm(key: str) -> str:
    return key.replace("-", "").replace("_", "").lower()


def apply_settings(base: Config, settings: dict[str, Any] | None, source: str) -> Config:
    """``base`` updated with a mapping of settings; problems are collected, not raised."""
    if not settings:
        return base
    if not isinstance(settings, dict):
        return replace(
            base, problems=(*base.problems, f"{source}: settings must be a table/object")
        )
    # Editors may nest our settings under "kaios" (VS Code sends the whole section).
    if "kaios" in settings and isinstance(settings["kaios"], dict) and len(settings) == 1:
        settings = settings["kaios"]
    problems = list(base.problems)
    target = base.target
    rules = dict(base.rules)
    debounce = base.debounce_ms
    max_size = base.max_file_size
    distribution = base.distribution
    default_csp = dict(base.default_csp)
    kaios3_manifest_csp = base.kaios3_manifest_csp
    secure_context = base.secure_context
    check_vendor_code = base.check_vendor_code
    exclude = base.exclude
    unreached_files = base.unreached_files
    signature_expiry_days = base.signature_expiry_days

    for key, value in settings.items():
        norm = _norm(str(key))
        if norm in ("target", "targetversion"):
            text = str(value).strip()
            if text in ("2.5", "3.0", "auto"):
                target = text
            elif text in ("3", "3.1", "3.x"):
                target = "3.0"
            elif text in ("2", "2.5.x"):
                target = "2.5"
            else:
                problems.append(f"{source}: targetVersion must be 2.5, 3.0 or auto, not {value!r}")
        elif norm == "rules":
            if not isinstance(value, dict):
                problems.append(
                    f"{source}: rules must map rule ids or names to error/warning/info/hint/off"
                )
                continue
            for rule_key, level in value.items():
                rule = lookup(str(rule_key))
                if rule is None:
                    problems.append(f"{source}: unknown rule {rule_key!r}")
                    continue
                if level is False:
                    rules[rule.id] = None
                    continue
                try:
                    rules[rule.id] = Severity.parse(str(level))
                except ValueError as exc:
                    problems.append(f"{source}: {rule.id}: {exc}")
        elif norm in ("distribution", "appkind"):
            text = str(value).strip().lower()
            if text in ("auto", "packaged", "hosted"):
                distribution = text
            else:
                problems.append(
                    f"{source}: distribution must be auto, packaged or hosted, not {value!r}"
                )
        elif norm in ("debounce", "debouncems", "diagnosticsdelay"):
            try:
                debounce = max(0, int(value))
            except (TypeError, ValueError):
                problems.append(f"{source}: debounceMs must be a number of milliseconds")
        elif norm in ("maxfilesize", "maxfilebytes"):
            try:
                max_size = max(1024, int(value))
            except (TypeError, ValueError):
                problems.append(f"{source}: maxFileSize must be a number of bytes")
        elif norm == "defaultcsp":
            valid = isinstance(value, dict) and all(
                isinstance(k, str) and isinstance(v, str) and _csp_key(k) for k, v in value.items()
            )
            if valid:
                default_csp.update({_csp_key(k): v for k, v in value.items()})  # type: ignore[misc]
            else:
                problems.append(
                    f"{source}: defaultCsp must map 2.5, 3.0 or VERSION/TYPE "
                    "(2.5/privileged, 2.5/certified, 3.0/signed, 3.0/core) to a policy string"
                )
        elif norm == "kaios3manifestcsp":
            if isinstance(value, bool):
                kaios3_manifest_csp = value
            else:
                problems.append(f"{source}: kaios3ManifestCsp must be true or false")
        elif norm == "securecontext":
            text = str(value).strip().lower()
            if text in ("auto", "secure", "insecure"):
                secure_context = text
            else:
                problems.append(
                    f"{source}: secureContext must be auto, secure or insecure, not {value!r}"
                )
        elif norm in ("checkvendorcode", "vendorcode"):
            if isinstance(value, bool):
                check_vendor_code = value
            else:
                problems.append(f"{source}: checkVendorCode must be true or false")
        elif norm in ("exclude", "ignore", "ignorepatterns"):
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                exclude = tuple(dict.fromkeys((*exclude, *(v.strip() for v in value if v.strip()))))
            else:
                problems.append(f"{source}: exclude must be a list of glob patterns")
        elif norm in ("unreachedfiles", "unreached"):
            text = str(value).strip().lower()
            if text in ("hint", "report", "off"):
                unreached_files = text
            else:
                problems.append(
                    f"{source}: unreachedFiles must be hint, report or off, not {value!r}"
                )
        elif norm == "signatureexpirydays":
            try:
                signature_expiry_days = max(0, int(value))
            except (TypeError, ValueError):
                problems.append(f"{source}: signatureExpiryDays must be a number of days")
        elif norm in ("server", "interpreter", "trace", "enable", "serverpath"):
            continue  # editor-side settings (used by the VS Code extension)
        else:
            problems.append(f"{source}: unknown setting {key!r}")
    return Config(
        target,
        rules,
        distribution,
        debounce,
        default_csp,
        kaios3_manifest_csp,
        max_size,
        tuple(problems),
        secure_context,
        check_vendor_code,
        exclude,
        unreached_files,
        signature_expiry_days,
    )


_CSP_KEYS = {"2.5", "3.0", "2.5/privileged", "2.5/certified", "3.0/signed", "3.0/core"}


def _csp_key(key: str) -> str | None:
    """A ``defaultCsp`` key in its canonical form (``3`` and ``3.0`` are the same)."""
    version, _, column = key.strip().lower().partition("/")
    version = {"3": "3.0", "3.x": "3.0", "2": "2.5"}.get(version, version)
    canonical = f"{version}/{column}" if column else version
    return canonical if canonical in _CSP_KEYS else None


def find_project_file(start_dir: str) -> str | None:
    """The nearest ``kaios-lsp.toml`` (or pyproject with [tool.kaios-lsp]) at or above ``start_dir``."""
    current = os.path.abspath(start_dir)
    while True:
        for name in PROJECT_FILES:
            candidate = os.path.join(current, name)
            if os.path.isfile(candidate):
                if name == "pyproject.toml" and not _has_tool_table(candidate):
                    continue
                return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return "kaios-lsp" in tomllib.load(handle).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


def load_project_config(start_dir: str, base: Config | None = None) -> Config:
    """The configuration for files in ``start_dir``: defaults plus the project file."""
    base = base or Config()
    path = find_project_file(start_dir)
    if path is None:
        return base
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return replace(base, problems=(*base.problems, f"{path}: {exc}"))
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("kaios-lsp", {})
    return apply_settings(base, data, path)
