"""A manifest keystroke reuses what it cannot have changed, and nothing else.

The property test types into every kind of string of real app manifests (values and
member names, permissions, types, paths, URLs, CSP, placeholders) and checks after each
round of edits that the analysis reusing the last one's parts equals a fresh analysis.
Each rule's ``reads`` declaration (``rules.meta.reads``) is held to account here: a rule
that reads a member it does not declare gives a stale finding and fails this test.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaios_lsp import engine
from kaios_lsp.app.files import DiskFiles, OverlayFiles
from kaios_lsp.app.manifest import ANALYSIS, Manifest, load_manifest, manifest_kind
from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.incremental import patch_string_edit
from kaios_lsp.manifest_reuse import ManifestAnalysis, rule_key
from kaios_lsp.parse.json.nodes import Member, Node
from kaios_lsp.rules.manifest.schema_check import iter_nodes
from kaios_lsp.rules.meta import reads_of, reads_present_of
from tests.support.findings import finding_key
from tests.test_incremental import snapshot

ROOT = Path(__file__).parent
MANIFESTS = sorted(
    str(p)
    for folder in (ROOT / "data", ROOT.parent / "examples")
    for p in folder.rglob("manifest.web*")
)

# What typing can turn a string into: words that change what rules decide.
WORDS = [
    "privileged", "certified", "web", "core", "contacts", "geolocation", "camera",
    "device-storage:sdcard", "readwrite", "readonly", "/index.html", "index.html",
    "/missing.html", "http://example.com/", "https://example.com/app/", "app://x/y.html",
    "", "fullscreen", "standalone", "<%= pkg.name %>", "{{ title }}", "default-src 'self'",
    "script-src 'self' 'unsafe-eval'", "share", "view", "url", "text/plain", "spatial",
    "pointer", "high", "system", "mozbrowser", "serviceworker", "/sw.js", "en-US", "fr",
    "Demo 演示 🎧", "AKIAZ7Q2XK4M3N5P6R8T", "password=hunter2hunter2",
    "-----BEGIN RSA PRIVATE KEY-----MIIEow", "-----END RSA PRIVATE KEY-----", "-----END X-----",
    "https://user:pa55word@example.com/", "api_key", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
]  # fmt: skip
TYPED = "ax/._-:0é演🎧"


def strings_of(root: Node | None) -> list[Node]:
    """Every string node, member names included."""
    found: list[Node] = []
    for item in iter_nodes(root) if root is not None else ():
        if isinstance(item, Member):
            found.append(item.key)
        elif item.kind == "string":
            found.append(item)
    return found


def random_edit(manifest: Manifest, rng: random.Random) -> tuple[int, int, str] | None:
    """(start, end, new text) inside one string of the manifest."""
    strings = strings_of(manifest.root)
    if not strings:
        return None
    node = rng.choice(strings)
    first, last = node.start + 1, node.end - 1  # inside the quotes
    choice = rng.random()
    if choice < 0.4:
        at = rng.randint(first, last)
        return at, at, rng.choice(TYPED)
    if choice < 0.6 and last > first:
        at = rng.randint(first, last - 1)
        return at, at + 1, ""
    if isinstance(node.parent, Member) and node.parent.key is node and rng.random() < 0.5:
        return first, last, rng.choice(["name", "type", "permissions", "description", "x"])
    return first, last, rng.choice(WORDS)


def analyse(path: str, manifest: Manifest, config: Config):
    files = OverlayFiles({os.path.normpath(path): manifest.text}, DiskFiles())
    return analyze_document(path, manifest.text, config, files, manifest=manifest)


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: os.path.relpath(p, ROOT.parent))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 6))
def test_reusing_analysis_equals_a_fresh_one(path: str, seed: int, rounds: int) -> None:
    rng = random.Random(seed)
    text = Path(path).read_text("utf-8")
    config = Config()
    kind = manifest_kind(path, text)
    assert kind is not None
    manifest = load_manifest(text, path, kind)
    analyse(path, manifest, config)
    for _ in range(rounds):
        for _ in range(rng.randint(1, 3)):  # edits between analyses (a debounced burst)
            edit = random_edit(manifest, rng)
            if edit is None:
                return
            start, end, new = edit
            text = manifest.text[:start] + new + manifest.text[end:]
            patched = patch_string_edit(manifest, text, start, end, start + len(new))
            manifest = patched if patched is not None else load_manifest(text, path, kind)
        incremental = analyse(path, manifest, config)
        fresh = analyse(path, load_manifest(text, path, kind), config)
        assert [finding_key(f) for f in incremental.findings] == [
            finding_key(f) for f in fresh.findings
        ], f"after typing into {path}: {text}"


APP = ROOT / "data" / "apps" / "01-podcasts-privileged"


def test_a_description_keystroke_runs_only_the_checks_that_read_it(monkeypatch) -> None:
    """Typing in the description reruns the schema of that member and the checks that
    declare nothing; every check that declares what it reads is reused."""
    path = str(APP / "manifest.webapp")
    text = Path(path).read_text("utf-8")
    ran: list[str] = []

    def spied(check):
        def run(context):
            ran.append(rule_key(check))
            return check(context)

        run.__module__, run.__qualname__ = check.__module__, check.__qualname__
        if reads_of(check) is not None:
            run.reads = reads_of(check)  # type: ignore[attr-defined]
            run.reads_present = reads_present_of(check)  # type: ignore[attr-defined]
        return run

    monkeypatch.setattr(engine, "MANIFEST_CHECKS", tuple(map(spied, engine.MANIFEST_CHECKS)))
    config = Config()
    manifest = load_manifest(text, path, "webapp")
    first = analyse(path, manifest, config)
    assert isinstance(manifest.derived.get(ANALYSIS), ManifestAnalysis)
    ran.clear()
    at = text.index('"description": "') + len('"description": "')
    patched = patch_string_edit(manifest, text[:at] + "x" + text[at:], at, at, at + 1)
    assert patched is not None and patched.lineage is not None
    assert patched.lineage.members == {"description"}
    again = analyse(path, patched, config)
    expected = sorted(
        rule_key(c)
        for c in engine.MANIFEST_CHECKS
        if reads_of(c) is None or "description" in reads_of(c)  # type: ignore[operator]
    )
    assert sorted(ran) == expected
    assert len(expected) < len(engine.MANIFEST_CHECKS) // 2
    fresh = analyse(path, load_manifest(patched.text, path, "webapp"), config)
    assert [finding_key(f) for f in again.findings] == [finding_key(f) for f in fresh.findings]
    assert len(again.findings) == len(first.findings)
    # the members after the description were not even moved to their new offsets: that
    # waits until the diagnostics are out (the server settles then), or a reader
    assert patched._unsettled is not None
    assert snapshot(patched.tree) == snapshot(fresh.manifest.parsed.root)
    assert patched._unsettled is None


def test_the_store_check_reads_every_member_the_store_requires() -> None:
    from kaios_lsp.facts.schemas import load_schema
    from kaios_lsp.rules.manifest.store import store_requirements

    required = {
        name
        for kind in ("webapp", "webmanifest")
        for name in load_schema(f"manifest.{kind}").get("x-kaios-store-required", {})
    }
    assert required <= reads_present_of(store_requirements) | reads_of(store_requirements)
