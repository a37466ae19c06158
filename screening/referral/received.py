"""Referrals received from other installations: importing a signed referral once, reading it, following it up.

The receiving organisation imports the referral document it was sent (the PDF,
from the shell or the "Import a referral" page). The signature must be intact,
cover the whole file, and be this installation's or a trusted one's (trust.py).
The attached ``referral.json`` holds exactly what the person agreed to share; it
is kept whole and encrypted (``received_cases.contents``), beside the codes the
lists need in the clear: priority, deadline, status. A referral is imported once
per organisation, by the id the sender gave it. An acknowledgement, the same
way, goes to acknowledgements.py. Nothing is changed by a file that is refused.
"""

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from screening.access import can_see_received, received_scope
from screening.accounts import store
from screening.db.connection import dumps, now, write_transaction
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit, crypto
from screening.referral import followup, signing, trust
from screening.referral.referrals import PRIORITIES

REFERRAL_FORMAT = "trafficking-screening-referral/1"
ACKNOWLEDGEMENT_FORMAT = "trafficking-screening-acknowledgement/1"
UID = re.compile(r"[0-9a-f]{32}")
# A received case's address: 16 random bytes, URL-safe base64.
KEY_BYTES = 16
KEY = re.compile(r"[A-Za-z0-9_-]{22}")
REFERENCE_MAX = 40
NAME_MAX = 200
PAGE = 50


class ImportRefused(ValueError):
    """A file that is not imported, with the reason in the user's words; nothing was changed."""


class UnknownSigner(ImportRefused):
    """A document signed by an installation not trusted yet; ``report`` holds its certificate."""

    def __init__(self, report):
        super().__init__(_l("This document comes from an installation that is not trusted yet."))
        self.report = report


@dataclass(frozen=True)
class Imported:
    """What an import did: a received case (``kind`` "referral") or a follow-up recorded ("acknowledgement")."""

    kind: str
    created: bool
    received_id: int | None = None
    reference: str | None = None
    status: str | None = None
    key: str | None = None


def _moment(value):
    """Return an ISO 8601 moment as given, or raise ImportRefused."""
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportRefused(_l("The referral attached to this document is incomplete or damaged.")) from None
    return value


def _text(value, limit):
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ImportRefused(_l("The referral attached to this document is incomplete or damaged."))
    return value


def checked(db, actor, data):
    """Return (trust report, attached document) of an importable file; raise ImportRefused (UnknownSigner) if not."""
    try:
        report = trust.check(db, actor, data, purpose="import")
    except signing.NotVerifiable as exc:
        raise ImportRefused(trust.REFUSALS[exc.reason]) from None
    if not report.verification.intact:
        raise ImportRefused(_l("This document was changed after it was signed. Nothing was imported."))
    if not report.verification.whole_file:
        raise ImportRefused(
            _l("Something was added to this document after it was signed. Ask the sender for the original file.")
        )
    if report.standing == trust.UNKNOWN:
        raise UnknownSigner(report)
    document = report.verification.attachment
    if document is None or not isinstance(document.get("format"), str):
        raise ImportRefused(_l("This PDF carries no referral of this app: there is nothing to import."))
    if document["format"] not in (REFERRAL_FORMAT, ACKNOWLEDGEMENT_FORMAT):
        if document["format"].startswith(("trafficking-screening-referral/", "trafficking-screening-acknowledgement/")):
            raise ImportRefused(_l("This document was made by another version of the app, which this one cannot read."))
        raise ImportRefused(_l("This PDF carries no referral of this app: there is nothing to import."))
    return report, document


def _well_formed(document):
    """Return whether the parts a received case shows have the shapes the referral format gives them."""
    person = document.get("person", {})
    consent = document.get("consent", {})
    officer = document.get("referring_officer", {})
    services = document.get("services_requested", [])
    texts = (str, type(None))
    return (
        isinstance(person, dict)
        and all(isinstance(value, texts) for value in person.values())
        and isinstance(consent, dict)
        and isinstance(consent.get("shared_items", []), list)
        and all(isinstance(item, str) for item in consent.get("shared_items", []))
        and isinstance(officer, dict)
        and all(isinstance(value, texts) for value in officer.values())
        and isinstance(services, list)
        and all(isinstance(service, str) for service in services)
        and isinstance(document.get("assessment", {}), dict)
        and isinstance(document.get("receiving_organisation"), texts)
    )


def import_referral(db, actor, report, document, organisation):
    """Create the received case of a checked referral document, once per organisation; return Imported."""
    if not _well_formed(document):
        raise ImportRefused(_l("The referral attached to this document is incomplete or damaged."))
    uid = document.get("referral_id")
    if not isinstance(uid, str) or not UID.fullmatch(uid):
        raise ImportRefused(_l("The referral attached to this document is incomplete or damaged."))
    priority = document.get("priority")
    if priority not in PRIORITIES:
        raise ImportRefused(_l("The referral attached to this document is incomplete or damaged."))
    due = document.get("acknowledge_by")
    row = {
        # The address of the received case in this app: random, like a case reference,
        # so that it reveals neither the case nor how many cases were received.
        "key": secrets.token_urlsafe(KEY_BYTES),
        "organisation": organisation or "",
        "referral_uid": uid,
        "signer_fingerprint": report.verification.fingerprint,
        "signer_name": report.verification.subject,
        "sender_reference": _text(document.get("reference"), REFERENCE_MAX),
        "referral_created_at": _moment(document.get("created_at")),
        "priority": priority,
        "acknowledge_by": None if due is None else _moment(due),
        "status": "sent",
        "contents": crypto.encrypt(dumps(document)),
        "imported_by": actor.id,
        "imported_at": now(),
    }
    with write_transaction(db):
        found = next(
            db.query(
                "select id, key from received_cases where organisation = ? and referral_uid = ?",
                [row["organisation"], uid],
            ),
            None,
        )
        if found:
            return Imported("referral", False, found["id"], row["sender_reference"], key=found["key"])
        received_id = db["received_cases"].insert(row).last_pk
        detail = {"received": received_id, "fingerprint": row["signer_fingerprint"], "priority": priority}
        audit.record(db, "import_referral", actor, detail=detail)
    return Imported("referral", True, received_id, row["sender_reference"], key=row["key"])


def listed(db, user, page=1):
    """Return a page of the received cases ``user`` sees, unacknowledged first, then newest first."""
    condition, params = received_scope(user)
    sql = (
        "select id, key, sender_reference, signer_name, priority, acknowledge_by, status, imported_at "  # noqa: S608
        f"from received_cases where {condition} "
        "order by status != 'sent', acknowledge_by is null, acknowledge_by, imported_at desc "
        "limit :limit offset :offset"
    )
    return list(db.query(sql, {**params, "limit": PAGE, "offset": (page - 1) * PAGE}))


def get(db, user, key):
    """Return the received case at address ``key`` if ``user`` sees it (its referral decrypted as ``document``)."""
    if not isinstance(key, str) or not KEY.fullmatch(key):
        return None
    row = next(db.query("select * from received_cases where key = ?", [key]), None)
    if not can_see_received(user, row):
        return None
    contents = crypto.decrypt(row["contents"])
    return {**row, "document": json.loads(contents) if contents else None}


def opened(db, actor, received):
    """Record in the audit trail that someone opened a received case (it shows the person's data)."""
    audit.record(db, "view_received", actor, detail={"received": received["id"]})


def events(db, received_id):
    """Return a received case's follow-up steps, oldest first, with who recorded them (reasons decrypted)."""
    rows = list(db.query("select * from received_events where received_id = ? order by id", [received_id]))
    names = store.usernames(db, [row["recorded_by"] for row in rows])
    return [{**row, "reason": crypto.decrypt(row["reason"]), "username": names.get(row["recorded_by"])} for row in rows]


def advance(db, actor, received, status, reason=None):
    """Record the next step of a received referral (received, accepted, declined, closed); audited.

    Raise followup.IllegalTransition, with its message in words, for a step that may not follow.
    """
    reason = followup.checked_step(received["status"], status, reason)
    stamp = now()
    with write_transaction(db):
        db["received_events"].insert(
            {
                "received_id": received["id"],
                "status": status,
                "reason": crypto.encrypt(reason),
                "recorded_by": actor.id,
                "at": stamp,
            }
        )
        db.execute("update received_cases set status = ? where id = ?", [status, received["id"]])
        if status in followup.ACKNOWLEDGING and not received.get("acknowledged_at"):
            db.execute("update received_cases set acknowledged_at = ? where id = ?", [stamp, received["id"]])
        audit.record(db, "received_followup", actor, detail={"received": received["id"], "status": status})
