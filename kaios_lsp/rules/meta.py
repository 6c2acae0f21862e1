"""What a rule declares about itself, as ESLint's ``meta``: id, name, default severity,
category, the explanation and the flagged/fine examples the docs and tests are built from."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kaios_lsp.findings import Severity


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    severity: Severity
    category: str
    explanation: str
    bad: str
    good: str
    fixable: bool = False
    example_file: str = "manifest.webapp"
    example_settings: dict[str, object] | None = (
        None  # settings the examples need (shown in the docs)
    )
    example_app: tuple[str, str] | None = (
        None  # (manifest file, text) of the app around the example
    )
    # what the quick fix does, or why no mechanical fix is possible (shown in the docs)
    fix_note: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.id.lower()}-{self.name}"


def resolver(rules: Iterable[Rule]) -> Callable[[str], Rule | None]:
    """Look a rule up by id (any case) or by name, as settings and suppression comments do."""
    rules = list(rules)
    by_id = {rule.id: rule for rule in rules}
    by_name = {rule.name: rule for rule in rules}

    def lookup(key: str) -> Rule | None:
        return by_id.get(key.strip().upper()) or by_name.get(key.strip().lower())

    return lookup
