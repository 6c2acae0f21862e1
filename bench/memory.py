"""Memory of the server with every file of a whole ~8 MB KaiOS app open (issue 17).

    python bench/memory.py [--scale F] [--settle S]

Generates a realistic packaged app (manifest.webapp, HTML pages that load the scripts,
scripts of 10-300 KB and two ~1 MB bundles: copies of the ES2017 corpus, see
bench/js_files.py), starts the real server over stdio (``debounceMs`` 0), opens every
file at once (as an editor restoring a session does), waits for each file's
diagnostics, then lets it settle. A sampler thread reads ``/proc/<pid>/status`` of the
server and of all its descendants (the analysis worker, multiprocessing's resource
tracker) every 20 ms:

* peak server / peak worker(s): ``VmHWM`` of the server, and the highest ``VmHWM`` of
  its descendants (one worker runs at a time; a recycled worker is a new pid);
* sum: the two peaks added (an upper bound of what the machine had to give);
* sampled peak: the highest sum of ``VmRSS`` over all processes at one sample;
* settled: the sum of ``VmRSS`` after everything was published and ``--settle`` seconds
  passed.

The same files are opened in the bare pygls server (bench/bare_server.py): the floor.
Prints a Markdown table. Target: sum <= 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from html_pages import page  # noqa: E402
from js_files import script  # noqa: E402
from lsp_driver import LspDriver, path_to_uri  # noqa: E402

MANIFEST = {
    "name": "Bench Mail",
    "description": "A mail client, as big as the real ones",
    "type": "privileged",
    "launch_path": "/index.html",
    "developer": {"name": "Bench"},
    "icons": {"56": "/img/icon-56.png", "112": "/img/icon-112.png"},
    "permissions": {
        "alarms": {"description": "Check for mail"},
        "systemXHR": {"description": "Talk to the mail server"},
        "device-storage:sdcard": {"description": "Save attachments", "access": "readwrite"},
    },
    "activities": {"new": {"filters": {"type": "mail"}, "disposition": "window"}},
}
SCRIPT_SIZES = (10_000, 30_000, 60_000, 100_000, 150_000, 200_000, 300_000)
PAGES = (6_000, 20_000, 50_000, 100_000, 200_000)


def make_app(root: str, scale: float = 1.0) -> list[str]:
    """Write the app under ``root``; return its files (manifest first)."""
    files = [os.path.join(root, "manifest.webapp")]
    Path(files[0]).write_text(json.dumps(MANIFEST, indent=2), "utf-8")
    os.makedirs(os.path.join(root, "js"), exist_ok=True)
    os.makedirs(os.path.join(root, "img"), exist_ok=True)
    for name in ("icon-56.png", "icon-112.png"):
        Path(root, "img", name).write_bytes(b"\x89PNG\r\n\x1a\n")
    scripts: list[str] = []
    for n in range(int(45 * scale)):
        size = SCRIPT_SIZES[n % len(SCRIPT_SIZES)]
        scripts.append(f"js/module-{n}.js")
        Path(root, scripts[-1]).write_text(script(size), "utf-8")
    for n, size in enumerate((1_000_000, 1_200_000)[: max(1, round(2 * scale))]):
        scripts.append(f"js/bundle-{n}.js")
        Path(root, scripts[-1]).write_text(script(size), "utf-8")
    for lib in ("js/lib/l10n.js", "js/app.js"):  # what html_pages' head loads
        os.makedirs(os.path.dirname(os.path.join(root, lib)), exist_ok=True)
        Path(root, lib).write_text(script(20_000), "utf-8")
        scripts.append(lib)
    os.makedirs(os.path.join(root, "style"), exist_ok=True)
    Path(root, "style", "app.css").write_text("body { margin: 0 }\n", "utf-8")
    per_page = -(-len(scripts) // len(PAGES))
    for n, size in enumerate(PAGES):
        name = "index.html" if n == 0 else f"page-{n}.html"
        tags = "".join(
            f'<script src="{s}" defer></script>\n'
            for s in scripts[n * per_page : (n + 1) * per_page]
        )
        links = "".join(f'<a href="page-{m}.html">more</a>\n' for m in range(1, len(PAGES)))
        text = (
            page(size)
            .replace("</head>", tags + "</head>")
            .replace("</footer>", links + "</footer>")
        )
        Path(root, name).write_text(text, "utf-8")
        files.append(os.path.join(root, name))
    files.extend(os.path.join(root, s) for s in scripts)
    return files


def _status(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM", "PPid"):
                    out[key] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return out


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            ppid = _status(int(entry)).get("PPid")
            if ppid is not None:
                parents[int(entry)] = ppid
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


class Sampler(threading.Thread):
    """RSS of a process and its descendants every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.hwm: dict[int, int] = {}  # kB, last seen per pid
        self.peak_sum = 0  # kB
        self.children: list[int] = []
        self._halt = threading.Event()
        self._tick = 0

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def sample(self) -> int:
        if self._tick % 10 == 0:  # scanning /proc is the costly part
            self.children = _descendants(self.pid)
        self._tick += 1
        total = 0
        for pid in [self.pid, *self.children]:
            status = _status(pid)
            total += status.get("VmRSS", 0)
            if "VmHWM" in status:
                self.hwm[pid] = status["VmHWM"]
        self.peak_sum = max(self.peak_sum, total)
        return total

    def current(self) -> int:
        self.children = _descendants(self.pid)
        return sum(_status(pid).get("VmRSS", 0) for pid in [self.pid, *self.children])

    def stop(self) -> None:
        self._halt.set()
        self.join()


def measure(command: list[str], root: str, files: list[str], settle: float) -> dict[str, float]:
    with LspDriver(command, cwd=root) as lsp:
        lsp.initialize(path_to_uri(root), {"debounceMs": 0})
        sampler = Sampler(lsp.pid)
        sampler.start()
        start = time.perf_counter()
        for path in files:
            language = {"webapp": "json", "html": "html"}.get(path.rsplit(".", 1)[-1], "javascript")
            lsp.did_open(path_to_uri(path), Path(path).read_text("utf-8"), 1, language_id=language)
        for path in files:
            lsp.wait_for_diagnostics(path_to_uri(path), 1, timeout=900)
        elapsed = time.perf_counter() - start
        time.sleep(settle)
        settled = sampler.current()
        sampler.stop()
        server = sampler.hwm.get(lsp.pid, 0)
        workers = max((v for pid, v in sampler.hwm.items() if pid != lsp.pid), default=0)
        return {
            "server": server / 1024,
            "worker": workers / 1024,
            "workers": len(sampler.hwm) - 1,
            "sum": (server + workers) / 1024,
            "sampled": sampler.peak_sum / 1024,
            "settled": settled / 1024,
            "seconds": elapsed,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the app's scripts")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before 'settled'")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare pygls floor")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        files = make_app(root, args.scale)
        megabytes = sum(os.path.getsize(p) for p in files) / 1e6
        rows = [
            ("kaios-lsp", measure([sys.executable, "-m", "kaios_lsp"], root, files, args.settle))
        ]
        if not args.no_bare:
            bare = [sys.executable, str(BENCH / "bare_server.py")]
            rows.append(("bare pygls", measure(bare, root, files, args.settle)))
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print(
        "| server | files | MB opened | peak RSS server | peak RSS worker(s) | sum "
        "| sampled peak (all processes) | settled | open → last diagnostics |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {len(files)} | {megabytes:.1f} | {r['server']:.0f} MB "
            f"| {r['worker']:.0f} MB ({r['workers']:.0f} processes) | **{r['sum']:.0f} MB** "
            f"| {r['sampled']:.0f} MB | {r['settled']:.0f} MB | {r['seconds']:.1f} s |"
        )


if __name__ == "__main__":
    main()
