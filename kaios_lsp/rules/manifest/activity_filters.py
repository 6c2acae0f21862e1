"""KAI119: an activity whose handler acts without asking (KAI412) and declares no filters.

Without ``filters`` any app can start the activity with any data (``new MozActivity({name,
data})`` on 2.5, a Web Activity on 3.0), so the sensitive action KAI412 found in the app's
activity handler is one request away for every other app. Filters narrow which requests
reach the handler (Gecko's ``ActivitiesServiceFilter.jsm`` matches each request's data
against them); they are no substitute for asking the user, which is why this is only
information beside KAI412's warning.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator

from kaios_lsp.app.files import PerVersion
from kaios_lsp.app.manifest import WEBAPP
from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.app.model import UNREACHED
from kaios_lsp.config import Config
from kaios_lsp.findings import Finding, Related, Severity
from kaios_lsp.parse.json.nodes import ArrayNode, Member, ObjectNode
from kaios_lsp.rules.meta import Rule, reads
from kaios_lsp.rules.permissions.prompt_sites import app_scripts_and_pages, runs

UNFILTERED_ACTIVITY = "KAI119"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id=UNFILTERED_ACTIVITY,
        name="unfiltered-sensitive-activity",
        title="Activity that acts without asking declares no filters",
        severity=Severity.INFO,
        category="Manifest",
        explanation="An activity handler of the app takes the request's data and acts on it without "
        "asking the user (KAI412: sends money, an SMS, saves contacts, posts with the user's "
        "session), and the activity declares no filters, so any app can start it with any data. "
        "Filters narrow which requests reach the handler (Gecko matches each request's data "
        "against them: ActivitiesServiceFilter.jsm); asking the user before acting is the real "
        "defence, which KAI412 reports and fixes in the script.",
        bad='{"name": "Bank", "type": "privileged", "activities": {"transfer": {"href": "/transfer.html"}}}',
        good='{"name": "Bank", "type": "privileged", "activities": {"transfer": {"href": "/transfer.html",'
        ' "filters": {"type": "bank-transfer"}}}}',
        example_app=(
            "transfer.js",
            "navigator.mozSetMessageHandler('activity', function (request) {\n"
            "  var data = request.source.data;\n"
            "  fetch('https://bank.example.com/api/transfer', { method: 'POST', body: "
            "JSON.stringify({ to: data.to, amount: data.amount }) });\n"
            "});\n",
        ),
        fix_note="No mechanical fix: which requests the activity should accept (the filters) is the "
        "app's to say; asking the user before acting is KAI412's fix in the script.",
    ),
)

_HANDLER_WORDS = ("mozSetMessageHandler", "systemmessage")
_ACTIVITY_SOURCES = frozenset({"activity", "system-message"})
_flows: PerVersion[tuple[tuple[int, int, str], ...]] = PerVersion()


@reads("activities")
def unfiltered_sensitive_activities(ctx: ManifestContext) -> Iterable[Finding]:
    unfiltered = list(_unfiltered(ctx))
    if not unfiltered:
        return
    found = app_scripts_and_pages(ctx)
    if found is None:
        return
    model, paths = found
    flows: list[tuple[str, int, int, str]] = []
    for path in paths:
        if not path.lower().endswith((".js", ".mjs")):
            continue
        # a script no page opens still ships (and on 3.0 any page can be opened by URL)
        if not runs(model, path, ctx.files) and model.role(path).kind != UNREACHED:
            continue
        flows += [(path, *flow) for flow in _activity_flows(path, ctx)]
    if not flows:
        return
    path, _start, _end, action = flows[0]
    related = tuple(
        Related(s, e, f"acts on the request without asking: {a}", p) for p, s, e, a in flows[:5]
    )
    where = os.path.basename(path)
    for name, key in unfiltered:
        yield Finding(
            UNFILTERED_ACTIVITY,
            key.start,
            key.end,
            f"The activity {json.dumps(name)} declares no filters, so any app can start it with "
            f"any data, and its handler {action} without asking the user ({where}, KAI412). "
            "Ask the user first; filters then narrow which requests reach it.",
            related=related,
        )


def _unfiltered(ctx: ManifestContext) -> Iterator[tuple[str, Member]]:
    """(activity name, its member) for each activity without (non-empty) filters."""
    manifest = ctx.manifest
    features = manifest.features
    activities = (
        manifest.node("activities")
        if manifest.kind == WEBAPP
        else (features.value_of("activities") if features is not None else None)
    )
    if not isinstance(activities, ObjectNode):
        return
    for member in activities.members:
        handlers = member.value.items if isinstance(member.value, ArrayNode) else [member.value]
        for handler in handlers:
            if not isinstance(handler, ObjectNode):
                continue
            filters = handler.value_of("filters")
            if not isinstance(filters, ObjectNode) or not filters.members:
                yield str(member.key.value), member
                break


def _activity_flows(path: str, ctx: ManifestContext) -> tuple[tuple[int, int, str], ...]:
    """(start, end, action) of each unconfirmed flow from an activity request to a
    sensitive action in one script, computed once per version of the script."""
    config = ctx.config
    return _flows.get(
        ctx.files,
        path,
        bool(config.check_vendor_code),
        lambda text: _scan(path, text, config),
        (),
    )


def _scan(path: str, text: str, config: Config) -> tuple[tuple[int, int, str], ...]:
    if not any(word in text for word in _HANDLER_WORDS):
        return ()
    from kaios_lsp.parse.js.parse import parse_script
    from kaios_lsp.rules.js.context import ScriptContext, collect_names, is_vendor
    from kaios_lsp.rules.js.forgery_rules import sensitive_flows

    if is_vendor(path, text) and not config.check_vendor_code:
        return ()
    module = path.lower().endswith(".mjs")
    try:
        parsed = parse_script(text, module=module, front="tree-sitter")
        ctx = ScriptContext(parsed.tree, path, None, config, None, None, module=module)  # type: ignore[arg-type]  # (no rule on this path reads other files)
        collect_names(ctx)
        flows = sensitive_flows(ctx)
    except Exception:  # a bug here must not cost the manifest its other findings
        return ()
    return tuple(
        (flow.sink.start, flow.sink.end, flow.action)
        for flow in flows
        if flow.source_kind in _ACTIVITY_SOURCES and not flow.confirmed
    )


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (unfiltered_sensitive_activities,)
