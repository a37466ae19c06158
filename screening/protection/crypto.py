"""Encryption at rest of the fields that identify a person, with keys kept outside the database.

A copy of ``screening.db`` alone must reveal no identity. Every column of the
registry of identifying data (identifying.py) holds Fernet tokens (AES-128-CBC with an HMAC-SHA256 tag: a token
cannot be read, nor changed unnoticed, without the key), stored as ``enc1:`` +
token. Everything else (answers by choice, indicators, the assessment, the
outcome) stays plain so that it can be counted and queried.

Where the keys live. ``SCREENING_ENCRYPTION_KEY`` holds one or more Fernet keys
separated by commas; if it is unset, the file ``encryption.key`` in the data
folder holds one key per line. Either way the first key encrypts and every key
is tried to decrypt. The file is created at first start with mode 0600; it is
never created when the database already holds encrypted data (a lost key must
stop the app, not quietly start a second key). At start-up the keys must open
the data already stored, and any plain value left from before encryption is
encrypted.

Changing the key (``flask --app wsgi data rotate-key``) with the key file:

1. a new key is generated and the key file is replaced, atomically, by one with
   the new key on the first line and every older key on the lines after it;
2. every encrypted value is re-encrypted under the new key, in one transaction,
   recorded in the audit trail.

If step 2 fails it rolls back, and the file still opens every value. The older
keys stay in the file so that backups made before the change can still be
opened; remove an old line only when no backup made under it is kept. A running
server notices the new file and uses it at once. Back the key file up after a
change: an old copy of it cannot open what is written from then on.

With ``SCREENING_ENCRYPTION_KEY`` the command cannot rewrite the variable: put
a new key first in it (``.venv/bin/python -c "from cryptography.fernet import
Fernet; print(Fernet.generate_key().decode())"``), keep the old keys after it,
restart, and run ``rotate-key``: it re-encrypts everything under the first key.
"""

import contextlib
import logging
import os
import secrets
import threading

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app, has_app_context

from screening.db.connection import connect, write_transaction
from screening.protection import audit, identifying

PREFIX = "enc1:"
KEY_FILE = "encryption.key"
EXTENSION = "screening_crypto"
KEY_FILE_MODE = 0o600
log = logging.getLogger(__name__)

class CryptoError(RuntimeError):
    """The keys are missing, malformed, or do not fit the database."""


class UndecryptableError(CryptoError):
    """A stored value that none of the keys opens."""


def parse_keys(text):
    """Return the keys in ``text`` (comma- or newline-separated); raise CryptoError for a malformed one."""
    keys = [k.strip() for k in text.replace(",", "\n").splitlines() if k.strip()]
    if not keys:
        raise CryptoError("no encryption key given")
    for position, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except ValueError:
            # Never echo the key itself: this message may end up in a log.
            raise CryptoError(f"encryption key number {position} is not a Fernet key") from None
    return keys


def new_key():
    """Return a fresh random Fernet key, as text."""
    return Fernet.generate_key().decode("ascii")


def _multi(keys):
    return MultiFernet([Fernet(k) for k in keys])


def _stamp(path):
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


class Keyring:
    """The keys in use; with a key file, reloaded when the file changes (after ``rotate-key``)."""

    def __init__(self, keys, path=None):
        self.path = path
        self._lock = threading.Lock()
        self._set(keys, _stamp(path) if path else None)

    def _set(self, keys, stamp):
        self._state = (tuple(keys), _multi(keys), stamp)

    @property
    def keys(self):
        """Return the keys, the one that encrypts first."""
        return self._current()[0]

    def fernet(self):
        """Return the MultiFernet for the current keys."""
        return self._current()[1]

    def use(self, keys):
        """Switch to ``keys`` in this process."""
        with self._lock:
            self._set(keys, _stamp(self.path) if self.path else None)

    def _current(self):
        state = self._state
        if self.path is None:
            return state
        stamp = _stamp(self.path)
        if stamp is None or stamp == state[2]:
            return state
        with self._lock:
            try:
                self._set(parse_keys(self.path.read_text()), stamp)
            except (OSError, CryptoError):
                log.exception("the key file changed but cannot be read; keeping the keys in use")
            return self._state


_fallback = None  # the keyring of the app created last, for code that runs outside an app context


def _keyring():
    if has_app_context() and EXTENSION in current_app.extensions:
        return current_app.extensions[EXTENSION]
    if _fallback is None:
        raise CryptoError("encryption is not set up: create the app first")
    return _fallback


def encrypt(text):
    """Return ``text`` encrypted under the first key as "enc1:" + token, or None for None."""
    if text is None:
        return None
    return PREFIX + _keyring().fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(value):
    """Return the text of an "enc1:" value, or None for None; raise UndecryptableError otherwise."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(PREFIX):
        raise UndecryptableError("a value in an encrypted column is not encrypted")
    try:
        return _keyring().fernet().decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise UndecryptableError(
            "a stored value cannot be decrypted with any of the encryption keys: the key file or "
            "SCREENING_ENCRYPTION_KEY does not match this database; restore the key that was in use"
        ) from None


def _selects():
    """Yield (table, column, SQL selecting rowid and value) for every registered identifying column."""
    for table, column, rows in identifying.encrypted_columns():
        condition = f"{column} is not null" + (f" and ({rows})" if rows else "")
        yield table, column, f"select rowid as row_id, {column} as value from {table} where {condition}"  # noqa: S608


def _reencrypt(db, multi):
    """Re-encrypt (or encrypt, if still plain) every value under ``multi``'s first key; return how many."""
    count = 0
    for table, column, sql in _selects():
        for row in list(db.query(sql)):
            value = row["value"]
            if value.startswith(PREFIX):
                try:
                    token = multi.rotate(value[len(PREFIX) :].encode("ascii"))
                except InvalidToken:
                    raise UndecryptableError(f"a value in {table}.{column} opens with none of the keys") from None
            else:
                token = multi.encrypt(value.encode("utf-8"))
            db.execute(
                f"update {table} set {column} = ? where rowid = ?",  # noqa: S608 - names from the registry
                [PREFIX + token.decode("ascii"), row["row_id"]],
            )
            count += 1
    return count


def rotate(db, new_key, *, actor):
    """Re-encrypt every encrypted value under ``new_key``, the other keys kept for decrypting; return how many.

    With the key file, the file is rewritten first (new key first, every older key kept), so
    that whatever fails afterwards every value still opens. With SCREENING_ENCRYPTION_KEY,
    ``new_key`` must already be one of its keys: a key only this process knew would be lost
    at the next restart. One transaction, with its audit entry.
    """
    ring = _keyring()
    keys = parse_keys(",".join([new_key, *(k for k in ring.keys if k != new_key)]))
    if ring.path is None and new_key not in ring.keys:
        raise CryptoError("put the new key first in SCREENING_ENCRYPTION_KEY and restart before re-encrypting")
    if ring.path is not None and parse_keys(ring.path.read_text()) != keys:
        write_key_file(ring.path, keys)
    multi = _multi(keys)
    db.execute("PRAGMA secure_delete = ON")  # old tokens are overwritten, not left in free space
    with write_transaction(db):
        count = _reencrypt(db, multi)
        audit.record(db, "key_rotate", actor, detail={"values": count})
    ring.use(keys)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return count


def write_key_file(path, keys):
    """Replace the key file atomically with ``keys``, one a line, readable by the owner only."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write("\n".join(keys) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _create_key_file(path):
    """Create the key file with one new key unless it exists; creation is atomic, so workers agree."""
    # Written in full under a private name, then linked into place: link() fails if the file
    # exists, so two workers starting together end up with the same key, never a half-written one.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(new_key() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()


ENCRYPTED_VALUE = f"substr(value, 1, {len(PREFIX)}) = '{PREFIX}'"


def _first(db, sql, condition):
    """Return the first row of an encrypted column's ``sql`` that meets ``condition``, or None."""
    return next(db.query(f"select row_id, value from ({sql}) where {condition} limit 1"), None)  # noqa: S608


def _holds_encrypted_data(db):
    return any(_first(db, sql, ENCRYPTED_VALUE) for _t, _c, sql in _selects())


def _check_and_upgrade(db, ring):
    """Refuse keys that do not open the stored data; encrypt plain values left from before encryption."""
    multi = ring.fernet()
    for table, column, sql in _selects():
        sample = _first(db, sql, ENCRYPTED_VALUE)
        if sample is None:
            continue
        try:
            multi.decrypt(sample["value"][len(PREFIX) :].encode("ascii"))
        except InvalidToken:
            raise CryptoError(
                f"the encryption keys do not open the data in {table}.{column}: restore the key file "
                "(or SCREENING_ENCRYPTION_KEY) that belongs with this database"
            ) from None
    plain = [(table, column, sql) for table, column, sql in _selects() if _first(db, sql, f"not {ENCRYPTED_VALUE}")]
    if not plain:
        return
    # Several workers may start at once: each update re-checks that the value is still plain.
    with write_transaction(db):
        for table, column, sql in plain:
            for row in list(db.query(f"select row_id, value from ({sql}) where not {ENCRYPTED_VALUE}")):  # noqa: S608
                token = multi.encrypt(row["value"].encode("utf-8")).decode("ascii")
                db.execute(
                    f"update {table} set {column} = ? where rowid = ? and {column} = ?",  # noqa: S608
                    [PREFIX + token, row["row_id"], row["value"]],
                )


def load_keyring(app):
    """Return the app's keyring: from the configuration, or the key file (created if it may be)."""
    configured = app.config.get("SCREENING_ENCRYPTION_KEY")
    if configured:
        return Keyring(parse_keys(configured))
    path = app.config["SCREENING_DATA_DIR"] / KEY_FILE
    if not path.exists():
        db = connect(app.config["SCREENING_DATABASE"])
        try:
            if _holds_encrypted_data(db):
                raise CryptoError(
                    f"the database holds encrypted data but {path} is missing: restore the key file from "
                    "your backup (or set SCREENING_ENCRYPTION_KEY); a new key would not open the data"
                )
        finally:
            db.close()
        _create_key_file(path)
    if path.stat().st_mode & 0o077:
        log.warning("%s can be read by other users of this machine; run: chmod 600 %s", path, path)
    return Keyring(parse_keys(path.read_text()), path)


def init_app(app):
    """Load the keys into ``app.extensions``, check they open the stored data, encrypt leftovers."""
    global _fallback
    ring = load_keyring(app)
    db = connect(app.config["SCREENING_DATABASE"])
    try:
        _check_and_upgrade(db, ring)
    finally:
        db.close()
    app.extensions[EXTENSION] = ring
    _fallback = ring


def keyring():
    """Return the keys in use (for the rotate-key command)."""
    return _keyring()
