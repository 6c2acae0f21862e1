"""A manifest that is not an object, or nests deeper than any member goes."""

from __future__ import annotations

from collections.abc import Iterable

from kaios_lsp.app.manifest_context import ManifestContext
from kaios_lsp.findings import Finding, Severity
from kaios_lsp.parse.json.nodes import ObjectNode
from kaios_lsp.rules.meta import Rule, reads

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI007",
        name="manifest-not-object",
        title="Manifest is not a JSON object",
        severity=Severity.ERROR,
        category="JSON syntax",
        explanation="A manifest must be one JSON object; an array, string or number cannot be installed.",
        bad='["Demo"]',
        good='{"name": "Demo"}',
        fix_note="No mechanical fix: what the manifest should contain is the developer's to write (an object with at least name and launch_path/start_url).",
    ),
    Rule(
        id="KAI009",
        name="json-too-deep",
        title="Nesting too deep to validate",
        severity=Severity.INFO,
        category="JSON syntax",
        explanation="No manifest member nests deeper than a few levels. Content below 128 levels is not "
        "validated (the parser itself has no depth limit).",
        bad='{"x": [[[[ ... 200 levels ... ]]]]}',
        good='{"x": []}',
        fix_note="No fix: nothing is wrong on the phone; the nesting is only too deep for kaios-lsp to validate.",
    ),
)


NOT_AN_OBJECT = "KAI007"


TOO_DEEP = "KAI009"


@reads()  # (the root's kind: no edit inside a string changes it)
def not_an_object(ctx: ManifestContext) -> Iterable[Finding]:
    root = ctx.manifest.tree
    if root is None or isinstance(root, ObjectNode) or root.kind == "invalid":
        return
    kind = {
        "array": "an array",
        "string": "a string",
        "number": "a number",
        "boolean": "a boolean",
        "null": "null",
    }[root.kind]
    yield Finding(
        NOT_AN_OBJECT,
        root.start,
        root.start + 1 if root.is_container else root.end,
        f"The manifest is {kind}, but it must be a JSON object ({{ ... }}): the install fails.",
    )


@reads()  # (the nesting: no edit inside a string changes it)
def too_deep(ctx: ManifestContext) -> Iterable[Finding]:
    if ctx.manifest.too_deep and ctx.manifest.root is not None:
        node = ctx.manifest.too_deep[0]
        yield Finding(
            TOO_DEEP,
            node.start,
            node.start + 1,
            f"Nesting deeper than 128 levels: no manifest member goes this deep, so the content "
            f"below this point ({len(ctx.manifest.too_deep)} container(s)) was not validated.",
        )


# The checks the engine runs on every manifest (declaring them here registers them).
MANIFEST_CHECKS = (not_an_object, too_deep)
