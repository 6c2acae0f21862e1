"""Words the permission rules share: what each app type is called, and a value to write where the developer must fill one in."""

from __future__ import annotations

from kaios_lsp.facts.permissions import (
    lookup,
)

TYPE_WORDS = {
    "web": "web apps",
    "privileged": "privileged apps",
    "certified": "certified (pre-installed) apps",
    "pwa": "hosted apps (PWAs)",
    "signed": "packaged (signed) apps",
    "core": "core apps (pre-installed, b2g_features.core)",
}


def placeholder_value(name: str) -> str:
    permission = lookup(name)
    return (
        permission.placeholder_description
        if permission
        else f"Explain why the app needs the {name} permission"
    )
