"""Account forms."""

from __future__ import annotations

from flask import current_app
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


class RegisterForm(HubForm):
    """Create an account."""

    email = EmailField(
        "E-mail",
        validators=[
            InputRequired(),
            Length(max=EMAIL_MAX),
            Email(message="Enter a valid e-mail address."),
        ],
    )
    # DataRequired, not InputRequired: a name of only blanks is cleaned to "" before this runs.
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=NAME_MAX)])
    organisation = StringField(
        "Organisation",
        validators=[Length(max=ORGANISATION_MAX)],
        description="Optional. The organisation you represent.",
    )
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1000)])
    confirm = PasswordField(
        "Repeat the password",
        validators=[InputRequired(), EqualTo("password", message="The two passwords differ.")],
    )

    def validate_password(self, field: PasswordField) -> None:
        """Enforce HUB_MIN_PASSWORD_LENGTH."""
        minimum = int(current_app.config["HUB_MIN_PASSWORD_LENGTH"])
        if len(field.data or "") < minimum:
            raise ValidationError(f"Use at least {minimum} characters.")


class LoginForm(HubForm):
    """Log in."""

    email = EmailField("E-mail", validators=[InputRequired(), Length(max=EMAIL_MAX)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1000)])
    next = HiddenField()
