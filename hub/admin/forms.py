"""Admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf

from hub.auth.models import Role
from hub.forms import HubForm
from hub.submissions.formfields import options  # (value, label) as this WTForms wants

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
