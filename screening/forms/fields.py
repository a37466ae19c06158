"""What every form shares: how typed text is cleaned and checked, its length limits, choices from (value, label) pairs.

Text typed into any form goes through ``strip`` and ``plain_text`` (the one rule
for invisible and direction-changing characters, protection/text.py), Burmese
through ``unicode_burmese``, and every field has a length limit from
``TEXT_LIMITS``. Templates read a field's limit from the field itself
(``field.flags.maxlength``), never from a number of their own.
"""

from wtforms import SelectChoice
from wtforms.validators import Length, ValidationError

from screening.i18n import zawgyi
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection.text import has_hidden_characters

# The longest text each kind of field takes, in characters, and why.
TEXT_LIMITS = {
    "username": (40, "Account names: short, typed on a phone."),
    "name": (100, "A person's, an officer's or an organisation's name as printed on a referral."),
    "post": (100, "The post or location of a screening."),
    "contact": (200, "Phone numbers and addresses to reach the person or the officer."),
    "reason": (500, "A written reason: a referral without consent, a declined referral, the officer's concern."),
    "note": (1000, "A caseworker's note."),
}


def limit(kind):
    """Return the length limit of a kind of field (a key of TEXT_LIMITS)."""
    return TEXT_LIMITS[kind][0]


def strip(value):
    """Trim spaces around typed text, so that spaces alone count as nothing typed."""
    return value.strip() if isinstance(value, str) else value


def at_most(maximum):
    """Return a length limit with its translated message."""
    return Length(max=maximum, message=_l("Use at most %(max)d characters", max=maximum))


def plain_text(form, field):
    """Refuse invisible control characters and text-direction overrides in typed text."""
    if isinstance(field.data, str) and has_hidden_characters(field.data):
        raise ValidationError(_l("Remove the invisible control characters from this text"))


def unicode_burmese(form, field):
    """Refuse Burmese typed in the Zawgyi encoding; offer the Unicode conversion to check and save.

    Phones set up for Zawgyi produce text that looks like Burmese but is not
    Unicode: stored, it would be unreadable and unsearchable elsewhere.
    """
    converted = zawgyi.to_unicode(field.data or "")
    if converted is not None:
        field.data = converted
        raise ValidationError(
            _l(
                "This Burmese text was typed in the old Zawgyi encoding. "
                "It is converted to Unicode below: check it and save again."
            )
        )


def typed_text(kind):
    """Return the validators of a field of typed text of one kind: no hidden characters, Unicode Burmese, a limit."""
    return [plain_text, unicode_burmese, at_most(limit(kind))]


def options(pairs):
    """Return WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
