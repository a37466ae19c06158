"""Server-side sessions and login throttling.

The cookie holds only a random session id; the session itself lives in the
database, so logging out, a password change or an administrator can end it on
the server. A session ends after SCREENING_IDLE_MINUTES without a request and,
whatever happens, SCREENING_SESSION_HOURS after login. Sensitive actions
(printing, exporting, erasing) ask for the password again when it was last
given more than REAUTH_MINUTES ago.

Failed logins are counted per account and per address: five failures on an
account lock it until an administrator lifts the lock (or a day passes); twenty
from one address in fifteen minutes make that address wait. The messages never
say which it was, nor whether the account exists.
"""

import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app

from screening.db.connection import write_transaction

SESSION_ID_BYTES = 32
REAUTH_MINUTES = 5
# Writing last_seen on every request would serialise the database for nothing.
TOUCH_SECONDS = 60
FAILURE_WINDOW_MINUTES = 15
MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
LOCK_HOURS = 24


def _now():
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment):
    return moment.isoformat()


def start(db, user_id):
    """Open a session for an account and return its id."""
    session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
    stamp = _iso(_now())
    db["sessions"].insert(
        {"id": session_id, "user_id": user_id, "created_at": stamp, "last_seen": stamp, "reauth_at": stamp}
    )
    return session_id


def end(db, session_id):
    """End one session."""
    db.execute("update sessions set ended_at = ? where id = ? and ended_at is null", [_iso(_now()), session_id])


def end_others(db, user_id, keep=None):
    """End every open session of an account but ``keep``; return how many ended."""
    cursor = db.execute(
        "update sessions set ended_at = ? where user_id = ? and ended_at is null and id is not ?",
        [_iso(_now()), user_id, keep],
    )
    return cursor.rowcount


def check(db, session_id):
    """Return (row, None) for a live session, or (None, reason) with reason "ended" or "expired"."""
    rows = list(db.query("select * from sessions where id = ?", [session_id]))
    if not rows or rows[0]["ended_at"]:
        return None, "ended"
    row = rows[0]
    moment = _now()
    idle = timedelta(minutes=current_app.config["SCREENING_IDLE_MINUTES"])
    lifetime = timedelta(hours=current_app.config["SCREENING_SESSION_HOURS"])
    if (
        moment - datetime.fromisoformat(row["last_seen"]) > idle
        or moment - datetime.fromisoformat(row["created_at"]) > lifetime
    ):
        end(db, session_id)
        return None, "expired"
    if (moment - datetime.fromisoformat(row["last_seen"])).total_seconds() > TOUCH_SECONDS:
        db.execute("update sessions set last_seen = ? where id = ?", [_iso(moment), session_id])
    return row, None


def recently_authenticated(row):
    """Return whether the password was given in the last few minutes of this session."""
    given = datetime.fromisoformat(row["reauth_at"] or row["created_at"])
    return _now() - given <= timedelta(minutes=REAUTH_MINUTES)


def mark_reauthenticated(db, session_id):
    """Record that the password was just given again."""
    db.execute("update sessions set reauth_at = ? where id = ?", [_iso(_now()), session_id])


def record_attempt(db, username, address, succeeded):
    """Remember one login attempt."""
    db["login_attempts"].insert(
        {"at": _iso(_now()), "username": username, "address": address, "succeeded": int(succeeded)}
    )


# Failures since the last success, within the window, by account or by address.
_FAILURES = {
    "username": (
        "select count(*) as n from login_attempts where succeeded = 0 and at > :since and username = :value "
        "and id > coalesce((select max(id) from login_attempts where succeeded = 1 and username = :value), 0)"
    ),
    "address": (
        "select count(*) as n from login_attempts where succeeded = 0 and at > :since and address = :value "
        "and id > coalesce((select max(id) from login_attempts where succeeded = 1 and address = :value), 0)"
    ),
}


def _failures(db, column, value):
    since = _iso(_now() - timedelta(minutes=FAILURE_WINDOW_MINUTES))
    return next(db.query(_FAILURES[column], {"since": since, "value": value}))["n"]


def address_blocked(db, address):
    """Return whether too many logins failed from this address lately."""
    return _failures(db, "address", address) >= MAX_ADDRESS_FAILURES


def is_locked(user):
    """Return whether an account is locked now."""
    return bool(user.get("locked_until")) and datetime.fromisoformat(user["locked_until"]) > _now()


def lock_if_needed(db, user):
    """Lock an account after too many failures; return True when this call locked it."""
    if is_locked(user) or _failures(db, "username", user["username"]) < MAX_ACCOUNT_FAILURES:
        return False
    until = _iso(_now() + timedelta(hours=LOCK_HOURS))
    db.execute("update users set locked_until = ? where id = ?", [until, user["id"]])
    return True


def unlock(db, user_id):
    """Lift an account's lock and forget its recent failures."""
    with write_transaction(db):
        db.execute("update users set locked_until = null where id = ?", [user_id])
        db.execute(
            "delete from login_attempts where succeeded = 0 and username = (select username from users where id = ?)",
            [user_id],
        )
