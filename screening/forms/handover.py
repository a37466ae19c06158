"""Forms of the hand-over: the officer's code when handing the phone over, and the code to take it back."""

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length, Regexp

from screening.cases.handover import CODE_MAX, CODE_MIN, CODE_SHAPE
from screening.i18n.lazy import lazy_gettext as _l

# The code is digits, typed on the phone's number pad; the password may be anything up to its own limit.
_CODE_MESSAGE = _l("Choose a code of %(min)d to %(max)d digits", min=CODE_MIN, max=CODE_MAX)
PASSWORD_MAX = 200


class HandOverForm(FlaskForm):
    """The short code the officer chooses before handing the phone over."""

    code = PasswordField(
        _l("A code to take the phone back"),
        validators=[
            InputRequired(message=_CODE_MESSAGE),
            Regexp(CODE_SHAPE.pattern + "$", message=_CODE_MESSAGE),
        ],
    )


class GiveBackForm(FlaskForm):
    """The officer's code (or password) that ends the hand-over."""

    # Its page words every message in the officer's language itself (views/handover.py).
    code = PasswordField(validators=[InputRequired(), Length(max=PASSWORD_MAX)])
