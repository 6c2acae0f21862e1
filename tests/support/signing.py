"""Signed KaiOS packages built in memory for tests: a test CA, a signer certificate with chosen
validity dates, and JAR signing of a dict of entries (META-INF/manifest.mf, zigbert.sf,
zigbert.rsa) as the KaiStore does.

The PKCS#7 signature is made by ``cryptography``'s ``PKCS7SignatureBuilder`` (detached, DER,
carrying the signer and any intermediate certificates); nothing here writes ASN.1 by hand.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)

MF = "META-INF/manifest.mf"
SF = "META-INF/zigbert.sf"
RSA = "META-INF/zigbert.rsa"

# Gecko reads SHA1-Digest and SHA256-Digest (security/manager/ssl/AppSignatureVerification.cpp);
# an MD5-Digest line is an unrecognized attribute it ignores, so MD5 is only ever written
# next to one of the two.
_HASHES = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "MD5": hashlib.md5}

_KEYS: dict[str, rsa.RSAPrivateKey] = {}


def _key(label: str) -> rsa.RSAPrivateKey:
    """RSA keys are slow to make: one per role, reused by every test."""
    if label not in _KEYS:
        _KEYS[label] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEYS[label]


@dataclass(frozen=True)
class Identity:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "kaios-lsp tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _cert(
    cn: str,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    issuer: Identity | None,
    not_before: datetime,
    not_after: datetime,
    *,
    ca: bool,
) -> Identity:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer.cert.subject if issuer else _name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False
        )
    signing_key = issuer.key if issuer else key
    return Identity(builder.sign(signing_key, hashes.SHA256()), key)


@dataclass(frozen=True)
class TestCA:
    root: Identity
    intermediate: Identity | None

    __test__ = False  # not a pytest class

    @property
    def issuer(self) -> Identity:
        return self.intermediate or self.root


def make_ca(
    *,
    intermediate: bool = True,
    intermediate_not_before: datetime | None = None,
    intermediate_not_after: datetime | None = None,
) -> TestCA:
    """A root and (by default) an intermediate CA, valid for years around :data:`NOW`."""
    root = _cert(
        "Test Root",
        _key("root"),
        None,
        NOW - timedelta(days=3650),
        NOW + timedelta(days=3650),
        ca=True,
    )
    inter = None
    if intermediate:
        inter = _cert(
            "Test Intermediate",
            _key("intermediate"),
            root,
            intermediate_not_before or NOW - timedelta(days=1000),
            intermediate_not_after or NOW + timedelta(days=1000),
            ca=True,
        )
    return TestCA(root, inter)


def make_signer(
    ca: TestCA,
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    cn: str = "Test App Signer",
    ec_key: bool = False,
) -> Identity:
    """A code-signing certificate issued by ``ca`` (valid a year around NOW by default)."""
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
        ec.generate_private_key(ec.SECP256R1()) if ec_key else _key("signer")
    )
    return _cert(
        cn,
        key,
        ca.issuer,
        not_before or NOW - timedelta(days=180),
        not_after or NOW + timedelta(days=365),
        ca=False,
    )


def _header(name: str, value: str) -> bytes:
    """One manifest header, wrapped as the JAR spec wants: lines of at most 72 bytes, a
    continuation line starting with a space."""
    raw = f"{name}: {value}".encode()
    lines = [raw[:72]]
    raw = raw[72:]
    while raw:
        lines.append(b" " + raw[:71])
        raw = raw[71:]
    return b"\r\n".join(lines) + b"\r\n"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def manifest_mf(entries: dict[str, bytes], digests: tuple[str, ...] = ("SHA1",)) -> bytes:
    """META-INF/manifest.mf: a main section, then one section per file with its digests."""
    out = [_header("Manifest-Version", "1.0"), b"\r\n"]
    for name in sorted(entries):
        section = _header("Name", name)
        for algorithm in digests:
            section += _header(
                f"{algorithm}-Digest", _b64(_HASHES[algorithm](entries[name]).digest())
            )
        out.append(section + b"\r\n")
    return b"".join(out)


def signature_sf(manifest: bytes, digests: tuple[str, ...] = ("SHA1",)) -> bytes:
    """zigbert.sf: the digest of the whole manifest.mf in the main section, the JDK 8 way
    Gecko reads (it ignores per-section digests, so none are written)."""
    out = _header("Signature-Version", "1.0")
    for algorithm in digests:
        out += _header(f"{algorithm}-Digest-Manifest", _b64(_HASHES[algorithm](manifest).digest()))
    return out + b"\r\n"


def pkcs7_signature(
    data: bytes,
    signer: Identity,
    extra_certs: tuple[x509.Certificate, ...] = (),
    hash_algorithm: hashes.HashAlgorithm | None = None,
) -> bytes:
    """A detached PKCS#7 (DER) signature of ``data`` carrying the signer's certificate and
    ``extra_certs``."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data)
    builder = builder.add_signer(signer.cert, signer.key, hash_algorithm or hashes.SHA256())
    for cert in extra_certs:
        builder = builder.add_certificate(cert)
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def sign_entries(
    entries: dict[str, bytes],
    signer: Identity | None = None,
    ca: TestCA | None = None,
    *,
    digests: tuple[str, ...] = ("SHA1",),
    sf_digests: tuple[str, ...] | None = None,
    hash_algorithm: hashes.HashAlgorithm | None = None,
) -> dict[str, bytes]:
    """``entries`` plus META-INF/manifest.mf, zigbert.sf and zigbert.rsa, signed by
    ``signer`` (a fresh signer of a fresh CA by default); the intermediate CA certificate
    travels in the PKCS#7 as the KaiStore's does."""
    if ca is None:
        ca = make_ca()
    if signer is None:
        signer = make_signer(ca)
    manifest = manifest_mf(entries, digests)
    sf = signature_sf(manifest, sf_digests or tuple(d for d in digests if d != "MD5") or ("SHA1",))
    extra = (ca.intermediate.cert,) if ca.intermediate else ()
    return {
        **entries,
        MF: manifest,
        SF: sf,
        RSA: pkcs7_signature(sf, signer, extra, hash_algorithm),
    }


APP = {
    "manifest.webapp": b'{"name": "Demo", "launch_path": "/index.html"}',
    "index.html": b"<!doctype html><script src=js/app.js></script>",
    "js/app.js": b"console.log('hello');\n",
    "icons/56.png": b"\x89PNG\r\n\x1a\n",
}
