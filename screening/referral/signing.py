"""Signing referral documents with the installation's key (PAdES baseline B), and verifying a signed document.

``sign`` adds one invisible signature to a PDF that WeasyPrint has just made, as
an incremental update: the rendered bytes stay as they are, a new revision adds
the signature. pyHanko would also rewrite the document's metadata (the
producer, the XMP packet), which would leave the Info dictionary and the XMP
disagreeing and break PDF/A; the writer here leaves the metadata alone. The
signature field has a zero-size rectangle and the print flag, as PDF/A allows.

``verify`` reads a PDF and says who signed it (certificate subject and SHA-256
fingerprint), when (the time the signer's clock gave, which the signature does
not prove), whether the signed bytes are intact and cover the whole file (bytes
added after the signature are a change it does not cover), and returns the
attached ``referral.json``. Whether the signer is this installation, a trusted
one or unknown is decided by trust.py from the fingerprint.
"""

import asyncio
import io
import json
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from flask import current_app
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from screening.protection import certificates

FIELD = "Signature"
ATTACHMENT = "referral.json"
# A referral is under 300 kB; anything far larger is not one of ours (and a request stops at 2 MB).
MAX_BYTES = 1024 * 1024
# Room kept for the signature, in hex digits: ours takes about 3,800 (a 64-byte Thai name: 4,200).
# Given, not estimated: pyHanko's estimate builds the whole signature a second time.
SIGNATURE_HEX_DIGITS = 8192


class SigningError(RuntimeError):
    """The document cannot be signed: the installation's signing key is missing or unreadable."""


class NotVerifiable(ValueError):
    """The file is not a PDF, carries no signature, or cannot be read as one; ``reason`` is a code."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class _MetadataKept(IncrementalPdfFileWriter):
    """An incremental writer that leaves the Info dictionary and the XMP packet as WeasyPrint wrote them."""

    def _update_meta(self):
        """Write no metadata: PDF/A needs the Info dictionary and the XMP packet to agree."""


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's signer with the key parsed once: its own parses the key again for every signature."""

    def __init__(self, material):
        der_certificate = material.certificate.public_bytes(serialization.Encoding.DER)
        der_key = material.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        certificate = asn1_x509.Certificate.load(der_certificate)
        super().__init__(
            signing_cert=certificate,
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore(),  # the signing certificate is embedded anyway, once
        )
        self._key = material.key

    def sign_raw(self, data, digest_algorithm):
        """Return the RSA PKCS#1 v1.5 signature of ``data``."""
        return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


_signers = {}


def _signer():
    holder = current_app.extensions[certificates.EXTENSION]
    try:
        material = holder.material()
    except certificates.CertificateError as exc:
        raise SigningError(str(exc)) from None
    signer = _signers.get(material.fingerprint)
    if signer is None:
        _signers.clear()
        signer = _signers[material.fingerprint] = _LoadedKeySigner(material)
    return signer


def sign(data):
    """Return the PDF ``data`` signed by this installation, as an incremental update."""
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    writer = _MetadataKept(io.BytesIO(data))
    signer = signers.PdfSigner(metadata, signer=_signer())
    signed = _outside_event_loop(signer.sign_pdf, writer, in_place=False, bytes_reserved=SIGNATURE_HEX_DIGITS)
    return signed.getvalue()


def _outside_event_loop(function, *args, **kwargs):
    """Call one of pyHanko's blocking functions, which start their own asyncio loop.

    Where this thread already runs a loop (an asynchronous server, or a test
    process that drove a browser with Playwright first), asyncio.run() refuses
    to start another: the call then runs in a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


@dataclass(frozen=True)
class Verification:
    """What a signed document says about itself, once checked."""

    subject: str
    fingerprint: str
    certificate_pem: str
    signed_at: datetime | None
    intact: bool  # the signed bytes are unchanged and the signature is the certificate's
    whole_file: bool  # nothing was added after the signature
    attachment: dict | None  # the attached referral.json, parsed; None when absent or unreadable

    @property
    def unchanged(self):
        """Return whether the document is exactly as it was signed."""
        return self.intact and self.whole_file


def _attachment(reader):
    """Return the attached referral.json, parsed, or None."""
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    for position in range(0, len(names) - 1, 2):
        if str(names[position]) != ATTACHMENT:
            continue
        try:
            stream = names[position + 1].get_object()["/EF"]["/F"].get_object()
            document = json.loads(stream.data.decode("utf-8"))
        except (KeyError, TypeError, ValueError, PdfError, zlib.error):
            return None
        return document if isinstance(document, dict) else None
    return None


def verify(data):
    """Return the Verification of a signed PDF; raise NotVerifiable when it is not one we can check."""
    if len(data) > MAX_BYTES:
        raise NotVerifiable("too_large")
    if not data.startswith(b"%PDF-"):
        raise NotVerifiable("not_pdf")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        raise NotVerifiable("damaged") from None
    if not signatures:
        raise NotVerifiable("unsigned")
    if len(signatures) > 1:
        # We sign once. A second signature is someone else's revision on top of ours.
        raise NotVerifiable("signed_twice")
    signature = signatures[0]
    try:
        certificate = signature.signer_cert
        context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
        status = _outside_event_loop(validate_pdf_signature, signature, context, skip_diff=True)
    except (PdfError, ValueError, KeyError, TypeError, IndexError):  # pyHanko's validation errors are ValueErrors
        raise NotVerifiable("damaged") from None
    parsed = x509.load_der_x509_certificate(certificate.dump())
    return Verification(
        subject=certificates.subject_name(parsed),
        fingerprint=certificates.fingerprint(certificate.dump()),
        certificate_pem=parsed.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        attachment=_attachment(reader),
    )
