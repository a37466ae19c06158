"""The person's own details (name, contact, date of birth): asked only for referrals, encrypted, every look audited.

This is the most identifying page of a case: reading the details and changing
them are both recorded in the audit trail, in the same transaction as the read
or the change. What a referral may carry of them is the person's choice, item by
item (referrals.py).
"""

from screening.db.connection import now, write_transaction
from screening.protection import audit, crypto

FIELDS = ("name", "contact", "date_of_birth")
EMPTY = dict.fromkeys(FIELDS, "")


def stored(db, screening_id):
    """Return the person's details for a case, decrypted (empty strings when none), without auditing (internal)."""
    row = next(db.query("select * from people where screening_id = ?", [screening_id]), None)
    if row is None:
        return dict(EMPTY)
    return {**row, **{field: crypto.decrypt(row[field]) or "" for field in FIELDS}}


def read(db, actor, screening):
    """Return the person's details for someone who is shown them, and audit the look."""
    with write_transaction(db):
        details = stored(db, screening["id"])
        if any(details[field] for field in FIELDS):
            audit.record(db, "view_person", actor, reference=screening["reference"])
    return details


def save(db, actor, screening, *, name, contact, date_of_birth):
    """Store the person's details for referrals, kept apart from the screening answers, and audit the change."""
    values = {"name": name or None, "contact": contact or None, "date_of_birth": date_of_birth or None}
    with write_transaction(db):
        db["people"].upsert(
            {
                "screening_id": screening["id"],
                **{field: crypto.encrypt(value) for field, value in values.items()},
                "updated_at": now(),
            },
            pk="screening_id",
        )
        given = sorted(field for field, value in values.items() if value)
        audit.record(db, "edit_person", actor, reference=screening["reference"], detail={"fields": given})
