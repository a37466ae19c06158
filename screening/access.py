"""Who may see and do what: roles, what each role may use, which cases an account sees, whose account it manages.

The one owner of every access rule; the case page and each of its sub-pages, the
case list, the desk, the statistics, every export and PDF, and the cases received
from other installations ask here.

Received cases. A referral imported from another installation belongs to the
organisation of the account that imported it (or the one named on the command
line); its supervisors and administrators see it, nobody else.

Cases. A case belongs for good to the organisation of the officer who opened it
(``screenings.organisation``, frozen then): an account moved to another
organisation leaves its cases behind. An officer sees the cases they opened in
their present organisation; a supervisor or an administrator sees every case of
their present organisation. An account with no organisation belongs to the
group of accounts with none. Anything else is "not found" (404), never
"forbidden": a reference that exists must look like one that does not.

Accounts. An administrator manages the accounts of their own organisation; the
installation's administrator (an administrator with no organisation, such as the
first one) manages every account. Only the installation's administrator sets an
account's organisation, and never their own: otherwise an administrator could
move into another organisation, or plant an account there, and read its cases.
"""

from screening.i18n.lazy import lazy_gettext as _l

OFFICER, SUPERVISOR, ADMIN, VOICE = "officer", "supervisor", "admin", "voice"
ROLES = (OFFICER, SUPERVISOR, ADMIN, VOICE)
# Accounts that work with cases; a voice account records the person's texts and sees no case.
STAFF = (OFFICER, SUPERVISOR, ADMIN)
ROLE_NAMES = {
    OFFICER: _l("officer"),
    SUPERVISOR: _l("supervisor"),
    ADMIN: _l("administrator"),
    VOICE: _l("voice (records the person's texts)"),
}

# What each role may use, beside the cases it may see.
PERMISSIONS = {
    "screen": (STAFF, "Start, run, stop and finish interviews; refer the person; print referrals."),
    "desk": (STAFF, "Find cases and follow referrals up, within the cases the account sees."),
    "statistics": (STAFF, "Read and export statistics, within the cases the account sees."),
    "organisation_cases": ((SUPERVISOR, ADMIN), "See every case of the account's organisation, not only its own."),
    "accounts": ((ADMIN,), "Create and change accounts (of the administrator's organisation)."),
    "directory": ((ADMIN,), "Keep the directory of services, with CSV import and export."),
    "audit": ((ADMIN,), "Read the audit trail."),
    "receive": (
        (SUPERVISOR, ADMIN),
        "Import signed referrals and acknowledgements from other installations; follow up the received cases "
        "of the account's organisation.",
    ),
    "audio": (
        (ADMIN, VOICE),
        "Record, upload, approve and reject recordings of the texts the person hears, in every interview language.",
    ),
    "trust": ((ADMIN,), "Accept another installation's signing certificate as trusted."),
    "collect": (
        (SUPERVISOR, ADMIN),
        "Download the screening as an XLSForm for ODK Collect or KoboToolbox, and import the screenings collected "
        "with it into the account's organisation.",
    ),
}


def may(user, permission):
    """Return whether an account may use ``permission`` (a key of PERMISSIONS)."""
    return user is not None and user["role"] in PERMISSIONS[permission][0]


def organisation_of(user):
    """Return an account's organisation, "" for none."""
    return user.get("organisation") or ""


def case_scope(user, alias="s"):
    """Return (SQL condition, parameters) for the cases ``user`` sees, on a table with organisation and officer_id.

    Screenings and statistics facts both carry the two columns, so one rule serves the
    case list, the desk, the statistics and their exports.
    """
    condition = f"{alias}.organisation = :scope_organisation"
    params = {"scope_organisation": organisation_of(user)}
    if not may(user, "organisation_cases"):
        condition += f" and {alias}.officer_id = :scope_officer"
        params["scope_officer"] = user["id"]
    return condition, params


def can_see(user, screening):
    """Return whether ``user`` sees this case: the same rule as ``case_scope``, for one row."""
    if user is None or screening is None:
        return False
    if (screening["organisation"] or "") != organisation_of(user):
        return False
    return may(user, "organisation_cases") or screening["officer_id"] == user["id"]


def received_scope(user):
    """Return (SQL condition, parameters) for the received cases ``user`` sees: its organisation's, if it receives."""
    if not may(user, "receive"):
        return "0", {}
    return "organisation = :scope_organisation", {"scope_organisation": organisation_of(user)}


def can_see_received(user, received):
    """Return whether ``user`` sees this received case: the same rule as ``received_scope``, for one row."""
    if user is None or received is None or not may(user, "receive"):
        return False
    return (received["organisation"] or "") == organisation_of(user)


def count_scopes(organisation, officer_id):
    """Return the keys of the statistics counts a case adds to: its organisation's, and its officer's there."""
    return (f"org:{organisation or ''}", f"officer:{officer_id}:{organisation or ''}")


def count_scope(user):
    """Return the key of the statistics counts ``user`` reads (the same cases ``case_scope`` selects)."""
    organisation_key, officer_key = count_scopes(organisation_of(user), user["id"])
    return organisation_key if may(user, "organisation_cases") else officer_key


def manages(admin, account):
    """Return whether ``admin`` may see and change ``account``."""
    if not may(admin, "accounts"):
        return False
    return not organisation_of(admin) or organisation_of(account) == organisation_of(admin)


def sets_organisations(admin, account=None):
    """Return whether ``admin`` may choose the organisation of ``account`` (None: a new account)."""
    if not may(admin, "accounts") or organisation_of(admin):
        return False
    return account is None or account["id"] != admin["id"]
