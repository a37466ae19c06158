"""Referrals: who a screened person is sent to, on what basis, with which of their data.

The person's consent decides, item by item, what each organisation receives.
Without consent to be referred no referral is made, with two exceptions the
officer must record: a child, referred in their best interests to child
protection, and an urgent situation, with the officer's written reason.
The officer's written reason is stored encrypted (crypto.py); the functions here
return it readable. The person's details are in person.py, the printed documents
in documents.py.
"""

import json
import secrets
from datetime import datetime, timedelta

from screening.db.connection import dumps, now, write_transaction
from screening.desk import facts
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit, crypto

PRIORITIES = {
    "emergency": _l("Emergency: within 24 hours"),
    "urgent": _l("Urgent: within 72 hours"),
    "normal": _l("Normal"),
}
DEADLINE_HOURS = {"emergency": 24, "urgent": 72, "normal": None}
UID_BYTES = 16

# What the person may agree to share, item by item.
ITEMS = {
    "name": _l("Name"),
    "contact": _l("Contact details"),
    "date_of_birth": _l("Date of birth"),
    "nationality": _l("Nationality"),
    "answers": _l("The screening answers and result"),
}

BASES = {
    "consent": _l("The person agreed to be referred"),
    "child_best_interests": _l("A child, referred to child protection in their best interests"),
    "urgent": _l("An urgent situation; the officer's reason is recorded"),
}


class ReferralRefused(ValueError):
    """A referral that the consent rules do not allow."""


def default_priority(assessment):
    """Return the priority a result suggests: urgent flags first, then a presumed victim."""
    if assessment["urgent"]:
        return "emergency"
    if assessment["outcome"] == "presumed" or assessment["child"]:
        return "urgent"
    return "normal"


def basis_for(consented, assessment, organisation_kind, reason):
    """Return the legal basis of a referral, or raise ReferralRefused with the reason in words."""
    if consented:
        return "consent"
    if assessment["child"] and organisation_kind == "child_protection":
        return "child_best_interests"
    if assessment["urgent"] and (reason or "").strip():
        return "urgent"
    if assessment["urgent"]:
        raise ReferralRefused(_l("Without the person's consent, an urgent referral needs your written reason."))
    raise ReferralRefused(
        _l(
            "Without the person's consent no referral is made, except a child to child protection, "
            "or an urgent situation with your written reason."
        )
    )


def create(db, actor, screening, organisation, *, consented, items, priority, services, reason):
    """Record a referral by the acting officer and return its id; raise ReferralRefused when the rules forbid it."""
    assessment = json.loads(screening["assessment"])
    basis = basis_for(consented, assessment, organisation["kind"], reason)
    row = {
        "screening_id": screening["id"],
        "organisation_id": organisation["id"],
        "priority": priority,
        "consent": "yes" if consented else "no",
        "shared_items": dumps([i for i in ITEMS if i in items]),
        "basis": basis,
        "basis_reason": crypto.encrypt((reason or "").strip() or None),
        "services": dumps(services),
        "status": "sent",
        "created_by": actor.id,
        "created_at": now(),
        # Travels in the signed document: the receiver imports by it, and acknowledges by it.
        "uid": secrets.token_hex(UID_BYTES),
    }
    with write_transaction(db):
        referral_id = db["referrals"].insert(row).last_pk
        facts.count_referral(db, screening, [(facts.REFERRAL_KEY, "sent", 1)])
        detail = {"organisation": organisation["id"], "basis": basis}
        audit.record(db, "refer", actor, reference=screening["reference"], detail=detail)
    return referral_id


def for_case(db, screening_id):
    """Return the referrals of a case with their organisation, oldest first."""
    rows = db.query(
        "select r.*, o.name as organisation_name, o.kind as organisation_kind, o.print_lang "
        "from referrals r join organisations o on o.id = r.organisation_id "
        "where r.screening_id = ? order by r.id",
        [screening_id],
    )
    return [{**row, "basis_reason": crypto.decrypt(row["basis_reason"])} for row in rows]


def get(db, screening_id, referral_id):
    """Return one referral of this case, or None."""
    return next((r for r in for_case(db, screening_id) if r["id"] == referral_id), None)


def by_uid(db, uid):
    """Return the referral with this random id (printed in its document) with its organisation, or None."""
    rows = db.query(
        "select r.*, o.name as organisation_name, o.kind as organisation_kind, o.print_lang "
        "from referrals r join organisations o on o.id = r.organisation_id where r.uid = ?",
        [uid],
    )
    return next(({**row, "basis_reason": crypto.decrypt(row["basis_reason"])} for row in rows), None)


def find_by_organisation(db, screening_id, name):
    """Return the case's referrals to organisations whose name contains ``name`` (any case)."""
    needle = name.casefold()
    return [r for r in for_case(db, screening_id) if needle in r["organisation_name"].casefold()]


def deadline(referral):
    """Return when a referral must be acknowledged, by its priority (None for normal)."""
    hours = DEADLINE_HOURS[referral["priority"]]
    if hours is None:
        return None
    return (datetime.fromisoformat(referral["created_at"]) + timedelta(hours=hours)).isoformat()
