"""Files the manifest names (launch pages, icons, activity pages, the service worker) that are not in the app."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

from kaios_lsp.app.files import FileView
from kaios_lsp.app.links import (
    LINKED_MEMBERS,
    is_absolute_url,
    linked_paths,
    resolve_in_app,
)
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.rules.meta import Rule, reads

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI116",
        name="missing-file",
        title="Referenced file does not exist",
        severity=Severity.ERROR,
        category="Manifest",
        explanation="launch_path/start_url, icons, activity hrefs and the service worker script must exist in "
        "the app folder (file names are case-sensitive on the phone). A missing start page or "
        "worker is an error, a missing icon a warning. The fix corrects the letter case when a "
        "file matches except for case. Skipped for hosted mini-manifests (package_path).",
        bad='{"launch_path": "/Index.html"}',
        good='{"launch_path": "/index.html"}',
        fixable=True,
        fix_note="Corrects the letter case when exactly one file matches except for case (preferred); a file that does not exist at all has no mechanical fix.",
    ),
)


MISSING_FILE = "KAI116"


@reads(*LINKED_MEMBERS, "package_path")
def missing_files(ctx: ManifestContext) -> Iterable[Finding]:
    manifest = ctx.manifest
    root = manifest.app_root
    if root is None or manifest.node("package_path") is not None:
        return  # unsaved buffer, or a hosted app's mini-manifest: files live elsewhere
    effects = {
        "launch": ("the app opens an error page instead of its start page", Severity.ERROR),
        "icon": ("the launcher and store show no icon", Severity.WARNING),
        "worker": ("the service worker is never registered", Severity.ERROR),
        "activity": ("the activity opens an error page", Severity.ERROR),
        "message": ("the system message opens an error page", Severity.ERROR),
    }
    for where, node, role in linked_paths(manifest):
        ref: str = node.value  # type: ignore[assignment]  # linked_paths gives string nodes
        clean = ref.split("#", 1)[0].split("?", 1)[0].strip()
        if not clean or is_absolute_url(clean) or clean.startswith("//") or clean.endswith("/"):
            continue
        relative, target, inside = resolve_in_app(root, clean)
        effect, severity = effects[role]
        if not inside:
            yield Finding(
                MISSING_FILE,
                node.start,
                node.end,
                f"{where} points outside the app folder ({ref}): {effect}.",
                severity=severity,
            )
            continue
        if ctx.files.exists(target):
            continue
        corrected = _case_insensitive_match(ctx.files, root, relative)
        if corrected is None and _built_elsewhere(ctx, relative, role):
            continue  # the build creates or copies it into the package
        fixes: tuple[Fix, ...] = ()
        message = f"{where}: the file {json.dumps(ref)} does not exist in the app folder: {effect}."
        if corrected is not None:
            fixed_ref = ("/" if clean.startswith("/") else "") + corrected + ref[len(clean) :]
            message += f" Did you mean {json.dumps(fixed_ref)}? (File names on the phone are case-sensitive.)"
            fixes = (
                Fix.replace(
                    f"Change to {json.dumps(fixed_ref)}",
                    node.start,
                    node.end,
                    json.dumps(fixed_ref),
                    safe=True,
                ),
            )
        yield Finding(MISSING_FILE, node.start, node.end, message, fixes=fixes, severity=severity)


def _built_elsewhere(ctx: ManifestContext, relative: str, role: str) -> bool:
    """Build input: the package is written by the build, which creates or copies the
    files the manifest names. The file is fine when the build's output has it, when the
    project has a file of that name to copy, or (before the first build) when it is a
    page the build creates. A file found nowhere is still reported."""
    model = ctx.model
    if model is None or model.situation != "input" or model.build is None:
        return False
    from kaios_lsp.app.model import list_package  # (the app model imports these rules)

    outputs = [d for d in model.build.output_dirs if ctx.files.is_dir(d)]
    if any(ctx.files.exists(os.path.join(d, relative)) for d in outputs):
        return True
    name = "/" + relative.replace("\\", "/").rsplit("/", 1)[-1]
    project = list_package(model.build.root, ctx.files) or []
    if any(p.replace(os.sep, "/").endswith(name) for p in project if not model.build.in_output(p)):
        return True
    return not outputs and role != "icon"


def _case_insensitive_match(files: FileView, root: str, relative: str) -> str | None:
    """The existing path that differs from ``relative`` only in letter case."""
    current = root
    parts_out: list[str] = []
    for part in relative.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        names = files.list_dir(current)
        if names is None:
            return None
        if part in names:
            match = part
        else:
            matches = [n for n in names if n.lower() == part.lower()]
            if len(matches) != 1:
                return None
            match = matches[0]
        parts_out.append(match)
        current = os.path.join(current, match)
    corrected = "/".join(parts_out)
    return corrected if corrected != relative and files.exists(current) else None


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (missing_files,)
