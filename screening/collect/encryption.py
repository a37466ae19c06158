"""The installation's key for submissions collected offline, and ODK's encrypted-submission format.

The XLSForm carries the public half of this key (its ``public_key`` setting), so
ODK Collect and Enketo encrypt each submission on the phone as it is finalised:
a fresh AES-256 key per submission, wrapped with RSA-OAEP (SHA-256, MGF1 with
SHA-1, as Collect's BouncyCastle and Enketo do), the submission and each
attachment in AES-CFB with PKCS#5 padding, each file's IV derived from the MD5
of the instance id and the AES key, one byte raised per file. Servers in between
(ODK Central without its managed encryption, KoboToolbox, a USB stick) hold
only ciphertext; only this installation can read it.

The private key is ``submissions.pem`` in the signing folder (0600), made the
first time a form is exported or a submission imported. It is never replicated
with the data: lose it and the encrypted submissions still on phones and
servers cannot be read (README: keys and backups).
"""

import base64
import hashlib

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as asymmetric
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from screening.protection.certificates import DIR_MODE, KEY_FILE_MODE, write_new

KEY_FILE = "submissions.pem"
KEY_BITS = 2048
# The manifest's namespace, and the paddings senders use: Collect and Enketo, then a SHA-256 MGF1.
MANIFEST_NS = "http://www.opendatakit.org/xforms/encrypted"
PADDINGS = (
    asymmetric.OAEP(mgf=asymmetric.MGF1(hashes.SHA1()), algorithm=hashes.SHA256(), label=None),  # noqa: S303
    asymmetric.OAEP(mgf=asymmetric.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
)


class DecryptionError(ValueError):
    """A submission this installation cannot decrypt: another key, or damaged files."""


def key(directory):
    """Return the installation's submission key, made the first time it is needed."""
    directory.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    path = directory / KEY_FILE
    if not path.exists():
        fresh = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        pem = fresh.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        write_new(path, pem, KEY_FILE_MODE, replace=False)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_text(private_key):
    """Return the public key as XLSForm's ``public_key`` setting wants it: base64 of its DER, on one line."""
    der = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def unwrap(private_key, wrapped):
    """Return the RSA-OAEP-decrypted bytes of ``wrapped`` (base64); raise DecryptionError."""
    try:
        data = base64.b64decode(wrapped, validate=True)
    except ValueError:
        raise DecryptionError("the encrypted key is not base64") from None
    for scheme in PADDINGS:
        try:
            return private_key.decrypt(data, scheme)
        except ValueError:
            continue
    raise DecryptionError("encrypted for another installation's key, or damaged") from None


def ivs(instance_id, aes_key):
    """Yield the IV of each file in turn, as ODK derives them."""
    digest = hashlib.md5(instance_id.encode() + aes_key).digest()  # noqa: S324 - ODK's format, not a defence
    seed = bytearray(digest[i % len(digest)] for i in range(16))
    counter = 0
    while True:
        seed[counter % 16] = (seed[counter % 16] + 1) % 256
        counter += 1
        yield bytes(seed)


def decrypt_file(aes_key, iv, data):
    """Return one file decrypted (AES-CFB, PKCS#5 padding); raise DecryptionError."""
    decryptor = Cipher(algorithms.AES(aes_key), CFB(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise DecryptionError("a file does not decrypt: damaged, or not from this submission") from None


def signature_source(form_id, version, wrapped_key, instance_id, files):
    """Return the MD5 that ODK signs: form, version, wrapped key, instance id, then each file's name and MD5."""
    lines = [form_id, *([version] if version else []), wrapped_key, instance_id]
    lines += [f"{name}::{hashlib.md5(data).hexdigest()}" for name, data in files]  # noqa: S324
    return hashlib.md5(("\n".join(lines) + "\n").encode()).digest()  # noqa: S324
