"""Account forms."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)

from hub.auth.models import EMAIL_MAX, NAME_MAX, ORGANISATION_MAX
from hub.forms import HubForm

REQUIRED = _l("This field is required.")  # the error summary names such fields together


def check_password_rules(_form: object, field: PasswordField) -> None:
    """Enforce HUB_MIN_PASSWORD_LENGTH (registration, reset and change alike)."""
    minimum = int(current_app.config["HUB_MIN_PASSWORD_LENGTH"])
    if len(field.data or "") < minimum:
        raise ValidationError(_("Use at least %(num)d characters.", num=minimum))


class RegisterForm(HubForm):
    """Create an account."""

    email = EmailField(
        _l("E-mail"),
        validators=[
            InputRequired(message=REQUIRED),
            Length(max=EMAIL_MAX),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )
    # DataRequired, not InputRequired: a name of only blanks is cleaned to "" before this runs.
    display_name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=REQUIRED), Length(max=NAME_MAX)],
    )
    organisation = StringField(
        _l("Organisation"),
        validators=[Length(max=ORGANISATION_MAX)],
        description=_l("Optional. The organisation you represent."),
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=REQUIRED), Length(max=1000), check_password_rules],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            InputRequired(message=REQUIRED),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class LoginForm(HubForm):
    """Log in."""

    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(message=REQUIRED), Length(max=EMAIL_MAX)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=REQUIRED), Length(max=1000)],
    )
    next = HiddenField()


class CodeForm(HubForm):
    """A code of the authenticator app (or, where allowed, a recovery code)."""

    code = StringField(
        _l("Code"),
        validators=[InputRequired(message=REQUIRED), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"},
    )


class DisableTwoFactorForm(HubForm):
    """Turn two-factor authentication off: the password and a code."""

    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=REQUIRED), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code"),
        validators=[InputRequired(message=REQUIRED), Length(max=40)],
        description=_l("A code of your authenticator app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"},
    )
