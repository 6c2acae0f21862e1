"""The scripts and pages being edited: one incremental session per script (the most
recently used few), the last scan of each page, the findings of unchanged inline scripts."""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Hashable

from kaios_lsp.findings import Finding
from kaios_lsp.parse.html import HtmlDocument, patch_scan, scan
from kaios_lsp.rules.js.incremental import ScriptSession
from kaios_lsp.rules.js.regions import edit_between


class ScriptSessions:
    """The sessions of the scripts being edited: the most recently used ``limit`` of them,
    and no more than ``max_chars`` of script text in all (a session keeps its tree and
    what its regions gave, about 40 MB per MB of script), the last one always kept."""

    def __init__(self, limit: int = 8, max_chars: int = 1_000_000) -> None:
        self.limit = limit
        self.max_chars = max_chars
        self._sessions: OrderedDict[Hashable, ScriptSession] = OrderedDict()
        self._memo: OrderedDict[Hashable, list[Finding]] = OrderedDict()  # inline scripts
        self._pages: OrderedDict[str, HtmlDocument] = OrderedDict()  # the last scan of each

    def get(self, key: Hashable) -> ScriptSession:
        session = self._sessions.pop(key, None) or ScriptSession()
        self._sessions[key] = session
        while len(self._sessions) > 1 and (
            len(self._sessions) > self.limit
            or sum(s.size for s in self._sessions.values()) > self.max_chars
        ):
            self._sessions.popitem(last=False)
        return session

    def scan_page(self, path: str, text: str) -> HtmlDocument:
        """The scan of a page, patched from its last one when the edit stays inside one
        of its scripts (typing in an inline script does not scan the page again)."""
        last = self._pages.pop(path, None)
        doc = None
        if last is not None:
            if last.text == text:
                doc = last
            else:
                doc = patch_scan(last, text, *edit_between(last.text, text))
        if doc is None:
            doc = scan(text)
        self._pages[path] = doc
        while len(self._pages) > self.limit:
            self._pages.popitem(last=False)
        return doc

    def recall(self, key: Hashable) -> list[Finding] | None:
        """Copies of the findings remembered for ``key`` (a script block's text and all
        it is judged by), or ``None``."""
        found = self._memo.get(key)
        if found is None:
            return None
        self._memo.move_to_end(key)
        return [copy.copy(f) for f in found]

    def remember(self, key: Hashable, findings: list[Finding]) -> None:
        self._memo[key] = [copy.copy(f) for f in findings]
        while len(self._memo) > 8 * self.limit:
            self._memo.popitem(last=False)

    def drop(self, path: str) -> None:
        """Forget the sessions of one file (closed in the editor)."""
        for key in [k for k in self._sessions if isinstance(k, tuple) and k[:1] == (path,)]:
            del self._sessions[key]

    def __len__(self) -> int:
        return len(self._sessions)
