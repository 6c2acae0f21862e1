"""The signature of application.zip, checked as Gecko checks it at install.

What Gecko does (the KaiOS trees do not hold the file itself: roytam1/gecko-kaios, KaiOS 2.5,
has ``security/apps/moz.build``, which builds ``AppSignatureVerification.cpp`` and
``AppTrustDomain.cpp`` and embeds the KaiStore roots ``service-center-prod-public.crt`` /
``service-center-dev-public.crt``, but not the .cpp; kaiostech/gecko-b2g, KaiOS 3.0, has no
copy stored. The copies read instead: ``security/apps/AppSignatureVerification.cpp`` in
johnathan79717/gecko-dev (a B2G-era Gecko) and parrotgeek1/FirefoxLegacy52 (Gecko 52), and
``security/manager/ssl/AppSignatureVerification.cpp`` in mozilla/gecko-dev, the code
gecko-b2g follows):

* ``OpenSignedAppFile`` looks for exactly one ``META-INF/*.RSA`` (or ``.rsa``), exactly one
  ``META-INF/*.SF`` (or ``.sf``) and exactly one ``META-INF/(M|m)(ANIFEST|anifest).(MF|mf)``
  (``FindAndLoadOneEntry``: none or two of them fail). The name ``zigbert`` is not required.
  No .RSA file: ``NS_ERROR_SIGNED_JAR_NOT_SIGNED`` (the package is unsigned), even when an .SF
  is there; an .RSA without its .SF or manifest: ``NS_ERROR_SIGNED_JAR_MANIFEST_INVALID``.
* The .RSA is a detached PKCS#7 over the .SF (``VerifyCMSDetachedSignatureIncludingCertificate``)
  carrying the signer's certificate, whose chain must reach the trusted root.
* ``ParseSF`` reads only the main section's ``SHA1-Digest-Manifest`` (Gecko 48-52: SHA-1
  only) or ``SHA256-Digest-Manifest`` (mozilla-central: SHA-256 or SHA-1, per the PKCS#7
  signer's digest algorithm): per-section digests of the .SF are ignored, on purpose (the
  comment above ``ParseSF``). The digest must equal the manifest's.
* ``ParseMF``: ``Manifest-Version: 1.0`` first, lines of at most 72 bytes, every section needs
  a Name and a ``SHA1-Digest`` (``SHA256-Digest`` in mozilla-central), no duplicate names, no
  ``Magic``; other attributes (an ``MD5-Digest``, say) are ignored. A file whose digest
  differs fails the install (``NS_ERROR_SIGNED_JAR_MODIFIED_ENTRY``), a listed file that is
  missing too (``NS_ERROR_SIGNED_JAR_ENTRY_MISSING``), and so does any file of the zip that is
  not listed (``NS_ERROR_SIGNED_JAR_UNSIGNED_ENTRY``): only the three signature files found
  above and directory entries are exempt, so another file under META-INF/ must be listed too.
* Certificate time: ``VerifyCertificate`` builds the chain at ``Now()``. The B2G-era copy
  refuses any expired certificate; from bug 1267318 (Gecko 52 and mozilla-central) an expired
  *signer* certificate is accepted (mozilla-central: a not-yet-valid one too), but an expired
  intermediate still fails (mozilla::pkix reports it as ERROR_EXPIRED_ISSUER_CERTIFICATE,
  which is not exempt; the add-on outage of May 2019). Which of the two KaiOS 2.5 ships is not
  confirmed: an expired signer certificate is reported as a warning, an expired chain
  certificate as an error.

Where the copies differ (SHA-256, the signer's dates), the check takes the lenient side. The
PKCS#7 is parsed with asn1crypto and its signature verified with ``cryptography``: cryptography
has no public PKCS#7 verification API (only a private test helper), so the SignerInfo
(message digest attribute, signed attributes, signature) is read with asn1crypto and the
signature checked with the signer certificate's RSA or EC public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from functools import cache
from typing import TYPE_CHECKING

from kaios_lsp.app.package import Package
from kaios_lsp.config import Config
from kaios_lsp.findings import Finding, Severity
from kaios_lsp.rules.meta import Rule

if TYPE_CHECKING:  # (loaded with the first signed package: 50 ms a check of folders never needs)
    from asn1crypto import cms
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

_GECKO = (
    "(security/apps/AppSignatureVerification.cpp in B2G-era Gecko and Gecko 52, "
    "security/manager/ssl/AppSignatureVerification.cpp in mozilla-central; roytam1/gecko-kaios "
    "security/apps/moz.build builds it for KaiOS 2.5)"
)

RULES = (
    Rule(
        id="KAI510",
        name="unsigned-package",
        title="Package is not signed",
        severity=Severity.INFO,
        category="Package",
        explanation="The package has no META-INF/*.RSA signature, so Gecko's OpenSignedAppFile "
        f"returns NS_ERROR_SIGNED_JAR_NOT_SIGNED {_GECKO}. That is normal before submission: the "
        "KaiStore signs the package when it is submitted. Installed as it is (sideloading), it "
        "needs developer mode, and a privileged app needs the signature.",
        bad="application.zip with no META-INF/ folder.",
        good="application.zip as the KaiStore returns it, with META-INF/manifest.mf, "
        "META-INF/zigbert.sf and META-INF/zigbert.rsa.",
        example_file="application.zip",
        fixable=False,
        fix_note="No mechanical fix: a package is signed by the KaiStore (or your own signing "
        "key for a test device), not by editing files.",
    ),
    Rule(
        id="KAI511",
        name="signature-expired",
        title="Signing certificate expired or not yet valid",
        severity=Severity.ERROR,
        category="Package",
        explanation="Gecko's VerifyCertificate builds the signer's chain at the phone's current "
        f"time {_GECKO}. A certificate of the chain carried in the PKCS#7 (an intermediate CA) "
        "that has expired or is not yet valid makes mozilla::pkix fail with "
        "ERROR_EXPIRED_ISSUER_CERTIFICATE: the phone refuses to install it (error). For the "
        "signer's own certificate the copies differ: the B2G-era one refuses it too, while from "
        "bug 1267318 (Gecko 52, mozilla-central) Gecko ignores the signer's expiry. Which one "
        "KaiOS 2.5 ships is not confirmed, so an expired signer certificate is a warning.",
        bad="application.zip signed with a certificate that expired last month.",
        good="application.zip signed again by the KaiStore with a current certificate.",
        example_file="application.zip",
        fixable=False,
        fix_note="No mechanical fix: the package must be signed again (resubmit it to the "
        "KaiStore, or re-sign a test build with a current certificate).",
    ),
    Rule(
        id="KAI512",
        name="signature-expiring",
        title="Signing certificate expires soon",
        severity=Severity.WARNING,
        category="Package",
        explanation="A certificate of the package's signature (the signer's or an intermediate's "
        "carried in the PKCS#7) expires within signatureExpiryDays (30 by default). Once an "
        "intermediate has expired Gecko refuses the install (ERROR_EXPIRED_ISSUER_CERTIFICATE "
        f"{_GECKO}); for the signer's own certificate, see signature-expired.",
        bad="application.zip whose signing certificate expires in 10 days.",
        good="application.zip whose signing certificate is valid for another year.",
        example_file="application.zip",
        example_settings={"signatureExpiryDays": 30},
        fixable=False,
        fix_note="No mechanical fix: have the package signed again before the date (resubmit "
        "it to the KaiStore).",
    ),
    Rule(
        id="KAI513",
        name="signed-file-changed",
        title="File changed after signing",
        severity=Severity.ERROR,
        category="Package",
        explanation="Gecko's ParseMF compares every file with its digest in META-INF/manifest.mf "
        "(NS_ERROR_SIGNED_JAR_MODIFIED_ENTRY), fails on a listed file that is missing "
        "(NS_ERROR_SIGNED_JAR_ENTRY_MISSING), and OpenSignedAppFile fails on any file of the zip "
        "that is not listed (NS_ERROR_SIGNED_JAR_UNSIGNED_ENTRY; only the signature files "
        f"themselves and directories are exempt) {_GECKO}. The install fails. SHA1-Digest and "
        "SHA256-Digest are checked (Gecko 48-52 read only SHA1-Digest; mozilla-central SHA-256 "
        "too); other digests, such as MD5-Digest, are ignored as Gecko ignores them.",
        bad="application.zip where js/app.js was edited after the KaiStore signed it.",
        good="application.zip exactly as the KaiStore signed it.",
        example_file="application.zip",
        fixable=False,
        fix_note="No mechanical fix: a signed package cannot be edited; change the source and "
        "have the new package signed again.",
    ),
    Rule(
        id="KAI514",
        name="signature-invalid",
        title="Signature is broken",
        severity=Severity.ERROR,
        category="Package",
        explanation="Gecko's OpenSignedAppFile needs exactly one META-INF/*.RSA, one *.SF and "
        "one manifest.mf, a PKCS#7 in the .RSA that carries the signer's certificate and "
        "verifies over the .SF, an SF main section whose SHA1-Digest-Manifest (or "
        "SHA256-Digest-Manifest) equals the manifest's digest, and a manifest Gecko can parse "
        "(Manifest-Version: 1.0 first, lines of at most 72 bytes, a Name and a digest in every "
        f"section, no duplicate names) {_GECKO}; otherwise the install fails with "
        "NS_ERROR_SIGNED_JAR_MANIFEST_INVALID or a signature error. An .SF without an .RSA "
        "makes Gecko read the package as unsigned (NS_ERROR_SIGNED_JAR_NOT_SIGNED): a "
        "privileged app then fails to install. Per-section digests in the .SF are not checked: "
        "Gecko ignores them.",
        bad="application.zip whose META-INF/manifest.mf was edited after signing.",
        good="application.zip exactly as the KaiStore signed it.",
        example_file="application.zip",
        fixable=False,
        fix_note="No mechanical fix: the signature files cannot be repaired by hand; have the "
        "package signed again.",
    ),
)

UNSIGNED = "KAI510"
EXPIRED = "KAI511"
EXPIRING = "KAI512"
CHANGED = "KAI513"
INVALID = "KAI514"

# The search patterns of OpenSignedAppFile (nsZipArchive shell patterns, as regexes).
_RSA = re.compile(r"/?META-INF/.*\.(RSA|rsa)")
_SF = re.compile(r"/?META-INF/.*\.(SF|sf)")
_MF = re.compile(r"/?META-INF/(M|m)(ANIFEST|anifest)\.(MF|mf)")

# The digests Gecko reads (lower-case attribute prefix -> hashlib name).
_DIGESTS = {"sha256": "sha256", "sha1": "sha1"}


@cache
def _signer_hashes() -> dict[str, type[hashes.HashAlgorithm]]:
    from cryptography.hazmat.primitives import hashes

    return {
        "sha1": hashes.SHA1,
        "sha224": hashes.SHA224,
        "sha256": hashes.SHA256,
        "sha384": hashes.SHA384,
        "sha512": hashes.SHA512,
    }


Results = list[tuple[str | None, Finding]]


class _Invalid(Exception):
    """A manifest or signature file Gecko cannot parse (NS_ERROR_SIGNED_JAR_MANIFEST_INVALID)."""


def _finding(rule: str, message: str, severity: Severity | None = None) -> Finding:
    return Finding(rule, 0, 0, message, severity=severity)


def signature_findings(
    entries: Mapping[str, bytes], *, now: datetime, expiry_days: int = 30
) -> list[tuple[str | None, Finding]]:
    """Findings about the package's signature. ``entries``: every file of application.zip by
    its name in the zip (directories excluded). Each result is (the entry it concerns, e.g.
    "js/app.js" or "META-INF/zigbert.rsa", or None for the package as a whole; a Finding
    whose start = end = 0 and whose severity is left None unless it differs from the rule's
    default)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    rsas = sorted(name for name in entries if _RSA.fullmatch(name))
    sfs = sorted(name for name in entries if _SF.fullmatch(name))
    mfs = sorted(name for name in entries if _MF.fullmatch(name))
    out: Results = []
    if not rsas:
        for sf in sfs:
            out.append(
                (
                    sf,
                    _finding(
                        INVALID,
                        f"{sf} has no .RSA signature next to it: Gecko reads the package as "
                        "unsigned, and a privileged app fails to install",
                    ),
                )
            )
        if not sfs:
            out.append(
                (
                    None,
                    _finding(
                        UNSIGNED,
                        "The package is not signed: the KaiStore signs it on submission; "
                        "sideloading needs developer mode",
                    ),
                )
            )
        return out
    for found, kind in ((rsas, "META-INF/*.RSA"), (sfs, "META-INF/*.SF"), (mfs, "manifest.mf")):
        if len(found) > 1:
            for name in found[1:]:
                out.append(
                    (
                        name,
                        _finding(
                            INVALID,
                            f"More than one {kind} ({', '.join(found)}): Gecko needs exactly one "
                            "and the install fails",
                        ),
                    )
                )
        elif not found:
            out.append(
                (
                    rsas[0],
                    _finding(
                        INVALID,
                        f"{rsas[0]} has no {kind} next to it: the signature is incomplete and the "
                        "install fails",
                    ),
                )
            )
    if out:
        return out
    rsa_name, sf_name, mf_name = rsas[0], sfs[0], mfs[0]
    out.extend(_pkcs7_findings(rsa_name, entries[rsa_name], entries[sf_name], now, expiry_days))
    out.extend(_sf_findings(sf_name, entries[sf_name], mf_name, entries[mf_name]))
    out.extend(_mf_findings(mf_name, entries, exempt={rsa_name, sf_name, mf_name}))
    return out


# -- the PKCS#7 (.RSA) -------------------------------------------------------------------


def _pkcs7_findings(
    rsa_name: str, der: bytes, sf: bytes, now: datetime, expiry_days: int
) -> Results:
    from asn1crypto import cms
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    def invalid(message: str) -> Results:
        return [(rsa_name, _finding(INVALID, f"{rsa_name} {message}: the install fails"))]

    try:
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            return invalid("is not a PKCS#7 signed-data signature")
        signed = info["content"]
        certs = [
            x509.load_der_x509_certificate(choice.chosen.dump())
            for choice in signed["certificates"]
            if choice.name == "certificate"
        ]
        signer_infos = list(signed["signer_infos"])
    except Exception:  # asn1crypto and cryptography raise various errors on garbage
        return invalid("is not a parsable PKCS#7 signature")
    if not signer_infos:
        return invalid("carries no signer")
    try:
        signers = [_signer_cert(info, certs) for info in signer_infos]
        verdicts = [
            _verify(info, cert, sf)
            for info, cert in zip(signer_infos, signers, strict=True)
            if cert is not None
        ]
    except Exception:  # a SignerInfo asn1crypto parses lazily and finds broken
        return invalid("is not a parsable PKCS#7 signature")
    if not verdicts:
        return invalid("carries no signer certificate")
    out: Results = []
    if not any(verdict is None for verdict in verdicts):
        reason = next(verdict for verdict in verdicts if verdict)
        out.extend(invalid(f"does not verify over the .SF file ({reason})"))
    signer_certs = {cert.fingerprint(hashes.SHA256()) for cert in signers if cert is not None}
    for cert in certs:
        try:  # cryptography reads a certificate's fields lazily: a broken one fails here
            out.extend(
                _validity(
                    rsa_name,
                    cert,
                    cert.fingerprint(hashes.SHA256()) in signer_certs,
                    now,
                    expiry_days,
                )
            )
        except (ValueError, TypeError):
            out.extend(invalid("carries a certificate that cannot be read"))
            break
    return out


def _signer_cert(info: cms.SignerInfo, certs: list[x509.Certificate]) -> x509.Certificate | None:
    from cryptography import x509

    sid = info["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            if cert.serial_number == int(
                sid.chosen["serial_number"].native
            ) and cert.issuer.public_bytes() == bytes(sid.chosen["issuer"].dump()):
                return cert
        else:
            try:
                ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == bytes(sid.chosen.native):
                return cert
    return None


def _verify(info: cms.SignerInfo, cert: x509.Certificate, sf: bytes) -> str | None:
    """Why the SignerInfo does not verify over ``sf``, or None when it does (or when it uses
    an algorithm this check does not know: lenient)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    digest_name = str(info["digest_algorithm"]["algorithm"].native)
    hash_class = _signer_hashes().get(digest_name)
    if hash_class is None:
        return None
    attrs = info["signed_attrs"]
    if attrs.native is not None:
        digests = [
            bytes(attr["values"][0].native)
            for attr in attrs
            if attr["type"].native == "message_digest"
        ]
        if not digests or digests[0] != hashlib.new(digest_name, sf).digest():
            return "its message digest is not the .SF file's"
        signed = bytes(attrs.untag().dump())
    else:
        signed = sf
    signature = bytes(info["signature"].native)
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if info["signature_algorithm"].signature_algo != "rsassa_pkcs1v15":
                return None
            key.verify(signature, signed, padding.PKCS1v15(), hash_class())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed, ec.ECDSA(hash_class()))
        else:
            return None
    except InvalidSignature:
        return "the signature does not match"
    except (ValueError, TypeError):
        return None
    return None


def _cn(cert: x509.Certificate) -> str:
    from cryptography import x509

    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _validity(
    rsa_name: str, cert: x509.Certificate, is_signer: bool, now: datetime, expiry_days: int
) -> Results:
    role = "signing certificate" if is_signer else "certificate of the signing chain"
    cn = _cn(cert)
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    # The signer's own dates: Gecko from bug 1267318 ignores them (see KAI511): a warning.
    severity = Severity.WARNING if is_signer else None
    consequence = (
        "older Gecko refuses the install (Gecko 52 and later ignore the signer's dates)"
        if is_signer
        else "the phone refuses to install it"
    )
    if now > end:
        message = f'The {role} "{cn}" expired on {end:%Y-%m-%d}: {consequence}'
        return [(rsa_name, _finding(EXPIRED, message, severity))]
    if now < start:
        message = f'The {role} "{cn}" is not valid before {start:%Y-%m-%d}: {consequence}'
        return [(rsa_name, _finding(EXPIRED, message, severity))]
    left = end - now
    if left.total_seconds() <= expiry_days * 86400:
        days = left.days
        message = (
            f'The {role} "{cn}" expires on {end:%Y-%m-%d} ({days} day{"s" if days != 1 else ""} '
            "left): have the package signed again before then"
        )
        return [(rsa_name, _finding(EXPIRING, message))]
    return []


# -- the manifest (.MF) and signature (.SF) files -------------------------------------------


def _sections(data: bytes, header: str) -> list[list[tuple[str, str]]]:
    """The sections of a JAR manifest, as Gecko's ReadLine/ParseAttribute read them: lines end
    at CR, LF or CRLF, a line starting with a space continues the previous one, no physical
    line is longer than 72 bytes, and the first line is ``header``."""
    text = data.split(b"\0", 1)[0]
    physical = re.split(rb"\r\n|\r|\n", text)
    if physical and physical[-1] == b"":
        physical.pop()
    logical: list[bytes] = []
    for line in physical:
        if len(line) > 72:
            raise _Invalid(
                f"has a line longer than 72 bytes ({line[:30].decode(errors='replace')}...)"
            )
        if line.startswith(b" ") and logical and logical[-1]:
            if len(logical) == 1:
                raise _Invalid(f"continues its first line ({header} must stand alone)")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    if not logical or logical[0].decode(errors="replace") != header:
        raise _Invalid(f'does not start with "{header}"')
    sections: list[list[tuple[str, str]]] = [[]]
    for line in logical:
        if not line:
            if sections[-1]:
                sections.append([])
            continue
        name, colon, value = line.decode(errors="replace").partition(":")
        if not colon or not name.rstrip(" "):
            raise _Invalid(f'has a line that is not "Name: value" ({name[:30]})')
        sections[-1].append((name.rstrip(" ").lower(), value.lstrip(" ")))
    if not sections[-1]:
        sections.pop()
    return sections


def _decode(value: str) -> bytes:
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _Invalid(f"has a digest that is not base64 ({value[:30]})") from exc


def _sf_findings(sf_name: str, sf: bytes, mf_name: str, mf: bytes) -> Results:
    try:
        sections = _sections(sf, "Signature-Version: 1.0")
        main = sections[0] if sections else []
        found = {
            algorithm: _decode(value)
            for name, value in main
            for algorithm in _DIGESTS
            if name == f"{algorithm}-digest-manifest"
        }
    except _Invalid as exc:
        return [(sf_name, _finding(INVALID, f"{sf_name} {exc}: the install fails"))]
    if not found:
        message = (
            f"{sf_name} has no SHA1-Digest-Manifest or SHA256-Digest-Manifest in its main "
            "section: the install fails"
        )
        return [(sf_name, _finding(INVALID, message))]
    for algorithm, digest in found.items():
        if hashlib.new(_DIGESTS[algorithm], mf).digest() != digest:
            message = (
                f"{mf_name} was changed after signing: its {algorithm.upper()} digest is not "
                f"the {algorithm.upper()}-Digest-Manifest of {sf_name}; the install fails"
            )
            return [(mf_name, _finding(INVALID, message))]
    return []


def _mf_findings(mf_name: str, entries: Mapping[str, bytes], exempt: set[str]) -> Results:
    def invalid(message: str) -> Results:
        return [(mf_name, _finding(INVALID, f"{mf_name} {message}: the install fails"))]

    try:
        sections = _sections(entries[mf_name], "Manifest-Version: 1.0")[1:]
        listed: dict[str, dict[str, bytes]] = {}
        for section in sections:
            names = [value for key, value in section if key == "name"]
            if len(names) != 1 or not names[0]:
                return invalid("has a section without exactly one Name")
            if any(key == "magic" for key, _ in section):
                return invalid(f"has a Magic attribute (for {names[0]}), which Gecko rejects")
            if names[0] in listed:
                return invalid(f"lists {names[0]} twice")
            digests = {
                algorithm: _decode(value)
                for key, value in section
                for algorithm in _DIGESTS
                if key == f"{algorithm}-digest"
            }
            if not digests:
                return invalid(f"has no SHA1-Digest or SHA256-Digest for {names[0]}")
            listed[names[0]] = digests
    except _Invalid as exc:
        return invalid(str(exc))
    out: Results = []

    def changed(name: str, detail: str) -> None:
        message = f"{name} changed after signing: the install fails ({detail})"
        out.append((name, _finding(CHANGED, message)))

    for name, digests in listed.items():
        if name not in entries:
            changed(name, f"it is listed in {mf_name} but missing from the package")
            continue
        for algorithm, digest in digests.items():
            if hashlib.new(_DIGESTS[algorithm], entries[name]).digest() != digest:
                changed(name, f"its {algorithm.upper()} digest differs from the one in {mf_name}")
                break
    for name in sorted(entries):
        if name not in listed and name not in exempt and not name.endswith("/"):
            changed(name, f"it is not listed in {mf_name}")
    return out


def package_signature(
    package: Package, config: Config, now: datetime
) -> list[tuple[str | None, Finding]]:
    """The signature of the app's zip (the application.zip inside a bundle); nothing to
    say about a package that could not be read whole (the structure rules report it)."""
    if package.unreadable is not None or package.bomb is not None:
        return []
    return signature_findings(package.entries, now=now, expiry_days=config.signature_expiry_days)


# The checks run on every uploaded package (declaring them here registers them).
PACKAGE_CHECKS = (package_signature,)
