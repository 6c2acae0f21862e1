"""file: URIs <-> paths."""

from __future__ import annotations

import os
from urllib.parse import quote, unquote, urlsplit


def uri_to_path(uri: str) -> str | None:
    """The filesystem path of a ``file:`` URI, or ``None`` for other schemes."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    path = unquote(parts.path)
    if parts.netloc and parts.netloc != "localhost":
        path = f"//{parts.netloc}{path}"
    if os.name == "nt" and len(path) >= 3 and path[0] == "/" and path[2] == ":":  # pragma: no cover
        path = path[1:]
    return os.path.normpath(path)


def path_to_uri(path: str) -> str:
    path = os.path.abspath(path)
    if os.name == "nt":  # pragma: no cover
        path = "/" + path.replace("\\", "/")
    return "file://" + quote(path, safe="/:@!$&'()*+,;=-._~")
