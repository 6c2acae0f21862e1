"""``kaios-lsp check`` on an uploaded package against the same app as a folder.

The app is the JavaScript benchmark app of ``bench/check_app.py`` (40 scripts of 100 KB
and a 1 MB bundle in a privileged 2.5 app), plus 5 MB of images and sounds (random bytes,
which do not compress), zipped as application.zip: about 10 MB in all. Runs alternate
between the folder and the package; the minimum and median are printed, and the ratio.

    python bench/check_package.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_app import make_app


def make_package(folder: Path, package: Path) -> int:
    make_app(folder, linked=True)
    (folder / "img").mkdir()
    noise = random.Random(7)
    for n in range(20):
        (folder / "img" / f"photo-{n}.jpg").write_bytes(noise.randbytes(256 * 1024))
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run(target: Path, jobs: str | None) -> tuple[float, str]:
    start = time.perf_counter()
    extra = ["--jobs", jobs] if jobs else []
    done = subprocess.run(
        [sys.executable, "-m", "kaios_lsp", "check", str(target), *extra],
        capture_output=True,
        text=True,
        cwd=target.parent,
    )
    lines = [line for line in done.stdout.splitlines() if "checked" in line]
    return time.perf_counter() - start, lines[-1] if lines else done.stderr[-200:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", default=None, help="--jobs for both (default: check's own)")
    args = parser.parse_args()
    print(
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, --jobs {args.jobs or 'default'}"
    )
    with tempfile.TemporaryDirectory() as base:
        folder, package = Path(base) / "app", Path(base) / "application.zip"
        folder.mkdir()
        size = make_package(folder, package)
        times: dict[str, list[float]] = {"folder": [], "package": []}
        summaries = {}
        for _ in range(args.runs):
            for label, target in (("folder", folder), ("package", package)):
                seconds, summaries[label] = run(target, args.jobs)
                times[label].append(seconds)
        print(f"\n{size / 1e6:.1f} MB app; package {package.stat().st_size / 1e6:.1f} MB:")
        for label, values in times.items():
            print(
                f"  {label}: min {min(values):.2f} s, median {statistics.median(values):.2f} s  ({summaries[label]})"
            )
        ratio = min(times["package"]) / min(times["folder"])
        print(f"  package / folder (min): {ratio:.2f}x")


if __name__ == "__main__":
    main()
