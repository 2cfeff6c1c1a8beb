"""Moderation forms."""

from __future__ import annotations

from wtforms import (
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from hub.forms import HubForm
from hub.routing import MAX_ID

try:  # WTForms >= 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms takes the tuples themselves
    SelectChoice = None

MESSAGE_MAX = 4000


def _choices(*pairs: tuple[str, str]) -> list:
    """Select options in the form the installed WTForms expects (no deprecation warning)."""
    return [SelectChoice(value, label) for value, label in pairs] if SelectChoice else list(pairs)


class DecisionForm(HubForm):
    """Approve, reject, request changes or mark as duplicate."""

    action = SelectField("Decision", choices=_choices(
        ("approve", "Approve and publish"),
        ("request_changes", "Request changes"),
        ("reject", "Reject"),
        ("duplicate", "Mark as duplicate"),
    ))
    message = TextAreaField(
        "Message to the submitter", validators=[Length(max=MESSAGE_MAX)],
        description="Required to reject or request changes; sent by e-mail.")
    duplicate_of = IntegerField("Duplicate of submission number", validators=[
        Optional(), NumberRange(min=1, max=MAX_ID, message="Enter the number of the original "
                                "submission (a whole number of at least 1).")])
    version = HiddenField()


class BulkForm(HubForm):
    """Approve or reject several submissions at once."""

    action = SelectField("With the selected", choices=_choices(("approve", "Approve"),
                                                               ("reject", "Reject")))
    message = TextAreaField("Reason (required to reject)", validators=[Length(max=MESSAGE_MAX)])


class RevisionForm(HubForm):
    """Approve or reject a pending revision."""

    action = SelectField("Decision", choices=_choices(
        ("approve", "Publish this update"), ("reject", "Keep the current public version")))
    message = TextAreaField("Message to the submitter", validators=[Length(max=MESSAGE_MAX)])
    seen = HiddenField()  # the revision_stamp() of the text shown


class ExceptionForm(HubForm):
    """Let one account submit late."""

    email = EmailField("Account e-mail", validators=[InputRequired(), Length(max=254),
                                                     Email(message="Enter a valid e-mail.")])
    until = DateTimeLocalField("Allowed until (Geneva time)", format="%Y-%m-%dT%H:%M",
                               validators=[InputRequired(message="Enter a date and time.")])
    reason = StringField("Reason", validators=[Length(max=1000)])
