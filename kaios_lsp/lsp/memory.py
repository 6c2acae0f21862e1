"""Giving memory back after big analyses.

A script's syntax tree and its ESTree view refer to each other, so a tree the analysis
dropped is only freed by a full collection of Python's cyclic GC, which a server that
mostly allocates small objects runs rarely: with a whole app open, trees of many
documents would wait together. And glibc keeps freed memory (tree-sitter's, Python's
emptied arenas) in the process unless asked to return it.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable
from functools import cache

# An analysis that took longer than this is followed by a full collection, which costs
# tens of milliseconds: a fraction of the analysis it follows.
RELEASE_AFTER_SECONDS = 0.1


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)  # the C library already loaded (find_library runs ldconfig)
        trim: Callable[[int], int] = libc.malloc_trim  # glibc only: musl has none
        return trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Free unreachable trees now and return freed heap memory to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
