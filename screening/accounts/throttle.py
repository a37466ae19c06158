"""The one path that checks a password: counted, throttled, locked after too many failures, every refusal audited.

Logging in, giving the password again before something sensitive, and changing
one's password all check the password here; there is no other way to compare
one. Failed checks are counted per account and per address: five failures on an
account lock it until an administrator lifts the lock (or a day passes); twenty
from one address in fifteen minutes make that address wait. The messages never
say which it was, nor whether the account exists. The address is the phone's own
only when the reverse proxy is declared (SCREENING_PROXIES; security.py).
"""

from datetime import datetime, timedelta

from screening.access import manages
from screening.accounts import passwords, store
from screening.accounts.sessions import now
from screening.db.connection import write_transaction
from screening.protection import audit

FAILURE_WINDOW_MINUTES = 15
MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
LOCK_HOURS = 24
# Why a check ended as it did; every outcome but OK is a refusal.
OK, FAILED, LOCKED, LOCKOUT, ADDRESS_BLOCKED = "ok", "failed", "locked", "lockout", "address_blocked"
# What the password was checked for.
PURPOSES = ("login", "reauth", "password_change", "handover")

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
    since = (now() - timedelta(minutes=FAILURE_WINDOW_MINUTES)).isoformat()
    return next(db.query(_FAILURES[column], {"since": since, "value": value}))["n"]


def address_blocked(db, address):
    """Return whether too many checks failed from this address lately."""
    return _failures(db, "address", address) >= MAX_ADDRESS_FAILURES


def is_locked(user):
    """Return whether an account is locked now."""
    return bool(user.get("locked_until")) and datetime.fromisoformat(user["locked_until"]) > now()


def check(db, actor, username, password, *, purpose):
    """Check a password for ``purpose``; return (the active account or None, outcome).

    ``actor`` is who asks, from where (its address is throttled); the outcome is OK,
    FAILED, LOCKED (locked before), LOCKOUT (this failure locked it) or ADDRESS_BLOCKED.
    Every check is counted; every refusal is in the audit trail. The hash is computed
    before the write lock is taken, so that slow hashing never holds up other writers.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    blocked = address_blocked(db, actor.address)
    user = store.by_username(db, username)
    right = passwords.matches(user["password_hash"] if user else None, password)
    with write_transaction(db):
        if blocked:
            outcome = ADDRESS_BLOCKED
        elif user is not None and is_locked(user):
            outcome = LOCKED
        else:
            outcome = OK if right else FAILED
        _record_attempt(db, username, actor.address, outcome == OK)
        if outcome == FAILED and user is not None and _failures(db, "username", username) >= MAX_ACCOUNT_FAILURES:
            store.set_lock(db, user["id"], (now() + timedelta(hours=LOCK_HOURS)).isoformat())
            outcome = LOCKOUT
        if outcome != OK:
            action = "lockout" if outcome == LOCKOUT else "login_failed"
            audit.record(db, action, actor, detail={"why": outcome, "for": purpose})
    return (user if outcome == OK else None), outcome


def _record_attempt(db, username, address, succeeded):
    db["login_attempts"].insert(
        {"at": now().isoformat(), "username": username, "address": address, "succeeded": int(succeeded)}
    )


def unlock(db, actor, account):
    """Lift an account's lock and forget its recent failures (an administrator who manages it)."""
    if not manages(actor.account, account):
        raise store.NotAllowed(store.NOT_YOURS)
    with write_transaction(db):
        store.set_lock(db, account["id"], None)
        db.execute("delete from login_attempts where succeeded = 0 and username = ?", [account["username"]])
        audit.record(db, "account_change", actor, detail={"account": account["username"], "unlocked": True})
