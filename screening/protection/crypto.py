"""Encryption at rest of the fields that identify a person, with keys kept outside the database.

A copy of ``screening.db`` alone must reveal no identity. Every column of the
registry of identifying data (identifying.py) holds Fernet tokens (AES-128-CBC
with an HMAC-SHA256 tag: a token cannot be read, nor changed unnoticed, without
the key), stored as ``enc1:`` + token. Everything else (answers by choice, indicators, the assessment, the
outcome) stays plain so that it can be counted and queried.

The keys and their file are in keys.py. At start-up the keys must open the data
already stored, and any plain value left from before encryption is encrypted.

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

import logging

from cryptography.fernet import InvalidToken
from flask import current_app, has_app_context

from screening.db.connection import connect, write_transaction
from screening.protection import audit, identifying
from screening.protection.keys import (
    KEY_FILE,
    CryptoError,
    Keyring,
    create_key_file,
    multi,
    parse_keys,
    write_key_file,
)

PREFIX = "enc1:"
EXTENSION = "screening_crypto"
log = logging.getLogger(__name__)


class UndecryptableError(CryptoError):
    """A stored value that none of the keys opens."""


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


def _reencrypt(db, fernet):
    """Re-encrypt (or encrypt, if still plain) every value under ``fernet``'s first key; return how many."""
    count = 0
    for table, column, sql in _selects():
        for row in list(db.query(sql)):
            value = row["value"]
            if value.startswith(PREFIX):
                try:
                    token = fernet.rotate(value[len(PREFIX) :].encode("ascii"))
                except InvalidToken:
                    raise UndecryptableError(f"a value in {table}.{column} opens with none of the keys") from None
            else:
                token = fernet.encrypt(value.encode("utf-8"))
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
    fernet = multi(keys)
    db.execute("PRAGMA secure_delete = ON")  # old tokens are overwritten, not left in free space
    with write_transaction(db):
        count = _reencrypt(db, fernet)
        audit.record(db, "key_rotate", actor, detail={"values": count})
    ring.use(keys)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return count


ENCRYPTED_VALUE = f"substr(value, 1, {len(PREFIX)}) = '{PREFIX}'"


def _first(db, sql, condition):
    """Return the first row of an encrypted column's ``sql`` that meets ``condition``, or None."""
    return next(db.query(f"select row_id, value from ({sql}) where {condition} limit 1"), None)  # noqa: S608


def _holds_encrypted_data(db):
    return any(_first(db, sql, ENCRYPTED_VALUE) for _t, _c, sql in _selects())


def _check_and_upgrade(db, ring):
    """Refuse keys that do not open the stored data; encrypt plain values left from before encryption."""
    fernet = ring.fernet()
    for table, column, sql in _selects():
        sample = _first(db, sql, ENCRYPTED_VALUE)
        if sample is None:
            continue
        try:
            fernet.decrypt(sample["value"][len(PREFIX) :].encode("ascii"))
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
                token = fernet.encrypt(row["value"].encode("utf-8")).decode("ascii")
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
        create_key_file(path)
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
