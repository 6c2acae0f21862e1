"""KAI521: a ``sourceMappingURL`` comment in a shipped script (the source map, and often
the original sources, ship with the app)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.rules.meta import Rule

SOURCE_MAP_SHIPPED = "KAI521"

RULES = (
    Rule(
        id="KAI521",
        name="source-map-shipped",
        title="Source map comment in a shipped script",
        severity=Severity.WARNING,
        category="Leaks",
        explanation="A //# sourceMappingURL=... comment (also the older //@ form and /*# ... */) at the "
        "end of a script names its source map: a bundler writes it next to the bundle, so the .map file "
        "usually ships in the package too, and with it the original sources (its sourcesContent), "
        "comments, file layout and any secret a build step meant to hide. A KaiOS package is a ZIP "
        "anyone who has it can read. An inline data: map carries the sources inside the script itself: "
        "flagged too. The phone does not need the map (it is only read by developer tools). Reported in "
        "every shipped script, minified and third-party ones included (their map ships as well); not in "
        "build input (the build writes its own output) nor in tests.",
        bad="(function(){console.log('ready')})();\n//# sourceMappingURL=app.js.map\n",
        good="(function(){console.log('ready')})();\n",
        fixable=True,
        example_file="app.js",
        fix_note="Removes the comment line (safe: only developer tools read it). Also drop the .map "
        "file from the package (e.g. devtool: false or a hidden source map in webpack production "
        "builds, sourcemap: false in Vite/Rollup), which no edit of the script can do.",
    ),
)

_SCRIPTS = (".js", ".mjs", ".cjs")
_COMMENT = re.compile(
    r"//[#@][ \t]*sourceMappingURL[ \t]*=[ \t]*(?P<url>\S*)[^\n]*"
    r"|/\*[#@][ \t]*sourceMappingURL[ \t]*=[ \t]*(?P<url2>[^\s*]*)(?:(?!\*/)[\s\S])*\*/"
)


def source_map_rule(path: str | None, text: str, role: str | None) -> Iterator[Finding]:
    if not path or not path.lower().endswith(_SCRIPTS) or "sourceMappingURL" not in text:
        return
    for match in _COMMENT.finditer(text):
        if not _starts_comment(text, match.start()):
            continue  # inside a string or other code: `"//# sourceMappingURL=" + url`
        url = match.group("url") or match.group("url2") or ""
        inline = url.startswith("data:")
        start, end = _line_of(text, match.start(), match.end())
        where = (
            "an inline data: source map: the original sources ship inside this script"
            if inline
            else f"the source map {url or '(no URL)'} ships with the app, and with it, usually, "
            "the original sources (sourcesContent)"
        )
        yield Finding(
            SOURCE_MAP_SHIPPED,
            match.start(),
            match.end(),
            f"Source map comment in a shipped script: {where}. A KaiOS package is a ZIP anyone "
            "who has it can read, and the phone never uses the map. Remove the comment"
            + (
                "."
                if inline
                else ", and drop the .map file from the package (turn source maps "
                "off in the production build)."
            ),
            fixes=(Fix.replace("Remove the source map comment", start, end, ""),),
        )


def _starts_comment(text: str, at: int) -> bool:
    """The comment starts its line, or follows code ending in ``;``, ``}`` or ``)`` (a
    minified bundle's last line): not the inside of a string."""
    line_start = text.rfind("\n", 0, at) + 1
    before = text[line_start:at].rstrip()
    return not before or before[-1] in ";})]"


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    """What removing the comment removes: its whole line (with the line break) when the
    comment is alone on it, else only the comment."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return start, end
    if line_end < len(text):
        return line_start, line_end + 1
    if line_start > 0:  # the last line: take the line break before it
        return line_start - 1, line_end
    return line_start, line_end


# Checks of the text of any shipped file (declaring them here registers them).
TEXT_CHECKS = (source_map_rule,)
