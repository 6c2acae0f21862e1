"""Output formats of ``kaios-lsp check``: text, JSON and SARIF 2.1.0."""

from __future__ import annotations

from dataclasses import dataclass

from kaios_lsp.findings import Finding
from kaios_lsp.parse.text import Encoding, LineIndex


@dataclass
class FileReport:
    """The findings of one file, with what is needed to print positions."""

    path: str  # absolute
    display_path: str  # as the user should see it (relative to the working directory)
    index: LineIndex
    findings: list[Finding]

    def span(self, finding: Finding) -> tuple[int, int, int, int]:
        """1-based (line, column, end line, end column); columns in UTF-16 code units,
        like LSP's default and SARIF's ``utf16CodeUnits``."""
        sl, sc = self.index.position(finding.start, Encoding.UTF16)
        el, ec = self.index.position(finding.end, Encoding.UTF16)
        return sl + 1, sc + 1, el + 1, ec + 1
