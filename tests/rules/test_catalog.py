"""The rule catalog is complete and honest: every example does what the docs say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.rules.catalog import RULES, lookup, render_markdown, render_table
from kaios_lsp.services.fixes import apply_edits
from kaios_lsp.settings import apply_settings
from tests.support.paths import ROOT

# KAI008 (bytes that are not UTF-8) and KAI009 (200 levels of nesting) cannot be written
# as a short JSON example; tests/rules/manifest/test_manifest_rules.py covers them with generated input.
# KAI510-KAI514 judge a zip (application.zip), which no inline example can be: their
# examples are packages built and signed in tests/rules/package.
GENERATED_EXAMPLES = {"KAI008", "KAI009", "KAI510", "KAI511", "KAI512", "KAI513", "KAI514"}
EXAMPLE_RULES = [rule for rule in RULES.values() if rule.id not in GENERATED_EXAMPLES]


def _example_text(text: str) -> str:
    return text.replace("\\ufeff", "\ufeff")


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<!doctype html>")
    (tmp_path / "sw.js").write_text("self.addEventListener('systemmessage', () => {});")
    (tmp_path / "icons").mkdir()
    for size in (56, 112):
        (tmp_path / "icons" / f"{size}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return tmp_path


def _analyse(app: Path, file: str, text: str, settings: dict | None = None):
    config = apply_settings(Config(), settings, "example") if settings else None
    return analyze_document(str(app / file), text, config).findings


def _prepare(app: Path, rule) -> None:
    """Put the example in its app (the manifest that decides its type and policies)."""
    if rule.example_app:
        name, manifest = rule.example_app
        (app / name).write_text(manifest)


def _apply(app: Path, file: str, text: str, fix) -> str:
    """Apply a fix as an editor does: other files on disk, this document in memory."""
    for change in fix.changes:
        if change.path is None:
            continue
        target = Path(change.path)
        if change.create:
            assert not target.exists(), f"{fix.title!r} would overwrite {target}"
            target.write_text(change.content)
        else:
            target.write_text(apply_edits(target.read_text(), change.edits))
    return apply_edits(text, [e for c in fix.changes if c.path is None for e in c.edits])


@pytest.mark.parametrize("rule", EXAMPLE_RULES, ids=lambda r: r.id)
def test_bad_example_is_flagged_and_good_example_is_not(rule, app: Path) -> None:
    settings = rule.example_settings
    _prepare(app, rule)
    bad = [
        f
        for f in _analyse(app, rule.example_file, _example_text(rule.bad), settings)
        if f.rule == rule.id
    ]
    good = [
        f
        for f in _analyse(app, rule.example_file, _example_text(rule.good), settings)
        if f.rule == rule.id
    ]

    assert bad, f"{rule.id}: the 'flagged' example is not flagged"
    assert not good, f"{rule.id}: the 'fine' example is flagged: {[f.message for f in good]}"


@pytest.mark.parametrize("rule", EXAMPLE_RULES, ids=lambda r: r.id)
def test_every_fix_of_the_example_removes_its_finding(rule, app: Path) -> None:
    text = _example_text(rule.bad)
    settings = rule.example_settings
    _prepare(app, rule)
    findings = [f for f in _analyse(app, rule.example_file, text, settings) if f.rule == rule.id]
    fixes = [(finding, fix) for finding in findings for fix in finding.fixes]
    assert bool(fixes) == rule.fixable, f"{rule.id}: catalog says fixable={rule.fixable}"
    syntax_before = sum(
        1 for f in _analyse(app, rule.example_file, text, settings) if f.rule == "KAI001"
    )
    for finding, fix in fixes:
        snapshot = {p: p.read_bytes() for p in app.rglob("*") if p.is_file()}
        fixed = _apply(app, rule.example_file, text, fix)
        after = _analyse(app, rule.example_file, fixed, settings)
        same_place = [
            f
            for f in after
            if f.rule == rule.id
            and fixed[f.start : f.end] == text[finding.start : finding.end]
            and f.message == finding.message
        ]
        assert not same_place, f"{rule.id}: fix {fix.title!r} left the finding in place"
        assert sum(1 for f in after if f.rule == "KAI001") <= syntax_before, (
            f"{rule.id}: {fix.title!r} broke the JSON"
        )
        for path in app.rglob("*"):  # undo the fix's other files before the next fix
            if path.is_file() and path not in snapshot:
                path.unlink()
        for path, data in snapshot.items():
            path.write_bytes(data)


def test_every_rule_id_used_in_the_code_is_in_the_catalog() -> None:
    used = set()
    for path in (ROOT / "kaios_lsp").rglob("*.py"):
        used.update(re.findall(r'"(KAI\d{3})"', path.read_text("utf-8")))
    for path in (ROOT / "kaios_lsp" / "facts" / "data").rglob("*.json"):
        used.update(re.findall(r'"(KAI\d{3})"', path.read_text("utf-8")))
    assert used - set(RULES) == set()


def test_rules_are_well_formed() -> None:
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))
    for rule in RULES.values():
        assert re.fullmatch(r"KAI\d{3}", rule.id)
        assert re.fullmatch(r"[a-z0-9-]+", rule.name)
        assert rule.title and len(rule.explanation) > 40
        assert lookup(rule.id.lower()) is rule and lookup(rule.name) is rule


def test_generated_rule_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert committed == render_markdown(), "run: kaios-lsp rules --format markdown > docs/rules.md"


def test_readme_rule_table_is_up_to_date() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index("<!-- rules:start -->\n") + len("<!-- rules:start -->\n")
    end = readme.index("<!-- rules:end -->")
    assert readme[start:end] == render_table()


def test_every_rule_without_a_fix_says_why() -> None:
    """Fix coverage: a rule either offers a fix or its docs say why none is mechanical."""
    missing = [r.id for r in RULES.values() if not r.fixable and len(r.fix_note) < 30]
    assert not missing, f"rules without a fix and without a reason: {missing}"
    silent = [r.id for r in RULES.values() if len(r.fix_note) < 30]
    assert not silent, f"rules whose docs do not say what their fix does: {silent}"
    assert "**Quick fix:** No mechanical fix" in render_markdown()
