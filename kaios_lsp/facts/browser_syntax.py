"""Which browser versions parse which syntax, and browserslist's data resolved at build time
(``data/browser_syntax.json``, built by ``tools/build_browser_targets.py``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

DATA_DIR = Path(__file__).resolve().parent / "data"


class SyntaxFeature(TypedDict):
    es: int | None  # the ES edition (year) that standardised it
    versions: dict[str, str | None]  # browser -> first version that parses it


class Agent(TypedDict):
    released: list[str]
    unreleased: list[str]
    dates: dict[str, str]  # version -> release date (ISO)
    usage: dict[str, float]  # version -> global usage share (percent)


class Browserslist(TypedDict):
    source: str
    data_date: str
    aliases: dict[str, str]
    desktop: dict[str, str]  # mobile browser -> its desktop twin (mobileToDesktop)
    agents: dict[str, Agent]
    queries: dict[str, dict[str, list[str]]]  # query -> browser -> versions


class BrowserSyntax(TypedDict):
    source: str
    browsers: dict[str, str]
    features: dict[str, SyntaxFeature]
    browserslist: Browserslist


@lru_cache(maxsize=1)
def browser_syntax() -> BrowserSyntax:
    data: BrowserSyntax = json.loads((DATA_DIR / "browser_syntax.json").read_text("utf-8"))
    return data
