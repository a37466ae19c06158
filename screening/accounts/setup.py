"""The first administrator: a one-time link printed on the console when the app starts with no accounts.

There is no default password. The link carries a random token (only its hash is
stored), expires after SCREENING_SETUP_TOKEN_MINUTES, works once, and only while
there is no account at all. The administrator it creates has no organisation:
the installation's administrator, who manages every account.
"""

import hashlib
import secrets
import sys
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _

from screening.access import ADMIN
from screening.accounts import store
from screening.db.connection import connect, now, write_transaction

SETUP_TOKEN_BYTES = 24


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(db, minutes):
    """Return a new one-time setup token, voiding unused earlier ones."""
    token = secrets.token_urlsafe(SETUP_TOKEN_BYTES)
    created = datetime.now(UTC).replace(microsecond=0)
    with write_transaction(db):
        db.execute("delete from setup_tokens where used_at is null")
        db["setup_tokens"].insert(
            {
                "token_hash": _token_hash(token),
                "created_at": created.isoformat(),
                "expires_at": (created + timedelta(minutes=minutes)).isoformat(),
            }
        )
    return token


def token_valid(db, token):
    """Return whether a setup token exists, is unused and has not expired, while no account exists."""
    row = next(
        db.query(
            "select 1 from setup_tokens where token_hash = ? and used_at is null and expires_at > ?",
            [_token_hash(token or ""), now()],
        ),
        None,
    )
    return row is not None and store.count(db) == 0


def create_first_administrator(db, actor, token, username, password):
    """Create the installation's administrator and use up the token, in one transaction; return the account."""
    with write_transaction(db):
        user_id = store.create(db, actor, username=username, password=password, role=ADMIN)
        db.execute("update setup_tokens set used_at = ? where token_hash = ?", [now(), _token_hash(token)])
    return store.get(db, user_id)


def print_link_if_needed(app):
    """Print a one-time setup link on the console when no account exists yet."""
    db = connect(app.config["SCREENING_DATABASE"])
    try:
        if store.count(db):
            return
        minutes = app.config["SCREENING_SETUP_TOKEN_MINUTES"]
        token = issue_token(db, minutes)
    finally:
        db.close()
    link = app.config["SCREENING_PUBLIC_URL"].rstrip("/") + f"/setup/{token}"
    with app.app_context():
        heading = _("No accounts yet. Create the first administrator within %(minutes)d minutes at:", minutes=minutes)
    print(f"\n{heading}\n  {link}\n", file=sys.stderr, flush=True)
