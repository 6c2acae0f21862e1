"""Benchmark the JavaScript analysis (issue 6 targets).

    python bench/js_files.py [--runs N] [--busy-runs N]

1. Parser speed: esprima and tree-sitter on the same ES2017 code (MB/s).
2. Analysis alone (in process) of 10 KB, 100 KB and 1 MB scripts of a privileged app.
3. Keystroke -> diagnostics through the real server (stdio, debounceMs 0) in 10 KB and
   100 KB scripts: a character typed into a comment and deleted again.
4. Completion, hover and typing (keystroke -> diagnostics) in the app's manifest while a
   1 MB bundle is being analysed (the bundle goes to the analysis worker process; target
   p95 <= 20 ms). Each manifest keystroke also makes the bundle due for re-analysis.
5. ``kaios-lsp check`` over an app with 5 MB of JavaScript, serial and with one process
   per core (target <= 15 s on 2 cores).

The scripts are copies of tests/data/js/es2017 (real-looking KaiOS code, each wrapped in a
function), so every rule has work to do. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_driver import LspDriver, path_to_uri

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "data" / "js" / "es2017").glob("*.js"))
MANIFEST = {
    "name": "Bench",
    "description": "Benchmark app",
    "type": "privileged",
    "launch_path": "/index.html",
    "permissions": {"alarms": {"description": "Wake up"}},
}


def script(target_chars: int) -> str:
    parts, size, n = [], 0, 0
    while size < target_chars:
        code = CORPUS[n % len(CORPUS)].read_text("utf-8")
        part = f"// copy {n}\n(function () {{\n{code}\n}})();\n"
        parts.append(part)
        size += len(part)
        n += 1
    return "".join(parts)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {pct(values, 0.95):.1f}"


def parser_speed(text: str, runs: int) -> tuple[float, float]:
    from kaios_lsp.parse.js.esprima_front import parse_esprima
    from kaios_lsp.parse.js.treesitter_front import parse_treesitter

    out = []
    for parse in (parse_esprima, parse_treesitter):
        parse(text)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            parse(text)
            times.append(time.perf_counter() - start)
        out.append(len(text) / 1e6 / statistics.median(times))
    return out[0], out[1]


def analyse_times(path: str, text: str, runs: int) -> tuple[list[float], int]:
    from kaios_lsp.engine import analyze_document

    analyze_document(path, text)
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = len(analyze_document(path, text).findings)
        times.append((time.perf_counter() - start) * 1000)
    return times, count


def keystrokes(lsp: LspDriver, path: str, text: str, runs: int) -> list[float]:
    uri = path_to_uri(path)
    lsp.did_open(uri, text, 1, language_id="javascript")
    lsp.wait_for_diagnostics(uri, 1, timeout=300)
    at = {"line": 0, "character": len("// copy 0")}
    latencies = []
    for version in range(2, runs + 2):
        if version % 2 == 0:
            change = {"range": {"start": at, "end": at}, "text": "x"}
        else:
            end = {"line": 0, "character": at["character"] + 1}
            change = {"range": {"start": at, "end": end}, "text": ""}
        seconds, _params = lsp.change_latency(uri, version, change, timeout=300)
        latencies.append(seconds * 1000)
    lsp.did_close(uri)
    return latencies


def busy(lsp: LspDriver, root: str, bundle: str, runs: int) -> dict[str, list[float]]:
    manifest_path = os.path.join(root, "manifest.webapp")
    manifest_uri = path_to_uri(manifest_path)
    text = Path(manifest_path).read_text("utf-8")
    lsp.did_open(manifest_uri, text, 1)
    lsp.wait_for_diagnostics(manifest_uri, 1, timeout=60)
    key = text.index('"alarms"') + 2
    line = text.count("\n", 0, key)
    character = key - (text.rfind("\n", 0, key) + 1)
    bundle_uri = path_to_uri(os.path.join(root, "bundle.js"))
    result: dict[str, list[float]] = {
        "idle": [],
        "completion": [],
        "hover": [],
        "typing": [],
        "analysis": [],
    }
    version = 1

    def type_in_manifest() -> float:
        nonlocal version
        version += 1
        at = {"line": line, "character": character}
        if version % 2 == 0:
            change = {"range": {"start": at, "end": at}, "text": "x"}
        else:
            end = {"line": line, "character": character + 1}
            change = {"range": {"start": at, "end": end}, "text": ""}
        seconds, _params = lsp.change_latency(manifest_uri, version, change, timeout=60)
        return seconds * 1000

    def ask(method: str) -> float:
        _r, sent, received = lsp.position_request(method, manifest_uri, line, character)
        return (received - sent) * 1000

    for _ in range(30):
        result["idle"].append(ask("textDocument/completion"))
    for _run in range(runs):
        opened = lsp.did_open(bundle_uri, bundle, 1, language_id="javascript")
        while lsp.diagnostics_arrived(bundle_uri, 1) is None:
            result["completion"].append(ask("textDocument/completion"))
            result["hover"].append(ask("textDocument/hover"))
            result["typing"].append(type_in_manifest())
        _params, arrived = lsp.wait_for_diagnostics(bundle_uri, 1, timeout=300)
        result["analysis"].append((arrived - opened) * 1000)
        lsp.did_close(bundle_uri)
        lsp.request("kaios/documentText", {"uri": manifest_uri})
    return result


def check_times(root: str) -> tuple[float, float, str]:
    out = []
    summary = ""
    for jobs in ("1", "0"):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "kaios_lsp", "check", root, "--jobs", jobs],
            capture_output=True,
            text=True,
        )
        out.append(time.perf_counter() - start)
        summary = done.stdout.strip().splitlines()[-1]
    return out[0], out[1], summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--busy-runs", type=int, default=5)
    args = parser.parse_args()
    sample = script(20_000)
    esprima_rate, treesitter_rate = parser_speed(sample, 10)
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("| parser (20 KB ES2017) | MB/s |\n|---|---|")
    print(
        f"| esprima | {esprima_rate:.2f} |\n| tree-sitter (parse + ESTree view) | {treesitter_rate:.1f} |\n"
    )
    with tempfile.TemporaryDirectory() as root:
        Path(root, "manifest.webapp").write_text(json.dumps(MANIFEST, indent=2), "utf-8")
        Path(root, "index.html").write_text("<!doctype html><script src='app.js'></script>")
        rows = []
        with LspDriver([sys.executable, "-m", "kaios_lsp"], cwd=root) as lsp:
            lsp.initialize(path_to_uri(root), {"debounceMs": 0})
            for label, size in (("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000)):
                text = script(size)
                path = os.path.join(root, f"script-{size}.js")
                Path(path).write_text(text, "utf-8")
                runs = args.runs if size < 500_000 else max(3, args.runs // 10)
                analyse, findings = analyse_times(path, text, runs)
                typed = keystrokes(lsp, path, text, runs) if size < 500_000 else None
                rows.append((label, len(text), findings, analyse, typed))
            bundle = script(1_000_000)
            Path(root, "bundle.js").write_text(bundle, "utf-8")
            during = busy(lsp, root, bundle, args.busy_runs)
        print(
            "| script | chars | findings | analyse p50 / p95 (ms) | keystroke → diagnostics p50 / p95 (ms) |"
        )
        print("|---|---|---|---|---|")
        for label, chars, findings, analyse, typed in rows:
            print(
                f"| {label} | {chars:,} | {findings} | {fmt(analyse)} | "
                f"{fmt(typed) if typed else 'in the worker process'} |"
            )
        print()
        print(
            "| manifest requests while a 1 MB bundle is analysed | n | p50 / p95 (ms) | max (ms) |"
        )
        print("|---|---|---|---|")
        for what in ("idle", "completion", "hover", "typing"):
            values = during[what]
            label = {
                "idle": "completion, nothing else running",
                "typing": "typing in the manifest: keystroke → diagnostics",
            }.get(what, what)
            print(f"| {label} | {len(values)} | {fmt(values)} | {max(values):.1f} |")
        print(f"\nBundle analysis (open → diagnostics): {fmt(during['analysis'])} ms p50 / p95.\n")
        for n in range(40):
            Path(root, f"js-{n}.js").write_text(script(100_000), "utf-8")
        Path(root, "bundle.js").write_text(script(1_000_000), "utf-8")
        total = sum(p.stat().st_size for p in Path(root).glob("*.js"))
        serial, parallel, summary = check_times(root)
        print(f"| kaios-lsp check, {total / 1e6:.1f} MB of JavaScript | seconds |\n|---|---|")
        print(f"| one process (--jobs 1) | {serial:.1f} |")
        print(f"| one process per core (default) | {parallel:.1f} |")
        print(f"\n({summary})")


if __name__ == "__main__":
    main()
