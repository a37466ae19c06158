"""Forms for referrals: the person's details, the referral itself, the officer's own details."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Optional, ValidationError

from screening.forms.fields import at_most, limit, options, plain_text, strip, typed_text
from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument.vocabulary import SERVICES
from screening.referral.referrals import ITEMS, PRIORITIES

OLDEST_BIRTH_YEAR = 1900


class PersonForm(FlaskForm):
    """The person's identifying details, asked only when a referral needs them."""

    name = StringField(_l("Name"), filters=[strip], validators=[Optional(), *typed_text("name")])
    contact = StringField(
        _l("Contact details"),
        filters=[strip],
        validators=[Optional(), *typed_text("contact")],
    )
    date_of_birth = StringField(_l("Date of birth"), filters=[strip], validators=[Optional(), plain_text])

    def validate_date_of_birth(self, field):
        """Accept a real date in the past, written as on the date picker (YYYY-MM-DD)."""
        try:
            born = date.fromisoformat(field.data)
        except ValueError as exc:
            raise ValidationError(_l("Enter the date as year-month-day, such as 2001-04-30")) from exc
        if not born.year >= OLDEST_BIRTH_YEAR or born > date.today():
            raise ValidationError(_l("Enter a date of birth in the past"))


class ReferForm(FlaskForm):
    """One referral: to whom, how urgently, on what consent, with which data."""

    organisation = RadioField(
        _l("Refer to"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose an organisation"))],
    )
    priority = RadioField(
        _l("Priority"),
        choices=options(PRIORITIES.items()),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose a priority")),
            AnyOf(list(PRIORITIES), message=_l("Choose a priority")),
        ],
    )
    consent = RadioField(
        _l("Does the person agree to be referred to this organisation?"),
        choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Record whether the person agrees")),
            AnyOf(("yes", "no"), message=_l("Record whether the person agrees")),
        ],
    )
    items = SelectMultipleField(
        _l("What may this organisation receive?"), choices=options(ITEMS.items()), validate_choice=False
    )
    services = SelectMultipleField(_l("Services requested"), choices=options(SERVICES.items()), validate_choice=False)
    reason = TextAreaField(
        _l("Your reason, if the person did not agree"),
        filters=[strip],
        validators=[Optional(), *typed_text("reason")],
    )

    def validate_organisation(self, field):
        """Accept only an active organisation of the directory."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose an organisation"))

    def validate_items(self, field):
        """Accept only the items the form offers."""
        if any(item not in ITEMS for item in field.data or []):
            raise ValidationError(_l("Choose from the items shown"))

    def validate_services(self, field):
        """Accept only known kinds of service."""
        if any(service not in SERVICES for service in field.data or []):
            raise ValidationError(_l("Choose from the services shown"))


class OfficerForm(FlaskForm):
    """How the officer is named on referrals."""

    full_name = StringField(
        _l("Your name as printed on referrals"), filters=[strip], validators=[Optional(), *typed_text("name")]
    )
    agency = StringField(_l("Agency or organisation"), filters=[strip], validators=[Optional(), *typed_text("name")])
    phone = StringField(_l("Phone"), filters=[strip], validators=[Optional(), at_most(limit("contact")), plain_text])
