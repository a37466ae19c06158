"""The account store: the only module that reads or writes the ``users`` table.

Every change is made in one write transaction together with its audit entry.
The access rules (access.py) say who may manage whom and who sets
organisations; the store applies them itself, so that no page or command can go
round them. Organisations are stored as typed, NULL for none.
"""

from screening.access import ADMIN, ROLES, manages, may, organisation_of, sets_organisations
from screening.accounts import passwords, sessions
from screening.db.connection import now, write_transaction
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit


class UsernameTaken(ValueError):
    """An account with this username exists already."""


class NotAllowed(PermissionError):
    """A change the access rules forbid; the message says why, in words."""


NOT_YOURS = _l("You cannot change this account.")
ORGANISATION_FIXED = _l(
    "Only the administrator of the installation (who has no organisation) can change an account's organisation, "
    "and never their own."
)
OWN_ADMIN_ACCESS = _l("You cannot take away your own administrator access")


def get(db, user_id, *, active_only=False):
    """Return one account by id, or None."""
    return next(db.query("select * from users where id = ? and (active = 1 or ?)", [user_id, not active_only]), None)


def by_username(db, username, *, active_only=True):
    """Return the account with this username, or None (only an active one unless told)."""
    params = [username, not active_only]
    return next(db.query("select * from users where username = ? and (active = 1 or ?)", params), None)


def count(db):
    """Return how many accounts exist."""
    return next(db.query("select count(*) as n from users"))["n"]


def managed_by(db, admin):
    """Return the accounts ``admin`` manages, active first, by username."""
    rows = db.query("select * from users order by active desc, username")
    return [row for row in rows if manages(admin, row)]


def usernames(db, ids):
    """Return {id: username} for the given account ids."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = db.query(f"select id, username from users where id in ({marks})", wanted)  # noqa: S608 - placeholders only
    return {row["id"]: row["username"] for row in rows}


def id_of(db, username):
    """Return the id of the account with this username, or None."""
    row = next(db.query("select id from users where username = ?", [username]), None)
    return row["id"] if row else None


def organisation_of_account(db, user_id):
    """Return an account's organisation, "" for none (or for no such account)."""
    row = get(db, user_id)
    return organisation_of(row) if row else ""


def _check_create(admin, role, organisation):
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if admin is None:
        return  # the shell or the first administrator's setup link: the machine's owner
    if not may(admin, "accounts"):
        raise NotAllowed(NOT_YOURS)
    if (organisation or "") != organisation_of(admin) and not sets_organisations(admin):
        raise NotAllowed(ORGANISATION_FIXED)


def create(db, actor, *, username, password, role, organisation=None, full_name=None, active=True, must_change=False):
    """Create an account and return its id, with its audit entry; raise UsernameTaken or NotAllowed."""
    _check_create(actor.account, role, organisation)
    with write_transaction(db):
        if by_username(db, username, active_only=False):
            raise UsernameTaken(username)
        row = {
            "username": username,
            "password_hash": passwords.hashed(password),
            "role": role,
            "active": int(active),
            "must_change_password": int(must_change),
            "created_at": now(),
            "organisation": organisation or None,
            "full_name": full_name or None,
        }
        user_id = db["users"].insert(row).last_pk
        detail = {"account": username, "role": role, "organisation": organisation or None}
        audit.record(db, "account_create", actor, detail=detail)
    return user_id


def change(db, actor, account, *, username, role, organisation, full_name, active):
    """Change an account as an administrator; end its sessions when it may no longer log in."""
    admin = actor.account
    if not manages(admin, account):
        raise NotAllowed(NOT_YOURS)
    organisation = organisation or None
    moved = (organisation or "") != organisation_of(account)
    if moved and not sets_organisations(admin, account):
        raise NotAllowed(ORGANISATION_FIXED)
    if account["id"] == admin["id"] and (role != ADMIN or not active):
        raise NotAllowed(OWN_ADMIN_ACCESS)
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    with write_transaction(db):
        taken = by_username(db, username, active_only=False)
        if taken and taken["id"] != account["id"]:
            raise UsernameTaken(username)
        db.execute(
            "update users set username = ?, role = ?, organisation = ?, full_name = ?, active = ? where id = ?",
            [username, role, organisation, full_name or None, int(active), account["id"]],
        )
        if not active:
            sessions.end_others(db, account["id"])
        detail = {"account": username, "role": role, "active": bool(active)}
        if moved:
            detail["organisation"] = {"from": account["organisation"], "to": organisation}
        audit.record(db, "account_change", actor, detail=detail)


def set_password(db, actor, account, password, *, must_change=False, keep_session=None):
    """Replace an account's password and end its other sessions, with the audit entry.

    Someone else's password (a reset) only by an administrator who manages the account.
    """
    reset = actor.id != account["id"]
    if reset and not manages(actor.account, account):
        raise NotAllowed(NOT_YOURS)
    with write_transaction(db):
        db.execute(
            "update users set password_hash = ?, must_change_password = ? where id = ?",
            [passwords.hashed(password), int(must_change), account["id"]],
        )
        sessions.end_others(db, account["id"], keep=keep_session)
        audit.record(db, "password_change", actor, detail={"account": account["username"], "reset": reset})


def set_details(db, actor, *, full_name, agency, phone):
    """Change how the acting officer is named on referrals."""
    with write_transaction(db):
        db.execute(
            "update users set full_name = ?, agency = ?, phone = ? where id = ?",
            [full_name or None, agency or None, phone or None, actor.id],
        )
        audit.record(db, "account_change", actor, detail={"account": actor.username, "details": True})


def set_locale(db, actor, locale):
    """Remember the acting account's interface language."""
    with write_transaction(db):
        db.execute("update users set locale = ? where id = ?", [locale, actor.id])
        audit.record(db, "account_change", actor, detail={"account": actor.username, "locale": locale})


def set_lock(db, user_id, until):
    """Lock an account until ``until`` (an ISO time), or lift the lock with None (inside the caller's transaction)."""
    db.execute("update users set locked_until = ? where id = ?", [until, user_id])
