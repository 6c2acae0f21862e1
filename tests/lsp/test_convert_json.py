"""publishDiagnostics built directly as JSON (convert.diagnostic_json, sent with
KaiosProtocol.notify_json, or as the message text put together from each diagnostic's
JSON text and sent with KaiosProtocol.send_message_text) is byte for byte what pygls
writes for the lsprotocol objects of convert.to_diagnostic."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from kaios_lsp.findings import Finding, Related, Severity
from kaios_lsp.lsp.convert import (
    diagnostic_json,
    publish_diagnostics_json,
    publish_diagnostics_message,
    to_diagnostic,
)
from kaios_lsp.lsp.session import KaiosLanguageServer
from kaios_lsp.parse.text import Encoding, LineIndex

URI = "file:///app/manifest.webapp"
TEXT = '{\n  "name": "Caf\u00e9 \U0001f600",\r\n  "description": "x"\r}\n'
SCRIPT = "let a = 1;\n\u00e9\U0001f600 navigator.getDeviceStorage('sdcard');\n"
INDEXES = {"/app/js/app.js": LineIndex(SCRIPT), "/app/js/gone.js": None}


def _index_of(path: str) -> LineIndex | None:
    return INDEXES[path]


class _Writer:
    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def close(self) -> None:
        pass


def _sent(findings: list[Finding], version: int | None, encoding: Encoding) -> tuple[bytes, bytes]:
    """(what pygls writes for the lsprotocol objects, what notify_json writes), after
    checking that the message text made of each diagnostic's text is written the same."""
    ls = KaiosLanguageServer()
    writer = _Writer()
    ls.protocol.set_writer(writer)
    index = LineIndex(TEXT)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(
            uri=URI,
            diagnostics=[to_diagnostic(f, index, encoding, URI, _index_of) for f in findings],
            version=version,
        )
    )
    ls.protocol.notify_json(
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
        publish_diagnostics_json(
            URI, [diagnostic_json(f, index, encoding, URI, _index_of) for f in findings], version
        ),
    )
    ls.protocol.send_message_text(
        publish_diagnostics_message(
            URI,
            [json.dumps(diagnostic_json(f, index, encoding, URI, _index_of)) for f in findings],
            version,
        )
    )
    assert len(writer.written) == 3
    assert writer.written[2] == writer.written[0]
    return writer.written[0], writer.written[1]


def test_every_kind_of_finding_is_written_as_pygls_writes_it():
    findings = [
        Finding("KAI101", 3, 9, "plain", severity=Severity.ERROR),
        Finding("KAI102", 0, 0, "no severity set: a warning"),
        Finding(
            "KAI103", 12, 30, 'quotes " and \\ and caf\u00e9 \U0001f600', severity=Severity.INFO
        ),
        Finding("KAI010", 5, 6, "unused", severity=Severity.HINT, unnecessary=True),
        Finding(
            "KAI204",
            30,
            44,
            "prompts",
            severity=Severity.WARNING,
            related=(
                Related(3, 9, "here in this document"),
                Related(11, 47, "a call in a script", "/app/js/app.js"),
                Related(0, 3, "a file that cannot be read is left out", "/app/js/gone.js"),
            ),
        ),
        Finding(
            "KAI205",
            1,
            2,
            "only unreadable related",
            related=(Related(0, 1, "x", "/app/js/gone.js"),),
        ),
    ]
    for encoding in Encoding:
        for version in (7, None):
            ours, pygls = _sent(findings, version, encoding)
            assert ours == pygls
    # and it is real JSON of what was found (not two equal empty messages)
    body = json.loads(ours.split(b"\r\n\r\n", 1)[1])
    assert [d["code"] for d in body["params"]["diagnostics"]] == [f.rule for f in findings]
    assert len(body["params"]["diagnostics"][4]["relatedInformation"]) == 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(TEXT)),
            st.integers(0, len(TEXT)),
            st.text(max_size=20),
            st.sampled_from([None, *Severity]),
            st.booleans(),
            st.lists(
                st.tuples(
                    st.integers(0, len(SCRIPT)),
                    st.text(max_size=10),
                    st.sampled_from([None, "/app/js/app.js", "/app/js/gone.js"]),
                ),
                max_size=3,
            ),
        ),
        max_size=4,
    ),
    st.sampled_from(list(Encoding)),
    st.one_of(st.none(), st.integers(0, 2**31 - 1)),
)
def test_any_findings_are_written_as_pygls_writes_them(raw, encoding, version):
    findings = [
        Finding(
            "KAI999",
            min(a, b),
            max(a, b),
            message,
            severity=severity,
            unnecessary=unnecessary,
            related=tuple(Related(at, at, text, path) for at, text, path in related),
        )
        for a, b, message, severity, unnecessary, related in raw
    ]
    ours, pygls = _sent(findings, version, encoding)
    assert ours == pygls
