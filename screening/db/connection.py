"""The database: one SQLite file in the data folder.

sqlite-utils wraps a connection that each server thread opens once and keeps for
the requests it serves (opening and closing one per request cost more than most
requests: closing the last connection checkpoints the log). A request finds it on
``flask.g``; on teardown anything left uncommitted is rolled back. Schema changes
are sqlite-utils migrations applied at start-up. WAL mode lets officers read while
another writes; the busy timeout makes a writer wait for its turn instead of failing.
"""

import json
import os
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import current_app, g
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

BUSY_TIMEOUT_MS = 5000
# No 0/O, 1/I/L: a reference is read aloud over a phone and typed from paper.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_GROUPS = 3
REFERENCE_GROUP_LENGTH = 4

migrations = Migrations("screening")


@migrations()
def m001_initial(db):
    """Create accounts, setup tokens, screenings and answers."""
    db["users"].create(
        {
            "id": int,
            "username": str,
            "password_hash": str,
            "role": str,
            "active": int,
            "must_change_password": int,
            "created_at": str,
        },
        pk="id",
        not_null={"username", "password_hash", "role", "active", "created_at"},
    )
    db["users"].create_index(["username"], unique=True)
    db["setup_tokens"].create(
        {"token_hash": str, "created_at": str, "expires_at": str, "used_at": str},
        pk="token_hash",
    )
    db["screenings"].create(
        {
            "id": int,
            "reference": str,
            "officer_id": int,
            "post": str,
            "interview_lang": str,
            "interpreter": str,
            "consent": str,
            "status": str,
            "stop_reason": str,
            "bank_version": str,
            "created_at": str,
            "updated_at": str,
            "ended_at": str,
            "evidence": str,
            "assessment": str,
            "outcome": str,
            "rule": str,
            "urgent": int,
            "child": int,
            "demo": int,
        },
        pk="id",
        defaults={"demo": 0, "urgent": 0, "child": 0},
        not_null={"reference", "officer_id", "status", "bank_version", "created_at", "updated_at"},
        foreign_keys=[("officer_id", "users", "id")],
    )
    db["screenings"].create_index(["reference"], unique=True)
    db["screenings"].create_index(["officer_id", "status", "updated_at"])
    db["answers"].create(
        {"screening_id": int, "question_id": str, "value": str, "answered_at": str},
        pk=("screening_id", "question_id"),
        not_null={"value", "answered_at"},
        foreign_keys=[("screening_id", "screenings", "id")],
    )


@migrations()
def m002_account_language(db):
    """Remember each account's interface language."""
    db["users"].add_column("locale", str)


@migrations()
def m003_referrals(db):
    """Add the directory of services, referrals with their consent, the person's details, exports."""
    for column in ("full_name", "agency", "phone"):
        db["users"].add_column(column, str)
    db["organisations"].create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "area": str,
            "languages": str,
            "phone": str,
            "email": str,
            "address": str,
            "contact_person": str,
            "print_lang": str,
            "notes": str,
            "active": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"name", "kind", "print_lang", "active", "created_at", "updated_at"},
        defaults={"active": 1},
    )
    db.execute("create unique index idx_organisations_name on organisations (name collate nocase)")
    db["people"].create(
        {"screening_id": int, "name": str, "contact": str, "date_of_birth": str, "updated_at": str},
        pk="screening_id",
        foreign_keys=[("screening_id", "screenings", "id")],
    )
    db["referrals"].create(
        {
            "id": int,
            "screening_id": int,
            "organisation_id": int,
            "priority": str,
            "consent": str,
            "shared_items": str,
            "basis": str,
            "basis_reason": str,
            "services": str,
            "status": str,
            "created_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"screening_id", "organisation_id", "priority", "consent", "basis", "status", "created_at"},
        foreign_keys=[
            ("screening_id", "screenings", "id"),
            ("organisation_id", "organisations", "id"),
            ("created_by", "users", "id"),
        ],
    )
    db["referrals"].create_index(["screening_id"])
    db["exports"].create(
        {
            "id": int,
            "screening_id": int,
            "referral_id": int,
            "document": str,
            "lang": str,
            "user_id": int,
            "via": str,
            "created_at": str,
        },
        pk="id",
        not_null={"screening_id", "document", "lang", "via", "created_at"},
        foreign_keys=[("screening_id", "screenings", "id"), ("referral_id", "referrals", "id")],
    )
    db["exports"].create_index(["screening_id"])


@migrations()
def m004_protection(db):
    """Add server-side sessions, login throttling, the audit trail, and organisations for accounts."""
    db["users"].add_column("organisation", str)
    db["users"].add_column("locked_until", str)
    db["sessions"].create(
        {"id": str, "user_id": int, "created_at": str, "last_seen": str, "reauth_at": str, "ended_at": str},
        pk="id",
        not_null={"user_id", "created_at", "last_seen"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["sessions"].create_index(["user_id"])
    db["login_attempts"].create(
        {"id": int, "at": str, "username": str, "address": str, "succeeded": int},
        pk="id",
        not_null={"at", "succeeded"},
    )
    db["login_attempts"].create_index(["username", "at"])
    db["login_attempts"].create_index(["address", "at"])
    db["audit"].create(
        {
            "id": int,
            "at": str,
            "user_id": int,
            "username": str,
            "address": str,
            "action": str,
            "reference": str,
            "detail": str,
            "prev_hash": str,
            "hash": str,
        },
        pk="id",
        not_null={"at", "action", "prev_hash", "hash"},
    )
    db["audit"].create_index(["reference"])
    # Append-only: history can be added to, never changed or removed.
    db.execute(
        "create trigger audit_no_update before update on audit "
        "begin select raise(abort, 'the audit trail is append-only'); end"
    )
    db.execute(
        "create trigger audit_no_delete before delete on audit "
        "begin select raise(abort, 'the audit trail is append-only'); end"
    )


@migrations()
def m005_desk(db):
    """Add referral follow-up, caseworker notes, links between cases, and the de-identified statistics."""
    db["screenings"].add_column("linked_to", int)
    db["referrals"].add_column("acknowledged_at", str)
    db["referral_events"].create(
        {"id": int, "referral_id": int, "status": str, "reason": str, "recorded_by": int, "at": str},
        pk="id",
        not_null={"referral_id", "status", "at"},
        foreign_keys=[("referral_id", "referrals", "id"), ("recorded_by", "users", "id")],
    )
    db["referral_events"].create_index(["referral_id"])
    db["notes"].create(
        {"id": int, "screening_id": int, "user_id": int, "at": str, "text": str},
        pk="id",
        not_null={"screening_id", "at", "text"},
        foreign_keys=[("screening_id", "screenings", "id"), ("user_id", "users", "id")],
    )
    db["notes"].create_index(["screening_id"])
    # One row per completed screening, holding only what statistics need: no
    # name, no free text, no exact date, no reference. It outlives retention.
    db["facts"].create(
        {
            "screening_id": int,
            "month": str,
            "officer_id": int,
            "organisation": str,
            "post": str,
            "outcome": str,
            "rule": str,
            "urgent": int,
            "child": int,
            "age_group": str,
            "sex": str,
            "nationality": str,
            "stage": str,
        },
        pk="screening_id",
    )
    db["fact_items"].create({"screening_id": int, "kind": str, "value": str}, pk=("screening_id", "kind", "value"))
    db["fact_items"].create_index(["kind", "value"])
    for columns in (["created_at"], ["status", "updated_at"], ["outcome"], ["post"], ["urgent"], ["child"]):
        db["screenings"].create_index(columns)
    for columns in (["month"], ["organisation", "month"], ["officer_id", "month"]):
        db["facts"].create_index(columns)


@migrations()
def m006_fast_desk(db):
    """Keep statistics counted as screenings complete, and index what the desk filters and sorts on."""
    db["fact_counts"].create(
        {"scope": str, "key": str, "value": str, "n": int}, pk=("scope", "key", "value"), not_null={"n"}
    )
    from screening.desk.statistics import backfill_counts  # the counting rules live with the statistics

    backfill_counts(db)
    for columns in (["outcome", "created_at"], ["status", "created_at"], ["officer_id", "created_at"]):
        db["screenings"].create_index(columns)
    db["referrals"].create_index(["status", "priority", "created_at"])


@migrations()
def m007_covering_indexes(db):
    """Let the desk count filtered cases from indexes alone (the scope is a set of officers)."""
    for columns in (
        ["outcome", "officer_id", "created_at"],
        ["status", "officer_id", "created_at"],
        ["urgent", "child", "officer_id"],
        ["officer_id", "post"],
    ):
        db["screenings"].create_index(columns)


def now():
    """Return the current UTC time as an ISO 8601 string, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def connect(path):
    """Open the database file with the settings every connection needs."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    # Deleted data is overwritten, not left in free pages of the file.
    db.execute("PRAGMA secure_delete = ON")
    return db


@contextmanager
def write_transaction(db):
    """Run a block in one transaction that holds the write lock from its start (or in a savepoint).

    Use it for every block that reads and then writes. A plain ``BEGIN`` takes the lock
    only at the first write; in WAL mode, if another connection wrote since this one
    read, SQLite then fails at once with "database is locked" instead of waiting for the
    busy timeout. Taking the lock first makes the block wait its turn, and nobody can
    write between its reads and its writes (two audit entries can never chain to the
    same previous row).
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


# This thread's connection, with the process and the file it was opened for.
_thread = threading.local()
_inherited = []


def get_db():
    """Return this request's database: the connection this thread keeps, opened on first use."""
    if "db" not in g:
        g.db = _thread_connection(str(current_app.config["SCREENING_DATABASE"]))
    return g.db


def _thread_connection(path):
    owner = (os.getpid(), path)
    kept = getattr(_thread, "kept", None)
    if kept is not None and kept[0] == owner:
        return kept[1]
    if kept is not None and kept[0][0] == owner[0]:
        kept[1].close()  # another database (a test's): one connection per thread at most
    elif kept is not None:
        # Inherited through fork(): the parent's. Closing it here could checkpoint or remove
        # the log under the parent, so it is kept, unused, for the life of this process.
        _inherited.append(kept[1])
    db = connect(path)
    _thread.kept = (owner, db)
    return db


def close_db(_exc=None):
    """End this request's use of the database: roll back whatever it left uncommitted."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def migrate(path):
    """Create or upgrade the database at ``path``."""
    db = connect(path)
    try:
        migrations.apply(db)
    finally:
        db.close()


def new_reference():
    """Return a random, unguessable case reference such as K7QD-9XPM-3HTA."""
    groups = (
        "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_GROUP_LENGTH))
        for _ in range(REFERENCE_GROUPS)
    )
    return "-".join(groups)


def normalise_reference(text):
    """Return a typed reference in canonical form (upper case, dashes), or None."""
    typed = "".join(ch for ch in (text or "") if ch.isalnum())
    letters = typed.upper()
    size = REFERENCE_GROUPS * REFERENCE_GROUP_LENGTH
    # len(typed) too: some letters upper-case to two (ß -> SS) and must not sneak in.
    if len(typed) != size or len(letters) != size or any(ch not in REFERENCE_ALPHABET for ch in letters):
        return None
    step = REFERENCE_GROUP_LENGTH
    return "-".join(letters[i : i + step] for i in range(0, size, step))


def dumps(value):
    """Serialise a value for a JSON column, stable and readable."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# Only the app's own user may read the data folder and the database in it.
DATA_DIR_MODE = 0o700
DATA_FILE_MODE = 0o600


def init_app(app):
    """Create or migrate the database at start-up, private to the app's user; close connections per request."""
    data_dir = app.config["SCREENING_DATA_DIR"]
    data_dir.mkdir(parents=True, exist_ok=True, mode=DATA_DIR_MODE)
    os.chmod(data_dir, DATA_DIR_MODE)
    database = app.config["SCREENING_DATABASE"]
    database.touch(mode=DATA_FILE_MODE, exist_ok=True)
    os.chmod(database, DATA_FILE_MODE)
    migrate(database)
    app.teardown_appcontext(close_db)
