"""Accounts, roles, logging in and out, and the one-time link that creates the first administrator.

There is no default password. The first administrator comes from a one-time setup
link printed on the console when the app starts with no accounts; other accounts
come from the administrator or from ``flask users create``. Passwords are hashed
with scrypt (memory-hard) by Werkzeug.
"""

import functools
import hashlib
import secrets
import sys
from datetime import UTC, datetime, timedelta

import click
from flask import abort, g, redirect, request, session, url_for
from flask.cli import AppGroup
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from screening.accounts import passwords, sessions
from screening.cases.records import ROLES
from screening.db.connection import connect, get_db, now, write_transaction
from screening.instrument.vocabulary import ROLE_NAMES

# scrypt is memory-hard; the tests swap in a cheap method to stay fast.
PASSWORD_METHOD = "scrypt"  # noqa: S105 - a hashing method, not a password
ONE_TIME_PASSWORD_BYTES = 12
SETUP_TOKEN_BYTES = 24
# A hash to compare against when the username does not exist, so that a wrong
# username takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


def hash_password(password):
    """Return the stored form of a password."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


class UsernameTaken(ValueError):
    """An account with this username exists already."""


def create_user(db, username, password, role, must_change=False):
    """Create an account and return its id; raise ValueError for a bad role, UsernameTaken for a taken name."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if list(db.query("select 1 from users where username = ?", [username])):
        raise UsernameTaken(username)
    return (
        db["users"]
        .insert(
            {
                "username": username,
                "password_hash": hash_password(password),
                "role": role,
                "active": 1,
                "must_change_password": int(must_change),
                "created_at": now(),
            }
        )
        .last_pk
    )


def set_password(db, user_id, password, must_change=False):
    """Replace an account's password; ``must_change`` for a one-time password."""
    db.execute(
        "update users set password_hash = ?, must_change_password = ? where id = ?",
        [hash_password(password), int(must_change), user_id],
    )


def check_login(db, username, password):
    """Return the active account for this username and password, or None (no throttling)."""
    rows = list(db.query("select * from users where username = ? and active = 1", [username]))
    stored = rows[0]["password_hash"] if rows else _DUMMY_HASH
    if check_password_hash(stored, password) and rows:
        return rows[0]
    return None


def user_count(db):
    """Return how many accounts exist."""
    return next(db.query("select count(*) as n from users"))["n"]


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_setup_token(db, minutes):
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


def setup_token_valid(db, token):
    """Return whether a setup token exists, is unused and has not expired."""
    rows = list(
        db.query(
            "select 1 from setup_tokens where token_hash = ? and used_at is null and expires_at > ?",
            [_token_hash(token or ""), now()],
        )
    )
    return bool(rows) and user_count(db) == 0


def use_setup_token(db, token):
    """Mark a setup token as used."""
    db.execute("update setup_tokens set used_at = ? where token_hash = ?", [now(), _token_hash(token)])


def print_setup_link_if_needed(app):
    """Print a one-time setup link on the console when no account exists yet."""
    db = connect(app.config["SCREENING_DATABASE"])
    try:
        if user_count(db):
            return
        minutes = app.config["SCREENING_SETUP_TOKEN_MINUTES"]
        token = issue_setup_token(db, minutes)
    finally:
        db.close()
    link = app.config["SCREENING_PUBLIC_URL"].rstrip("/") + f"/setup/{token}"
    with app.app_context():
        heading = _("No accounts yet. Create the first administrator within %(minutes)d minutes at:", minutes=minutes)
    print(f"\n{heading}\n  {link}\n", file=sys.stderr, flush=True)


def authenticate(db, username, password, address):
    """Check a login attempt with throttling; return (account or None, what happened).

    What happened is one of ok, failed, locked (the account was locked before),
    lockout (this failure locked it) and address_blocked. Every attempt is counted.
    """
    if sessions.address_blocked(db, address):
        sessions.record_attempt(db, username, address, False)
        return None, "address_blocked"
    rows = list(db.query("select * from users where username = ? and active = 1", [username]))
    user = rows[0] if rows else None
    right = check_password_hash(user["password_hash"] if user else _DUMMY_HASH, password) and user is not None
    if user is not None and sessions.is_locked(user):
        sessions.record_attempt(db, username, address, False)
        return None, "locked"
    sessions.record_attempt(db, username, address, right)
    if right:
        return user, "ok"
    if user is not None and sessions.lock_if_needed(db, user):
        return None, "lockout"
    return None, "failed"


def start_session(db, user_id):
    """Log an account in: a new server-side session, and only its id in the cookie."""
    session.clear()
    session["sid"] = sessions.start(db, user_id)
    session.permanent = True


def end_session(db):
    """Log out: end the session on the server and forget the cookie."""
    if session.get("sid"):
        sessions.end(db, session["sid"])
    session.clear()


def load_user():
    """Put the logged-in account on ``g.user`` and its session on ``g.session_row`` (or None)."""
    g.user = g.session_row = g.session_ended = None
    session_id = session.get("sid")
    if not session_id:
        return
    db = get_db()
    row, g.session_ended = sessions.check(db, session_id)
    if row is None:
        session.clear()
        return
    rows = list(db.query("select * from users where id = ? and active = 1", [row["user_id"]]))
    if not rows:
        sessions.end(db, session_id)
        session.clear()
        return
    g.user, g.session_row = rows[0], row


def login_required(view):
    """Send anyone not logged in to the login page, and back here afterwards."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.user is None:
            expired = "1" if g.session_ended == "expired" else None
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?"), expired=expired))
        if g.user["must_change_password"] and request.endpoint != "auth.change_password":
            return redirect(url_for("auth.change_password"))
        return view(**kwargs)

    return wrapped


def reauth_redirect(target=None):
    """Return a redirect to the password page unless the password was given just now, else None."""
    if sessions.recently_authenticated(g.session_row):
        return None
    return redirect(url_for("auth.reauth", next=target or request.full_path.rstrip("?")))


def recent_login_required(view):
    """Ask for the password again before printing, exporting or erasing, unless just given."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        return reauth_redirect() or view(**kwargs)

    return login_required(wrapped)


def role_required(*roles):
    """Allow a view only to logged-in accounts with one of ``roles``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.user["role"] not in roles:
                abort(404)
            return view(**kwargs)

        return login_required(wrapped)

    return decorator


users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--set-password", is_flag=True, help="Type the password instead of printing a one-time one.")
def create_user_command(username, role, set_password):
    """Create an account and print a one-time password (or set one interactively)."""
    db = get_db()
    if set_password:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
        refused = passwords.problem(password, username)
        if refused:
            raise click.ClickException(str(refused))
        must_change = False
    else:
        password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
        must_change = True
    try:
        create_user(db, username, password, role, must_change=must_change)
    except UsernameTaken as exc:
        raise click.ClickException(_("The username %(name)s is taken.", name=username)) from exc
    click.echo(_("Created the %(role)s account %(name)s.", role=ROLE_NAMES[role], name=username))
    if must_change:
        click.echo(_("One-time password (to be changed at the first login): %(password)s", password=password))


def init_app(app):
    """Load the account on each request and register the users command."""
    app.before_request(load_user)
    app.cli.add_command(users_cli)
