"""Forms of a forgotten password and of the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from hub.auth.forms import REQUIRED, check_password_rules
from hub.auth.models import EMAIL_MAX, NAME_MAX, ORGANISATION_MAX
from hub.forms import HubForm
from hub.i18n import LANGUAGES, TAGS

try:  # WTForms 3.3 deprecates (value, label) tuples as choices in favour of SelectChoice.
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3 takes the tuples
    SelectChoice = None


def _language_choices() -> list[object]:
    """Each language in its own name, marked with its own `lang` for screen readers."""
    if SelectChoice is None:  # pragma: no cover
        return list(LANGUAGES.items())
    return [
        SelectChoice(code, name, render_kw={"lang": TAGS.get(code, code)})
        for code, name in LANGUAGES.items()
    ]


_EMAIL = [
    InputRequired(message=REQUIRED),
    Length(max=EMAIL_MAX),
    Email(message=_l("Enter a valid e-mail address.")),
]


class ForgotForm(HubForm):
    """Ask for a link that sets a new password."""

    email = EmailField(_l("E-mail"), validators=_EMAIL)


class NewPasswordForm(HubForm):
    """A new password, typed twice (the reset link's page)."""

    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(message=REQUIRED), Length(max=1000), check_password_rules],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(message=REQUIRED),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    """The account page: the current password, then the new one."""

    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(message=REQUIRED), Length(max=1000)]
    )


class ChangeEmailForm(HubForm):
    """The account page: a new address, confirmed by the current password."""

    new_email = EmailField(_l("New e-mail address"), validators=_EMAIL)
    email_password = PasswordField(
        _l("Current password"), validators=[InputRequired(message=REQUIRED), Length(max=1000)]
    )


class ProfileForm(HubForm):
    """The account page: name, organisation and language."""

    display_name = StringField(
        _l("Your name"), validators=[DataRequired(message=REQUIRED), Length(max=NAME_MAX)]
    )
    organisation = StringField(_l("Organisation"), validators=[Length(max=ORGANISATION_MAX)])
    language = SelectField(
        _l("Language of pages and e-mails"),
        choices=_language_choices(),
        validate_choice=True,
    )


class NotificationsForm(HubForm):
    """The account page: which optional mails to get."""

    reminders = BooleanField(_l("Reminders before the cutoff"))
    digest = BooleanField(_l("The moderators' digest of submissions waiting for review"))
