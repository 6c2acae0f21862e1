"""kaios-lsp side by side with the peers a user would otherwise run for the same work.

    (cd bench/peers && npm ci)     # once: vscode-json-languageservice and ESLint from npm
    python bench/peers.py [--runs N]

In-process timings on the same input, one single-character edit per run (typed, then
deleted), parse + validate each time:

* manifests (2 KB and 50 KB, bench/fixtures.py): kaios-lsp's ``analyze_document`` (JSON
  parse, schema and every manifest rule) against vscode-json-languageservice validating with
  kaios-lsp's own JSON Schema (what VS Code's JSON support does with a ``$schema``);
* scripts (10 KB and 100 KB of real-looking KaiOS code, bench/js_files.py): kaios-lsp's
  JavaScript analysis (all KAI4xx rules) against ESLint with no-eval, no-implied-eval and
  no-new-func (the part of KAI402 ESLint can do).

Then the peak RSS of the kaios-lsp server after opening a whole 5 MB app (every script open
in the editor). Prints a Markdown table with ratios (ours / peer: below 1 means faster).
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

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from fixtures import manifest_large, manifest_small  # noqa: E402
from js_files import MANIFEST, script  # noqa: E402
from lsp_driver import LspDriver, path_to_uri  # noqa: E402

PEERS = BENCH / "peers"
SCHEMA = ROOT / "kaios_lsp" / "facts" / "data" / "schemas" / "manifest.webapp.schema.json"


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


def ours(path: str, text: str, runs: int) -> tuple[list[float], int]:
    from kaios_lsp.engine import analyze_document

    at = len(text) // 2
    typed = text[:at] + "x" + text[at:]
    for _ in range(10):
        analyze_document(path, typed)
        analyze_document(path, text)
    times, problems = [], 0
    for run in range(runs):
        variant = typed if run % 2 == 0 else text
        start = time.perf_counter()
        problems = len(analyze_document(path, variant).findings)
        times.append((time.perf_counter() - start) * 1000)
    return times, problems


def peer(*args: str) -> dict:
    done = subprocess.run(
        ["node", str(PEERS / "peers.mjs"), *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def server_rss_after_opening(root: str, paths: list[str]) -> int:
    with LspDriver([sys.executable, "-m", "kaios_lsp"], cwd=root) as lsp:
        lsp.initialize(path_to_uri(root), {"debounceMs": 0})
        for path in paths:
            language = "json" if path.endswith(".webapp") else "javascript"
            lsp.did_open(path_to_uri(path), Path(path).read_text("utf-8"), 1, language_id=language)
        for path in paths:
            lsp.wait_for_diagnostics(path_to_uri(path), 1, timeout=600)
        return lsp.proc_status("VmHWM") or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--baseline", type=Path, default=BENCH / "peers-baseline.json")
    parser.add_argument("--save-baseline", action="store_true")
    args = parser.parse_args()
    if not (PEERS / "node_modules").is_dir():
        sys.exit("bench/peers/node_modules is missing: run (cd bench/peers && npm ci) first")
    rows = []
    with tempfile.TemporaryDirectory() as root:
        Path(root, "manifest.webapp").write_text(json.dumps(MANIFEST, indent=2), "utf-8")
        for fixture in (manifest_small(), manifest_large()):
            folder = Path(root, fixture.name.split()[0])
            folder.mkdir()
            path = folder / "manifest.webapp"
            path.write_text(fixture.text, "utf-8")
            mine, found = ours(str(path), fixture.text, args.runs)
            theirs = peer("json", str(SCHEMA), str(path), str(args.runs))
            rows.append(
                (fixture.name, "vscode-json-languageservice + our schema", mine, found, theirs)
            )
        for label, size in (("10 KB script", 10_000), ("100 KB script", 100_000)):
            path = Path(root, f"script-{size}.js")
            text = script(size)
            path.write_text(text, "utf-8")
            mine, found = ours(str(path), text, args.runs)
            theirs = peer("eslint", str(path), str(args.runs))
            rows.append(
                (label, "ESLint no-eval, no-implied-eval, no-new-func", mine, found, theirs)
            )
        app = [str(Path(root, "manifest.webapp"))]
        for n in range(40):
            Path(root, f"js-{n}.js").write_text(script(100_000), "utf-8")
            app.append(str(Path(root, f"js-{n}.js")))
        Path(root, "bundle.js").write_text(script(1_000_000), "utf-8")
        app.append(str(Path(root, "bundle.js")))
        total = sum(os.path.getsize(p) for p in app)
        rss = server_rss_after_opening(root, app)
    print(
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, node "
        f"{subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}\n"
    )
    baseline = json.loads(args.baseline.read_text()) if args.baseline.is_file() else {}
    print(
        "| input | peer | kaios-lsp p50 / p95 ms (findings) | peer p50 / p95 ms (findings) "
        "| ratio p50 | vs baseline |"
    )
    print("|---|---|---:|---:|---:|---:|")
    saved = {}
    for name, who, mine, found, theirs in rows:
        ratio = p50(mine) / p50(theirs["times"])
        saved[name] = {"ours_p50": p50(mine), "ratio": ratio}
        old = baseline.get(name)
        change = f"{(p50(mine) / old['ours_p50'] - 1) * 100:+.0f}%" if old else "—"
        print(
            f"| {name} | {who} | {p50(mine):.2f} / {p95(mine):.2f} ({found}) | "
            f"{p50(theirs['times']):.2f} / {p95(theirs['times']):.2f} ({theirs['problems']}) | "
            f"{ratio:.2f}x | {change} |"
        )
    if args.save_baseline:
        args.baseline.write_text(json.dumps(saved, indent=1) + "\n")
    print(
        f"\nkaios-lsp server peak RSS after opening a whole app ({len(app)} files, "
        f"{total / 1e6:.1f} MB, every one analysed): {rss / 1024:.0f} MB."
    )


if __name__ == "__main__":
    main()
