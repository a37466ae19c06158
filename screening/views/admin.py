"""Administration: accounts (create, change, deactivate, unlock, reset a password) and the audit trail.

An administrator sees and changes only the accounts they manage (access.manages);
any other account is "not found". The account store applies the same rules again.
"""

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from screening.access import ROLE_NAMES, manages, organisation_of, sets_organisations
from screening.accounts import passwords, store, throttle
from screening.accounts.auth import reauth_redirect, requires
from screening.db.connection import get_db
from screening.forms.accounts import AccountForm
from screening.protection import audit, replication
from screening.protection.audit import Actor
from screening.views.requested import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_PAGE = 50


def _account(user_id):
    """Return the account with this id if the administrator manages it; otherwise answer 404."""
    account = store.get(get_db(), user_id)
    if account is None or not manages(g.user, account):
        abort(404)
    return account


def _form_page(form, account):
    can_set = sets_organisations(g.user, account)
    fixed = organisation_of(account) if account else organisation_of(g.user)
    return render_template(
        "admin/account.html",
        form=form,
        account=account,
        can_set_organisation=can_set,
        fixed_organisation=fixed,
        locked=bool(account) and throttle.is_locked(account),
    )


def _organisation(form, account):
    """Return the organisation to save: the one typed if the administrator may set it, else the one fixed."""
    if sets_organisations(g.user, account):
        return form.organisation.data
    return organisation_of(account) if account else organisation_of(g.user)


@bp.route("/accounts")
@requires("accounts")
def accounts():
    """List every account this administrator manages, with its role, organisation and state."""
    rows = store.managed_by(get_db(), g.user)
    locked = {r["id"] for r in rows if throttle.is_locked(r)}
    return render_template(
        "admin/accounts.html", rows=rows, roles=ROLE_NAMES, locked=locked, replication=_replication()
    )


def _replication():
    """Return ("none", None) when nothing is replicated, a (why, seconds) when the replica lags, else None."""
    url = current_app.config.get("SCREENING_REPLICA_URL")
    if not url:
        return ("none", None)
    config = current_app.config
    return replication.lagging(url, config["SCREENING_DATABASE"], config["SCREENING_REPLICA_LAG_MINUTES"])


@bp.route("/accounts/new", methods=["GET", "POST"])
@requires("accounts")
def new_account():
    """Create an account; its one-time password is shown once and must be changed at first login."""
    form = AccountForm()
    if form.validate_on_submit():
        password = passwords.one_time()
        try:
            user_id = store.create(
                get_db(),
                Actor.web(),
                username=form.username.data,
                password=password,
                role=form.role.data,
                organisation=_organisation(form, None),
                full_name=form.full_name.data,
                active=form.active.data,
                must_change=True,
            )
        except store.UsernameTaken:
            form.username.errors.append(_("This username is taken"))
        except store.NotAllowed as refusal:
            form.organisation.errors.append(str(refusal))
        else:
            return render_template("admin/password.html", account=store.get(get_db(), user_id), password=password)
    return _form_page(form, None)


@bp.route("/accounts/<id:user_id>", methods=["GET", "POST"])
@requires("accounts")
def edit_account(user_id):
    """Change an account's role, organisation, name or whether it may log in."""
    account = _account(user_id)
    form = AccountForm(data=account)
    if form.validate_on_submit():
        try:
            store.change(
                get_db(),
                Actor.web(),
                account,
                username=form.username.data,
                role=form.role.data,
                organisation=_organisation(form, account),
                full_name=form.full_name.data,
                active=form.active.data,
            )
        except store.UsernameTaken:
            form.username.errors.append(_("This username is taken"))
        except store.NotAllowed as refusal:
            form.role.errors.append(str(refusal))
        else:
            flash(_("The account %(name)s is saved.", name=form.username.data))
            return redirect(url_for("admin.accounts"))
    return _form_page(form, account)


@bp.route("/accounts/<id:user_id>/unlock", methods=["POST"])
@requires("accounts")
def unlock(user_id):
    """Lift the lock that failed logins put on an account."""
    account = _account(user_id)
    throttle.unlock(get_db(), Actor.web(), account)
    flash(_("The account %(name)s is unlocked.", name=account["username"]))
    return redirect(url_for("admin.edit_account", user_id=user_id))


@bp.route("/accounts/<id:user_id>/reset", methods=["GET", "POST"])
@requires("accounts")
def reset_password(user_id):
    """Give an account a new one-time password and end all its sessions, after the admin's password."""
    account = _account(user_id)
    asked = reauth_redirect(url_for("admin.reset_password", user_id=user_id))
    if asked:
        return asked
    form = FlaskForm()
    if form.validate_on_submit():
        password = passwords.one_time()
        keep = g.session_row["id"] if user_id == g.user["id"] else None
        store.set_password(get_db(), Actor.web(), account, password, must_change=True, keep_session=keep)
        return render_template("admin/password.html", account=account, password=password)
    return render_template("admin/reset.html", account=account, form=form)


@bp.route("/audit")
@requires("audit")
def audit_trail():
    """Read the audit trail, newest first, with whether its chain is intact."""
    db = get_db()
    intact, broken_at = audit.verify(db)
    count, _head = audit.head(db)
    pages = max(1, -(-count // AUDIT_PAGE))
    page = page_number(request.args, pages)
    return render_template(
        "admin/audit.html",
        rows=audit.recent(db, AUDIT_PAGE, (page - 1) * AUDIT_PAGE),
        page=page,
        pages=pages,
        intact=intact,
        broken_at=broken_at,
        count=count,
    )
