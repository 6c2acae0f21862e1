"""Benchmark kaios-lsp against a bare pygls server: edit latency, start-up and memory.

    python bench/run.py [--iterations N] [--baseline bench/baseline.json]
                        [--save-baseline] [--output bench/results.md]

For each scenario (a 2 KB and a 50 KB manifest.webapp) both servers run side by side:
kaios-lsp (``python -m kaios_lsp``, ``debounceMs: 0``) and the bare pygls server in
``bench/bare_server.py``. The benchmark sends single-character incremental didChange
notifications and measures the time until the publishDiagnostics for that version
arrives. Measurements alternate between the two servers in small blocks, so machine
noise hits both alike and the ours/bare ratio stays meaningful on a busy machine.
See bench/README.md for how to read the results.
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

from fixtures import Fixture, edit_offset, edit_position, make_app, manifest_large, manifest_small
from lsp_driver import LspDriver, path_to_uri, single_char_edit

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_BASELINE = BENCH_DIR / "baseline.json"
DEFAULT_OUTPUT = BENCH_DIR / "results.md"
BLOCK = 25  # measured edits per server before switching to the other one
REGRESSION_LIMIT = 25.0  # percent of p50

# Targets from bench/README.md.
TARGET_SMALL_P50_MS = 5.0
TARGET_SMALL_RATIO = 2.0
TARGET_LARGE_P50_MS = 25.0


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
        "max_ms": max(samples_ms),
        "mean_ms": statistics.fmean(samples_ms),
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


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement, as the JSON-able result."""

    def log(text: str) -> None:
        print(text, end="", file=sys.stderr, flush=True)

    small_n = args.iterations or 200
    large_n = args.iterations or 100
    scenarios = [
        Scenario("2kb", manifest_small(), small_n, args.warmup),
        Scenario("50kb", manifest_large(), large_n, args.warmup),
    ]
    info = machine_info()
    result: dict[str, Any] = {
        "format": 1,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": info,
        "block": BLOCK,
        "warmup": args.warmup,
        "scenarios": {},
    }
    with tempfile.TemporaryDirectory(prefix="kaios-lsp-bench-") as root:
        paths = {}
        for scenario in scenarios:
            paths[scenario.key] = make_app(
                os.path.join(root, f"app-{scenario.key}"), scenario.fixture
            )

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
            result["problems"] = problems
            result["rss_peak_kb"] = {s.server.key: s.driver.proc_status("VmHWM") for s in sessions}
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
    return found


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

    small, large = result["scenarios"]["2kb"], result["scenarios"]["50kb"]
    targets = [
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
        (
            f"50 KB manifest p50 ≤ {TARGET_LARGE_P50_MS:g} ms",
            f"{_ms(large['ours']['p50_ms'])} ms",
            large["ours"]["p50_ms"] <= TARGET_LARGE_P50_MS,
        ),
    ]
    out += ["## Targets", "", "| Target | Measured | Status |", "|---|---:|---|"]
    out += [f"| {name} | {value} | {'pass' if ok else '**FAIL**'} |" for name, value, ok in targets]
    out.append("")

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
            f"| peak RSS (VmHWM) after the scenarios (MB) | {rss['ours'] / 1024:.1f} | "
            f"{rss['bare'] / 1024:.1f} | {rss['ours'] / rss['bare']:.2f}x |"
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
        "--startup-runs",
        type=int,
        default=5,
        metavar="N",
        help="server starts per server for the start-up time (default: 5)",
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
