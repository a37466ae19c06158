"""The installation's signing key and self-issued certificates: where they live, how they are made and replaced.

Every referral document is signed (referral/signing.py) with a key that belongs
to this installation, so that a receiving organisation can tell who sent it and
that nothing changed on the way. The folder ``SCREENING_SIGNING_DIR`` (default:
``signing`` in the data folder, 0700) holds two files:

- ``signing.pem``: the private key and its certificate, readable by the owner
  only (0600). Created at first start, written in full under a private name and
  linked into place, so that two workers starting together agree on one key. It
  is never replaced silently: when it is missing but certificates were issued
  before, no new key is made and printing says so, until the file is restored or
  ``flask referral rotate-signing-key`` makes a new one on purpose.
- ``certificates.pem``: every certificate this installation has used, the one in
  use first. Documents signed under an older key still verify as "signed by this
  installation, older key".

The key is RSA 3072 (with an EC key pyHanko raises the PDF version to 2.0,
which PDF/A-3 does not allow) under a self-issued SHA-256 certificate naming the
installation (``SCREENING_INSTALLATION_NAME``). It is parsed once per process, on
the first document, and again only when its file changes (a rotation).
"""

import contextlib
import hashlib
import logging
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from screening.protection.keys import file_stamp

KEY_FILE = "signing.pem"
CERTIFICATES_FILE = "certificates.pem"
DIR_MODE = 0o700
KEY_FILE_MODE = 0o600
KEY_BITS = 3072
VALID_DAYS = 3650
# A certificate starts a little before it is made, so that a clock slightly behind still accepts it.
BACKDATE = timedelta(minutes=10)
ORGANISATION = "Trafficking screening"
DEFAULT_NAME = "Screening installation"
COMMON_NAME_BYTES = 64
EXTENSION = "screening_signing"
log = logging.getLogger(__name__)


class CertificateError(RuntimeError):
    """The signing key is missing or unreadable."""


@dataclass(frozen=True)
class Material:
    """The key that signs and its certificate, parsed."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def fingerprint(self):
        """Return the SHA-256 fingerprint of the certificate, as lowercase hex."""
        return fingerprint(self.certificate)


def fingerprint(certificate):
    """Return the SHA-256 fingerprint of a certificate (cryptography's, or its DER bytes) as lowercase hex."""
    der = certificate if isinstance(certificate, bytes) else certificate.public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).hexdigest()


def spaced(hex_fingerprint):
    """Return a fingerprint in groups of four, easy to read out over the phone."""
    return " ".join(hex_fingerprint[i : i + 4].upper() for i in range(0, len(hex_fingerprint), 4))


def subject_name(certificate):
    """Return the common name in a certificate's subject, or its whole subject when it has none."""
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return names[0].value if names else certificate.subject.rfc4514_string()


def common_name(name):
    """Return ``name`` cut to the 64 bytes of UTF-8 that a certificate's common name may hold, never mid-character."""
    return name.strip().encode("utf-8")[:COMMON_NAME_BYTES].decode("utf-8", "ignore").strip() or DEFAULT_NAME


def new_key():
    """Return a fresh private key for signing."""
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def new_material(name):
    """Return a fresh key and a self-issued certificate whose subject is ``name``."""
    key = new_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name(name)),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        ]
    )
    start = datetime.now(UTC) - BACKDATE
    # Signing only (digital signature, content commitment); nothing else.
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    return Material(key, certificate)


def _pem(material):
    key = material.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key + material.certificate.public_bytes(serialization.Encoding.PEM)


def parse(data):
    """Return the Material in a ``signing.pem`` file's bytes; raise CertificateError when it does not hold both."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
        certificate = x509.load_pem_x509_certificate(data)
    except ValueError:
        raise CertificateError("the signing key file holds no readable key and certificate") from None
    if not isinstance(key, rsa.RSAPrivateKey) or key.public_key() != certificate.public_key():
        raise CertificateError("the signing key file's key and certificate do not belong together")
    return Material(key, certificate)


def write_new(path, data, mode, *, replace):
    """Write ``data`` to ``path`` in full under a private name, then put it in place (or leave an existing file)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def issued(directory):
    """Return every certificate this installation has used, the one in use first."""
    path = directory / CERTIFICATES_FILE
    if not path.exists():
        return []
    return x509.load_pem_x509_certificates(path.read_bytes())


def _record(directory, certificate):
    """Put ``certificate`` first in the list of certificates used, keeping every older one."""
    others = [c for c in issued(directory) if fingerprint(c) != fingerprint(certificate)]
    data = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [certificate, *others])
    write_new(directory / CERTIFICATES_FILE, data, KEY_FILE_MODE, replace=True)


def ensure(directory, name):
    """Create the signing key at first start; return whether the key file is there.

    A key that existed once and is gone is not replaced: the caller reports it.
    """
    directory.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(directory, DIR_MODE)
    path = directory / KEY_FILE
    if not path.exists():
        if issued(directory):
            log.error(
                "%s is missing but this installation signed documents before: restore it from your backup, "
                "or make a new key on purpose with `flask --app wsgi referral rotate-signing-key`",
                path,
            )
            return False
        write_new(path, _pem(new_material(name)), KEY_FILE_MODE, replace=False)
    if path.stat().st_mode & 0o077:
        log.warning("%s can be read by other users of this machine; run: chmod 600 %s", path, path)
    # Only the certificate: loading the key checks it (0.13 s a start); Holder.material loads it.
    current = x509.load_pem_x509_certificate(path.read_bytes())
    if not issued(directory) or fingerprint(issued(directory)[0]) != fingerprint(current):
        _record(directory, current)
    return True


def rotate(directory, name):
    """Replace the signing key with a new one, keeping every older certificate; return the new Material."""
    directory.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    material = new_material(name)
    path = directory / KEY_FILE
    if path.exists():
        with contextlib.suppress(CertificateError):
            _record(directory, parse(path.read_bytes()).certificate)
    # The old certificate is listed first, so that a failure here leaves every document verifiable.
    write_new(path, _pem(material), KEY_FILE_MODE, replace=True)
    _record(directory, material.certificate)
    return material


class Holder:
    """The signing key of one app, parsed once and reloaded when its file changes."""

    def __init__(self, directory, name):
        self.directory = directory
        self.name = name
        self._lock = threading.Lock()
        self._state = (None, None)

    def material(self):
        """Return the key and certificate in use; raise CertificateError when the key file is missing."""
        path = self.directory / KEY_FILE
        stamp = file_stamp(path)
        if stamp is None:
            raise CertificateError("the installation's signing key is missing")
        cached_stamp, cached = self._state
        if stamp == cached_stamp:
            return cached
        with self._lock:
            material = parse(path.read_bytes())
            self._state = (stamp, material)
        return material

    def certificates(self):
        """Return every certificate this installation has used, the one in use first."""
        return issued(self.directory)


def init_app(app):
    """Create the signing key at first start (unless one was lost) and keep a holder in ``app.extensions``."""
    directory = app.config.get("SCREENING_SIGNING_DIR") or app.config["SCREENING_DATA_DIR"] / "signing"
    app.config["SCREENING_SIGNING_DIR"] = directory = Path(directory)
    name = app.config.get("SCREENING_INSTALLATION_NAME") or DEFAULT_NAME
    ensure(directory, name)
    app.extensions[EXTENSION] = Holder(directory, name)
