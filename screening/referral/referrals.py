"""Referrals: who a screened person is sent to, on what basis, with which of their data.

The person's consent decides, item by item, what each organisation receives.
Without consent to be referred no referral is made, with two exceptions the
officer must record: a child, referred in their best interests to child
protection, and an urgent situation, with the officer's written reason.
Every document printed or saved is recorded on the case. The person's details
and the officer's written reason are stored encrypted (crypto.py); the functions
here return them readable.
"""

import json
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l

from screening.db.connection import dumps, now
from screening.desk import statistics as stats
from screening.protection import crypto

PRIORITIES = {
    "emergency": _l("Emergency: within 24 hours"),
    "urgent": _l("Urgent: within 72 hours"),
    "normal": _l("Normal"),
}
DEADLINE_HOURS = {"emergency": 24, "urgent": 72, "normal": None}

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

# The person's details, kept apart from the answers and encrypted.
PERSON_FIELDS = ("name", "contact", "date_of_birth")

DOCUMENTS = {
    "referral": _l("Referral"),
    "info": _l("Information for the person"),
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


def create(db, screening, organisation, user_id, *, consented, items, priority, services, reason):
    """Record a referral and return its id; raise ReferralRefused when the rules forbid it."""
    assessment = json.loads(screening["assessment"])
    basis = basis_for(consented, assessment, organisation["kind"], reason)
    referral_id = (
        db["referrals"]
        .insert(
            {
                "screening_id": screening["id"],
                "organisation_id": organisation["id"],
                "priority": priority,
                "consent": "yes" if consented else "no",
                "shared_items": dumps([i for i in ITEMS if i in items]),
                "basis": basis,
                "basis_reason": crypto.encrypt((reason or "").strip() or None),
                "services": dumps(services),
                "status": "sent",
                "created_by": user_id,
                "created_at": now(),
            }
        )
        .last_pk
    )
    stats.count_referral(db, screening["id"], [(stats.REFERRAL_KEY, "sent", 1)])
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


def record_export(db, screening_id, referral_id, document, lang, user_id, via):
    """Record that a document of a case was printed or saved: who, when, what, for whom."""
    db["exports"].insert(
        {
            "screening_id": screening_id,
            "referral_id": referral_id,
            "document": document,
            "lang": lang,
            "user_id": user_id,
            "via": via,
            "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
    )


def exports_for(db, screening_id):
    """Return the documents printed for a case, newest first, with who printed them."""
    return list(
        db.query(
            "select e.*, u.username, o.name as organisation_name from exports e "
            "left join users u on u.id = e.user_id "
            "left join referrals r on r.id = e.referral_id "
            "left join organisations o on o.id = r.organisation_id "
            "where e.screening_id = ? order by e.id desc",
            [screening_id],
        )
    )


def person(db, screening_id):
    """Return the person's identifying details for a case (empty strings when none)."""
    rows = list(db.query("select * from people where screening_id = ?", [screening_id]))
    if not rows:
        return {"name": "", "contact": "", "date_of_birth": ""}
    return {**rows[0], **{field: crypto.decrypt(rows[0][field]) for field in PERSON_FIELDS}}


def save_person(db, screening_id, name, contact, date_of_birth):
    """Store the person's details for referrals (kept apart from the screening answers)."""
    db["people"].upsert(
        {
            "screening_id": screening_id,
            "name": crypto.encrypt(name),
            "contact": crypto.encrypt(contact),
            "date_of_birth": crypto.encrypt(date_of_birth),
            "updated_at": now(),
        },
        pk="screening_id",
    )
