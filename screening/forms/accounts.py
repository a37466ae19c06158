"""Forms for accounts: logging in, the first administrator, passwords, and accounts an administrator keeps."""

from flask import g
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.validators import AnyOf, EqualTo, InputRequired, Optional, Regexp, ValidationError

from screening.access import ROLE_NAMES, ROLES
from screening.accounts import passwords
from screening.forms.fields import at_most, limit, options, plain_text, strip
from screening.i18n.lazy import lazy_gettext as _l

USERNAME_PATTERN = rf"^[A-Za-z0-9._-]{{3,{limit('username')}}}$"


def strong_password(form, field):
    """Refuse a short or common password, or one that contains the username."""
    username = form.username.data if hasattr(form, "username") else (g.user or {}).get("username", "")
    found = passwords.problem(field.data or "", username or "")
    if found:
        raise ValidationError(found)


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(message=_l("Enter a password")), strong_password],
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same"))],
    )
    return password, confirm


def _username_field():
    return StringField(
        _l("Username"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter a username")),
            Regexp(USERNAME_PATTERN, message=_l("Use 3 to 40 letters, digits, dots, dashes or underscores")),
        ],
    )


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(
        _l("Username"),
        validators=[InputRequired(message=_l("Enter your username")), at_most(limit("username")), plain_text],
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("Enter your password"))])


class ReauthForm(FlaskForm):
    """The password again, before printing, exporting or erasing."""

    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("Enter your password"))])


class SetupForm(FlaskForm):
    """The first administrator's account."""

    username = _username_field()
    password, confirm = _new_password_fields()


class PasswordForm(FlaskForm):
    """A new password, replacing the current one."""

    current = PasswordField(
        _l("Current password"), validators=[InputRequired(message=_l("Enter your current password"))]
    )
    password, confirm = _new_password_fields()


class AccountForm(FlaskForm):
    """An account as an administrator creates or changes it."""

    username = _username_field()
    role = RadioField(
        _l("Role"),
        choices=options(ROLE_NAMES.items()),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a role")), AnyOf(ROLES, message=_l("Choose a role"))],
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[strip],
        validators=[Optional(), at_most(limit("name")), plain_text],
    )
    full_name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[Optional(), at_most(limit("name")), plain_text],
    )
    active = BooleanField(_l("The account may log in"), default=True)
