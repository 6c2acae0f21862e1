"""Keystroke -> diagnostics in scripts and pages of a real app, against bare pygls (issue 17).

    python bench/keystrokes.py [--runs N] [--out FILE]

Through the real server over stdio (``debounceMs`` 0), one character typed and deleted
again, alternating, until the diagnostics of that version arrive. Measured in the same
run, on the same edits, as a bare pygls server (bench/bare_server.py: publishes an empty
list, the transport floor):

- scripts of 10 KB, 100 KB and 1 MB (copies of the ES2017 corpus, each in a function; the
  1 MB one is analysed in the worker process), typed into in the middle of the file
  (inside a function body) and into the comment on the first line;
- an inline script in a 100 KB page (the script is 8 KB, the rest is the page's markup);
- a manifest keystroke in the app with those scripts and pages open;
- completion and hover in the manifest (p50 / p95) while the 1 MB bundle is typed in;
- start-up to the first diagnostics.

The app is a privileged KaiOS 2.5 app whose page loads every script. Prints a Markdown
table (and writes it to ``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from js_files import MANIFEST, script
from lsp_driver import LspDriver, path_to_uri

BENCH = Path(__file__).resolve().parent
SERVERS = {
    "kaios-lsp": [sys.executable, "-m", "kaios_lsp"],
    "bare pygls": [sys.executable, str(BENCH / "bare_server.py")],
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def make_app(root: Path) -> dict[str, Path]:
    files = {
        "10 KB script": root / "js" / "small.js",
        "100 KB script": root / "js" / "app.js",
        "1 MB script (worker)": root / "js" / "bundle.js",
    }
    sizes = {"10 KB script": 10_000, "100 KB script": 100_000, "1 MB script (worker)": 1_000_000}
    (root / "js").mkdir()
    for label, path in files.items():
        path.write_text(script(sizes[label]), "utf-8")
    (root / "manifest.webapp").write_text(json.dumps(MANIFEST, indent=2), "utf-8")
    rows = "".join(
        f"<li class='item' data-id='{n}'><span class='title'>Item {n}</span>"
        f"<img src='img/{n}.png' alt=''></li>\n"
        for n in range(1200)
    )
    inline = script(8_000)
    page = (
        "<!doctype html>\n<html><head><meta charset='utf-8'><title>Bench</title>\n"
        "<script src='js/small.js'></script><script src='js/app.js'></script>"
        "<script src='js/bundle.js'></script>\n</head><body>\n<ul>\n"
        f"{rows}</ul>\n<script>\n// inline\n{inline}\n</script>\n</body></html>\n"
    )
    files["inline script in a 100 KB page"] = root / "index.html"
    files["index.html"] = root / "index.html"
    (root / "index.html").write_text(page, "utf-8")
    files["manifest (app with these scripts and pages open)"] = root / "manifest.webapp"
    return files


def where_to_type(label: str, text: str) -> list[tuple[int, int]]:
    """(line, character) positions: the middle of the file inside a function, and the
    comment on the first line (for the page: inside the inline script)."""
    if label.startswith("manifest"):
        at = text.index('"Benchmark app"') + 2
        return [_position(text, at)]
    if label.startswith("inline"):
        start = text.index("// inline")
        return [_position(text, text.index("function", start) + 1), _position(text, start + 3)]
    middle = text.index("function", len(text) // 2) + 1
    return [_position(text, middle), (0, len("// copy 0"))]


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def type_into(lsp: LspDriver, uri: str, runs: int, places: list[tuple[int, int]], start: int):
    latencies: list[float] = []
    version = start
    for n in range(runs):
        line, character = places[(n // 2) % len(places)]
        version += 1
        at = {"line": line, "character": character}
        if n % 2 == 0:
            change = {"range": {"start": at, "end": at}, "text": "x"}
        else:
            end = {"line": line, "character": character + 1}
            change = {"range": {"start": at, "end": end}, "text": ""}
        seconds, _params = lsp.change_latency(uri, version, change, timeout=600)
        latencies.append(seconds * 1000)
    return latencies, version


def measure(command: list[str], files: dict[str, Path], root: Path, runs: int) -> dict:
    result: dict[str, object] = {}
    started = time.perf_counter()
    with LspDriver(command, cwd=str(root)) as lsp:
        lsp.initialize(path_to_uri(root), {"debounceMs": 0})
        manifest_uri = path_to_uri(files["manifest (app with these scripts and pages open)"])
        manifest_text = files["manifest (app with these scripts and pages open)"].read_text()
        lsp.did_open(manifest_uri, manifest_text, 1, language_id="json")
        lsp.wait_for_diagnostics(manifest_uri, 1, timeout=120)
        result["start-up"] = (time.perf_counter() - started) * 1000
        versions = {}
        for label, path in files.items():
            if label in ("index.html",) or label.startswith("manifest"):
                continue
            uri = path_to_uri(path)
            if uri in versions:
                continue
            language = "html" if path.suffix == ".html" else "javascript"
            lsp.did_open(uri, path.read_text("utf-8"), 1, language_id=language)
            lsp.wait_for_diagnostics(uri, 1, timeout=600)
            versions[uri] = 1
        for label, path in files.items():
            if label == "index.html":
                continue
            uri = path_to_uri(path)
            text = path.read_text("utf-8")
            places = where_to_type(label, text)
            count = runs if "1 MB" not in label else max(10, runs // 2)
            _warm, versions[uri] = type_into(lsp, uri, 4, places, versions.get(uri, 1))
            latencies, versions[uri] = type_into(lsp, uri, count, places, versions[uri])
            result[label] = latencies
        # requests in the manifest while the 1 MB bundle is typed in (each keystroke of the
        # bundle is analysed in the worker; requests are answered meanwhile)
        bundle_uri = path_to_uri(files["1 MB script (worker)"])
        bundle = files["1 MB script (worker)"].read_text("utf-8")
        places = where_to_type("1 MB script", bundle)
        at = manifest_text.index('"alarms"') + 2
        line, character = _position(manifest_text, at)
        completion: list[float] = []
        hover: list[float] = []
        version = versions[bundle_uri]
        for n in range(runs):
            version += 1
            pline, pchar = places[0]
            position = {"line": pline, "character": pchar}
            if n % 2 == 0:
                change = {"range": {"start": position, "end": position}, "text": "x"}
            else:
                end = {"line": pline, "character": pchar + 1}
                change = {"range": {"start": position, "end": end}, "text": ""}
            lsp.did_change(bundle_uri, version, [change])
            for _ in range(3):
                _r, sent, received = lsp.position_request(
                    "textDocument/completion", manifest_uri, line, character
                )
                completion.append((received - sent) * 1000)
                _r, sent, received = lsp.position_request(
                    "textDocument/hover", manifest_uri, line, character
                )
                hover.append((received - sent) * 1000)
        lsp.wait_for_diagnostics(bundle_uri, version, timeout=600)
        result["completion while the bundle is edited"] = completion
        result["hover while the bundle is edited"] = hover
        status = lsp.proc_status("VmHWM")
        result["peak RSS server (MB)"] = (status or 0) / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = make_app(root)
        results = {
            name: measure(command, files, root, args.runs) for name, command in SERVERS.items()
        }
    ours, bare = results["kaios-lsp"], results["bare pygls"]
    lines = [
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{time.strftime('%Y-%m-%d')}; debounceMs 0; {args.runs} keystrokes per row "
        "(half as many for 1 MB).",
        "",
        "| keystroke → diagnostics | kaios-lsp p50 / p95 (ms) | bare pygls p50 / p95 (ms) | ratio p50 |",
        "|---|---:|---:|---:|",
    ]
    for label in (
        "10 KB script",
        "100 KB script",
        "1 MB script (worker)",
        "inline script in a 100 KB page",
        "manifest (app with these scripts and pages open)",
    ):
        a, b = ours[label], bare[label]
        assert isinstance(a, list) and isinstance(b, list)
        ratio = statistics.median(a) / statistics.median(b)
        lines.append(
            f"| {label} | {statistics.median(a):.1f} / {pct(a, 0.95):.1f} | "
            f"{statistics.median(b):.2f} / {pct(b, 0.95):.2f} | {ratio:.0f}x |"
        )
    lines.append("")
    for label in ("completion while the bundle is edited", "hover while the bundle is edited"):
        a = ours[label]
        assert isinstance(a, list)
        lines.append(f"- {label}: p50 {statistics.median(a):.1f} ms, p95 {pct(a, 0.95):.1f} ms")
    lines.append(
        f"- start-up to the manifest's first diagnostics: {ours['start-up']:.0f} ms "
        f"(bare pygls {bare['start-up']:.0f} ms)"
    )
    lines.append(f"- peak RSS of the server process: {ours['peak RSS server (MB)']:.0f} MB")
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", "utf-8")


if __name__ == "__main__":
    main()
