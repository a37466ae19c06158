"""Submissions as ODK Collect makes them, for the import tests: the form's own instance, filled and encrypted.

The instance is the skeleton of the XForm that pyxform (ODK's converter) makes
from our XLSForm, filled field by field, so that its groups and names are the
ones a phone sends. Encryption follows Collect's EncryptionUtils step by step:
a random AES-256 key wrapped with RSA-OAEP (SHA-256, MGF1 SHA-1), IVs seeded
by MD5(instance id + key) with one byte raised per file, AES-CFB with PKCS#5
padding, the manifest signed with the MD5 of its elements.
"""

import base64
import hashlib
import os
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - builds test documents only

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as asymmetric
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from screening.collect.encryption import MANIFEST_NS, ivs, signature_source
from screening.instrument import questionnaire

XFORMS = "http://www.w3.org/2002/xforms"
OPENROSA = "http://openrosa.org/xforms"
OAEP = asymmetric.OAEP(mgf=asymmetric.MGF1(hashes.SHA1()), algorithm=hashes.SHA256(), label=None)  # noqa: S303


def skeleton(xform):
    """Return the primary instance of an XForm (pyxform's output) as an element to fill."""
    root = ET.fromstring(xform)  # noqa: S314 - our own converter's output
    instance = root.find(f".//{{{XFORMS}}}instance")
    return next(iter(instance))


def _text(value):
    return " ".join(value) if isinstance(value, list) else str(value)


def instance_xml(xform, answers, *, officer="", post="Poipet checkpoint", consent="yes", instance_id=None, **fields):
    """Return (instance id, submission XML bytes) for ``answers`` as a phone would send them."""
    data = skeleton(xform)
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    values = {
        "start": "2026-12-01T09:00:00.000+07:00",
        "end": "2026-12-01T09:20:00.000+07:00",
        "officer": officer,
        "bank_version": questionnaire.VERSION,
        "post": post,
        "interview_lang": "km",
        "interpreter": "none",
        "consent": consent,
        "instanceID": instance_id,
        **{k: _text(v) for k, v in answers.items()},
        **fields,
    }
    if isinstance(answers.get("age"), str):
        values["age"], values["age_other"] = "", answers["age"]
    for element in data.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if len(element) == 0 and name in values:
            element.text = values[name]
    return instance_id, ET.tostring(data, encoding="utf-8")


def encrypted(submission, instance_id, public_key_text, media=()):
    """Return (manifest bytes, {file name: bytes}) as Collect encrypts a finalised submission."""
    public_key = serialization.load_der_public_key(base64.b64decode(public_key_text))
    aes_key = os.urandom(32)
    wrapped = base64.b64encode(public_key.encrypt(aes_key, OAEP)).decode()
    files, plain, vectors = {}, [], ivs(instance_id, aes_key)
    for name, content in [*media, ("submission.xml", submission)]:
        padder = padding.PKCS7(128).padder()
        padded = padder.update(content) + padder.finalize()
        encryptor = Cipher(algorithms.AES(aes_key), CFB(next(vectors))).encryptor()
        files[f"{name}.enc"] = encryptor.update(padded) + encryptor.finalize()
        plain.append((name, content))
    form_id, version = questionnaire.SETTINGS["form_id"], questionnaire.VERSION
    signature = signature_source(form_id, version, wrapped, instance_id, plain)
    root = ET.Element(f"{{{MANIFEST_NS}}}data", {"id": form_id, "version": version, "encrypted": "yes"})
    ET.SubElement(root, f"{{{MANIFEST_NS}}}base64EncryptedKey").text = wrapped
    for name, _content in media:
        ET.SubElement(ET.SubElement(root, f"{{{MANIFEST_NS}}}media"), f"{{{MANIFEST_NS}}}file").text = f"{name}.enc"
    ET.SubElement(root, f"{{{MANIFEST_NS}}}encryptedXmlFile").text = "submission.xml.enc"
    sig = base64.b64encode(public_key.encrypt(signature, OAEP)).decode()
    ET.SubElement(root, f"{{{MANIFEST_NS}}}base64EncryptedElementSignature").text = sig
    ET.SubElement(ET.SubElement(root, f"{{{OPENROSA}}}meta"), f"{{{OPENROSA}}}instanceID").text = instance_id
    return ET.tostring(root, encoding="utf-8"), files


def digest(data):
    """Return a short digest, to tell files apart in a test's message."""
    return hashlib.sha256(data).hexdigest()[:12]
