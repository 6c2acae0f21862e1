"""Benchmark kaios-lsp against a bare pygls server: edit, completion and hover latency,
responsiveness during a big analysis, start-up and memory.

    python bench/run.py [--iterations N] [--requests N] [--busy-runs N]
                        [--baseline bench/baseline.json] [--save-baseline]
                        [--output bench/results.md]

For each scenario (a 2 KB and a 50 KB manifest.webapp, and a 2 KB one of an app with
500 KB of scripts and three pages) both servers run side by side:
kaios-lsp (``python -m kaios_lsp``, ``debounceMs: 0``) and the bare pygls server in
``bench/bare_server.py``. The benchmark sends single-character incremental didChange
notifications and measures the time until the publishDiagnostics for that version
arrives. Measurements alternate between the two servers in small blocks, so machine
noise hits both alike and the ours/bare ratio stays meaningful on a busy machine.

Then kaios-lsp answers completion and hover requests at fixed cursor positions of both
manifests (the bare server gives the request floor: an empty completion list), and
finally completion on the 2 KB manifest is timed while kaios-lsp analyses a 5 MB
manifest in its background thread. See bench/README.md for how to read the results.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fixtures import (
    PROBES,
    Fixture,
    Probe,
    edit_offset,
    edit_position,
    half_typed_edits,
    make_app,
    make_scripted_app,
    manifest_huge,
    manifest_large,
    manifest_scripted,
    manifest_small,
    position_at,
)
from lsp_driver import Json, LspDriver, path_to_uri, single_char_edit

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_BASELINE = BENCH_DIR / "baseline.json"
DEFAULT_OUTPUT = BENCH_DIR / "results.md"
BLOCK = 25  # measured edits per server before switching to the other one
REGRESSION_LIMIT = 25.0  # percent of p50

# Targets from bench/README.md.
TARGET_SMALL_P50_MS = 5.0
TARGET_SMALL_RATIO = 2.0
TARGET_LARGE_P50_MS = 25.0
TARGET_COMPLETION_P95_MS = 20.0

METHODS = {"completion": "textDocument/completion", "hover": "textDocument/hover"}
BUSY_IDLE_REQUESTS = 60  # idle completions on the small manifest before each busy run


@dataclass(frozen=True)
class Server:
    """A server under test."""

    key: str
    label: str
    command: list[str]
    init_options: dict[str, Any] | None


@dataclass
class Scenario:
    """One document and how many edits to measure on it."""

    key: str
    fixture: Fixture
    iterations: int
    warmup: int
    make: Callable[[str, Fixture], str] = make_app  # writes the app, returns the manifest
    requests: bool = True  # also measure completion and hover on it


@dataclass
class Session:
    """A running server with one open document per scenario."""

    server: Server
    driver: LspDriver
    versions: dict[str, int] = field(default_factory=dict)
    diagnostics: dict[str, int] = field(default_factory=dict)
    open_ms: dict[str, float] = field(default_factory=dict)


SERVERS = (
    Server("ours", "kaios-lsp", [sys.executable, "-m", "kaios_lsp"], {"debounceMs": 0}),
    Server("bare", "bare pygls", [sys.executable, str(BENCH_DIR / "bare_server.py")], None),
)


# -- statistics ------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(samples_ms: list[float]) -> dict[str, float]:
    """p50/p95/max/mean of a list of milliseconds."""
    return {
        "n": len(samples_ms),
        "p50_ms": percentile(samples_ms, 50),
        "p95_ms": percentile(samples_ms, 95),
        "max_ms": max(samples_ms, default=float("nan")),
        "mean_ms": statistics.fmean(samples_ms) if samples_ms else float("nan"),
    }


# -- machine ---------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    """CPU model, cores, load, Python and library versions."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 0,
        "load_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "pygls": version("pygls"),
        "lsprotocol": version("lsprotocol"),
        "kaios_lsp": version("kaios-lsp"),
        "platform": platform.platform(terse=True),
    }


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores (load {info['load_1m']} at start), "
        f"Python {info['python']}, pygls {info['pygls']}, lsprotocol {info['lsprotocol']}, "
        f"kaios-lsp {info['kaios_lsp']}, {info['platform']}"
    )


# -- measuring -------------------------------------------------------------------------


def start_session(server: Server, root: str) -> Session:
    driver = LspDriver(server.command, cwd=root)
    driver.start()
    driver.initialize(path_to_uri(root), server.init_options)
    return Session(server, driver)


def open_document(session: Session, scenario: Scenario, path: str) -> None:
    """didOpen and wait for the first diagnostics (their latency is kept too)."""
    uri = path_to_uri(path)
    session.versions[scenario.key] = 1
    sent = session.driver.did_open(uri, scenario.fixture.text, 1)
    params, arrived = session.driver.wait_for_diagnostics(uri, 1, timeout=60)
    session.open_ms[scenario.key] = (arrived - sent) * 1000
    session.diagnostics[scenario.key] = len(params.get("diagnostics", []))


def edit_block(session: Session, scenario: Scenario, path: str, count: int) -> list[float]:
    """``count`` didChange edits, each awaited; their latencies in milliseconds."""
    uri = path_to_uri(path)
    line, character = edit_position(scenario.fixture.text)
    latencies: list[float] = []
    gc.disable()  # no collection pauses in this client while timing
    try:
        for _ in range(count):
            version = session.versions[scenario.key] + 1
            step = version - 1  # odd: insert, even: delete again
            seconds, params = session.driver.change_latency(
                uri, version, single_char_edit(step, line, character)
            )
            session.versions[scenario.key] = version
            session.diagnostics[scenario.key] = len(params.get("diagnostics", []))
            latencies.append(seconds * 1000)
    finally:
        gc.enable()
    return latencies


def expected_text(scenario: Scenario, version: int) -> str:
    """The document text after ``version - 1`` alternating edits."""
    text = scenario.fixture.text
    if (version - 1) % 2 == 0:
        return text
    offset = edit_offset(text)
    return text[:offset] + "x" + text[offset:]


def run_scenario(
    sessions: list[Session], scenario: Scenario, path: str, log: Callable[[str], None]
) -> dict[str, list[float]]:
    """Warm up, then measure both servers in alternating blocks."""
    for session in sessions:
        open_document(session, scenario, path)
    for session in sessions:
        edit_block(session, scenario, path, scenario.warmup)
    samples: dict[str, list[float]] = {s.server.key: [] for s in sessions}
    round_number = 0
    while any(len(v) < scenario.iterations for v in samples.values()):
        order = sessions if round_number % 2 == 0 else list(reversed(sessions))
        for session in order:
            key = session.server.key
            count = min(BLOCK, scenario.iterations - len(samples[key]))
            if count > 0:
                samples[key] += edit_block(session, scenario, path, count)
        round_number += 1
        gc.collect()
        log(".")
    return samples


def measure_startup(
    runs: int, root: str, manifest: Scenario, path: str, log: Callable[[str], None]
) -> dict[str, dict[str, list[float]]]:
    """For fresh server processes, alternating the servers, in milliseconds: process
    start to the initialize response, and process start to the first diagnostics of
    ``manifest`` (opened right after ``initialized``)."""
    times: dict[str, dict[str, list[float]]] = {
        s.key: {"initialize": [], "first_diagnostics": []} for s in SERVERS
    }
    uri = path_to_uri(path)
    for run in range(runs):
        order = SERVERS if run % 2 == 0 else tuple(reversed(SERVERS))
        for server in order:
            driver = LspDriver(server.command, cwd=root)
            driver.start()
            try:
                driver.initialize(path_to_uri(root), server.init_options)
                driver.did_open(uri, manifest.fixture.text, 1)
                _, arrived = driver.wait_for_diagnostics(uri, 1, timeout=60)
                times[server.key]["initialize"].append(driver.initialize_seconds * 1000)
                times[server.key]["first_diagnostics"].append((arrived - driver.started_at) * 1000)
            finally:
                driver.close()
        log(".")
    return times


def check_scenario(ours: Session, bare: Session, scenario: Scenario, path: str) -> list[str]:
    """Sanity checks after a scenario: kaios-lsp's copy of the document (asked with
    ``kaios/documentText``) matches ours, and only kaios-lsp found something."""
    problems = []
    version = ours.versions[scenario.key]
    result = ours.driver.request("kaios/documentText", {"uri": path_to_uri(path)})
    if not isinstance(result, dict):
        problems.append(f"{scenario.key}: kaios/documentText returned {result!r}")
    elif result.get("version") != version or result.get("text") != expected_text(scenario, version):
        problems.append(
            f"{scenario.key}: kaios-lsp's text differs from the client's at version {version}"
        )
    if ours.diagnostics[scenario.key] == 0:
        problems.append(
            f"{scenario.key}: kaios-lsp published no diagnostics (the fixture has mistakes)"
        )
    if bare.diagnostics[scenario.key] != 0:
        problems.append(f"{scenario.key}: the bare server published diagnostics")
    return problems


# -- completion and hover -------------------------------------------------------------


def _lsp_range(text: str, start: int, end: int) -> dict[str, Json]:
    (start_line, start_char), (end_line, end_char) = (
        position_at(text, start),
        position_at(text, end),
    )
    return {
        "start": {"line": start_line, "character": start_char},
        "end": {"line": end_line, "character": end_char},
    }


def lsp_changes(
    text: str, edits: list[tuple[int, int, str]]
) -> tuple[list[dict[str, Json]], list[dict[str, Json]], str]:
    """Incremental ``contentChanges`` making ``edits`` (applied in order), the changes that
    undo them, and the edited text."""
    forward: list[dict[str, Json]] = []
    backward: list[dict[str, Json]] = []
    for start, end, new in edits:
        forward.append({"range": _lsp_range(text, start, end), "text": new})
        old = text[start:end]
        text = text[:start] + new + text[end:]
        backward.insert(0, {"range": _lsp_range(text, start, start + len(new)), "text": old})
    return forward, backward, text


@dataclass
class Asker:
    """Sends the requests of some probes on one version of one document."""

    driver: LspDriver
    uri: str
    text: str
    probes: list[Probe]
    problems: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._positions = {p.key: position_at(self.text, p.offset(self.text)) for p in self.probes}

    def ask(self, probe: Probe, where: str = "", check: bool = True) -> tuple[float, int]:
        """One request at ``probe``: (milliseconds, items or hover characters). An empty or
        malformed answer is recorded in :attr:`problems` (unless ``check`` is false)."""
        line, character = self._positions[probe.key]
        extra: dict[str, Json] | None = None
        if probe.method == "completion":
            trigger = probe.before[-1] if probe.before[-1] in '":' else None
            extra = {
                "context": {"triggerKind": 2, "triggerCharacter": trigger}
                if trigger
                else {"triggerKind": 1}
            }
        result, sent, received = self.driver.position_request(
            METHODS[probe.method], self.uri, line, character, extra
        )
        size, problem = _answer_size(probe, result)
        if problem and check:
            self.problems.add(f"{where}{probe.key}: {problem}")
        return (received - sent) * 1000, size


def _answer_size(probe: Probe, result: Json) -> tuple[int, str | None]:
    """Items of a CompletionList, or characters of a hover's Markdown; and what is wrong."""
    if probe.method == "completion":
        if not isinstance(result, dict) or not isinstance(result.get("items"), list):
            return 0, f"expected a CompletionList, got {type(result).__name__}"
        items = result["items"]
        return len(items), None if items else "the CompletionList has no items"
    contents = result.get("contents") if isinstance(result, dict) else None
    value = contents.get("value") if isinstance(contents, dict) else None
    if not isinstance(value, str) or not value:
        return 0, f"expected a hover with MarkupContent, got {result!r:.80}"
    return len(value), None


def open_and_wait(driver: LspDriver, uri: str, text: str, timeout: float = 120) -> int:
    """didOpen (version 1) and wait for its diagnostics; their count."""
    driver.did_open(uri, text, 1)
    params, _ = driver.wait_for_diagnostics(uri, 1, timeout=timeout)
    return len(params.get("diagnostics", []))


def measure_requests(
    ours: Session,
    bare: Session,
    fixture: Fixture,
    path: str,
    rounds: int,
    warmup: int,
    log: Callable[[str], None],
) -> tuple[dict[str, Any], list[str]]:
    """Completion and hover latency at every probe of one manifest (kaios-lsp), and the
    request floor (an empty completion list from the bare server).

    Each round asks every probe once, so noise spreads evenly over them. The probes of
    the fixture's own text come first; then one didChange makes the half-typed version
    for the others, and a last didChange restores the text, which is then checked."""
    uri = path_to_uri(path)
    for session in (ours, bare):
        open_and_wait(session.driver, uri, fixture.text)
    forward, backward, half_text = lsp_changes(fixture.text, half_typed_edits(fixture.text))
    samples: dict[str, list[float]] = {p.key: [] for p in PROBES}
    sizes: dict[str, set[int]] = {p.key: set() for p in PROBES}
    floor: list[float] = []
    problems: set[str] = set()
    version = 1
    root_member = next(p for p in PROBES if p.key == "root-member")
    floor_asker = Asker(bare.driver, uri, fixture.text, [root_member])
    gc.disable()
    try:
        for half_typed, text in ((False, fixture.text), (True, half_text)):
            if half_typed:
                version += 1
                ours.driver.did_change(uri, version, forward)
                ours.driver.wait_for_diagnostics(uri, version)
            probes = [p for p in PROBES if p.half_typed == half_typed]
            asker = Asker(ours.driver, uri, text, probes)
            for number in range(warmup + rounds):
                for probe in probes:
                    ms, size = asker.ask(probe)
                    if number >= warmup:
                        samples[probe.key].append(ms)
                        sizes[probe.key].add(size)
                if not half_typed:
                    ms, _ = floor_asker.ask(root_member, check=False)
                    if number >= warmup:
                        floor.append(ms)
                if number % BLOCK == BLOCK - 1:
                    gc.collect()
                    log(".")
            problems |= asker.problems
        version += 1
        ours.driver.did_change(uri, version, backward)
        ours.driver.wait_for_diagnostics(uri, version)
    finally:
        gc.enable()
    copy = ours.driver.request("kaios/documentText", {"uri": uri})
    if (
        not isinstance(copy, dict)
        or copy.get("version") != version
        or copy.get("text") != fixture.text
    ):
        problems.add("kaios-lsp's text differs from the client's after the half-typed edits")
    for session in (ours, bare):
        session.driver.did_close(uri)
    entry: dict[str, Any] = {
        "name": fixture.name,
        "size_bytes": fixture.size,
        "rounds": rounds,
        "warmup": warmup,
        "probes": {},
        "floor": {**summarize(floor), "samples_ms": [round(v, 4) for v in floor]},
    }
    for probe in PROBES:
        entry["probes"][probe.key] = {
            "label": probe.label,
            "method": probe.method,
            "half_typed": probe.half_typed,
            **summarize(samples[probe.key]),
            "sizes": sorted(sizes[probe.key]),
            "samples_ms": [round(v, 4) for v in samples[probe.key]],
        }
    completion = [v for p in PROBES if p.method == "completion" for v in samples[p.key]]
    entry["completion"] = summarize(completion)
    entry["ratio_p50"] = entry["completion"]["p50_ms"] / entry["floor"]["p50_ms"]
    return entry, sorted(f"{fixture.name}, {p}" for p in problems)


def measure_busy(
    ours: Session,
    small: Fixture,
    small_path: str,
    big: Fixture,
    big_path: str,
    runs: int,
    log: Callable[[str], None],
) -> tuple[dict[str, Any], list[str]]:
    """Completion on the small manifest while kaios-lsp analyses the big one.

    Run 0 opens the big manifest and only waits for its diagnostics (the analysis
    alone). Each further run first asks :data:`BUSY_IDLE_REQUESTS` idle completions,
    then sends the big manifest's didOpen and, right after it, completions on the small
    manifest (rotating over the probes of the fixture's own text) until the big
    manifest's publishDiagnostics has arrived. The big manifest is then closed again."""
    small_uri, big_uri = path_to_uri(small_path), path_to_uri(big_path)
    open_and_wait(ours.driver, small_uri, small.text)
    probes = [p for p in PROBES if p.method == "completion" and not p.half_typed]
    asker = Asker(ours.driver, small_uri, small.text, probes)
    for number in range(40):  # warm-up
        asker.ask(probes[number % len(probes)])
    out: list[dict[str, Any]] = []
    for run in range(runs + 1):
        quiet = run == 0
        idle = (
            []
            if quiet
            else [asker.ask(probes[i % len(probes)])[0] for i in range(BUSY_IDLE_REQUESTS)]
        )
        gc.collect()
        gc.disable()
        try:
            opened = ours.driver.did_open(big_uri, big.text, 1)
            written = time.perf_counter()
            during: list[float] = []
            sent_at: list[float] = []
            while not quiet and ours.driver.diagnostics_arrived(big_uri, 1) is None:
                sent_at.append((time.perf_counter() - opened) * 1000)
                during.append(
                    asker.ask(probes[len(during) % len(probes)], "during the big analysis, ")[0]
                )
            params, arrived = ours.driver.wait_for_diagnostics(big_uri, 1, timeout=600)
        finally:
            gc.enable()
        ours.driver.did_close(big_uri)
        # Wait until the server has handled the didClose (a request queued behind it), so
        # that work does not land in the next idle sample. (The closed document's tree is
        # cyclic: its memory only comes back with a later full collection of the cyclic
        # GC, which then happens during the next run, as it would in an editor.)
        ours.driver.request("kaios/documentText", {"uri": small_uri})
        out.append(
            {
                "quiet": quiet,
                "write_ms": (written - opened) * 1000,
                "analysis_ms": (arrived - opened) * 1000,
                "diagnostics": len(params.get("diagnostics", [])),
                "idle_ms": [round(v, 4) for v in idle],
                "during_ms": [round(v, 4) for v in during],
                "sent_after_open_ms": [round(v, 2) for v in sent_at],
            }
        )
        log(".")
    ours.driver.did_close(small_uri)
    problems = sorted(asker.problems)
    if any(r["diagnostics"] == 0 for r in out):
        problems.append(
            f"{big.name}: kaios-lsp published no diagnostics (the fixture has mistakes)"
        )
    busy = [r for r in out if not r["quiet"]]
    result: dict[str, Any] = {
        "name": big.name,
        "size_bytes": big.size,
        "small_name": small.name,
        "runs": out,
        "idle": summarize([v for r in busy for v in r["idle_ms"]]),
        "during": summarize([v for r in busy for v in r["during_ms"]]),
        "first": summarize([r["during_ms"][0] for r in busy if r["during_ms"]]),
    }
    return result, problems


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement, as the JSON-able result."""

    def log(text: str) -> None:
        print(text, end="", file=sys.stderr, flush=True)

    small_n = args.iterations or 200
    large_n = args.iterations or 100
    scenarios = [
        Scenario("2kb", manifest_small(), small_n, args.warmup),
        Scenario("50kb", manifest_large(), large_n, args.warmup),
        Scenario(
            "scripted",
            manifest_scripted(),
            small_n,
            args.warmup,
            make=make_scripted_app,
            requests=False,
        ),
    ]
    edits_only = bool(args.scenario)  # only the edit latency of the scenarios asked for
    if edits_only:
        scenarios = [s for s in scenarios if s.key in args.scenario]
    info = machine_info()
    result: dict[str, Any] = {
        "format": 2,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": info,
        "block": BLOCK,
        "warmup": args.warmup,
        "scenarios": {},
    }
    with tempfile.TemporaryDirectory(prefix="kaios-lsp-bench-") as root:
        paths = {}
        for scenario in scenarios:
            paths[scenario.key] = scenario.make(
                os.path.join(root, f"app-{scenario.key}"), scenario.fixture
            )

        if not edits_only:
            log(f"start-up ({args.startup_runs} runs per server) ")
            startup = measure_startup(
                args.startup_runs, root, scenarios[0], paths[scenarios[0].key], log
            )
            result["startup"] = {
                key: {what: {**summarize(v), "samples_ms": v} for what, v in kinds.items()}
                for key, kinds in startup.items()
            }
            log("\n")

        sessions = [start_session(server, root) for server in SERVERS]
        ours, bare = sessions
        problems: list[str] = []
        try:
            for scenario in scenarios:
                log(
                    f"{scenario.fixture.name}: {scenario.warmup} warm-up + {scenario.iterations} edits per server "
                )
                samples = run_scenario(sessions, scenario, paths[scenario.key], log)
                log("\n")
                entry: dict[str, Any] = {
                    "name": scenario.fixture.name,
                    "size_bytes": scenario.fixture.size,
                }
                for session in sessions:
                    key = session.server.key
                    entry[key] = {
                        **summarize(samples[key]),
                        "diagnostics": session.diagnostics[scenario.key],
                        "open_ms": session.open_ms[scenario.key],
                        "samples_ms": [round(v, 4) for v in samples[key]],
                    }
                entry["ratio_p50"] = entry["ours"]["p50_ms"] / entry["bare"]["p50_ms"]
                entry["ratio_p95"] = entry["ours"]["p95_ms"] / entry["bare"]["p95_ms"]
                result["scenarios"][scenario.key] = entry
                problems += check_scenario(ours, bare, scenario, paths[scenario.key])
                for session in sessions:  # scenarios stay independent
                    session.driver.did_close(path_to_uri(paths[scenario.key]))
            if edits_only:
                result["problems"] = problems
                return result
            log(
                f"completion and hover: {args.request_warmup} warm-up + {args.requests} "
                "rounds per manifest "
            )
            result["requests"] = {}
            for scenario in scenarios:
                if not scenario.requests:
                    continue
                entry, found = measure_requests(
                    ours,
                    bare,
                    scenario.fixture,
                    paths[scenario.key],
                    args.requests,
                    args.request_warmup,
                    log,
                )
                result["requests"][scenario.key] = entry
                problems += found
            log("\n")
            # Before the big manifest, so this stays comparable with older runs.
            result["rss_peak_kb"] = {s.server.key: s.driver.proc_status("VmHWM") for s in sessions}

            big = manifest_huge()
            big_path = make_app(os.path.join(root, "app-5mb"), big)
            log(
                f"{big.name} ({big.size:,} B): analysed alone, then {args.busy_runs} times "
                f"under completion requests on the {scenarios[0].fixture.name} "
            )
            busy, found = measure_busy(
                ours,
                scenarios[0].fixture,
                paths[scenarios[0].key],
                big,
                big_path,
                args.busy_runs,
                log,
            )
            busy["rss_peak_kb"] = ours.driver.proc_status("VmHWM")
            result["busy"] = busy
            problems += found
            log("\n")
            result["problems"] = problems
            result["server_requests"] = {
                s.server.key: dict(s.driver.server_requests) for s in sessions
            }
        finally:
            for session in sessions:
                session.driver.close()
    return result


# -- reporting -------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _change(now: float, before: float | None) -> str:
    if not before:
        return "n/a"
    return f"{(now / before - 1) * 100:+.0f} %"


def regressions(result: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """kaios-lsp p50 values more than REGRESSION_LIMIT percent above the baseline."""
    found = []
    for key, entry in result["scenarios"].items():
        old = baseline.get("scenarios", {}).get(key)
        if not old:
            continue
        now, before = entry["ours"]["p50_ms"], old["ours"]["p50_ms"]
        change = (now / before - 1) * 100
        if change > REGRESSION_LIMIT:
            ratio_change = (entry["ratio_p50"] / old["ratio_p50"] - 1) * 100
            note = (
                "the ours/bare ratio also rose"
                if ratio_change > REGRESSION_LIMIT
                else "but the ours/bare ratio did not: probably machine noise"
            )
            found.append(
                f"{entry['name']}: kaios-lsp p50 {_ms(before)} -> {_ms(now)} ms "
                f"({change:+.0f} %; ratio {old['ratio_p50']:.2f}x -> {entry['ratio_p50']:.2f}x, {note})"
            )
    for key, entry in result.get("requests", {}).items():
        old_entry = baseline.get("requests", {}).get(key)
        if not old_entry:
            continue
        for probe_key, stats in entry["probes"].items():
            old = old_entry["probes"].get(probe_key)
            if not old or not old.get("p50_ms"):
                continue
            now, before = stats["p50_ms"], old["p50_ms"]
            change = (now / before - 1) * 100
            if change > REGRESSION_LIMIT:
                ratio_now = now / entry["floor"]["p50_ms"]
                ratio_before = before / old_entry["floor"]["p50_ms"]
                note = (
                    "the ratio to the request floor also rose"
                    if (ratio_now / ratio_before - 1) * 100 > REGRESSION_LIMIT
                    else "but the ratio to the request floor did not: probably machine noise"
                )
                found.append(
                    f"{entry['name']}, {stats['label']}: p50 {_ms(before)} -> {_ms(now)} ms "
                    f"({change:+.0f} %; floor ratio {ratio_before:.2f}x -> {ratio_now:.2f}x, {note})"
                )
    return found


def _answer(stats: dict[str, Any]) -> str:
    sizes = stats.get("sizes") or [0]
    unit = "items" if stats["method"] == "completion" else "chars"
    value = f"{sizes[0]}" if len(sizes) == 1 else f"{sizes[0]}–{sizes[-1]}"
    return f"{value} {unit}"


def slowest_completion(entry: dict[str, Any]) -> dict[str, Any]:
    """The completion probe with the highest p95."""
    return max(
        (p for p in entry["probes"].values() if p["method"] == "completion"),
        key=lambda p: p["p95_ms"],
    )


def render_requests(result: dict[str, Any], baseline: dict[str, Any] | None) -> list[str]:
    """The idle completion and hover table."""
    requests = result.get("requests")
    if not requests:
        return []
    first = next(iter(requests.values()))
    out = ["## Request latency: completion and hover → response", ""]
    out.append(
        "Time from writing the request to reading its response, asked one after another on an "
        "open, analysed manifest. Each round asks every position once; "
        f"{first['warmup']} warm-up rounds discarded. Positions marked *half-typed* are asked "
        'on a version made by one didChange that inserts a key being typed (`"per`, no closing '
        'quote, colon or value) on a new line and corrects `"orientaton"` to `"orientation"`; '
        "a second didChange restores the text. *answer*: completion items, or characters of "
        "the hover's Markdown. *Floor*: the bare pygls server answering the same completion "
        "request with an empty list (the cost of a request round trip)."
    )
    out.append("")
    header = "| Manifest | Request at | n | answer | p50 ms | p95 ms | max ms |"
    rule = "|---|---|---:|---:|---:|---:|---:|"
    if baseline is not None:
        header += " p50 vs baseline |"
        rule += "---:|"
    out += [header, rule]
    for key, entry in requests.items():
        old_entry = (baseline or {}).get("requests", {}).get(key, {})
        rows: list[tuple[str, dict[str, Any], str, float | None]] = []
        for probe_key, stats in entry["probes"].items():
            label = stats["label"] + (" *(half-typed)*" if stats["half_typed"] else "")
            old = old_entry.get("probes", {}).get(probe_key, {})
            rows.append((label, stats, _answer(stats), old.get("p50_ms")))
        rows.append(
            (
                "*every completion position together*",
                entry["completion"],
                "",
                old_entry.get("completion", {}).get("p50_ms"),
            )
        )
        rows.append(
            (
                "*floor: bare pygls, empty completion list*",
                entry["floor"],
                "0 items",
                old_entry.get("floor", {}).get("p50_ms"),
            )
        )
        for position, (label, stats, answer, before) in enumerate(rows):
            name = f"{entry['name']} ({entry['size_bytes']:,} B)" if position == 0 else ""
            row = (
                f"| {name} | {label} | {stats['n']} | {answer} | {_ms(stats['p50_ms'])} | "
                f"{_ms(stats['p95_ms'])} | {_ms(stats['max_ms'])} |"
            )
            if baseline is not None:
                row += f" {_change(stats['p50_ms'], before)} |"
            out.append(row)
        row = (
            f"| | **completion / floor** | | | **{entry['ratio_p50']:.2f}x** | "
            f"**{entry['completion']['p95_ms'] / entry['floor']['p95_ms']:.2f}x** | |"
        )
        if baseline is not None:
            row += f" {_change(entry['ratio_p50'], old_entry.get('ratio_p50'))} (ratio) |"
        out.append(row)
    out.append("")
    return out


def render_busy(result: dict[str, Any], baseline: dict[str, Any] | None) -> list[str]:
    """Completion on the small manifest while the big one is analysed."""
    busy = result.get("busy")
    if not busy:
        return []
    old = (baseline or {}).get("busy", {})
    out = [f"## Completion while a {busy['name'].split(' manifest')[0]} manifest is analysed", ""]
    out.append(
        f"The {busy['name']} ({busy['size_bytes']:,} B, thousands of locales) is opened while "
        f"the {busy['small_name']} is open. kaios-lsp analyses documents over 256 K characters "
        "in a background thread. Right after the big manifest's didOpen, completion requests "
        f"on the {busy['small_name']} (rotating over the positions of its own text, see above) "
        "are sent one after another until the big manifest's publishDiagnostics arrives. Run 0 "
        "sends no requests: the analysis alone. *idle* is the same requests just before each "
        "run; *first* is the first request after each didOpen (it waits for the server to take "
        "in the 5 MB message)."
    )
    out.append("")
    header = f"| Completion on the {busy['small_name']} | n | p50 ms | p95 ms | max ms |"
    rule = "|---|---:|---:|---:|---:|"
    if baseline is not None:
        header += " p50 vs baseline |"
        rule += "---:|"
    out += [header, rule]
    for what, label in (
        ("idle", "idle, just before each run"),
        ("during", f"**during the {busy['name'].split(' manifest')[0]} analysis**"),
        ("first", "first request after each didOpen"),
    ):
        stats = busy[what]
        row = (
            f"| {label} | {stats['n']} | {_ms(stats['p50_ms'])} | {_ms(stats['p95_ms'])} | "
            f"{_ms(stats['max_ms'])} |"
        )
        if baseline is not None:
            row += f" {_change(stats['p50_ms'], old.get(what, {}).get('p50_ms'))} |"
        out.append(row)
    out += [
        "",
        "| Run | didOpen written (ms) | didOpen → diagnostics (ms) | diagnostics | "
        "completions during | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for number, run in enumerate(busy["runs"]):
        during = run["during_ms"]
        if run["quiet"]:
            stats_cells = "— | — | — | —"
        else:
            stats = summarize(during)
            stats_cells = (
                f"{stats['n']} | {_ms(stats['p50_ms'])} | {_ms(stats['p95_ms'])} | "
                f"{_ms(stats['max_ms'])}"
            )
        label = f"{number} (no requests)" if run["quiet"] else str(number)
        out.append(
            f"| {label} | {_ms(run['write_ms'])} | {_ms(run['analysis_ms'])} | "
            f"{run['diagnostics']} | {stats_cells} |"
        )
    out.append("")
    return out


def render(result: dict[str, Any], baseline: dict[str, Any] | None) -> str:
    """The Markdown report."""
    labels = {s.key: s.label for s in SERVERS}
    out = ["# kaios-lsp benchmark", ""]
    out.append(f"{result['date']} — {machine_line(result['machine'])}")
    out.append("")
    out.append("## Edit latency: didChange → matching publishDiagnostics")
    out.append("")
    out.append(
        f"Single-character incremental edits inside a JSON string, {result['warmup']} warm-up edits "
        f"per server discarded, servers measured in alternating blocks of {result['block']}. "
        "kaios-lsp runs with `debounceMs: 0`."
    )
    out.append("")
    header = "| Scenario | Server | n | p50 ms | p95 ms | max ms | diagnostics |"
    rule = "|---|---|---:|---:|---:|---:|---:|"
    if baseline is not None:
        header += " p50 vs baseline |"
        rule += "---:|"
    out += [header, rule]
    for key, entry in result["scenarios"].items():
        old = (baseline or {}).get("scenarios", {}).get(key, {})
        for position, server in enumerate(("ours", "bare")):
            stats = entry[server]
            name = f"{entry['name']} ({entry['size_bytes']:,} B)" if position == 0 else ""
            row = (
                f"| {name} | {labels[server]} | {stats['n']} | {_ms(stats['p50_ms'])} | "
                f"{_ms(stats['p95_ms'])} | {_ms(stats['max_ms'])} | {stats['diagnostics']} |"
            )
            if baseline is not None:
                before = old.get(server, {}).get("p50_ms")
                change = _change(stats["p50_ms"], before)
                if (
                    before
                    and server == "ours"
                    and (stats["p50_ms"] / before - 1) * 100 > REGRESSION_LIMIT
                ):
                    change += " **REGRESSION**"
                row += f" {change} |"
            out.append(row)
        row = f"| | **ours / bare** | | **{entry['ratio_p50']:.2f}x** | **{entry['ratio_p95']:.2f}x** | | |"
        if baseline is not None:
            row += f" {_change(entry['ratio_p50'], old.get('ratio_p50'))} (ratio) |"
        out.append(row)
    out.append("")

    out += render_requests(result, baseline)
    out += render_busy(result, baseline)

    small, large = result["scenarios"].get("2kb"), result["scenarios"].get("50kb")
    targets = []
    if small is not None:
        targets += [
            (
                f"2 KB manifest p50 ≤ {TARGET_SMALL_P50_MS:g} ms",
                f"{_ms(small['ours']['p50_ms'])} ms",
                small["ours"]["p50_ms"] <= TARGET_SMALL_P50_MS,
            ),
            (
                f"2 KB manifest p50 within {TARGET_SMALL_RATIO:g}x of bare pygls",
                f"{small['ratio_p50']:.2f}x",
                small["ratio_p50"] <= TARGET_SMALL_RATIO,
            ),
        ]
    if large is not None:
        targets.append(
            (
                f"50 KB manifest p50 ≤ {TARGET_LARGE_P50_MS:g} ms",
                f"{_ms(large['ours']['p50_ms'])} ms",
                large["ours"]["p50_ms"] <= TARGET_LARGE_P50_MS,
            )
        )
    scripted = result["scenarios"].get("scripted")
    if scripted is not None:
        targets.append(
            (
                f"2 KB manifest of an app with scripts and pages p50 within "
                f"{TARGET_SMALL_RATIO:g}x of bare pygls",
                f"{scripted['ratio_p50']:.2f}x",
                scripted["ratio_p50"] <= TARGET_SMALL_RATIO,
            )
        )
    for entry in result.get("requests", {}).values():
        slowest = slowest_completion(entry)
        targets.append(
            (
                f"{entry['name']}: completion p95 ≤ {TARGET_COMPLETION_P95_MS:g} ms, idle, "
                "at every position",
                f"{_ms(slowest['p95_ms'])} ms (slowest: {slowest['label'].split(':')[0]})",
                slowest["p95_ms"] <= TARGET_COMPLETION_P95_MS,
            )
        )
    busy = result.get("busy")
    if busy:
        targets.append(
            (
                f"{busy['small_name']}: completion p95 ≤ {TARGET_COMPLETION_P95_MS:g} ms while "
                f"the {busy['name']} is analysed",
                f"{_ms(busy['during']['p95_ms'])} ms",
                busy["during"]["p95_ms"] <= TARGET_COMPLETION_P95_MS,
            )
        )
    out += ["## Targets", "", "| Target | Measured | Status |", "|---|---:|---|"]
    out += [f"| {name} | {value} | {'pass' if ok else '**FAIL**'} |" for name, value, ok in targets]
    out.append("")

    if "startup" not in result:  # --scenario: the edit latency only
        if result["problems"]:
            out += ["**Problems:**", ""] + [f"- {n}" for n in result["problems"]] + [""]
        return "\n".join(out)
    startup, rss = result["startup"], result["rss_peak_kb"]
    out += [
        "## Start-up and memory",
        "",
        "| | kaios-lsp | bare pygls | ours / bare |",
        "|---|---:|---:|---:|",
    ]
    for what, label in (
        ("initialize", "process start → initialize response"),
        ("first_diagnostics", f"process start → first diagnostics ({small['name']})"),
    ):
        ours_s, bare_s = startup["ours"][what], startup["bare"][what]
        out.append(
            f"| {label}, p50 of {ours_s['n']} starts (ms) | {_ms(ours_s['p50_ms'])} | "
            f"{_ms(bare_s['p50_ms'])} | {ours_s['p50_ms'] / bare_s['p50_ms']:.2f}x |"
        )
    if rss.get("ours") and rss.get("bare"):
        out.append(
            f"| peak RSS (VmHWM) after the edit and request scenarios (MB) | "
            f"{rss['ours'] / 1024:.1f} | {rss['bare'] / 1024:.1f} | {rss['ours'] / rss['bare']:.2f}x |"
        )
    if busy and busy.get("rss_peak_kb"):
        out.append(
            f"| peak RSS (VmHWM) after the {busy['name']} analyses (MB) | "
            f"{busy['rss_peak_kb'] / 1024:.1f} | | |"
        )
    out.append("")

    notes = list(result.get("problems", []))
    if baseline is not None:
        found = regressions(result, baseline)
        out.append(
            f"Compared with the baseline of {baseline.get('date', '?')} "
            f"({machine_line(baseline['machine']) if 'machine' in baseline else 'unknown machine'})."
        )
        out.append("")
        if found:
            out += (
                ["**Regressions (p50 more than 25 % slower):**", ""]
                + [f"- {f}" for f in found]
                + [""]
            )
        else:
            out += ["No p50 regression over 25 %.", ""]
    if notes:
        out += ["**Problems:**", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(out)


# -- command line ----------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--iterations",
        type=int,
        metavar="N",
        help="measured edits per server and scenario (default: 200 for 2 KB, 100 for 50 KB)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=30,
        metavar="N",
        help="discarded warm-up edits per server and scenario (default: 30)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=100,
        metavar="N",
        help="measured rounds of completion and hover requests per manifest; a round asks "
        "every position once (default: 100)",
    )
    parser.add_argument(
        "--request-warmup",
        type=int,
        default=10,
        metavar="N",
        help="discarded warm-up rounds of requests per manifest (default: 10)",
    )
    parser.add_argument(
        "--busy-runs",
        type=int,
        default=3,
        metavar="N",
        help="analyses of the 5 MB manifest with completion requests running meanwhile "
        "(default: 3; one more runs without requests)",
    )
    parser.add_argument(
        "--startup-runs",
        type=int,
        default=5,
        metavar="N",
        help="server starts per server for the start-up time (default: 5)",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=("2kb", "50kb", "scripted"),
        help="measure only the edit latency of this scenario (repeatable); skips start-up, "
        "requests, the 5 MB analyses and memory",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="compare with a result saved by --save-baseline",
    )
    parser.add_argument(
        "--save-baseline",
        type=Path,
        nargs="?",
        const=DEFAULT_BASELINE,
        metavar="FILE",
        help="write the raw numbers as JSON (default file: bench/baseline.json)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        metavar="FILE",
        help="also write the Markdown report here (default: bench/results.md)",
    )
    parser.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit with status 1 when --baseline shows a regression",
    )
    args = parser.parse_args(argv)
    if args.iterations is not None and args.iterations < 1:
        parser.error("--iterations must be at least 1")
    if args.warmup < 0 or args.startup_runs < 1:
        parser.error("--warmup must be >= 0 and --startup-runs >= 1")
    if args.requests < 1 or args.request_warmup < 0 or args.busy_runs < 1:
        parser.error("--requests and --busy-runs must be >= 1, --request-warmup >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    baseline = None
    if args.baseline is not None:
        baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
    started = time.perf_counter()
    result = run_benchmark(args)
    result["duration_s"] = round(time.perf_counter() - started, 1)
    report = render(result, baseline)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report + "\n", encoding="utf-8")
    if args.save_baseline is not None:
        args.save_baseline.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"\nSaved the raw numbers to {args.save_baseline}", file=sys.stderr)
    if result.get("problems"):
        return 2
    if args.fail_on_regression and baseline is not None and regressions(result, baseline):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
