"""Keeping data only as long as needed: the retention purge, and erasure on a person's request.

A case ended more than SCREENING_RETENTION_DAYS ago (90 by default) loses
everything the registry of identifying data lists (identifying.py): the person's
name, contact and date of birth, answers in the officer's own words, the
officer's concern copied into the evidence, written reasons for referrals
without consent and for declined referrals, and caseworkers' notes. The answers
by choice, the indicators, the assessment and the outcome stay, so that
statistics still add up. A referral received from another installation is
purged the same way once it was declined or closed (or left without any
follow-up) more than the retention period ago: what the person shared goes, the
codes of its follow-up stay. ``erase`` does the same at once for one case, when the
person asks.

Nothing marks a case as purged: a case is purged when nothing registered remains,
so running ``purge`` twice erases nothing the second time. Every purge and
erasure is in the audit trail with the case references. The connection
overwrites deleted content (``secure_delete``) and the write-ahead log is emptied
afterwards, so erased values do not linger in the files.
"""

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, has_app_context

from screening.config import RETENTION_DAYS
from screening.db.connection import write_transaction
from screening.protection import audit, crypto, identifying

# What counts as identifying, by kind, in the order a summary lists them.
KINDS = {item.kind: item.label for item in identifying.REGISTRY}


def identifying_data(db, screening_id):
    """Return what identifying data one case still holds, as counts by kind (only the kinds present)."""
    return identifying.present(db, screening_id, crypto.decrypt)


def _erase(db, screening_id):
    """Remove the identifying data of one case (inside the caller's transaction); return counts by kind."""
    return identifying.erase(db, screening_id, crypto.decrypt, crypto.encrypt)


def _clear_log(db):
    """Empty the write-ahead log so erased values do not linger in it; return whether it could be.

    Under Litestream (SCREENING_REPLICA_URL) the log is Litestream's to checkpoint: it empties it
    once copied, and the replica keeps the erased values until its own retention removes them.
    """
    if has_app_context() and current_app.config.get("SCREENING_REPLICA_URL"):
        return False
    busy, _frames, _moved = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


def _add(total, counts):
    for kind, n in counts.items():
        total[kind] = total.get(kind, 0) + n


def retention_days():
    """Return the configured retention period in days."""
    if has_app_context():
        configured = current_app.config.get("SCREENING_RETENTION_DAYS")
        return RETENTION_DAYS if configured is None else int(configured)
    return RETENTION_DAYS


def cutoff_for(days, today=None):
    """Return the moment before which an ended case is past retention (``today``: a date or a datetime)."""
    if today is None:
        today = datetime.now(UTC)
    elif not isinstance(today, datetime) and isinstance(today, date):
        today = datetime.combine(today, time(0), UTC)
    elif today.tzinfo is None:
        today = today.replace(tzinfo=UTC)
    return today - timedelta(days=days)


def _moment(text):
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ended_before(db, cutoff):
    """Return the screenings that ended before ``cutoff``, and drafts left untouched since then, oldest first.

    A draft nobody has touched for the whole retention period is abandoned: it
    must not keep what was said for ever.
    """
    rows = db.query(
        "select id, reference, coalesce(ended_at, case when status = 'draft' then updated_at end) as ended_at "
        "from screenings order by id"
    )
    return [row for row in rows if row["ended_at"] and _moment(row["ended_at"]) < cutoff]


def _received_ended_before(db, cutoff):
    """Return the ids of received referrals declined or closed before ``cutoff``, or left without follow-up since."""
    rows = db.query(
        "select c.id, case when c.status in ('declined', 'closed') "
        "then (select max(e.at) from received_events e where e.received_id = c.id) "
        "when c.status = 'sent' then c.imported_at end as ended_at from received_cases c order by c.id"
    )
    return [row["id"] for row in rows if row["ended_at"] and _moment(row["ended_at"]) < cutoff]


def _purge_received(db, cutoff, summary, actor):
    """Erase the received referrals past retention (inside the caller's transaction), adding to ``summary``."""
    for received_id in _received_ended_before(db, cutoff):
        if summary["dry_run"]:
            found = identifying.present(db, received_id, crypto.decrypt, "received")
        else:
            found = identifying.erase(db, received_id, crypto.decrypt, crypto.encrypt, "received")
        if found:
            summary["received"] += 1
            _add(summary["erased"], found)
            if not summary["dry_run"]:
                audit.record(db, "purge", actor, detail={"received": received_id, "erased": found})


def purge(db, days=None, dry_run=False, today=None, *, actor):
    """Erase the identifying data of cases ended more than ``days`` ago; return a summary.

    The summary: "days", "cutoff", "cases" (how many had something to erase), "references",
    "erased" (counts by kind, see KINDS), "received" (received referrals erased), "dry_run" and
    "log_cleared". A dry run changes nothing.
    """
    days = retention_days() if days is None else days
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    cutoff = cutoff_for(days, today)
    db.execute("PRAGMA secure_delete = ON")
    summary = {"days": days, "cutoff": cutoff.isoformat(), "references": [], "erased": {}, "dry_run": dry_run}
    summary["received"] = 0
    if dry_run:
        for screening in _ended_before(db, cutoff):
            found = identifying_data(db, screening["id"])
            if found:
                summary["references"].append(screening["reference"])
                _add(summary["erased"], found)
        _purge_received(db, cutoff, summary, actor)
        summary.update(cases=len(summary["references"]), log_cleared=None)
        return summary
    with write_transaction(db):
        for screening in _ended_before(db, cutoff):
            found = _erase(db, screening["id"])
            if found:
                summary["references"].append(screening["reference"])
                _add(summary["erased"], found)
                audit.record(db, "purge", actor, reference=screening["reference"], detail={"erased": found})
        _purge_received(db, cutoff, summary, actor)
        summary["cases"] = len(summary["references"])
        detail = {"days": days, "cases": summary["cases"], "received": summary["received"], **summary["erased"]}
        audit.record(db, "purge", actor, detail=detail)
    summary["log_cleared"] = _clear_log(db)
    return summary


def erase(db, actor, screening_id):
    """Erase one case's identifying data now, at the person's request; return counts by kind.

    Records the "erase" entry in the audit trail itself, in the same transaction: callers need not.
    """
    db.execute("PRAGMA secure_delete = ON")
    with write_transaction(db):
        rows = list(db.query("select reference from screenings where id = ?", [screening_id]))
        if not rows:
            raise LookupError(f"no screening {screening_id}")
        found = _erase(db, screening_id)
        audit.record(db, "erase", actor, reference=rows[0]["reference"], detail={"erased": found})
    _clear_log(db)
    return found


def erase_received(db, actor, received_id):
    """Erase what a received referral shared (and the reasons given on it) now, at the person's request; audited."""
    db.execute("PRAGMA secure_delete = ON")
    with write_transaction(db):
        found = identifying.erase(db, received_id, crypto.decrypt, crypto.encrypt, "received")
        audit.record(db, "erase", actor, detail={"received": received_id, "erased": found})
    _clear_log(db)
    return found
