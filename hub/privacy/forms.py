"""The form that deletes an account: one choice per submission that stays, then the password."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField
from wtforms.validators import AnyOf, InputRequired, Length

from hub.forms import HubForm
from hub.privacy.deletion import OFFERED, Choice, hand_over_value, heirs
from hub.submissions.formfields import options
from hub.submissions.models import Submission

CHOICE_LABELS = {
    Choice.WITHDRAW: _l("Withdraw it: it leaves the public hub and the moderators' queue."),
    Choice.KEEP: _l(
        "Keep it without my personal data: it stays as it is, with the lead organisation as "
        "its public contact instead of my name, and without my private e-mail."
    ),
}
CHOOSE_ONE = _l("Choose what happens to this submission.")


def choices_for(submission: Submission) -> list[tuple[str, str]]:
    """(value, label) of what can become of one submission: withdraw, keep, or hand it over
    to one of its co-editors who can still log in."""
    pairs = [(c.value, str(CHOICE_LABELS[c])) for c in OFFERED]
    for heir in heirs(submission):
        name = f"{heir.display_name} ({heir.email})"
        label = _l(
            "Hand it over to %(name)s: they become its owner and keep working on it.",
            name=name,
        )
        pairs.append((hand_over_value(heir), str(label)))
    return pairs


class DeleteAccountForm(HubForm):
    """Delete my account (the choices are added per submission by deletion_form)."""

    password = PasswordField(
        _l("Your current password"),
        validators=[InputRequired(message=_l("This field is required.")), Length(max=1000)],
        description=_l("To be sure it is you: deleting cannot be undone."),
    )


def choice_name(submission: Submission) -> str:
    """The form field that holds the choice for one submission."""
    return f"choice_{submission.id}"


def deletion_form(submissions: Sequence[Submission]) -> DeleteAccountForm:
    """The form for this account: a required choice for each submission in `submissions`
    (none preset: nothing public is withdrawn or kept without being asked)."""

    class Form(DeleteAccountForm):
        pass

    for s in submissions:
        pairs = choices_for(s)
        values = [value for value, _label in pairs]
        setattr(
            Form,
            choice_name(s),
            RadioField(
                s.title or f"#{s.id}",
                choices=options(pairs),
                validate_choice=False,
                validators=[InputRequired(message=CHOOSE_ONE), AnyOf(values, message=CHOOSE_ONE)],
            ),
        )
    return Form()
