"""The audit trail: who did what to which case, when and from where, append-only and hash-chained.

Triggers (storage.m004_protection) refuse any update or delete of the ``audit``
table. Someone with the database file can drop them, so each row also carries
the SHA-256 of the row before it (``prev_hash``, 64 zeros for the first) and its
own ``hash``: SHA-256 over ``prev_hash`` and the row's fields, as the compact
UTF-8 JSON array ``[prev_hash, id, at, user_id, username, address, action,
reference, detail]``. Changing or removing a row breaks the chain at that row or
the next; ``verify`` names the first broken row.

What the chain cannot prove on its own: that the newest rows were not cut off,
or that the whole chain was not rewritten by someone with write access.
``flask --app wsgi audit verify`` prints the count and the newest hash; writing
those down elsewhere from time to time (a backup log, a supervisor's notebook)
closes that gap.

The detail of a row is short JSON about the action (counts, a document kind,
a language), never the person's data: ``record`` refuses the names of the
registered identifying columns (identifying.py) as keys.

One way to audit: the domain functions that view or change data take an
``Actor`` (who, from where) and record their entry inside their own write
transaction, so an action and its entry commit together or not at all. Views and
commands never call ``record`` themselves.
"""

import getpass
import hashlib
import json
from dataclasses import dataclass

from flask import g, has_request_context, request

from screening.db.connection import now, write_transaction
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection.identifying import refused_audit_keys

GENESIS = "0" * 64
DETAIL_MAX_CHARS = 1000
DEFAULT_PAGE = 50
# The order in which a row's fields enter its hash. Never change it: old rows would stop verifying.
HASHED_FIELDS = ("id", "at", "user_id", "username", "address", "action", "reference", "detail")
# Keys that would put a person's data, or a secret, into the trail.
IDENTIFYING_KEYS = refused_audit_keys()
# How much of a name typed at a failed login the trail keeps (a login form takes no more).
TYPED_NAME_KEPT = 40

# Every action the trail records: a stable code (stored) and what people read.
ACTIONS = {
    # Accounts and sessions
    "login": _l("Logged in"),
    "login_failed": _l("Failed to log in"),
    "lockout": _l("Account locked after failed logins"),
    "logout": _l("Logged out"),
    "reauth": _l("Gave the password again"),
    "account_create": _l("Created an account"),
    "account_change": _l("Changed an account"),
    "password_change": _l("Changed a password"),
    # Cases
    "case_create": _l("Started a screening"),
    "case_import": _l("Imported a screening collected offline"),
    "view_case": _l("Opened a case"),
    "reopen": _l("Reopened a stopped interview"),
    "view_person": _l("Opened the person's details"),
    "edit_person": _l("Changed the person's details"),
    "edit_answers": _l("Saved answers"),
    "person_answers": _l("Saved answers given by the person on their own"),
    "handover": _l("Handed the phone to the person"),
    "handover_back": _l("Took the phone back from the person"),
    "handover_locked": _l("Locked a case after wrong codes at a hand-over"),
    "unlock_case": _l("Unlocked a case by logging in again"),
    "consent": _l("Recorded the person's consent or refusal"),
    "stop": _l("Stopped an interview"),
    "complete": _l("Completed an interview"),
    "refer": _l("Referred the person to an organisation"),
    "export_pdf": _l("Printed or saved a PDF"),
    "export_stats": _l("Exported statistics or de-identified screenings"),
    "note": _l("Added a note to a case"),
    "followup": _l("Recorded a referral's follow-up"),
    "link": _l("Linked a case to an earlier screening"),
    "erase": _l("Erased a person's identifying data on request"),
    "purge": _l("Erased identifying data past the retention period"),
    # Referrals between installations
    "check_document": _l("Checked the signature of a document"),
    "trust_installation": _l("Trusted another installation's signing certificate"),
    "untrust_installation": _l("Stopped trusting another installation's signing certificate"),
    "rotate_signing_key": _l("Made a new signing key for this installation"),
    "import_referral": _l("Imported a referral received from another installation"),
    "view_received": _l("Opened a received referral"),
    "received_followup": _l("Recorded the follow-up of a received referral"),
    # The directory of services
    "directory_change": _l("Changed the directory of services"),
    "recording_add": _l("Added a recording of a text"),
    "recording_decide": _l("Approved or rejected a recording"),
    "recordings_import": _l("Imported a pack of recordings"),
    "export_csv": _l("Exported the directory as CSV"),
    "import_csv": _l("Imported the directory from CSV"),
    # The data itself
    "key_rotate": _l("Re-encrypted the data under a new key"),
    "backup": _l("Made a backup of the database"),
    "demo_seed": _l("Added demo data"),
}


ENTRY_COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")
INSERT_ENTRY = f"insert into audit ({', '.join(ENTRY_COLUMNS)}) values ({', '.join('?' * len(ENTRY_COLUMNS))})"  # noqa: S608


def row_hash(prev_hash, row):
    """Return the hash of an audit row chained to ``prev_hash``."""
    fields = [prev_hash, *(row[name] for name in HASHED_FIELDS)]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _check_detail(detail):
    """Return ``detail`` as JSON text, refusing identifying keys and anything long."""
    if detail is None:
        return None

    def keys(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield key
                yield from keys(inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                yield from keys(inner)

    found = IDENTIFYING_KEYS.intersection(keys(detail))
    if found:
        raise ValueError(f"audit detail may not hold {', '.join(sorted(found))}")
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if len(text) > DETAIL_MAX_CHARS:
        raise ValueError(f"audit detail longer than {DETAIL_MAX_CHARS} characters")
    return text


@dataclass(frozen=True)
class Actor:
    """Who does something, as the trail records it: an account (or a name typed at login, or the shell), and from where.

    ``account`` is the acting account's row when there is one: access rules read its role and organisation.
    """

    id: int | None
    username: str | None
    address: str | None = None
    account: dict | None = None

    @classmethod
    def of(cls, account, address=None):
        """Return the actor for an account row."""
        return cls(account["id"], account["username"], address, account)

    @classmethod
    def typed(cls, username, address=None):
        """Return the actor for a login with no account behind it (only the name typed, cut short)."""
        return cls(None, username[:TYPED_NAME_KEPT], address)

    @classmethod
    def shell(cls):
        """Return who runs a command in the shell: no account, the system user's name."""
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
        return cls(None, f"shell:{name}")

    @classmethod
    def web(cls):
        """Return the actor of the current web request: its account (if logged in) and address."""
        user = g.get("user") if has_request_context() else None
        address = request.remote_addr if has_request_context() else None
        return cls.of(user, address) if user else cls(None, None, address)


def record(db, action, actor, *, reference=None, detail=None):
    """Append an entry to the trail and return its id; inside a caller's transaction it commits or rolls back with it.

    ``actor`` is an Actor (None: the app itself), ``detail`` a small JSON-able dict.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row = {
        "at": now(),
        "user_id": actor.id if actor else None,
        "username": actor.username if actor else None,
        "address": actor.address if actor else None,
        "action": action,
        "reference": reference,
        "detail": _check_detail(detail),
    }
    with write_transaction(db):
        last = next(db.query("select id, hash from audit order by id desc limit 1"), None)
        row["id"] = last["id"] + 1 if last else 1
        row["prev_hash"] = last["hash"] if last else GENESIS
        row["hash"] = row_hash(row["prev_hash"], row)
        # Plain SQL: sqlite-utils' insert() would first look the table up in sqlite_master, every time.
        db.execute(INSERT_ENTRY, [row[name] for name in ENTRY_COLUMNS])
    return row["id"]


def verify(db):
    """Return (True, None) if the chain is intact, else (False, id of the first entry that breaks it)."""
    expected = GENESIS
    for row in db.query("select * from audit order by id"):
        if row["prev_hash"] != expected or row_hash(row["prev_hash"], row) != row["hash"]:
            return False, row["id"]
        expected = row["hash"]
    return True, None


def head(db):
    """Return (number of entries, hash of the newest or the 64 zeros)."""
    count = next(db.query("select count(*) as n from audit"))["n"]
    last = next(db.query("select hash from audit order by id desc limit 1"), None)
    return count, last["hash"] if last else GENESIS


def _labelled(rows):
    return [{**row, "label": ACTIONS.get(row["action"], row["action"])} for row in rows]


def recent(db, limit=DEFAULT_PAGE, offset=0):
    """Return a page of entries, newest first, each with its translated "label"."""
    return _labelled(db.query("select * from audit order by id desc limit ? offset ?", [limit, offset]))


def for_case(db, reference):
    """Return the entries about one case, oldest first, each with its translated "label"."""
    return _labelled(db.query("select * from audit where reference = ? order by id", [reference]))
