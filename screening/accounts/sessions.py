"""Server-side sessions: the cookie holds only a random id, the session lives in the database.

Logging out, a password change or an administrator can therefore end a session
on the server. A session ends after SCREENING_IDLE_MINUTES without a request
and, whatever happens, SCREENING_SESSION_HOURS after login. Sensitive actions
(printing, exporting, erasing) ask for the password again when it was last given
more than REAUTH_MINUTES ago.
"""

import json
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app

SESSION_ID_BYTES = 32
REAUTH_MINUTES = 5
# Writing last_seen on every request would serialise the database for nothing.
TOUCH_SECONDS = 60


def now():
    """Return the present moment, to the second (the tests move it)."""
    return datetime.now(UTC).replace(microsecond=0)


def start(db, user_id):
    """Open a session for an account and return its id."""
    session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
    stamp = now().isoformat()
    db["sessions"].insert(
        {"id": session_id, "user_id": user_id, "created_at": stamp, "last_seen": stamp, "reauth_at": stamp}
    )
    return session_id


def end(db, session_id):
    """End one session."""
    db.execute("update sessions set ended_at = ? where id = ? and ended_at is null", [now().isoformat(), session_id])


def end_others(db, user_id, keep=None):
    """End every open session of an account but ``keep``; return how many ended."""
    cursor = db.execute(
        "update sessions set ended_at = ? where user_id = ? and ended_at is null and id is not ?",
        [now().isoformat(), user_id, keep],
    )
    return cursor.rowcount


def check(db, session_id):
    """Return (row, None) for a live session, or (None, reason) with reason "ended" or "expired"."""
    row = next(db.query("select * from sessions where id = ?", [session_id]), None)
    if row is None or row["ended_at"]:
        return None, "ended"
    moment = now()
    idle = timedelta(minutes=current_app.config["SCREENING_IDLE_MINUTES"])
    lifetime = timedelta(hours=current_app.config["SCREENING_SESSION_HOURS"])
    last_seen = datetime.fromisoformat(row["last_seen"])
    if moment - last_seen > idle or moment - datetime.fromisoformat(row["created_at"]) > lifetime:
        end(db, session_id)
        return None, "expired"
    if (moment - last_seen).total_seconds() > TOUCH_SECONDS:
        db.execute("update sessions set last_seen = ? where id = ?", [moment.isoformat(), session_id])
    return row, None


def recently_authenticated(row):
    """Return whether the password was given in the last few minutes of this session."""
    given = datetime.fromisoformat(row["reauth_at"] or row["created_at"])
    return now() - given <= timedelta(minutes=REAUTH_MINUTES)


def mark_reauthenticated(db, session_id):
    """Record that the password was just given again."""
    db.execute("update sessions set reauth_at = ? where id = ?", [now().isoformat(), session_id])


def handover_of(row):
    """Return the hand-over in progress on a session (cases/handover.py), or None."""
    return json.loads(row["handover"]) if row and row.get("handover") else None
