"""Every manifest rule a JSON Schema cannot express, in the order the engine runs them.

Each rule is a function from a :class:`ManifestContext` to findings, in its own module of
this folder with its metadata (``RULES``); add a new one to ``MANIFEST_RULES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.findings import Finding
from kaios_lsp.rules.manifest.features import (
    activities_need_service_worker,
    chrome_needs_fullscreen,
    cursor_with_spatial_navigation,
    priority_needs_privileged,
)
from kaios_lsp.rules.manifest.paths import missing_files
from kaios_lsp.rules.manifest.store import store_requirements
from kaios_lsp.rules.manifest.structure import not_an_object, too_deep
from kaios_lsp.rules.manifest.urls import absolute_urls, origin, redirects

ManifestRule = Callable[[ManifestContext], Iterable[Finding]]

MANIFEST_RULES: tuple[ManifestRule, ...] = (
    not_an_object,
    too_deep,
    absolute_urls,
    origin,
    redirects,
    cursor_with_spatial_navigation,
    activities_need_service_worker,
    missing_files,
    chrome_needs_fullscreen,
    priority_needs_privileged,
    store_requirements,
)
