"""Referral follow-up: sent, then received, then accepted or declined (with a reason), then closed.

Each step is recorded with who recorded it and when; the referral keeps its
current status and the moment it was first acknowledged (received, accepted or
declined). A referral past its priority's deadline without acknowledgement is
overdue.
"""

from datetime import UTC, datetime

from flask_babel import gettext as _

from screening.accounts import store
from screening.db.connection import now, write_transaction
from screening.desk import facts
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit, crypto
from screening.referral.referrals import deadline

STATUSES = {
    "sent": _l("Sent"),
    "received": _l("Received"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "closed": _l("Closed"),
}
# Which status may follow which: no step backwards, no skipping past a decision.
TRANSITIONS = {
    "sent": ("received", "accepted", "declined"),
    "received": ("accepted", "declined"),
    "accepted": ("closed",),
    "declined": ("closed",),
    "closed": (),
}
ACKNOWLEDGING = ("received", "accepted", "declined")
NEEDS_REASON = ("declined",)


class IllegalTransition(ValueError):
    """A follow-up step the state machine does not allow."""


def allowed(status):
    """Return the statuses a referral in ``status`` may move to."""
    return TRANSITIONS.get(status, ())


def checked_step(current, status, reason):
    """Return the step's reason, cleaned (or None); raise IllegalTransition when ``status`` may not follow.

    The one rule for a referral's follow-up, whether the sender or the receiver records it.
    The message of the refusal is formatted now, in the request: ``status`` may be anything typed.
    """
    if status not in allowed(current):
        raise IllegalTransition(
            _(
                "A referral that is %(current)s cannot become %(next)s.",
                current=STATUSES.get(current, current),
                next=STATUSES.get(status, status),
            )
        )
    reason = (reason or "").strip() or None
    if status in NEEDS_REASON and not reason:
        raise IllegalTransition(_l("Give the reason the organisation declined."))
    return reason


def advance(db, actor, screening, referral, status, reason=None):
    """Move a referral to ``status``, with its audit entry; raise IllegalTransition when not allowed."""
    reason = checked_step(referral["status"], status, reason)
    stamp = now()
    with write_transaction(db):
        db["referral_events"].insert(
            {
                "referral_id": referral["id"],
                "status": status,
                "reason": crypto.encrypt(reason),
                "recorded_by": actor.id,
                "at": stamp,
            }
        )
        db.execute("update referrals set status = ? where id = ?", [status, referral["id"]])
        changes = [(facts.REFERRAL_KEY, referral["status"], -1), (facts.REFERRAL_KEY, status, 1)]
        if status in ACKNOWLEDGING and not referral.get("acknowledged_at"):
            db.execute("update referrals set acknowledged_at = ? where id = ?", [stamp, referral["id"]])
            changes.append((facts.ACK_KEY, facts.hours_between(referral["created_at"], stamp), 1))
        facts.count_referral(db, screening, changes)
        detail = {"referral": referral["id"], "status": status}
        audit.record(db, "followup", actor, reference=screening["reference"], detail=detail)


def events(db, referral_id):
    """Return a referral's follow-up steps, oldest first, with who recorded them (reasons decrypted)."""
    rows = list(db.query("select * from referral_events where referral_id = ? order by id", [referral_id]))
    names = store.usernames(db, [row["recorded_by"] for row in rows])
    return [{**row, "reason": crypto.decrypt(row["reason"]), "username": names.get(row["recorded_by"])} for row in rows]


def is_overdue(referral, moment=None):
    """Return whether a referral is past its deadline without any acknowledgement."""
    due = deadline(referral)
    if due is None or referral.get("acknowledged_at") or referral["status"] != "sent":
        return False
    return (moment or datetime.now(UTC)) > datetime.fromisoformat(due)
