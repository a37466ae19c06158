"""Pages for accounts: log in, log out, the password again, first-administrator setup, password change, quick exit."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from screening.access import may
from screening.accounts import setup as first_admin
from screening.accounts import throttle
from screening.accounts.auth import EXITED, confirm_password, log_in, log_out, login_required
from screening.accounts.auth import change_password as replace_password
from screening.cases import handover
from screening.db.connection import get_db
from screening.forms.accounts import LoginForm, PasswordForm, ReauthForm, SetupForm
from screening.protection.audit import Actor

bp = Blueprint("auth", __name__)


def home_url():
    """Return where an account starts: its cases, or the recordings for a voice account."""
    user = g.get("user")
    if user and not may(user, "screen") and may(user, "audio"):
        return url_for("audio.index")
    return url_for("cases.index")


def _safe_next(target):
    """Return ``target`` if it is a path on this site, else the case list.

    Browsers drop tabs and newlines from addresses, so a slash, a tab and "/evil.example" would
    leave the site: any space or control character disqualifies a target.
    """
    if not target or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in target):
        return home_url()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return home_url()
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
    if session.get(EXITED) and request.method == "GET" and not request.args.get("staff"):
        return redirect(url_for("auth.welcome"))
    form = LoginForm()
    target = request.values.get("next")
    if form.validate_on_submit():
        db = get_db()
        username = form.username.data.strip()
        actor = Actor.typed(username, request.remote_addr)
        user, _outcome = throttle.check(db, actor, username, form.password.data, purpose="login")
        if user is not None:
            log_in(db, user)
            # A case locked by wrong codes at a hand-over waits for its officer to log in again.
            handover.unlock_for(db, Actor.web(), user["id"])
            return redirect(_safe_next(target))
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
        outcome = confirm_password(get_db(), form.password.data)
        if outcome == throttle.OK:
            return redirect(_safe_next(target))
        if g.user is None:
            return redirect(url_for("auth.login"))
        form.password.errors.append(_("The password is not right"))
    return render_template("auth/reauth.html", form=form, next=target)


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session on the server."""
    log_out(get_db())
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"))


@bp.route("/exit")
def exit_page():
    """Leave at once: end the session, and from then on show a page with nothing about the app or any case."""
    log_out(get_db(), quick_exit=True)
    session[EXITED] = True
    return redirect(url_for("auth.welcome"))


@bp.route("/welcome")
def welcome():
    """The neutral page: what someone picking up the phone after an exit sees, whatever they go back to."""
    if g.user:
        return redirect(home_url())
    return render_template("auth/exit.html")


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token):
    """Create the first administrator from the one-time link printed on the console."""
    db = get_db()
    if not first_admin.token_valid(db, token):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        actor = Actor.typed(form.username.data, request.remote_addr)
        user = first_admin.create_first_administrator(db, actor, token, form.username.data, form.password.data)
        log_in(db, user)
        flash(_("Your administrator account is ready."))
        return redirect(home_url())
    return render_template("auth/setup.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Replace the password; every other session of the account ends."""
    form = PasswordForm()
    if form.validate_on_submit():
        outcome = replace_password(get_db(), form.current.data, form.password.data)
        if outcome == throttle.OK:
            flash(_("Your password has been changed. Any other session of your account has ended."))
            return redirect(home_url())
        if g.user is None:
            return redirect(url_for("auth.login"))
        form.current.errors.append(_("The current password is not right"))
    return render_template("auth/password.html", form=form)
