"""Pages for accounts: log in, log out, first-administrator setup, password change, quick exit."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..account_forms import LoginForm, PasswordForm, SetupForm
from ..auth import (
    check_login,
    create_user,
    login_required,
    set_password,
    setup_token_valid,
    use_setup_token,
)
from ..storage import get_db

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


def _start_session(user):
    import time

    session.clear()
    session["uid"] = user["id"]
    session["seen"] = int(time.time())
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in, then go back to where the officer was."""
    form = LoginForm()
    target = request.values.get("next")
    if form.validate_on_submit():
        user = check_login(get_db(), form.username.data.strip(), form.password.data)
        if user is not None:
            _start_session(user)
            return redirect(_safe_next(target))
        form.password.errors.append(_("The username or password is not right"))
    expired = request.args.get("expired") == "1"
    return render_template("login.html", form=form, next=target, expired=expired)


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session."""
    session.clear()
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"))


@bp.route("/exit")
def exit_page():
    """Leave at once: end the session and show a page with nothing about any case."""
    session.clear()
    g.user = None
    return render_template("exit.html")


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token):
    """Create the first administrator from the one-time link printed on the console."""
    db = get_db()
    if not setup_token_valid(db, token):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        with db.atomic():
            user_id = create_user(db, form.username.data, form.password.data, "admin")
            use_setup_token(db, token)
        _start_session({"id": user_id})
        flash(_("Your administrator account is ready."))
        return redirect(url_for("cases.index"))
    return render_template("setup.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Replace the password (required after a one-time password)."""
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_db()
        if check_login(db, g.user["username"], form.current.data) is None:
            form.current.errors.append(_("The current password is not right"))
        else:
            set_password(db, g.user["id"], form.password.data)
            flash(_("Your password has been changed."))
            return redirect(url_for("cases.index"))
    return render_template("password.html", form=form)
