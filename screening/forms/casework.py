"""Forms for casework on a case: notes, links to earlier screenings, referral follow-up, erasure."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from screening.forms.fields import options, strip, typed_text
from screening.i18n.lazy import lazy_gettext as _l
from screening.referral.followup import STATUSES


class NoteForm(FlaskForm):
    """A caseworker's note."""

    text = TextAreaField(
        _l("Add a note"),
        filters=[strip],
        validators=[DataRequired(message=_l("Write the note first")), *typed_text("note")],
    )


class LinkForm(FlaskForm):
    """The reference of an earlier screening of the same person."""

    earlier = StringField(
        _l("Reference of an earlier screening of this person"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter a case reference, such as K7QD-9XPM-3HTA"))],
    )


class FollowupForm(FlaskForm):
    """The next step of a referral's follow-up."""

    status = RadioField(
        _l("What happened?"),
        choices=options(STATUSES.items()),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose what happened"))],
    )
    reason = TextAreaField(
        _l("Reason, if the organisation declined"),
        filters=[strip],
        validators=[Optional(), *typed_text("reason")],
    )


class EraseForm(FlaskForm):
    """Confirmation that the person asked for their data to be erased."""

    confirm = BooleanField(
        _l("The person asked for their identifying data to be erased"),
        validators=[InputRequired(message=_l("Confirm that the person asked for it"))],
    )
