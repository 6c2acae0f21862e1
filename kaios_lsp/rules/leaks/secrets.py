"""KAI520: hard-coded secrets (private keys, cloud and API keys, tokens, passwords) in the
files an app ships, found with Yelp's detect-secrets (https://github.com/Yelp/detect-secrets).

detect-secrets is used through its plugins' ``analyze_string`` on text in memory: no files,
no processes, no global settings, and never its verification (which calls the providers
over the network). Tuned not to cry wolf:

* only the plugins for secrets with a recognisable shape, plus the keyword plugin (a quoted
  value assigned to a name saying password/secret/api key...); never the high-entropy
  string plugins, nor those matching generic words (Artifactory, Cloudant, IBM, SoftLayer),
  nor public IP addresses or Twilio SIDs (identifiers, not secrets);
* keys that are public by design are not reported: Google/Firebase web API keys
  (``AIza...``), Stripe publishable keys, Mapbox public tokens;
* placeholders (``YOUR_API_KEY``, ``xxx``, ``<key>``, ``changeme``, ``${KEY}``...) and, for
  the keyword plugin, values that read as words or labels rather than passwords;
* minified and third-party scripts are skipped (the engine already skips build input,
  tests and excluded files: see ``kaios_lsp.engine.TEXT_CHECK_ROLES``).

A cheap regular expression of the words and prefixes the plugins look for picks the lines
worth scanning, so a script without any costs one pass of ``re.search``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from kaios_lsp.findings import Finding, Severity
from kaios_lsp.rules.js.context import is_vendor
from kaios_lsp.rules.meta import Rule

SECRET_IN_APP = "KAI520"

RULES = (
    Rule(
        id="KAI520",
        name="secret-in-app",
        title="Hard-coded secret in a file the app ships",
        severity=Severity.WARNING,
        category="Leaks",
        explanation="A KaiOS app is a ZIP package: anyone who has it (from the store, a sideloaded copy, "
        "or the phone itself) can unzip it and read every file, minified or not. A private key (PEM), a "
        "cloud or API secret (AWS, Stripe, Slack, GitHub, GitLab, SendGrid, OpenAI, Mailchimp, Azure, "
        "Square, npm, PyPI), a JSON Web Token, a password in a URL, or a quoted value assigned "
        "to a name saying password, secret, private key, client key or api key is public once the app "
        "ships. Detected with Yelp's detect-secrets (its shaped-secret plugins and its keyword plugin; "
        "not its high-entropy string plugins), on the app's own shipped files (scripts, pages, "
        "manifests and other JSON files); minified and third-party code, build input and tests are "
        "not scanned, and placeholders (YOUR_API_KEY, xxx, <key>, changeme, ${KEY}) are fine. Keys that "
        "are public by design are not reported: a Firebase or Google web API key (AIza...) only "
        "identifies the project (protect the data with Firebase security rules and API key "
        "restrictions), as do Stripe publishable keys (pk_...) and Mapbox public tokens (pk.).",
        bad='const config = {\n  awsSecretAccessKey: "q8Vf2kR7tLm0XyZ4bN9cD1eG3hJ5pS6uW8aQ2rTz",\n};\n',
        good="const config = {\n  // fetched from our server after login, never shipped\n  awsSecretAccessKey: null,\n};\n",
        example_file="app.js",
        fix_note="No mechanical fix: the secret has to move to a server the app calls (which "
        "holds the secret and does the privileged work), and the shipped one has to be revoked "
        "and rotated, as every copy of the package keeps it.",
    ),
)

# Cheap test for a line worth handing to detect-secrets: the keyword plugin's words (any
# case) and the prefixes of the shaped secrets below, found with str.find (one regular
# expression of them all costs ~20 ms on a 100 KB script: it is tried at every position).
_WORDS = (
    *(f"{a}{sep}{b}" for a, b in (("api", "key"), ("auth", "key"), ("service", "key"),
        ("account", "key"), ("db", "key"), ("database", "key"), ("priv", "key"),
        ("private", "key"), ("client", "key"), ("db", "pass"), ("database", "pass"),
        ("key", "pass")) for sep in ("", "_")),
    "passw", "pwd", "secret", "contrase", "aws", "xox", "hooks.slack.com", "_authtoken",
)  # fmt: skip
_PREFIXES = (
    "AKIA", "ASIA", "ABIA", "ACCA", "A3T", "PRIVATE KEY", "PuTTY-User-Key", "eyJ", "ghp_",
    "gho_", "ghu_", "ghs_", "ghr_", "glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "glcbt-",
    "glimt-", "glptt-", "glagent-", "gloas-", "GR1348941", "sk_live_", "rk_live_", "SG.",
    "T3BlbkFJ", "-us", "sq0csp-", "pypi-Ag",
)  # fmt: skip
# one pass over the lowered text, the needles as a trie (an alternation of them all, or a
# str.find per needle, costs ~5 ms on a 100 KB script); the prefixes are then checked in
# their case


def _trie_pattern(words: Iterable[str]) -> str:
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        alternatives = [re.escape(c) + branch(sub) for c, sub in sorted(node.items()) if c]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{body})?" if "" in node else body

    return branch(tree)


_NEEDLES = re.compile(_trie_pattern({n.lower() for n in (*_WORDS, *_PREFIXES)}))
_LONGEST_NEEDLE = max(len(n) for n in (*_WORDS, *_PREFIXES))
# Text outside ASCII is lowered a window at a time: str.lower() of a whole 1 MB script
# with one emoji in it (4 bytes a character) briefly takes ~19 MB.
_LOWER_WINDOW = 65536
_CASED = {n.lower(): n for n in _PREFIXES if n.lower() not in _WORDS}
_PASSWORD_IN_URL = re.compile(r"://[^\s/:@'\"`]+:[^\s/@'\"`]+@")
# detect-secrets plugins used, most specific first (the first to claim a range names it)
_PLUGINS = (
    ("private_key", "PrivateKeyDetector", "a private key"),
    ("aws", "AWSKeyDetector", "an AWS key"),
    ("stripe", "StripeDetector", "a Stripe secret key"),
    ("slack", "SlackDetector", "a Slack token or webhook URL"),
    ("github_token", "GitHubTokenDetector", "a GitHub token"),
    ("gitlab_token", "GitLabTokenDetector", "a GitLab token"),
    ("sendgrid", "SendGridDetector", "a SendGrid API key"),
    ("openai", "OpenAIDetector", "an OpenAI API key"),
    ("mailchimp", "MailchimpDetector", "a Mailchimp API key"),
    ("azure_storage_key", "AzureStorageKeyDetector", "an Azure storage account key"),
    ("square_oauth", "SquareOAuthDetector", "a Square OAuth secret"),
    ("npm", "NpmDetector", "an npm token"),
    ("pypi_token", "PypiTokenDetector", "a PyPI token"),
    ("basic_auth", "BasicAuthDetector", "a password in a URL (user:password@host)"),
    ("jwt", "JwtTokenDetector", "a JSON Web Token (a signed credential)"),
    ("keyword", "KeywordDetector", "a hard-coded secret"),
)
_AWS_KEY_ID = re.compile(r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}")
_PUBLIC_BY_DESIGN = re.compile(r"^(?:AIza[\w-]{30,}|pk_(?:live|test)_\w+)$")
_PLACEHOLDER = re.compile(
    r"(?i)^(?:your|my|insert|enter|put|replace|add)[\s_-]|x{3,}|\*{3,}|\.{3}|<[^>]*>|\$\{|\{\{"
    r"|<%|%\(|^%\w+%$|^\$|changeme|change[_-]me|replace[_-]?me|placeholder|example|dummy"
    r"|sample|redacted|todo|fixme|^(?:null|none|undefined|true|false|test|password|secret)$"
    r"|^(.)\1+$"
)
_SEQUENTIAL = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"
_KEYWORD_NAME = re.compile(
    r"[\w$-]*(?:api_?key|auth_?key|service_?key|account_?key|db_?key|database_?key|priv_?key"
    r"|private_?key|client_?key|db_?pass|database_?pass|key_?pass|password|passwd|pwd|secret"
    r"|contrase[ñn]a)[\w$-]*",
    re.IGNORECASE,
)
_JWT_TAIL = re.compile(r"[\w.+/=-]*")
_PEM_START = "-----BEGIN"
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*-----")
_LONG_LINE = 2000  # past this (one-line JSON), only a window around each hit is scanned
_WINDOW = (300, 1000)
_SCRIPT_OR_PAGE = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


@cache
def _detectors() -> tuple[tuple[Any, str, str], ...]:
    """(plugin, its class name, what it finds); detect-secrets loads on first use."""
    import importlib

    from kaios_lsp.rules.leaks.on_demand import defer_requests

    defer_requests()  # (their network verification is never used: ~10 MB not loaded)
    found = []
    for module, name, label in _PLUGINS:
        plugin_class = getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)
        found.append((plugin_class(), name, label))
    return tuple(found)


def secret_rule(path: str | None, text: str, role: str | None) -> Iterator[Finding]:
    chunks = _chunks_worth_scanning(text)
    if not chunks:
        return
    if path and path.lower().endswith(_SCRIPT_OR_PAGE) and is_vendor(path, text):
        return  # minified or third-party code: long random strings, keys of the library
    claimed: list[tuple[int, int]] = []
    for start, chunk in chunks:
        for at, end, label in _secrets_in(chunk):
            at, end = at + start, end + start
            if label == "a private key":
                at, end = _pem_block(text, at, end)
            if any(at < e and s < end for s, e in claimed):
                continue
            claimed.append((at, end))
            yield Finding(
                SECRET_IN_APP,
                at,
                end,
                f"This looks like {label}, hard-coded in a file the app ships. A KaiOS "
                "package is a ZIP that anyone who has it can unzip and read, so the secret "
                "is public: keep it on a server the app calls, and revoke and rotate this "
                "one (every copy of the package keeps it).",
            )


def _unaffected_by(old_line: str, new_line: str, text: str) -> bool:
    """Can an edit that turned ``old_line`` into ``new_line`` (a line of ``text``) change
    what :func:`secret_rule` finds? Not when neither line has a word the prefilter looks
    for (no chunk covers the line, and chunks never cross lines) and no private key
    block, which may span lines, can reach it (used by ``manifest_reuse.Reuse.text``)."""
    if _PEM_START in text or any(
        mark in line for line in (old_line, new_line) for mark in (_PEM_START, "-----END")
    ):
        return False
    return not _hits(old_line) and not _hits(new_line)


secret_rule.unaffected_by = _unaffected_by  # type: ignore[attr-defined]


def _chunks_worth_scanning(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each line (or window of a long line) the prefilter picks."""
    chunks: list[tuple[int, str]] = []
    done = 0  # the text before this offset has been handed out
    for hit in _hits(text):
        if hit < done:
            continue
        line_start = text.rfind("\n", 0, hit) + 1
        line_end = text.find("\n", hit)
        line_end = len(text) if line_end < 0 else line_end
        if line_end - line_start <= _LONG_LINE:
            chunks.append((line_start, text[line_start:line_end]))
            done = line_end + 1
            continue
        start = max(line_start, hit - _WINDOW[0], done)
        end = min(line_end, hit + _WINDOW[1])
        chunks.append((start, text[start:end]))
        done = end - _WINDOW[0]
    return chunks


def _hits(text: str) -> list[int]:
    """Where the prefilter's words (any case) and prefixes (this case) are, in order."""
    hits = []
    for start, found in _needles(text):
        exact = _CASED.get(found)
        if exact is None or text.startswith(exact, start):
            hits.append(start)
    hits.extend(match.start() for match in _PASSWORD_IN_URL.finditer(text))
    return sorted(hits)


def _needles(text: str) -> Iterator[tuple[int, str]]:
    """(offset, lowered text) of each match of _NEEDLES in ``text.lower()``."""
    if text.isascii() or len(text) <= _LOWER_WINDOW:
        for match in _NEEDLES.finditer(text.lower()):
            yield match.start(), match.group()
        return
    # Windows that overlap by a needle's length find the same matches: each window is
    # searched from where the last match ended, and no match reads past its needle.
    windows = []
    for start in range(0, len(text), _LOWER_WINDOW):
        window = text[start : start + _LOWER_WINDOW + _LONGEST_NEEDLE].lower()
        if len(window) != min(len(text) - start, _LOWER_WINDOW + _LONGEST_NEEDLE):
            # a character whose lower case is longer ("İ"): offsets as the whole text's
            yield from ((m.start(), m.group()) for m in _NEEDLES.finditer(text.lower()))
            return
        windows.append(start)
    done = 0
    for start in windows:
        window = text[start : start + _LOWER_WINDOW + _LONGEST_NEEDLE].lower()
        for match in _NEEDLES.finditer(window, max(done - start, 0)):
            if match.start() >= _LOWER_WINDOW:
                break  # the next window's
            done = start + match.end()
            yield start + match.start(), match.group()


def _secrets_in(line: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, what it is) of each secret detect-secrets finds in ``line``."""
    for plugin, name, label in _detectors():
        for at, end in _spans(plugin, name, line):
            value = line[at:end]
            if value and _plausible(name, value, line, at):
                yield at, end, _describe(name, label, value, line, at)


def _spans(plugin: Any, name: str, line: str) -> Iterator[tuple[int, int]]:
    """Where the plugin's findings are: a plain regex plugin's own patterns give the exact
    place (a capture group when it holds the secret, as AWS's and basic auth's do; not a
    mere prefix, as GitHub's); the others (JWT, keyword) yield values, found in the line."""
    if name not in ("JwtTokenDetector", "KeywordDetector"):
        for regex in plugin.denylist:
            for match in regex.finditer(line):
                groups = [i for i in range(1, (regex.groups or 0) + 1) if match.group(i)]
                wide = [i for i in groups if len(match.group(i)) >= 8]
                yield match.span(wide[0]) if wide else match.span()
        return
    for value in set(plugin.analyze_string(line)):
        at = line.find(value) if isinstance(value, str) and value else -1
        if at >= 0:
            end = at + len(value)
            if name == "JwtTokenDetector":  # its pattern stops short of the signature
                tail = _JWT_TAIL.match(line, end)
                end = tail.end() if tail is not None else end
            yield at, end


def _plausible(plugin: str, value: str, line: str, at: int) -> bool:
    if _PUBLIC_BY_DESIGN.match(value) or _PLACEHOLDER.search(value):
        return False
    if plugin == "JwtTokenDetector":
        return not line[max(0, at - 3) : at].endswith("pk.")  # a Mapbox public token
    if plugin != "KeywordDetector":
        return True
    return _password_like(value)


def _password_like(value: str) -> bool:
    """A value assigned to a secret-sounding name that could be a password or key, rather
    than a label ("Enter password"), a word, an identifier or a URL."""
    if len(value) < 6 or any(c.isspace() for c in value) or "://" in value:
        return False
    if value.lower() in _SEQUENTIAL or value.lower()[::-1] in _SEQUENTIAL:
        return False
    digits = any(c.isdigit() for c in value)
    mixed_case = any(c.islower() for c in value) and any(c.isupper() for c in value)
    return digits or (mixed_case and len(value) >= 12)


def _describe(plugin: str, label: str, value: str, line: str, at: int) -> str:
    if plugin == "AWSKeyDetector":
        return (
            "an AWS access key ID" if _AWS_KEY_ID.fullmatch(value) else "an AWS secret access key"
        )
    if plugin == "KeywordDetector":
        names = [m.group(0) for m in _KEYWORD_NAME.finditer(line, 0, at)]
        if names:
            return f"a hard-coded secret (the value of '{names[-1]}')"
    return label


def _pem_block(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole ``-----BEGIN ... PRIVATE KEY----- ... -----END ...-----`` block around a
    match (on one line in JSON, on several in a script or a PEM file)."""
    begin = text.rfind(_PEM_START, max(0, start - 20), end)
    if begin < 0:
        return start, end
    close = _PEM_END.search(text, end, end + 20_000)
    return begin, close.end() if close is not None else end


# Checks of the text of any shipped file (declaring them here registers them).
TEXT_CHECKS = (secret_rule,)
