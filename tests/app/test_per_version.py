"""PerVersion keeps one result per file and variant, and reuses it for unchanged text."""

from __future__ import annotations

from kaios_lsp.app.files import OverlayFiles, PerVersion
from tests.support.files import Texts


def test_only_the_newest_version_of_a_file_is_kept() -> None:
    cache: PerVersion[int] = PerVersion()
    calls: list[str] = []

    def compute(text: str) -> int:
        calls.append(text)
        return len(text)

    for n in range(50):  # an edited script: every keystroke a new version
        files = OverlayFiles({"/app/a.js": "x" * n}, Texts({}))
        assert cache.get(files, "/app/a.js", None, compute, -1) == n
    assert len(cache._results) == 1
    assert cache.get(files, "/app/a.js", None, compute, -1) == 49
    assert len(calls) == 50  # the newest version was not computed again


def test_opening_a_file_as_it_is_on_disk_reuses_the_result() -> None:
    cache: PerVersion[int] = PerVersion()
    calls: list[str] = []

    def compute(text: str) -> int:
        calls.append(text)
        return len(text)

    disk = Texts({"/app/big.js": "let a = 1;\n" * 1000})
    assert cache.get(OverlayFiles({}, disk), "/app/big.js", None, compute, -1) == 11_000
    opened = OverlayFiles({"/app/big.js": "let a = 1;\n" * 1000}, disk)  # another str object
    assert cache.get(opened, "/app/big.js", None, compute, -1) == 11_000
    assert len(calls) == 1
    edited = OverlayFiles({"/app/big.js": "let a = 2;\n" * 1000}, disk)
    assert cache.get(edited, "/app/big.js", None, compute, -1) == 11_000
    assert len(calls) == 2


def test_the_cache_is_bounded() -> None:
    cache: PerVersion[int] = PerVersion(limit=10)
    files = OverlayFiles({f"/app/{n}.js": "x" for n in range(25)}, Texts({}))
    for n in range(25):
        cache.get(files, f"/app/{n}.js", None, len, -1)
        assert len(cache._results) <= 10
