"""Forms for the directory of services: one organisation, and the CSV file to import.

WTForms' built-in messages are not in our catalogs, so every validator here
carries its own translatable message.
"""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional, Regexp, ValidationError

from screening.forms.fields import at_most, options, plain_text, strip, unicode_burmese
from screening.i18n.languages import LANGUAGE_NAMES
from screening.i18n.lazy import lazy_gettext as _l
from screening.referral.directory import EMAIL_PATTERN, KINDS, MAX_LENGTHS, name_key, parse_languages
from screening.referral.directory_csv import MAX_IMPORT_BYTES

BYTES_PER_KB = 1024


def _at_most(field):
    """Return a length check for a field, with its limit from the directory's table."""
    return at_most(MAX_LENGTHS[field])


def _text(label, field, required=None, area=False):
    """Return a field of free text: trimmed, checked for Zawgyi and length, required if a message is given."""
    first = DataRequired(message=required) if required else Optional()
    kind = TextAreaField if area else StringField
    return kind(label, filters=[strip], validators=[first, plain_text, unicode_burmese, _at_most(field)])


class OrganisationForm(FlaskForm):
    """One receiving organisation, as the administrator types it."""

    name = _text(_l("Name of the organisation"), "name", required=_l("Enter the name of the organisation"))
    kind = RadioField(
        _l("Kind of service"),
        choices=options(KINDS.items()),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose the kind of service")),
            AnyOf(list(KINDS), message=_l("Choose one of the kinds shown")),
        ],
    )
    area = _text(_l("Area served"), "area")
    languages = StringField(
        _l("Languages spoken"),
        filters=[strip],
        validators=[Optional(), plain_text, _at_most("languages")],
    )
    phone = _text(_l("Phone"), "phone")
    email = StringField(
        _l("Email"),
        filters=[strip],
        validators=[
            Optional(),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address such as name@example.org")),
            plain_text,
            _at_most("email"),
        ],
    )
    address = _text(_l("Address"), "address", area=True)
    contact_person = _text(_l("Contact person"), "contact_person")
    print_lang = SelectField(
        _l("Language to print referrals in"),
        choices=options([("", _l("Choose a language")), *LANGUAGE_NAMES.items()]),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose the language to print referrals in")),
            AnyOf(list(LANGUAGE_NAMES), message=_l("Choose the language to print referrals in")),
        ],
    )
    notes = _text(_l("Notes"), "notes", area=True)
    active = BooleanField(_l("Active: offer this organisation for referrals"), default=True)

    def __init__(self, *args, names_in_use=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.names_in_use = names_in_use

    def validate_name(self, field):
        """Refuse a name another organisation has, whatever its case."""
        if name_key(field.data) in self.names_in_use:
            raise ValidationError(_l("Another organisation has this name. Choose a different name."))

    def validate_languages(self, field):
        """Accept only language codes the app knows."""
        unknown = parse_languages(field.data or "")[1]
        if unknown:
            # Formatted now, not lazily: the code was typed by someone (i18n/lazy.py).
            raise ValidationError(
                _(
                    "'%(code)s' is not a language code this app knows. Use codes from the list, such as th,km,en",
                    code=unknown[0],
                )
            )


class ImportForm(FlaskForm):
    """The CSV file to import into the directory."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(message=_l("Choose a CSV file to import")),
            FileSize(
                MAX_IMPORT_BYTES,
                message=_l("The file must be smaller than %(size)d kB", size=MAX_IMPORT_BYTES // BYTES_PER_KB),
            ),
        ],
    )
