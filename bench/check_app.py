"""``kaios-lsp check`` on the JavaScript benchmark app, for a given source tree.

The app is the one of ``bench/js_files.py`` (40 scripts of 100 KB and a 1 MB bundle of the
ES2017 corpus in a privileged 2.5 app). ``--linked`` makes its page load every script, so
the app model reads and follows every file (the most work it can do for this app).
Compare two trees (for example the commit before a change and after it) in one run:

    python bench/check_app.py --tree /path/to/old/checkout --tree . --runs 5

Each tree runs as ``python -m kaios_lsp`` with that tree first on ``PYTHONPATH``; the
runs alternate between trees, and the minimum and median are printed.
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
from js_files import MANIFEST, script


def make_app(root: Path, linked: bool) -> int:
    (root / "manifest.webapp").write_text(json.dumps(MANIFEST, indent=2), "utf-8")
    names = [f"js-{n}.js" for n in range(40)] + ["bundle.js"]
    tags = "".join(f"<script src='{n}'></script>" for n in names) if linked else ""
    (root / "index.html").write_text(f"<!doctype html><script src='app.js'></script>{tags}")
    body = script(100_000)
    for name in names[:-1]:
        (root / name).write_text(body, "utf-8")
    (root / "bundle.js").write_text(script(1_000_000), "utf-8")
    return sum(p.stat().st_size for p in root.glob("*.js"))


def run(tree: str, root: Path, jobs: str) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": os.path.abspath(tree)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kaios_lsp", "check", str(root), "--jobs", jobs],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,  # not the repository: its own package would shadow the tree's
    )
    lines = [line for line in done.stdout.splitlines() if "checked" in line]
    return time.perf_counter() - start, lines[-1] if lines else done.stderr[-200:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="append", required=True, help="a source tree")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", default="1")
    args = parser.parse_args()
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, --jobs {args.jobs}")
    for linked in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            size = make_app(root, linked)
            times: dict[str, list[float]] = {tree: [] for tree in args.tree}
            summaries = {}
            for _ in range(args.runs):
                for tree in args.tree:
                    seconds, summaries[tree] = run(tree, root, args.jobs)
                    times[tree].append(seconds)
            label = "page loads every script" if linked else "page loads app.js only"
            print(f"\n{size / 1e6:.1f} MB of JavaScript, {label}:")
            for tree in args.tree:
                values = times[tree]
                print(
                    f"  {tree}: min {min(values):.2f} s, median {statistics.median(values):.2f} s"
                    f"  ({summaries[tree]})"
                )


if __name__ == "__main__":
    main()
