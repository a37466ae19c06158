"""Forms for accounts: logging in, creating the first administrator, changing a password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

from .auth import MIN_PASSWORD_LENGTH

USERNAME_PATTERN = r"^[A-Za-z0-9._-]{3,40}$"
PASSWORD_MAX = 200


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(message=_l("Enter a password")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=PASSWORD_MAX,
                message=_l("Use at least %(min)d characters", min=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same"))],
    )
    return password, confirm


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[InputRequired(message=_l("Enter your username"))])
    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("Enter your password"))])


class SetupForm(FlaskForm):
    """The first administrator's account."""

    username = StringField(
        _l("Username"),
        validators=[
            InputRequired(message=_l("Enter a username")),
            Regexp(
                USERNAME_PATTERN,
                message=_l("Use 3 to 40 letters, digits, dots, dashes or underscores"),
            ),
        ],
    )
    password, confirm = _new_password_fields()


class PasswordForm(FlaskForm):
    """A new password, replacing a one-time one."""

    current = PasswordField(
        _l("Current password"), validators=[InputRequired(message=_l("Enter your current password"))]
    )
    password, confirm = _new_password_fields()
