"""Logging in and out on the web: the account of each request, the pages that need one, the password again.

The cookie holds only the id of a server-side session (sessions.py); every
password is checked through the throttle (throttle.py). An account that must
change its one-time password goes nowhere else first.
"""

import functools

from flask import abort, g, redirect, request, session, url_for

from screening.access import may
from screening.accounts import sessions, store, throttle
from screening.db.connection import get_db, write_transaction
from screening.protection import audit


def load_user():
    """Put the logged-in account on ``g.user`` and its session on ``g.session_row`` (or None)."""
    g.user = g.session_row = g.session_ended = g.handover = None
    session_id = session.get("sid")
    if not session_id:
        return
    db = get_db()
    # A session ended on the server leaves the cookie as it is: a request sent before a quick exit
    # and answered after it would otherwise send back a cookie without the exit's mark.
    row, g.session_ended = sessions.check(db, session_id)
    if row is None:
        return
    user = store.get(db, row["user_id"], active_only=True)
    if user is None:
        sessions.end(db, session_id)
        return
    g.user, g.session_row = user, row
    g.handover = sessions.handover_of(row)


def log_in(db, user):
    """Start a session for an account whose password was just checked: a new id in the cookie, audited.

    A language chosen on the login page is kept, and becomes the account's.
    """
    chosen = session.get("lang")
    session.clear()
    actor = audit.Actor.of(user, request.remote_addr)
    with write_transaction(db):
        session["sid"] = sessions.start(db, user["id"])
        audit.record(db, "login", actor)
        if chosen and chosen != user.get("locale"):
            store.set_locale(db, actor, chosen)
            user = {**user, "locale": chosen}
    if chosen:
        session["lang"] = chosen
    session.permanent = True
    g.user = user


def log_out(db, *, quick_exit=False):
    """End the session on the server and forget the cookie; audited when someone was logged in."""
    with write_transaction(db):
        if g.get("user"):
            audit.record(db, "logout", audit.Actor.web(), detail={"quick_exit": True} if quick_exit else None)
        if session.get("sid"):
            sessions.end(db, session["sid"])
    session.clear()
    g.user = None


def confirm_password(db, password):
    """Take the password again before something sensitive; return the throttle's outcome.

    A success is remembered for a few minutes; a check that locks the account ends the session.
    """
    actor = audit.Actor.web()
    user, outcome = throttle.check(db, actor, g.user["username"], password, purpose="reauth")
    if user is not None:
        with write_transaction(db):
            sessions.mark_reauthenticated(db, g.session_row["id"])
            audit.record(db, "reauth", actor)
    elif outcome in (throttle.LOCKED, throttle.LOCKOUT):
        log_out(db)
    return outcome


def change_password(db, current, new):
    """Replace the logged-in account's password after checking the current one; return the throttle's outcome.

    Every other session of the account ends; a check that locks the account ends this one too.
    """
    actor = audit.Actor.web()
    user, outcome = throttle.check(db, actor, g.user["username"], current, purpose="password_change")
    if user is not None:
        store.set_password(db, actor, user, new, keep_session=g.session_row["id"])
    elif outcome in (throttle.LOCKED, throttle.LOCKOUT):
        log_out(db)
    return outcome


# Set in the cookie by the quick exit: until someone logs in again, every page of the app shows the
# neutral page, and no address says which case was open.
EXITED = "exited"


def login_required(view):
    """Send anyone not logged in to the login page, and back here afterwards (after a quick exit: nowhere)."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.user is None and session.get(EXITED):
            return redirect(url_for("auth.welcome"))
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


def requires(permission):
    """Allow a view only to logged-in accounts that may use ``permission`` (access.PERMISSIONS); else 404."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if not may(g.user, permission):
                abort(404)
            return view(**kwargs)

        return login_required(wrapped)

    return decorator


def init_app(app):
    """Load the account on each request."""
    app.before_request(load_user)
