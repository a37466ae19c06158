"""The connection: one SQLite file in the data folder, a connection kept per server thread, write transactions.

sqlite-utils wraps a connection that each server thread opens once and keeps for
the requests it serves (opening and closing one per request cost more than most
requests: closing the last connection checkpoints the log). A request finds it on
``flask.g``; on teardown anything left uncommitted is rolled back. Schema changes
are sqlite-utils migrations applied at start-up. WAL mode lets officers read while
another writes; the busy timeout makes a writer wait for its turn instead of failing.
"""

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import current_app, g
from sqlite_utils import Database

from screening.db import migrations

BUSY_TIMEOUT_MS = 5000


def now():
    """Return the current UTC time as an ISO 8601 string, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def connect(path, replicated=False):
    """Open the database file with the settings every connection needs.

    ``replicated``: Litestream copies the write-ahead log (protection/replication.py) and does
    the checkpoints; the app's connections then never checkpoint a change it has not copied.
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    # Deleted data is overwritten, not left in free pages of the file.
    db.execute("PRAGMA secure_delete = ON")
    if replicated:
        db.execute("PRAGMA wal_autocheckpoint = 0")
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
        g.db = _thread_connection(
            str(current_app.config["SCREENING_DATABASE"]), bool(current_app.config.get("SCREENING_REPLICA_URL"))
        )
    return g.db


def _thread_connection(path, replicated=False):
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
    db = connect(path, replicated)
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
