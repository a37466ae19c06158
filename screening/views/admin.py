"""Administration: accounts (create, change, deactivate, unlock, reset a password) and the audit trail."""

import secrets

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from screening.accounts import sessions
from screening.accounts.auth import (
    ONE_TIME_PASSWORD_BYTES,
    UsernameTaken,
    create_user,
    reauth_redirect,
    role_required,
    set_password,
)
from screening.db.connection import get_db
from screening.forms.accounts import AccountForm
from screening.instrument.vocabulary import ROLE_NAMES
from screening.protection import audit

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _account(user_id):
    rows = list(get_db().query("select * from users where id = ?", [user_id]))
    if not rows:
        abort(404)
    return rows[0]


def _one_time_password_page(user, password):
    return render_template("admin/password.html", account=user, password=password)


@bp.route("/accounts")
@role_required("admin")
def accounts():
    """List every account with its role, organisation and state."""
    rows = list(get_db().query("select * from users order by active desc, username"))
    return render_template(
        "admin/accounts.html", rows=rows, roles=ROLE_NAMES, locked={r["id"] for r in rows if sessions.is_locked(r)}
    )


@bp.route("/accounts/new", methods=["GET", "POST"])
@role_required("admin")
def new_account():
    """Create an account; its one-time password is shown once and must be changed at first login."""
    form = AccountForm()
    if form.validate_on_submit():
        db = get_db()
        password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
        try:
            user_id = create_user(db, form.username.data, password, form.role.data, must_change=True)
        except UsernameTaken:
            form.username.errors.append(_("This username is taken"))
        else:
            db.execute(
                "update users set organisation = ?, full_name = ?, active = ? where id = ?",
                [form.organisation.data or None, form.full_name.data or None, int(form.active.data), user_id],
            )
            audit.record_request("account_create", detail={"account": form.username.data, "role": form.role.data})
            return _one_time_password_page(_account(user_id), password)
    return render_template("admin/account.html", form=form, account=None)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_account(user_id):
    """Change an account's role, organisation, name or whether it may log in."""
    account = _account(user_id)
    form = AccountForm(data=account)
    if form.validate_on_submit():
        db = get_db()
        if user_id == g.user["id"] and (form.role.data != "admin" or not form.active.data):
            form.role.errors.append(_("You cannot take away your own administrator access"))
        elif list(db.query("select 1 from users where username = ? and id != ?", [form.username.data, user_id])):
            form.username.errors.append(_("This username is taken"))
        else:
            db.execute(
                "update users set username = ?, role = ?, organisation = ?, full_name = ?, active = ? where id = ?",
                [
                    form.username.data,
                    form.role.data,
                    form.organisation.data or None,
                    form.full_name.data or None,
                    int(form.active.data),
                    user_id,
                ],
            )
            if not form.active.data:
                sessions.end_others(db, user_id)
            audit.record_request(
                "account_change",
                detail={"account": form.username.data, "role": form.role.data, "active": bool(form.active.data)},
            )
            flash(_("The account %(name)s is saved.", name=form.username.data))
            return redirect(url_for("admin.accounts"))
    return render_template("admin/account.html", form=form, account=account, locked=sessions.is_locked(account))


@bp.route("/accounts/<int:user_id>/unlock", methods=["POST"])
@role_required("admin")
def unlock(user_id):
    """Lift the lock that failed logins put on an account."""
    account = _account(user_id)
    sessions.unlock(get_db(), user_id)
    audit.record_request("account_change", detail={"account": account["username"], "unlocked": True})
    flash(_("The account %(name)s is unlocked.", name=account["username"]))
    return redirect(url_for("admin.edit_account", user_id=user_id))


@bp.route("/accounts/<int:user_id>/reset", methods=["GET", "POST"])
@role_required("admin")
def reset_password(user_id):
    """Give an account a new one-time password and end all its sessions, after the admin's password."""
    account = _account(user_id)
    asked = reauth_redirect(url_for("admin.reset_password", user_id=user_id))
    if asked:
        return asked
    form = FlaskForm()
    if form.validate_on_submit():
        db = get_db()
        password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
        set_password(db, user_id, password, must_change=True)
        sessions.end_others(db, user_id, keep=g.session_row["id"] if user_id == g.user["id"] else None)
        audit.record_request("password_change", detail={"account": account["username"], "reset": True})
        return _one_time_password_page(account, password)
    return render_template("admin/reset.html", account=account, form=form)


AUDIT_PAGE = 50


@bp.route("/audit")
@role_required("admin")
def audit_trail():
    """Read the audit trail, newest first, with whether its chain is intact."""
    db = get_db()
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    intact, broken_at = audit.verify(db)
    count, _head = audit.head(db)
    return render_template(
        "admin/audit.html",
        rows=audit.recent(db, AUDIT_PAGE, (page - 1) * AUDIT_PAGE),
        page=page,
        pages=max(1, -(-count // AUDIT_PAGE)),
        intact=intact,
        broken_at=broken_at,
        count=count,
    )
