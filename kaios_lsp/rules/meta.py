"""What a rule declares about itself, as ESLint's ``meta``: id, name, default severity,
category, the explanation and the flagged/fine examples the docs and tests are built from."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

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


@cache
def _modules(package: str) -> tuple[Any, ...]:
    """The package and every module under it, in module-name order (walked once: each
    walk lists the folders again)."""
    root = importlib.import_module(package)
    names = sorted(info.name for info in pkgutil.walk_packages(root.__path__, package + "."))
    return (root, *(importlib.import_module(name) for name in names))


@cache
def collect(package: str, attribute: str) -> tuple[Any, ...]:
    """What the modules under ``package`` declare as ``attribute``, in module-name order.

    A rule module registers its checks by declaring them (``MANIFEST_CHECKS``,
    ``PAGE_CHECKS``, ``SCRIPT_CHECKS``...): adding a rule touches no list elsewhere."""
    found: list[Any] = []
    for module in _modules(package):
        declared = getattr(module, attribute, ())
        if isinstance(declared, (tuple, list, set, frozenset)):
            found.extend(declared)
        else:  # one item (a function computing a table on first use, say)
            found.append(declared)
    return tuple(found)


RuleFunction = TypeVar("RuleFunction", bound=Callable[..., Any])


def reads(*members: str, present: tuple[str, ...] = ()) -> Callable[[RuleFunction], RuleFunction]:
    """Declares the manifest members a manifest check's findings depend on: top-level
    names, and for KaiOS 3.0 the names inside ``b2g_features`` (a check that reads
    ``permissions`` names it once, whichever version it is). A keystroke inside a string
    of no member it reads reuses its findings (``manifest_reuse.Reuse``); the app model and
    the other files are checked apart. A check that declares nothing runs every time.
    ``present`` names members whose presence alone it reads (only a renamed member
    changes that). The property tests in tests/test_manifest_reuse.py hold every
    declaration to account."""

    def declare(check: RuleFunction) -> RuleFunction:
        check.reads = frozenset(members)  # type: ignore[attr-defined]
        check.reads_present = frozenset(present)  # type: ignore[attr-defined]
        return check

    return declare


def reads_of(check: Callable[..., Any]) -> frozenset[str] | None:
    """What :func:`reads` declared for ``check`` (``None``: everything)."""
    return getattr(check, "reads", None)


def reads_present_of(check: Callable[..., Any]) -> frozenset[str]:
    """The members whose presence alone ``check`` reads (see :func:`reads`)."""
    return getattr(check, "reads_present", frozenset())
