"""The statistics' facts, kept as screenings end: no name, no text, no exact date, no reference.

Each completed screening leaves one row in ``facts`` (month, outcome, post,
nationality, age group, sex...) and its forms of exploitation, recruitment
channels and present indicators in ``fact_items``. The counts the statistics
page reads (``fact_counts``) are kept up to date as screenings end and referrals
move, per organisation and per officer within it (access.count_scopes), so the
page reads a few hundred rows instead of grouping every screening on every visit.
"""

from datetime import datetime

from screening.access import count_scopes
from screening.db.connection import write_transaction
from screening.instrument.questionnaire import FACTS

AGE_GROUPS = (
    (0, 11, "0-11"),
    (12, 14, "12-14"),
    (15, 17, "15-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 59, "45-59"),
    (60, 200, "60+"),
)
UNKNOWN = "unknown"
NOT_A_VALUE = ("none", "unknown", "declined")
# Keys of the referral counts: how many by status, and a histogram of whole hours to acknowledgement.
REFERRAL_KEY = "referral_status"
ACK_KEY = "ack_hours"
# The columns of a fact row that are counted, and the kinds of item.
COUNTED_COLUMNS = ("month", "outcome", "post", "nationality", "age_group", "sex")
ITEM_KINDS = ("form", "channel", "indicator")


def age_group(age, child):
    """Return the age group of an age (or "unknown", or "under 18" when only that is known)."""
    if isinstance(age, int):
        return next(label for low, high, label in AGE_GROUPS if low <= age <= high)
    return "under-18" if child else UNKNOWN


def _answer(answers, fact):
    value = answers.get(FACTS[fact].id)
    return value if isinstance(value, str) and value not in NOT_A_VALUE else UNKNOWN


def record(db, screening, answers, evidence, assessment):
    """Store (or replace) the statistical facts of one completed screening, and count them."""
    facts = {
        "screening_id": screening["id"],
        "month": screening["created_at"][:7],
        "officer_id": screening["officer_id"],
        "organisation": screening["organisation"] or "",
        "post": screening["post"] or "",
        "outcome": assessment["outcome"],
        "rule": assessment["rule"],
        "urgent": int(assessment["urgent"]),
        "child": int(assessment["child"]),
        "age_group": age_group(evidence.get("age"), assessment["child"]),
        "sex": _answer(answers, "sex"),
        "nationality": _answer(answers, "nationality"),
        "stage": evidence.get("stage") or UNKNOWN,
    }
    channels = [v for v in answers.get(FACTS["channel"].id, []) if v not in NOT_A_VALUE]
    present = [c for dim in assessment["dimensions"].values() for c in dim["present"]]
    items = [("form", f) for f in evidence.get("exploitation_forms", [])]
    items += [("channel", c) for c in channels] + [("indicator", c) for c in present]
    with write_transaction(db):
        old = next(db.query("select * from facts where screening_id = ?", [screening["id"]]), None)
        if old:
            old_items = [
                (r["kind"], r["value"])
                for r in db.query("select kind, value from fact_items where screening_id = ?", [screening["id"]])
            ]
            _count(db, old, old_items, -1)
        db["facts"].upsert(facts, pk="screening_id")
        db.execute("delete from fact_items where screening_id = ?", [screening["id"]])
        db["fact_items"].insert_all(
            [{"screening_id": screening["id"], "kind": k, "value": v} for k, v in items],
            pk=("screening_id", "kind", "value"),
            replace=True,
        )
        _count(db, facts, items, 1)


_ADD = (
    "insert into fact_counts (scope, key, value, n) values (?, ?, ?, ?) "
    "on conflict (scope, key, value) do update set n = n + excluded.n"
)


def _count(db, facts, items, delta):
    """Add (or with delta -1, take away) one screening's contribution to every count of its scopes."""
    pairs = [(key, str(facts[key])) for key in COUNTED_COLUMNS]
    pairs += [(kind, str(value)) for kind, value in items]
    scopes = count_scopes(facts["organisation"], facts["officer_id"])
    _add(db, [(s, key, value, delta) for s in scopes for key, value in pairs])


def _add(db, rows):
    """Apply count changes in a transaction of their own (or the caller's): executemany alone leaves one open."""
    with write_transaction(db):
        db.conn.executemany(_ADD, rows)


def count_referral(db, screening, changes):
    """Apply [(key, value, delta)] about one case's referrals to the counts of its scopes."""
    scopes = count_scopes(screening["organisation"], screening["officer_id"])
    _add(db, [(s, key, str(value), delta) for s in scopes for key, value, delta in changes])


def hours_between(start, end):
    """Return the whole hours from one ISO timestamp to another (the acknowledgement histogram's bucket)."""
    return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() // 3600)


def recount(db):
    """Count every recorded screening and referral from scratch (after demo data is added in bulk)."""
    with write_transaction(db):
        db.execute("delete from fact_counts")
        items = {}
        for row in db.query("select screening_id, kind, value from fact_items"):
            items.setdefault(row["screening_id"], []).append((row["kind"], row["value"]))
        for facts in db.query("select * from facts"):
            _count(db, facts, items.get(facts["screening_id"], []), 1)
        for row in db.query(
            "select r.status, r.created_at, r.acknowledged_at, s.officer_id, s.organisation "
            "from referrals r join screenings s on s.id = r.screening_id"
        ):
            changes = [(REFERRAL_KEY, row["status"], 1)]
            if row["acknowledged_at"]:
                changes.append((ACK_KEY, hours_between(row["created_at"], row["acknowledged_at"]), 1))
            count_referral(db, row, changes)
