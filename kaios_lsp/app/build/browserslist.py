"""Browserslist queries resolved to the lowest version of each browser, as browserslist
4.29.6 does (with the query results and agents of ``facts/data/browser_syntax.json``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kaios_lsp.facts.browser_syntax import browser_syntax


def version_key_of(version: str | float) -> tuple[int, ...] | None:
    """``"10.1"`` -> (10, 1); ``"3.0-3.1"`` -> (3,); trailing zeros dropped; None if no number."""
    text = repr(version) if isinstance(version, float) else str(version)
    m = re.match(r"\d+(?:\.\d+)*", text.split("-")[0].strip())
    if not m:
        return None
    parts = [int(p) for p in m.group().split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def as_float(version: str) -> float | None:
    m = re.match(r"\d+(?:\.\d+)?", version.split("-")[0])
    return float(m.group()) if m else None


class _Unresolved(Exception):
    """A query (or config) this module cannot resolve; args[0] says why."""


_ATOM_CACHE: dict[str, frozenset[str]] = {}


def _agent(name: str) -> tuple[str, list[str], list[str]] | None:
    """(canonical name, released versions, all versions) as browserslist ``byName`` with
    ``mobileToDesktop``; None for an unknown browser."""
    bl = browser_syntax()["browserslist"]
    key = name.lower()
    key = bl["aliases"].get(key, key)
    agents = bl["agents"]
    if key not in agents:
        return None
    desktop = bl["desktop"].get(key)
    if desktop and key == "android":
        legacy = [v for v in agents[key]["released"] if re.match(r"^(?:[2-4]\.|[34]$)", v)]
        chrome = agents["chrome"]["released"]
        evergreen = chrome[chrome.index("37") :] if "37" in chrome else chrome
        return key, legacy + evergreen, legacy + evergreen
    source = agents[desktop] if desktop else agents[key]
    return key, source["released"], source["released"] + source["unreleased"]


def _precomputed(key: str) -> frozenset[str]:
    table = browser_syntax()["browserslist"]["queries"].get(key)
    if table is None:
        raise _Unresolved(f"browserslist query `{key}` is not in the shipped data")
    return frozenset(f"{b} {v}" for b, versions in table.items() for v in versions)


_SIGNS = {
    ">": float.__gt__,
    ">=": float.__ge__,
    "<": float.__lt__,
    "<=": float.__le__,
}


def _compare(sign: str, version: str, bound: str) -> bool:
    """browserslist ``generateFilter``: parseFloat, the upper end of a range for > and >=."""
    value = as_float(version.split("-")[-1]) if sign in (">", ">=") else as_float(version)
    limit = as_float(bound)
    return value is not None and limit is not None and _SIGNS[sign](value, limit)


def _usage_select(sign: str, percent: float) -> frozenset[str]:
    out = set()
    for name, agent in browser_syntax()["browserslist"]["agents"].items():
        for version, share in agent["usage"].items():
            usage = float(share)
            if _SIGNS[sign](usage, percent):
                out.add(f"{name} {version}")
    return frozenset(out)


def _cover(percent: float) -> frozenset[str]:
    """browserslist ``coverQuery`` on global usage."""
    usage = [
        (u, f"{name} {v}")
        for name, agent in browser_syntax()["browserslist"]["agents"].items()
        for v, u in agent["usage"].items()
    ]
    usage.sort(key=lambda item: -item[0])
    total, out = 0.0, set()
    for share, item in usage:
        if share == 0:
            break
        total += share
        out.add(item)
        if total >= percent:
            break
    return frozenset(out)


def _checked_agent(name: str) -> tuple[str, list[str], list[str]]:
    agent = _agent(name)
    if agent is None:
        raise _Unresolved(f"unknown browser `{name}` in browserslist query")
    return agent


def _select(query: str) -> frozenset[str]:
    """The "browser version" items of one browserslist clause (no ``not``)."""
    q = re.sub(r"\s+", " ", query.strip())
    low = q.lower()
    if m := re.fullmatch(r"last (\d+) (?:major )?versions?", low):
        return _precomputed(low if low.endswith("s") else low + "s")
    if re.fullmatch(r"last \d+ (?:electron|node) (?:major )?versions?", low):
        raise _Unresolved(f"`{q}` names electron/node releases, not browsers")
    if m := re.fullmatch(r"last (\d+) (\w+) major versions?", low):
        name, released, _ = _checked_agent(m.group(2))
        majors = sorted({int(float(as_float(v) or 0)) for v in released})[-int(m.group(1)) :]
        low_major = majors[0] if majors else 0
        return frozenset(f"{name} {v}" for v in released if (as_float(v) or 0) >= low_major)
    if m := re.fullmatch(r"last (\d+) (\w+) versions?", low):
        name, released, _ = _checked_agent(m.group(2))
        count = int(m.group(1))
        return frozenset(f"{name} {v}" for v in (released[-count:] if count else []))
    if low == "unreleased versions":
        return _precomputed(low)
    if m := re.fullmatch(r"unreleased (\w+) versions?", low):
        name, released, versions = _checked_agent(m.group(1))
        return frozenset(f"{name} {v}" for v in versions if v not in released)
    if re.fullmatch(r"last [\d.]+ years?", low):
        raise _Unresolved(f"`{q}` depends on today's date")
    if m := re.fullmatch(r"since (\d+)(?:-(\d+))?(?:-(\d+))?", low):
        since = f"{int(m.group(1)):04d}-{int(m.group(2) or 1):02d}-{int(m.group(3) or 1):02d}"
        bl = browser_syntax()["browserslist"]
        out = set()
        for name in bl["agents"]:  # release dates of the desktop browser with mobileToDesktop
            dates = bl["agents"][bl["desktop"].get(name, name)]["dates"]
            out |= {f"{name} {v}" for v, day in dates.items() if day >= since}
        return frozenset(out)
    if m := re.fullmatch(r"(>=?|<=?) ?(\d+|\d+\.\d+|\.\d+)%", low):
        return _usage_select(m.group(1), float(m.group(2)))
    if re.fullmatch(r"(>=?|<=?) ?(\d+|\d+\.\d+|\.\d+)% in .+", low):
        raise _Unresolved(f"`{q}` needs regional or custom usage statistics (not shipped)")
    if m := re.fullmatch(r"cover (\d+|\d+\.\d+|\.\d+)%", low):
        return _cover(float(m.group(1)))
    if re.fullmatch(r"cover .+ in .+", low):
        raise _Unresolved(f"`{q}` needs regional or custom usage statistics (not shipped)")
    if re.fullmatch(r"(?:(?:fully|partially) )?supports [\w-]+", low):
        return _precomputed(low)
    if low.startswith("electron"):
        raise _Unresolved(f"`{q}`: electron versions are not resolved")
    if m := re.fullmatch(r"node ?(?:(>=?|<=?) ?)?([\d.]+)(?: ?- ?[\d.]+)?", low):
        if m.group(1) in ("<", "<="):
            raise _Unresolved(f"`{q}`: an upper bound on node versions is not resolved")
        return frozenset({f"node {m.group(2)}"})
    if low in ("current node", "maintained node versions"):
        raise _Unresolved(f"`{q}` depends on the build machine or today's date")
    if m := re.fullmatch(r"(\w+) ([\d.]+) ?- ?([\d.]+)", low):
        name, released, _ = _checked_agent(m.group(1))
        lo, hi = m.group(2), m.group(3)
        return frozenset(
            f"{name} {v}" for v in released if _compare(">=", v, lo) and _compare("<=", v, hi)
        )
    if m := re.fullmatch(r"(\w+) ?(>=?|<=?) ?([\d.]+)", low):
        name, released, _ = _checked_agent(m.group(1))
        return frozenset(f"{name} {v}" for v in released if _compare(m.group(2), v, m.group(3)))
    if re.fullmatch(r"(\w+) ?(>=?|<=?) ?esr", low):
        raise _Unresolved(f"`{q}`: a range from the ESR version is not resolved")
    if re.fullmatch(r"(?:firefox|ff|fx) esr", low):
        return _precomputed("firefox esr")
    if re.search(r"(?:operamini|op_mini) all", low):
        return frozenset({"op_mini all"})
    if low == "phantomjs 1.9":
        return frozenset({"safari 5"})
    if low == "phantomjs 2.1":
        return frozenset({"safari 6"})
    if m := re.fullmatch(r"(\w+) (tp|[\d.]+)", low):
        name, _, versions = _checked_agent(m.group(1))
        version = m.group(2)
        if version == "tp":
            return frozenset({f"{name} TP"})
        alias = version + ".0" if "." not in version else re.sub(r"\.0$", "", version)
        for candidate in (version, alias):
            if candidate in versions:
                return frozenset({f"{name} {candidate}"})
            for v in versions:  # a joined range such as "15.2-15.3" or "3.0-3.1"
                if "-" in v and v.split("-")[0] == candidate:
                    return frozenset({f"{name} {v}"})
        if len(versions) == 1:
            return frozenset({f"{name} {versions[0]}"})
        raise _Unresolved(f"unknown version {version} of {name} in browserslist query")
    if low == "browserslist config":
        raise _Unresolved("`browserslist config` refers to a config this module does not follow")
    if low.startswith("extends "):
        raise _Unresolved(f"`{q}` is a shareable config in node_modules (not read)")
    if low in ("defaults", "dead"):
        return _precomputed(low)
    raise _Unresolved(f"unknown browserslist query `{q}`")


def _clauses(queries: list[str]) -> list[tuple[str, bool, str]]:
    """(compose, not, text) per clause, as browserslist ``parse.js``."""
    out: list[tuple[str, bool, str]] = []
    blocks: list[str] = []
    pending: list[str] = []
    for block in queries:
        if not block:
            continue
        pending.append(block)
        if re.search(r"(?:,|\s(?:and|or))\s*$", block, re.IGNORECASE) and block.strip(", "):
            continue
        blocks.append("\n".join(pending))
        pending = []
    if pending:
        blocks.append("\n".join(pending))
    for block in blocks:
        compose = "or"
        for piece in re.split(r"(,\s*|\s+and\s+|\s+or\s+)", block, flags=re.IGNORECASE):
            sep = piece.strip().lower()
            if sep in (",", "or") and re.fullmatch(r",\s*|\s+or\s+", piece, re.IGNORECASE):
                compose = "or"
                continue
            if sep == "and" and re.fullmatch(r"\s+and\s+", piece, re.IGNORECASE):
                compose = "and"
                continue
            text = piece.strip()
            if not text:
                if piece:
                    raise _Unresolved("empty clause in browserslist query")
                continue
            negate = re.match(r"not\s+(?!\s)", text, re.IGNORECASE)
            out.append((compose, bool(negate), text[negate.end() :] if negate else text))
    return out


def _evaluate(queries: list[str]) -> frozenset[str]:
    result: list[str] = []
    for index, (compose, negate, text) in enumerate(_clauses(queries)):
        if negate and index == 0:
            raise _Unresolved(f"browserslist query starts with `not {text}`")
        key = text.lower()
        if key not in _ATOM_CACHE:
            if len(_ATOM_CACHE) > 512:
                _ATOM_CACHE.clear()
            _ATOM_CACHE[key] = _select(text)
        items = _ATOM_CACHE[key]
        if not negate and compose == "or":
            result.extend(items)
        else:
            result = [item for item in result if (item in items) != negate]
    return frozenset(result)


def _lowest(items: Iterable[str]) -> dict[str, float]:
    """browser -> lowest version targeted (``all`` of Opera Mini counts as 0; TP is skipped)."""
    lowest: dict[str, float] = {}
    for item in items:
        name, _, version = item.partition(" ")
        if version == "TP":
            continue
        value = 0.0 if version == "all" else as_float(version)
        if value is None:
            continue
        lowest[name] = min(value, lowest.get(name, value))
    return lowest


def resolve_browserslist(query: str | list[str]) -> tuple[dict[str, float] | None, str | None]:
    """(browser -> lowest version, None) or (None, reason) for a browserslist query or list."""
    queries = [query] if isinstance(query, str) else list(query)
    if not all(isinstance(q, str) for q in queries):
        return None, "browserslist queries must be strings"
    try:
        items = _evaluate(queries)
    except _Unresolved as error:
        return None, error.args[0]
    except (KeyError, ValueError, IndexError, TypeError) as error:  # pragma: no cover - data bug
        return None, f"browserslist query could not be resolved ({error!r})"
    if not items:
        return None, "browserslist query selects no browsers (browserslist refuses it)"
    return _lowest(items), None


def parse_browserslistrc(text: str, env: str = "production") -> tuple[int, int, list[str]] | None:
    """(start, end, queries) of the section a build uses (``env``, else the lines before any
    section), browserslist ``parseConfig``/``pickEnv``; None when it has no queries."""
    sections: dict[str, list[tuple[int, int, str]]] = {"defaults": []}
    current = ["defaults"]
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.split("#", 1)[0]
        stripped = body.strip()
        section = re.fullmatch(r"\[\s*(.+?)\s*\]", stripped)
        if section:
            current = section.group(1).split()
            for name in current:
                sections.setdefault(name, [])
        elif stripped:
            offset = pos
            for part in body.split(","):
                if part.strip():
                    start = offset + len(part) - len(part.lstrip())
                    end = offset + len(part.rstrip())
                    for name in current:
                        sections[name].append((start, end, part.strip()))
                offset += len(part) + 1
        pos += len(line)
    chosen = sections.get(env) or sections["defaults"]
    if not chosen:
        return None
    return chosen[0][0], chosen[-1][1], [q for _, _, q in chosen]
