"""Which installations' signatures this installation trusts: its own keys, and others an administrator accepted once.

A signed document is from this installation (its key in use, or an older one
kept in ``certificates.pem``), from a trusted installation (an administrator
compared its certificate's fingerprint with the sender, over the phone or in
person, and accepted it: trust on first use), or from an unknown one. A
document from an unknown installation is shown with its fingerprint and
imported only after an administrator has accepted it. Every acceptance and
every check of a document is in the audit trail.
"""

from dataclasses import dataclass

from cryptography import x509
from flask import current_app

from screening.db.connection import now, write_transaction
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit, certificates
from screening.referral import signing

THIS, THIS_OLDER, TRUSTED, UNKNOWN = "this", "this_older", "trusted", "unknown"
STANDINGS = {
    THIS: _l("This installation"),
    THIS_OLDER: _l("This installation, with an older key"),
    TRUSTED: _l("A trusted installation"),
    UNKNOWN: _l("An unknown installation: not trusted yet"),
}
# Why a file cannot be checked, in the user's words (signing.NotVerifiable's codes).
REFUSALS = {
    "too_large": _l("This file is too large to be a referral."),
    "not_pdf": _l("This file is not a PDF document."),
    "damaged": _l("This PDF is damaged: its signature cannot be read."),
    "unsigned": _l("This PDF is not signed, so nobody can tell who made it or whether it was changed."),
    "signed_twice": _l("This PDF was signed again after it was made: it is not as it was sent."),
}
MAX_CERTIFICATE_CHARS = 8000


@dataclass(frozen=True)
class Report:
    """A checked document: the signature's facts, who the signer is to us, and the trusted row if any."""

    verification: signing.Verification
    standing: str
    trusted: dict | None

    @property
    def acceptable(self):
        """Return whether the document is unchanged and signed by this installation or a trusted one."""
        return self.verification.unchanged and self.standing != UNKNOWN


def standing(db, fingerprint):
    """Return (standing code, trusted row or None) for a certificate's fingerprint."""
    own = [certificates.fingerprint(c) for c in current_app.extensions[certificates.EXTENSION].certificates()]
    if own and fingerprint == own[0]:
        return THIS, None
    if fingerprint in own:
        return THIS_OLDER, None
    row = next(db.query("select * from trusted_installations where fingerprint = ?", [fingerprint]), None)
    return (TRUSTED, row) if row else (UNKNOWN, None)


def check(db, actor, data, *, purpose="verify"):
    """Verify a signed document and say who signed it to us; audited. Raise signing.NotVerifiable for a bad file."""
    try:
        verification = signing.verify(data)
    except signing.NotVerifiable as exc:
        audit.record(db, "check_document", actor, detail={"purpose": purpose, "refused": exc.reason})
        raise
    code, row = standing(db, verification.fingerprint)
    detail = {
        "purpose": purpose,
        "fingerprint": verification.fingerprint,
        "standing": code,
        "unchanged": verification.unchanged,
    }
    audit.record(db, "check_document", actor, detail=detail)
    return Report(verification, code, row)


def certificate_from(pem):
    """Return the certificate in PEM text, or None when it is not one."""
    if not isinstance(pem, str) or len(pem) > MAX_CERTIFICATE_CHARS:
        return None
    try:
        return x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return None


def accept(db, actor, pem):
    """Trust the installation whose certificate is ``pem``; return its fingerprint. Idempotent, audited."""
    certificate = certificate_from(pem)
    if certificate is None:
        raise ValueError("not a certificate")
    fingerprint = certificates.fingerprint(certificate)
    name = certificates.subject_name(certificate)
    with write_transaction(db):
        if standing(db, fingerprint)[0] != UNKNOWN:
            return fingerprint
        db["trusted_installations"].insert(
            {
                "fingerprint": fingerprint,
                "name": name,
                "certificate": pem.strip() + "\n",
                "accepted_by": actor.id,
                "accepted_by_name": actor.username,
                "accepted_at": now(),
            }
        )
        audit.record(db, "trust_installation", actor, detail={"fingerprint": fingerprint, "installation": name})
    return fingerprint


def remove(db, actor, fingerprint):
    """Stop trusting an installation (its key was stolen, or replaced); return whether it was trusted. Audited."""
    wanted = "".join(fingerprint.split()).replace(":", "").lower()
    with write_transaction(db):
        row = next(db.query("select name from trusted_installations where fingerprint = ?", [wanted]), None)
        if row is None:
            return False
        db.execute("delete from trusted_installations where fingerprint = ?", [wanted])
        audit.record(db, "untrust_installation", actor, detail={"fingerprint": wanted, "installation": row["name"]})
    return True


def installations(db):
    """Return the trusted installations, newest first."""
    return list(db.query("select * from trusted_installations order by accepted_at desc, fingerprint"))


def rotate_key(db, actor):
    """Give this installation a new signing key, keeping the older certificates; audited. Return the new fingerprint."""
    holder = current_app.extensions[certificates.EXTENSION]
    material = certificates.rotate(holder.directory, holder.name)
    audit.record(db, "rotate_signing_key", actor, detail={"fingerprint": material.fingerprint})
    return material.fingerprint
