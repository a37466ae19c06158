"""Pages for accounts: log in, log out, the password again, first-administrator setup, password change, quick exit."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from screening.accounts import sessions
from screening.accounts.auth import (
    authenticate,
    check_login,
    create_user,
    end_session,
    login_required,
    set_password,
    setup_token_valid,
    start_session,
    use_setup_token,
)
from screening.db.connection import get_db, write_transaction
from screening.forms.accounts import LoginForm, PasswordForm, ReauthForm, SetupForm
from screening.protection import audit

bp = Blueprint("auth", __name__)


def _safe_next(target):
    """Return ``target`` if it is a path on this site, else the case list.

    Browsers drop tabs and newlines from addresses, so a slash, a tab and "/evil.example" would
    leave the site: any space or control character disqualifies a target.
    """
    if not target or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in target):
        return url_for("cases.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("cases.index")
    return target


def _refused():
    """Return the one message every refused login gets: it tells an attacker nothing."""
    return _(
        "The username or password is not right, or the account is locked. "
        "After several attempts, ask your administrator."
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in, then go back to where the officer was."""
    form = LoginForm()
    target = request.values.get("next")
    if form.validate_on_submit():
        db = get_db()
        username = form.username.data.strip()
        user, outcome = authenticate(db, username, form.password.data, request.remote_addr)
        if user is not None:
            start_session(db, user["id"])
            audit.record_request("login", user=user)
            return redirect(_safe_next(target))
        audit.record_request(
            "lockout" if outcome == "lockout" else "login_failed",
            user={"id": None, "username": username[:40]},
            detail={"why": outcome},
        )
        form.password.errors.append(_refused())
    expired = request.args.get("expired") == "1"
    return render_template("auth/login.html", form=form, next=target, expired=expired)


@bp.route("/reauth", methods=["GET", "POST"])
@login_required
def reauth():
    """Ask for the password again before something sensitive (printing, exporting, erasing)."""
    form = ReauthForm()
    target = request.values.get("next")
    if form.validate_on_submit():
        db = get_db()
        user, _outcome = authenticate(db, g.user["username"], form.password.data, request.remote_addr)
        if user is not None:
            sessions.mark_reauthenticated(db, g.session_row["id"])
            return redirect(_safe_next(target))
        if sessions.is_locked(next(db.query("select * from users where id = ?", [g.user["id"]]))):
            end_session(db)
            return redirect(url_for("auth.login"))
        form.password.errors.append(_("The password is not right"))
    return render_template("auth/reauth.html", form=form, next=target)


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session on the server."""
    if g.user:
        audit.record_request("logout")
    end_session(get_db())
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"))


@bp.route("/exit")
def exit_page():
    """Leave at once: end the session and show a page with nothing about any case."""
    end_session(get_db())
    g.user = None
    return render_template("auth/exit.html")


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token):
    """Create the first administrator from the one-time link printed on the console."""
    db = get_db()
    if not setup_token_valid(db, token):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        with write_transaction(db):
            user_id = create_user(db, form.username.data, form.password.data, "admin")
            use_setup_token(db, token)
            audit.record_request(
                "account_create", user={"id": user_id, "username": form.username.data}, detail={"role": "admin"}
            )
        start_session(db, user_id)
        flash(_("Your administrator account is ready."))
        return redirect(url_for("cases.index"))
    return render_template("auth/setup.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Replace the password; every other session of the account ends."""
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_db()
        if check_login(db, g.user["username"], form.current.data) is None:
            form.current.errors.append(_("The current password is not right"))
        else:
            set_password(db, g.user["id"], form.password.data)
            sessions.end_others(db, g.user["id"], keep=g.session_row["id"])
            audit.record_request("password_change", detail={"account": g.user["username"]})
            flash(_("Your password has been changed. Any other session of your account has ended."))
            return redirect(url_for("cases.index"))
    return render_template("auth/password.html", form=form)
