"""How fast kaios-lsp analyses HTML pages (KAI301-311), in process and through the server.

Pages are generated deterministically inside a privileged 2.5 app (so the default CSP
applies and every rule has work): a realistic 6 KB KaiOS page, a 100 KB page and a
1 MB page (long lists with inline handlers, remote images, inline scripts).

* ``analyse``: ``analyze_document`` on the page, in this process (p50/p95 over runs);
* ``keystroke``: one character typed inside a text node of the open page, from
  ``didChange`` sent to ``publishDiagnostics`` received, through the real server over
  stdio with ``debounceMs`` 0.

Run: ``python bench/html_pages.py [--runs N]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lsp_driver import LspDriver

from kaios_lsp.engine import analyze_document
from kaios_lsp.lsp.uris import path_to_uri

HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Podcasts 🎧</title>
<link rel="stylesheet" href="style/app.css">
<script src="js/lib/l10n.js" defer></script>
<script src="js/app.js" defer></script>
<script>window.APP_VERSION = "1.4.2";</script>
</head>
<body>
<header id="header"><h1 data-l10n-id="title">Podcasts</h1></header>
<main id="list">
"""
ITEM = """<div class="item" tabindex="{n}" onclick="openEpisode({n})" data-id="{n}">
  <img src="http://cdn.example.net/covers/{n}.jpg" alt="">
  <p class="title">Episode {n}: 番組 🎙 — une émission</p>
  <a href="javascript:void(0)" class="more">…</a>
</div>
"""
FOOT = """</main>
<footer id="softkeys"><span id="left">Options</span><span id="center">SELECT</span></footer>
<script>
  document.getElementById("softkeys").addEventListener("keydown", function (e) {{
    if (e.key === "SoftLeft") {{ showOptions(); }}
  }});
</script>
</body>
</html>
"""


def page(target_chars: int) -> str:
    items, n = [], 0
    size = len(HEAD) + len(FOOT)
    while size < target_chars:
        item = ITEM.format(n=n)
        items.append(item)
        size += len(item)
        n += 1
    return HEAD + "".join(items) + FOOT.format()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def analyse_times(path: str, text: str, runs: int) -> tuple[list[float], int]:
    analyze_document(path, text)  # warm caches (manifest parse, imports)
    times, count = [], 0
    gc.disable()
    try:
        for _ in range(runs):
            start = time.perf_counter()
            count = len(analyze_document(path, text).findings)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        gc.enable()
    return times, count


def keystroke_times(root: str, path: str, text: str, runs: int) -> list[float]:
    uri = path_to_uri(path)
    marker = text.index("Episode 0:") + len("Episode 0")
    line = text.count("\n", 0, marker)
    character = len(text[text.rfind("\n", 0, marker) + 1 : marker].encode("utf-16-le")) // 2
    latencies = []
    with LspDriver([sys.executable, "-m", "kaios_lsp"], cwd=root) as lsp:
        lsp.initialize(path_to_uri(root), {"debounceMs": 0})
        lsp.did_open(uri, text, 1, language_id="html")
        lsp.wait_for_diagnostics(uri, 1, timeout=120)
        for version in range(2, runs + 2):
            at = {"line": line, "character": character}
            if version % 2 == 0:  # type a character, then delete it again
                change = {"range": {"start": at, "end": at}, "text": "x"}
            else:
                end = {"line": line, "character": character + 1}
                change = {"range": {"start": at, "end": end}, "text": ""}
            seconds, _params = lsp.change_latency(uri, version, change)
            latencies.append(seconds * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as root:
        manifest = {"name": "Podcasts", "type": "privileged", "launch_path": "/index.html"}
        Path(root, "manifest.webapp").write_text(json.dumps(manifest), "utf-8")
        for label, size in (("6 KB", 6_000), ("100 KB", 100_000), ("1 MB", 1_000_000)):
            text = page(size)
            path = os.path.join(root, f"page-{size}.html")
            runs = args.runs if size < 500_000 else max(5, args.runs // 8)
            analyse, findings = analyse_times(path, text, runs)
            typed = keystroke_times(root, path, text, runs)
            rows.append(
                (label, len(text), findings, analyse, typed, len(text) / statistics.median(analyse))
            )
    print(
        "| page | chars | findings | analyse p50 / p95 (ms) | keystroke → diagnostics p50 / p95 (ms) | chars per ms |"
    )
    print("|---|---|---|---|---|---|")
    for label, chars, findings, analyse, typed, rate in rows:
        print(
            f"| {label} | {chars:,} | {findings} | {percentile(analyse, 0.5):.2f} / {percentile(analyse, 0.95):.2f}"
            f" | {percentile(typed, 0.5):.2f} / {percentile(typed, 0.95):.2f} | {rate:,.0f} |"
        )


if __name__ == "__main__":
    main()
