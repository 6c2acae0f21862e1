"""Did-you-mean suggestions for misspelled names and values."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache


def _normalise(text: str) -> str:
    return text.lower().replace("-", "_").replace(" ", "_")


def edit_distance(a: str, b: str, limit: int = 8) -> int:
    """Optimal string alignment distance (a transposition counts as one edit).

    Stops early and returns ``limit + 1`` once every path is over ``limit``.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = i
        for j, cb in enumerate(b, 1):
            value = previous[j - 1] if ca == cb else previous[j - 1] + 1
            if previous[j] + 1 < value:
                value = previous[j] + 1
            if current[j - 1] + 1 < value:
                value = current[j - 1] + 1
            if (
                i > 1
                and j > 1
                and ca == b[j - 2]
                and a[i - 2] == cb
                and previous2[j - 2] + 1 < value
            ):
                value = previous2[j - 2] + 1
            current[j] = value
            if value < row_min:
                row_min = value
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def closest(word: str, candidates: Iterable[str], max_results: int = 3) -> list[str]:
    """Candidates close enough to ``word`` to be what the user meant, best first.

    Cached: while the user types, the same unknown word is looked up again and again.
    """
    return list(_closest(word, tuple(candidates), max_results))


@lru_cache(maxsize=4096)
def _closest(word: str, candidates: tuple[str, ...], max_results: int) -> tuple[str, ...]:
    """Candidates close enough to ``word`` to be what the user meant, best first.

    Case, ``-``/``_`` and space differences are free; otherwise about one edit per
    three characters is allowed, so "orientaton" finds "orientation" but "abc" does not
    find "type".
    """
    target = _normalise(word)
    scored: list[tuple[int, int, str]] = []
    for candidate in candidates:
        if candidate == word:
            continue
        norm = _normalise(candidate)
        if norm == target:
            scored.append((0, 0, candidate))
            continue
        allowed = max(1, min(len(target), len(norm)) // 3)
        distance = edit_distance(target, norm, allowed)
        if distance <= allowed:
            scored.append((distance, abs(len(norm) - len(target)), candidate))
        elif len(target) >= 4 and (norm.startswith(target) or target.startswith(norm)):
            # A prefix typed so far ("launch" -> "launch_path").
            scored.append((allowed + 1, abs(len(norm) - len(target)), candidate))
    scored.sort()
    return tuple(candidate for _, _, candidate in scored[:max_results])
