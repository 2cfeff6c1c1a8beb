"""Admin forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, ValidationError

from hub.auth.models import Role
from hub.forms import HubForm
from hub.submissions.formfields import options  # (value, label) as this WTForms wants
from hub.submissions.reasons import LABEL_MAX, TEXT_MAX, USE_LABELS, ReasonUse

ROLE_LABELS = {
    Role.SUBMITTER: _l("Submitter"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Administrator"),
}


class RoleForm(HubForm):
    """Grant or revoke the moderator and admin roles."""

    role = SelectField(
        _l("Role"),
        choices=options((role.value, label) for role, label in ROLE_LABELS.items()),
        # No InputRequired: it would add `required`, which a select whose first option is
        # a real choice must not have (HTML); an unknown or missing value is not a choice.
        description=_l(
            "Moderators review submissions; administrators also manage accounts and read "
            "the audit trail."
        ),
    )


class ActiveForm(HubForm):
    """Deactivate or reactivate an account."""

    action = HiddenField(validators=[AnyOf(["deactivate", "reactivate"])])


class ReasonForm(HubForm):
    """A standard reason: the label moderators pick it by, its text, what it is for."""

    label = StringField(
        _l("Label"),
        validators=[
            DataRequired(message=_l("Give the reason a short label.")),
            Length(max=LABEL_MAX),
        ],
        description=_l("What moderators see in the list, e.g. “Outside the call’s scope”."),
    )
    text = TextAreaField(
        _l("Text"),
        validators=[
            DataRequired(message=_l("Write the text inserted in the moderator’s message.")),
            Length(max=TEXT_MAX),
        ],
        description=_l(
            "Inserted in the moderator’s message to the submitter, who reads it by e-mail; "
            "the moderator can still change it."
        ),
    )
    use = SelectField(
        _l("Offered for"),
        choices=options((use.value, _l(label)) for use, label in USE_LABELS.items()),
    )

    def validate_use(self, field: Any) -> None:
        """Only the listed uses (a forged value is refused, not stored)."""
        if field.data not in {use.value for use in ReasonUse}:
            raise ValidationError(_l("Choose what the reason is offered for."))


class RetireForm(HubForm):
    """Retire a standard reason or bring it back."""

    action = HiddenField(validators=[AnyOf(["retire", "restore"])])
