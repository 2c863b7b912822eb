"""PDF digital signatures (PAdES) on the official forms, from the installation's own signing
authority.

The authority is a key and a self-signed CA certificate in ``settings.SIGNING_CA_DIR``,
written once by ``manage.py create_signing_authority``. Each signed document gets a key of
its own and a certificate the authority issues for it in the signing doctor's name, so a
reader checks the signature against the one authority certificate, and no doctor's key is
kept. The signature is a certification signature (DocMDP) that permits no change at all.
"""

import asyncio
import io
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader
from pypdf.errors import PdfReadError

KEY_FILE = "ca-key.pem"
CERTIFICATE_FILE = "ca-cert.pem"
# The authority outlives the documents it signs for; each document's certificate is good
# for as long as a certification may be disputed and reviewed.
AUTHORITY_YEARS = 25
DOCUMENT_YEARS = 10


class SigningAuthorityMissing(Exception):
    """No signing authority in ``SIGNING_CA_DIR``: run ``manage.py create_signing_authority``."""


class SigningAuthorityExists(Exception):
    """There is one already; a second would orphan every signature made with the first."""


@dataclass(frozen=True)
class SigningAuthority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


@dataclass(frozen=True)
class Signer:
    """Who signs a document, as the signature names them."""

    name: str
    reason: str
    location: str = ""


@dataclass(frozen=True)
class SignatureCheck:
    """What validating a document's signature found."""

    signer_name: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    no_changes_allowed: bool
    summary: str

    @property
    def passes(self) -> bool:
        return self.intact and self.valid and self.trusted


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MMI Tracker"),
        ]
    )


def authority_create(directory: Path, *, common_name: str) -> SigningAuthority:
    """Write a new authority's key (readable by its owner only) and certificate to
    ``directory``; refuses to replace one that is there."""
    key_path, certificate_path = directory / KEY_FILE, directory / CERTIFICATE_FILE
    if key_path.exists() or certificate_path.exists():
        raise SigningAuthorityExists(f"A signing authority is already in {directory}.")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    name = _name(common_name)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * AUTHORITY_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as written:
        written.write(key_pem)
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return SigningAuthority(key, certificate)


def authority_load(directory: Path | None = None) -> SigningAuthority:
    """The installation's signing authority (``settings.SIGNING_CA_DIR`` by default)."""
    directory = Path(directory or settings.SIGNING_CA_DIR)
    try:
        key_pem = (directory / KEY_FILE).read_bytes()
        certificate_pem = (directory / CERTIFICATE_FILE).read_bytes()
    except FileNotFoundError:
        raise SigningAuthorityMissing(
            f"No signing authority in {directory}: run `manage.py create_signing_authority`."
        ) from None
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SigningAuthorityMissing(f"The key in {directory} is not the authority's EC key.")
    return SigningAuthority(key, x509.load_pem_x509_certificate(certificate_pem))


def _document_certificate(
    authority: SigningAuthority, signer: Signer
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A fresh key, and the authority's certificate for it in the signer's name."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(signer.name))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * DOCUMENT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
        .sign(authority.key, hashes.SHA256())
    )
    return key, certificate


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def pdf_sign(
    pdf: bytes,
    *,
    signer: Signer,
    field_name: str,
    new_field_box: tuple[int, tuple[int, int, int, int]] | None = None,
    authority: SigningAuthority | None = None,
) -> bytes:
    """``pdf`` with a certification signature in its field ``field_name`` that permits no
    change. ``new_field_box`` (page index, box) places that field when the form has none."""
    authority = authority or authority_load()
    key, certificate = _document_certificate(authority, signer)
    pyhanko_signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(authority.certificate)]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        name=signer.name,
        reason=signer.reason,
        location=signer.location or None,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    new_field_spec = None
    if new_field_box is not None:
        page, box = new_field_box
        new_field_spec = fields.SigFieldSpec(field_name, on_page=page, box=box)

    def sign() -> bytes:
        return signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
            metadata,
            signer=pyhanko_signer,
            new_field_spec=new_field_spec,
        ).getvalue()

    return _outside_any_event_loop(sign)


def _outside_any_event_loop(work: Callable[[], bytes]) -> bytes:
    """pyHanko's synchronous API runs an event loop of its own, which cannot start in a
    thread already running one (an async caller): there it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def pdf_signature_check(pdf: bytes, *, authority_certificate: x509.Certificate) -> SignatureCheck:
    """Validate the document's one signature against the authority's certificate."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    if not reader.embedded_signatures:
        return SignatureCheck("", None, False, False, False, False, "The PDF is not signed.")
    embedded = reader.embedded_signatures[0]
    context = ValidationContext(
        trust_roots=[_asn1_certificate(authority_certificate)], allow_fetching=False
    )
    status = validate_pdf_signature(embedded, context)
    subject = status.signing_cert.subject.native if status.signing_cert else {}
    return SignatureCheck(
        signer_name=str(subject.get("common_name", "")),
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        no_changes_allowed=embedded.docmdp_level == fields.MDPPerm.NO_CHANGES,
        summary=status.summary(),
    )


@dataclass(frozen=True)
class SignatureStamp:
    """What a signed PDF says of its signature, read without validating it (the pages show
    it beside the file's SHA-256; validation is ``pdf_signature_check``)."""

    signer_name: str
    signed_at: datetime | None


_PDF_DATE = re.compile(r"D:(\d{14})(Z|[+-]\d{2}'?\d{2}'?)?")


def _pdf_date(text: str) -> datetime | None:
    match = _PDF_DATE.match(text)
    if match is None:
        return None
    moment = datetime.strptime(match[1], "%Y%m%d%H%M%S")
    offset = (match[2] or "Z").replace("'", "")
    if offset == "Z":
        return moment.replace(tzinfo=UTC)
    sign = 1 if offset[0] == "+" else -1
    delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5] or 0))
    return moment.replace(tzinfo=timezone(sign * delta))


def pdf_signature_stamp(pdf: bytes) -> SignatureStamp | None:
    """The signer's name and signing time a PDF's first signed field records; None when the
    PDF has no signature."""
    try:
        fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    except PdfReadError:
        return None
    for field in fields.values():
        if field.get("/FT") != "/Sig" or "/V" not in field:
            continue
        value = field["/V"].get_object()
        return SignatureStamp(str(value.get("/Name", "")), _pdf_date(str(value.get("/M", ""))))
    return None
