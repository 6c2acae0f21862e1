"""``requests``, imported only when something really uses it.

detect-secrets' plugins ``import requests`` at the top of their modules, for the
verification of secrets with their providers over the network, which kaios-lsp never
runs. Importing it loads urllib3, http.client, ssl and OpenSSL: about 10 MB of memory in
each process (the server and its worker), measured on Python 3.11. Until one of its
attributes is read, a stand-in module sits in ``sys.modules``; the first read imports the
real package, which then takes the stand-in's place, so any other user of ``requests`` in
the process sees no difference. (importlib.util.LazyLoader does not do: ``import
requests`` itself reads ``__spec__``, which loads the module at once.)
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_NAME = "requests"


class _OnDemand(types.ModuleType):
    """The stand-in: the first attribute it lacks imports the real module."""

    def __getattr__(self, name: str) -> Any:
        real = _load_real(self)
        return getattr(real, name)


def _load_real(stand_in: types.ModuleType) -> types.ModuleType:
    if sys.modules.get(_NAME) is stand_in:
        del sys.modules[_NAME]
    real = importlib.import_module(_NAME)
    # the modules that imported the stand-in keep it: give it the real module's names
    stand_in.__dict__.update(
        {k: v for k, v in vars(real).items() if k not in ("__name__", "__loader__")}
    )
    return real


def defer_requests() -> None:
    """Put the stand-in in place, unless ``requests`` is already imported."""
    if _NAME not in sys.modules:
        sys.modules[_NAME] = _OnDemand(_NAME)
