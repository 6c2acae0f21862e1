"""Which browser versions parse which syntax, and browserslist's data resolved at build time
(``data/browser_syntax.json``, built by ``tools/build_browser_targets.py``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def browser_syntax() -> dict:
    return json.loads((DATA_DIR / "browser_syntax.json").read_text("utf-8"))
