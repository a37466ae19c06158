"""The encryption keys: where they live, how they are read, written and replaced.

Where the keys live. ``SCREENING_ENCRYPTION_KEY`` holds one or more Fernet keys
separated by commas; if it is unset, the file ``encryption.key`` in the data
folder holds one key per line. Either way the first key encrypts and every key
is tried to decrypt. The file is created at first start with mode 0600; it is
never created when the database already holds encrypted data (a lost key must
stop the app, not quietly start a second key). At start-up the keys must open
the data already stored, and any plain value left from before encryption is
encrypted.
"""

import contextlib
import logging
import os
import secrets
import threading

from cryptography.fernet import Fernet, MultiFernet

KEY_FILE = "encryption.key"
KEY_FILE_MODE = 0o600
log = logging.getLogger(__name__)


class CryptoError(RuntimeError):
    """The keys are missing, malformed, or do not fit the database."""


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


def multi(keys):
    """Return a MultiFernet over ``keys``, the first one encrypting."""
    return MultiFernet([Fernet(k) for k in keys])


def file_stamp(path):
    """Return what tells a file apart from its earlier versions (inode, time, size), or None when it is gone."""
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
        self._set(keys, file_stamp(path) if path else None)

    def _set(self, keys, stamp):
        self._state = (tuple(keys), multi(keys), stamp)

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
            self._set(keys, file_stamp(self.path) if self.path else None)

    def _current(self):
        state = self._state
        if self.path is None:
            return state
        stamp = file_stamp(self.path)
        if stamp is None or stamp == state[2]:
            return state
        with self._lock:
            try:
                self._set(parse_keys(self.path.read_text()), stamp)
            except (OSError, CryptoError):
                log.exception("the key file changed but cannot be read; keeping the keys in use")
            return self._state


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


def create_key_file(path):
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
