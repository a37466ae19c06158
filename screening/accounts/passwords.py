"""Password rules: long enough, not a common password, not the username.

The list of common passwords is the 30,000 most frequent ones that zxcvbn
ships (from leaked password dumps). A common password with a few digits or
symbols added is still common.
"""

import re
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 200
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
