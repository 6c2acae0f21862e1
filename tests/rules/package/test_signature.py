"""The package signature check (KAI510-KAI514) on packages signed in memory."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from hypothesis import given, settings
from hypothesis import strategies as st

from kaios_lsp.findings import Severity
from kaios_lsp.rules.package.signature import signature_findings
from tests.support.signing import (
    APP,
    MF,
    NOW,
    RSA,
    SF,
    TestCA,
    make_ca,
    make_signer,
    manifest_mf,
    sign_entries,
)


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return make_ca()


def found(entries: dict[str, bytes], **kwargs: int) -> list[tuple[str, str | None]]:
    return [
        (finding.rule, entry) for entry, finding in signature_findings(entries, now=NOW, **kwargs)
    ]


def test_valid_package_has_no_findings(ca: TestCA) -> None:
    assert found(sign_entries(APP, make_signer(ca), ca)) == []


def test_unsigned_package_is_one_info() -> None:
    results = signature_findings(dict(APP), now=NOW)
    assert [(f.rule, entry) for entry, f in results] == [("KAI510", None)]
    finding = results[0][1]
    assert (finding.start, finding.end, finding.severity) == (0, 0, None)
    assert "KaiStore signs it on submission" in finding.message


@pytest.mark.parametrize(
    "digests", [("SHA1",), ("SHA256",), ("SHA1", "SHA256"), ("MD5", "SHA1")], ids=str
)
def test_sha1_and_sha256_manifests_are_accepted(ca: TestCA, digests: tuple[str, ...]) -> None:
    assert found(sign_entries(APP, make_signer(ca), ca, digests=digests)) == []


def test_ec_signer_and_sha512_pkcs7_are_accepted(ca: TestCA) -> None:
    # (cryptography >= 45 no longer makes SHA-1 PKCS#7 signatures, so none is tested)
    assert found(sign_entries(APP, make_signer(ca, ec_key=True), ca)) == []
    assert found(sign_entries(APP, make_signer(ca), ca, hash_algorithm=hashes.SHA512())) == []


def test_expired_signer_certificate(ca: TestCA) -> None:
    signer = make_signer(
        ca, not_before=NOW - timedelta(days=400), not_after=NOW - timedelta(days=3)
    )
    results = signature_findings(sign_entries(APP, signer, ca), now=NOW)
    assert [(f.rule, entry) for entry, f in results] == [("KAI511", RSA)]
    finding = results[0][1]
    assert "Test App Signer" in finding.message
    assert (NOW - timedelta(days=3)).strftime("%Y-%m-%d") in finding.message
    # Gecko from bug 1267318 ignores the signer's own expiry: a warning, not the error
    assert finding.severity == Severity.WARNING


def test_not_yet_valid_signer_certificate(ca: TestCA) -> None:
    signer = make_signer(ca, not_before=NOW + timedelta(days=2))
    assert found(sign_entries(APP, signer, ca)) == [("KAI511", RSA)]


def test_expired_intermediate_is_an_error() -> None:
    ca = make_ca(intermediate_not_after=NOW - timedelta(days=1))
    signer = make_signer(ca, not_after=NOW - timedelta(days=2))
    results = signature_findings(sign_entries(APP, signer, ca), now=NOW)
    by_message = {f.message.split('"')[1]: f for _, f in results}
    assert [(f.rule, entry) for entry, f in results] == [("KAI511", RSA), ("KAI511", RSA)]
    assert by_message["Test Intermediate"].severity is None  # the rule's default: error
    assert "refuses to install" in by_message["Test Intermediate"].message


def test_expiring_within_the_setting(ca: TestCA) -> None:
    signer = make_signer(ca, not_after=NOW + timedelta(days=10))
    package = sign_entries(APP, signer, ca)
    results = signature_findings(package, now=NOW, expiry_days=30)
    assert [(f.rule, entry) for entry, f in results] == [("KAI512", RSA)]
    assert "10 days left" in results[0][1].message
    assert (NOW + timedelta(days=10)).strftime("%Y-%m-%d") in results[0][1].message
    assert found(package, expiry_days=5) == []


def test_tampered_file(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    package["js/app.js"] = b"console.log('changed');\n"
    results = signature_findings(package, now=NOW)
    assert [(f.rule, entry) for entry, f in results] == [("KAI513", "js/app.js")]
    assert "js/app.js changed after signing: the install fails" in results[0][1].message


def test_added_unlisted_file(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    package["js/extra.js"] = b"1;"
    package["META-INF/notes.txt"] = b"not a signature file"
    assert found(package) == [("KAI513", "META-INF/notes.txt"), ("KAI513", "js/extra.js")]


def test_listed_file_removed(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    del package["icons/56.png"]
    assert found(package) == [("KAI513", "icons/56.png")]


def test_manifest_edited_after_signing(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    package[MF] = package[MF].replace(
        b"Manifest-Version: 1.0\r\n", b"Manifest-Version: 1.0\r\nCreated-By: hand\r\n"
    )
    assert found(package) == [("KAI514", MF)]


def test_manifest_rewritten_for_a_changed_file(ca: TestCA) -> None:
    """Recomputing the file digests does not help: the .SF's digest of the manifest fails."""
    package = sign_entries(APP, make_signer(ca), ca)
    package["js/app.js"] = b"changed"
    package[MF] = manifest_mf({k: v for k, v in package.items() if not k.startswith("META-INF/")})
    assert found(package) == [("KAI514", MF)]


def test_sf_edited_after_signing(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    package[SF] += b"Name: extra\r\n\r\n"
    assert found(package) == [("KAI514", RSA)]


def test_garbage_rsa(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    package[RSA] = b"not a PKCS#7 signature"
    assert found(package) == [("KAI514", RSA)]


def test_signature_from_another_package(ca: TestCA) -> None:
    signer = make_signer(ca)
    other = sign_entries({**APP, "js/app.js": b"other"}, signer, ca)
    package = sign_entries(APP, signer, ca)
    package[RSA] = other[RSA]
    assert found(package) == [("KAI514", RSA)]


def test_sf_without_rsa(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    del package[RSA]
    assert found(package) == [("KAI514", SF)]


def test_rsa_without_sf(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    del package[SF]
    assert found(package) == [("KAI514", RSA)]


def test_two_signatures(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    package["META-INF/other.rsa"] = package[RSA]
    assert found(package) == [("KAI514", RSA)]


def test_other_signature_names_are_read(ca: TestCA) -> None:
    """Gecko looks for META-INF/*.RSA and *.SF: the name zigbert is not required."""
    package = sign_entries(APP, make_signer(ca), ca)
    renamed = {
        name.replace("zigbert.sf", "APP.SF").replace("zigbert.rsa", "APP.RSA"): data
        for name, data in package.items()
    }
    assert found(renamed) == []


def test_long_names_are_wrapped_and_read(ca: TestCA) -> None:
    entries = {**APP, "locales/" + "a" * 90 + ".properties": b"x=y"}
    assert found(sign_entries(entries, make_signer(ca), ca)) == []


def test_broken_signatures_never_raise(ca: TestCA) -> None:
    package = sign_entries(APP, make_signer(ca), ca)
    der = package[RSA]
    for cut in range(0, len(der), 97):
        for broken in (der[:cut], der[:cut] + bytes([der[cut] ^ 0xFF]) + der[cut + 1 :]):
            results = found({**package, RSA: broken})
            assert {rule for rule, _ in results} <= {"KAI514", "KAI511", "KAI512"}, cut


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_damaged_signature_files_never_crash(data: st.DataObject) -> None:
    """Whatever bytes the META-INF files hold, the check answers with findings."""
    entries = dict(_SIGNED)
    name = data.draw(st.sampled_from(sorted(n for n in entries if n.startswith("META-INF/"))))
    content = bytearray(entries[name])
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(content) - 1))
        content[at] = data.draw(st.integers(0, 255))
    entries[name] = bytes(content)
    for _entry, finding in signature_findings(entries, now=NOW):
        assert finding.rule in {"KAI510", "KAI511", "KAI512", "KAI513", "KAI514"}


_SIGNED = sign_entries(APP)
