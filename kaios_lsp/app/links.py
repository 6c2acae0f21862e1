"""The in-app paths a manifest links to (launch pages, icons, activity and message pages,
the service worker), and how a reference resolves inside the app folder. Rules report on
them; the app model starts its reachability from them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote

from kaios_lsp.app.files import is_inside
from kaios_lsp.app.manifest import WEBAPP, Manifest
from kaios_lsp.parse.json.nodes import ArrayNode, Node, ObjectNode

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def is_absolute_url(value: str) -> bool:
    """What Gecko's ``checkAbsoluteURI`` accepts: anything with a scheme."""
    return bool(_SCHEME.match(value.strip()))


def strings_of(node: Node | None) -> Iterator[Node]:
    if node is not None and node.kind == "string":
        yield node


def activity_handlers(activities: Node | None) -> Iterator[tuple[str, ObjectNode]]:
    """(activity name, handler object) for object and array-of-objects forms."""
    if not isinstance(activities, ObjectNode):
        return
    for member in activities.members:
        value = member.value
        if isinstance(value, ObjectNode):
            yield member.key.value, value  # type: ignore[misc]
        elif isinstance(value, ArrayNode):
            for item in value.items:
                if isinstance(item, ObjectNode):
                    yield member.key.value, item  # type: ignore[misc]


def message_hrefs(messages: Node | None) -> Iterator[Node]:
    if not isinstance(messages, ArrayNode):
        return
    for item in messages.items:
        if isinstance(item, ObjectNode):
            for member in item.members:
                yield from strings_of(member.value)


# The members linked_paths reads (top-level, or inside b2g_features).
LINKED_MEMBERS = (
    "launch_path",
    "start_url",
    "icons",
    "entry_points",
    "serviceworker",
    "activities",
    "messages",
)


def linked_paths(manifest: Manifest) -> Iterator[tuple[str, Node, str]]:
    """(role, string node, what a missing file means) for every in-app path reference."""
    features = manifest.features
    if manifest.kind == WEBAPP:
        for node in strings_of(manifest.node("launch_path")):
            yield "launch_path", node, "launch"
        for node in strings_of(manifest.node("start_url")):
            yield "start_url", node, "launch"
        icons = manifest.node("icons")
        if isinstance(icons, ObjectNode):
            for member in icons.members:
                for node in strings_of(member.value):
                    yield f"icons.{member.key.value}", node, "icon"
        entry_points = manifest.node("entry_points")
        if isinstance(entry_points, ObjectNode):
            for entry in entry_points.members:
                if isinstance(entry.value, ObjectNode):
                    for node in strings_of(entry.value.value_of("launch_path")):
                        yield f"entry_points.{entry.key.value}.launch_path", node, "launch"
                    icons = entry.value.value_of("icons")
                    if isinstance(icons, ObjectNode):
                        for member in icons.members:
                            for node in strings_of(member.value):
                                yield f"entry_points.{entry.key.value}.icons", node, "icon"
    else:
        for node in strings_of(manifest.node("start_url")):
            yield "start_url", node, "launch"
        icons = manifest.node("icons")
        if isinstance(icons, ArrayNode):
            for index, item in enumerate(icons.items):
                if isinstance(item, ObjectNode):
                    for node in strings_of(item.value_of("src")):
                        yield f"icons[{index}].src", node, "icon"
        if features is not None:
            worker = features.value_of("serviceworker")
            if isinstance(worker, ObjectNode):
                for node in strings_of(worker.value_of("script_url")):
                    yield "b2g_features.serviceworker.script_url", node, "worker"
    if features is not None:
        for name, handler in activity_handlers(features.value_of("activities")):
            for node in strings_of(handler.value_of("href")):
                yield f"activities.{name}.href", node, "activity"
        for node in message_hrefs(features.value_of("messages")):
            yield "messages", node, "message"


@lru_cache(maxsize=4096)
def resolve_in_app(root: str, reference: str) -> tuple[str, str, bool]:
    """(path relative to the app root, absolute path, whether it stays inside the app)."""
    relative = unquote(reference).lstrip("/")
    target = os.path.normpath(os.path.join(root, relative))
    return relative, target, is_inside(target, root)
