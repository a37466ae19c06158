"""Case references: random and unguessable, easy to read aloud and to type from paper."""

import secrets

# No 0/O, 1/I/L: a reference is read aloud over a phone and typed from paper.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_GROUPS = 3
REFERENCE_GROUP_LENGTH = 4


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
