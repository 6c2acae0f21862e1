"""Every quick fix is safe: applied to a whole app, it removes its finding and adds no
error or warning anywhere in the app, and it is not offered again.

The apps: every rule's flagged example (in its example app), the realistic manifests
(tests/data/apps), the demo apps, and the realistic projects with a build step
(tests/data/projects). Each offered fix is applied with the same code that plans a fix's
files for the editor and ``check --fix`` (cross-file edits and created files included),
then every file of the app is analysed again.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from kaios_lsp.config import Config
from kaios_lsp.engine import analyze_document
from kaios_lsp.rules.catalog import RULES
from kaios_lsp.services.fixes import planned_files
from kaios_lsp.settings import apply_settings
from kaios_lsp.workspace import iter_files
from tests.support.paths import ROOT

DATA = ROOT / "tests" / "data"
APPS = sorted(
    [ROOT / "examples" / "demo-app", ROOT / "examples" / "demo-app-3"]
    + [p for p in (DATA / "apps").iterdir() if p.is_dir()]
    + [p for p in (DATA / "projects").iterdir() if p.is_dir()]
    + [p for p in (DATA / "forgery").iterdir() if p.is_dir()]
)
ALARMING = ("error", "warning")
# Totals across every run of the harness, for the note ("how many fixes it applied").
APPLIED: Counter = Counter()


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def analyse_app(root: Path, config: Config | None = None) -> list[tuple[str, object]]:
    """(file relative to the app, finding) for every file ``check`` would analyse."""
    out = []
    for name in iter_files(str(root), "auto"):
        path = Path(name)
        text = _read(name)
        if text is None:
            continue
        for finding in analyze_document(str(path), text, config).findings:
            out.append((path.relative_to(root).as_posix(), finding))
    return out


def _alarms(findings) -> Counter:
    return Counter(f.rule for _, f in findings if f.severity.label in ALARMING)


def _alarm_places(findings, root: Path) -> set[tuple[str, int, int]]:
    return {
        (str(root / file), f.start, f.end) for file, f in findings if f.severity.label in ALARMING
    }


def _new_problems(findings, places: set[tuple[str, int, int]], root: Path):
    """Findings that are not an already reported problem seen from another file: a fix
    that makes a prompt permission grantable turns its KAI204 into a warning whose call
    site (related information) already has its KAI406."""
    return [
        (file, f)
        for file, f in findings
        if not any(r.path is not None and (r.path, r.start, r.end) in places for r in f.related)
    ]


def _fingerprint(fix) -> tuple:
    return (fix.title, tuple(e.new_text for c in fix.changes for e in c.edits))


def check_every_fix(root: Path, config: Config | None = None) -> int:
    """Apply each fix offered in the app at ``root`` (restoring the app after each one)
    and assert what a user may expect of it. Returns the number of fixes applied."""
    before = analyse_app(root, config)
    alarms = _alarms(before)
    messages = Counter((file, f.rule, f.message) for file, f in before)
    places = _alarm_places(before, root)
    applied = 0
    problems: list[str] = []
    for file, finding in before:
        for fix in finding.fixes:
            document = str(root / file)
            planned = planned_files(fix, document, _read)
            saved = {path: _read(path) for path in planned}
            try:
                for path, text in planned.items():
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                    Path(path).write_text(text, "utf-8")
                after = analyse_app(root, config)
            finally:
                for path, text in saved.items():
                    if text is None:
                        Path(path).unlink()
                    else:
                        Path(path).write_text(text, "utf-8")
            label = f"{root.name}/{file}: {fix.title!r} ({finding.rule})"
            worse = {
                rule: n
                for rule, n in _alarms(_new_problems(after, places, root)).items()
                if n > alarms[rule]
            }
            if worse:
                problems.append(f"{label} adds {worse}")
            key = (file, finding.rule, finding.message)
            still = Counter((f2, f.rule, f.message) for f2, f in after)[key]
            if still >= messages[key]:
                problems.append(f"{label} leaves its finding")
            again = [
                f
                for f2, f in after
                if f2 == file
                and f.rule == finding.rule
                and any(_fingerprint(g) == _fingerprint(fix) for g in f.fixes)
            ]
            if again:
                problems.append(f"{label} is offered again after it is applied")
            applied += 1
    APPLIED[root.name] += applied
    assert not problems, "\n".join(problems)
    return applied


@pytest.mark.parametrize("app", APPS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fix_of_a_realistic_app_is_safe(app: Path, tmp_path: Path) -> None:
    work = tmp_path / app.name
    shutil.copytree(app, work)
    check_every_fix(work)


EXAMPLES = [rule for rule in RULES.values() if rule.fixable]


@pytest.mark.parametrize("rule", EXAMPLES, ids=lambda r: r.id)
def test_every_fix_of_a_rule_example_is_safe(rule, tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "index.html").write_text("<!doctype html>")
    (app / "sw.js").write_text("self.addEventListener('systemmessage', () => {});")
    (app / "icons").mkdir()
    for size in (56, 112):
        (app / "icons" / f"{size}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    if rule.example_app:
        name, manifest = rule.example_app
        (app / name).write_text(manifest)
    (app / rule.example_file).write_text(rule.bad.replace("\\ufeff", "\ufeff"), "utf-8")
    config = (
        apply_settings(Config(), rule.example_settings, "example")
        if rule.example_settings
        else None
    )
    assert check_every_fix(app, config) >= 1, f"{rule.id}: its example offers no fix"
