"""Backups: a consistent, checked copy of the live database, private to the app's user.

The copy is made with SQLite's backup API while the server keeps running, put
into rollback-journal mode so it is one self-contained file, checked with
``PRAGMA integrity_check`` and moved into place only when sound. It is encrypted
like the database, and useless without the key, which is backed up apart from it.
"""

import os
import secrets
import sqlite3
from pathlib import Path

from screening.protection import audit

BACKUP_MODE = 0o600


class BackupError(RuntimeError):
    """A backup that could not be written or did not check out."""


def backup(db, target, *, actor, force=False):
    """Copy the live database to ``target`` consistently (SQLite's backup API), checked, readable by the owner only.

    Refuses an existing ``target`` unless ``force``. The copy is one self-contained file; it is
    encrypted like the database and useless without the key, which must be backed up separately.
    """
    target = Path(target).resolve()
    if target.exists() and not force:
        raise FileExistsError(target)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(8)}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE))
    try:
        copy = sqlite3.connect(partial)
        try:
            db.conn.backup(copy)
            # A copy in rollback-journal mode is one file: no -wal or -shm beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
            check = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        finally:
            copy.close()
        if check != ["ok"]:
            raise BackupError("the copy failed its integrity check: " + "; ".join(check))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    audit.record(db, "backup", actor, detail={"file": str(target)})
    return target
