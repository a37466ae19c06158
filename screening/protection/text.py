"""One rule for text that comes from outside: no invisible control characters, no direction overrides.

Control characters and bidirectional overrides can hide or reorder what a reader
sees: a name that displays as something else, an audit entry that reads as
another. No field needs them, so they are refused wherever text enters (every
web form, the directory's CSV import, the login form), and wherever text from
outside is shown as it was stored (the audit trail keeps what was typed at a
failed login), they are shown visibly instead of being obeyed.
"""

import re

# C0 and C1 controls except tab, line feed and carriage return; the bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
HIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_hidden_characters(text):
    """Return whether ``text`` holds a character that would hide or reorder what is shown."""
    return bool(text) and HIDDEN_CHARACTERS.search(text) is not None


def visible(text):
    """Return ``text`` with each hidden character shown as its code point, such as [U+202E]."""
    if not text:
        return text
    return HIDDEN_CHARACTERS.sub(lambda match: f"[U+{ord(match.group(0)):04X}]", str(text))
