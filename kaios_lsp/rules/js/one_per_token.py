"""One syntax finding per broken token (KAI401 and KAI409).

esprima (KAI401) stops at the first token it cannot read, which for syntax newer than
the target's engine is exactly the token KAI409 explains (``#x``, the second ``?`` of
``??``, the ``_`` of ``1_000``). Two findings there say the same thing twice, and only
KAI409 says why and may carry a fix, so it is the one kept.
"""

from __future__ import annotations

from kaios_lsp.findings import Finding

SYNTAX_ERROR = "KAI401"
UNSUPPORTED_SYNTAX = "KAI409"


def one_syntax_finding_per_token(findings: list[Finding]) -> list[Finding]:
    """``findings`` without a KAI401 that starts on a token a KAI409 already reports, and
    without a second finding of either rule at one start offset (the most helpful stays)."""
    explained = [f for f in findings if f.rule == UNSUPPORTED_SYNTAX]
    kept: list[Finding] = []
    starts: dict[int, int] = {}  # start offset -> index in kept
    for finding in findings:
        if finding.rule not in (SYNTAX_ERROR, UNSUPPORTED_SYNTAX):
            kept.append(finding)
            continue
        if finding.rule == SYNTAX_ERROR and any(_on_token(finding, f) for f in explained):
            continue
        index = starts.get(finding.start)
        if index is None:
            starts[finding.start] = len(kept)
            kept.append(finding)
        elif _helpfulness(finding) > _helpfulness(kept[index]):
            kept[index] = finding
    return kept


def _on_token(error: Finding, explained: Finding) -> bool:
    return explained.start <= error.start < max(explained.end, explained.start + 1)


def _helpfulness(finding: Finding) -> tuple[bool, bool]:
    return bool(finding.fixes), finding.rule == UNSUPPORTED_SYNTAX
