"""Passwords: the rules for a new one, and how they are stored and compared.

Rules: long enough, not a common password, not the username. The list of common
passwords is the 30,000 most frequent ones that zxcvbn ships (from leaked
password dumps); a common password with a few digits or symbols added is still
common. Storage: scrypt (memory-hard) through Werkzeug. A password is never
compared alone: throttle.py is the one path that checks one, and counts failures.
"""

import re
import secrets
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from screening.i18n.lazy import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 200
# scrypt is memory-hard; the tests swap in a cheap method to stay fast.
PASSWORD_METHOD = "scrypt"  # noqa: S105 - a hashing method, not a password
ONE_TIME_PASSWORD_BYTES = 12
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")


@lru_cache(maxsize=1)
def common_passwords():
    """Return the set of common passwords, lower case."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def problem(password, username=""):
    """Return why a new password is refused (a translatable sentence), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(min)d characters", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(max)d characters", max=MAX_LENGTH)
    lowered = password.casefold()
    core = _DECORATION.sub("", lowered)
    if lowered in common_passwords() or core in common_passwords() or len(set(lowered)) < 4:
        return _l("This password is too common: choose a few unrelated words instead")
    if username and username.casefold() in lowered:
        return _l("The password must not contain the username")
    return None


def hashed(password):
    """Return the stored form of a password."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


# A hash to compare against when the username does not exist, so that a wrong
# username takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


def matches(stored, password):
    """Return whether ``password`` matches a stored hash (None: no account, compared all the same)."""
    return check_password_hash(stored or _DUMMY_HASH, password) and stored is not None


def one_time():
    """Return a random one-time password, to be changed at the first login."""
    return secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
