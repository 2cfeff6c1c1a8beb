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

MESSAGE_MAX = 4000


class DecisionForm(HubForm):
    """Approve, reject, request changes or mark as duplicate."""

    action = SelectField("Decision", choices=[
        ("approve", "Approve and publish"),
        ("request_changes", "Request changes"),
        ("reject", "Reject"),
        ("duplicate", "Mark as duplicate"),
    ])
    message = TextAreaField(
        "Message to the submitter", validators=[Length(max=MESSAGE_MAX)],
        description="Required to reject or request changes; sent by e-mail.")
    duplicate_of = IntegerField("Duplicate of submission number",
                                validators=[Optional(), NumberRange(min=1)])
    version = HiddenField()


class BulkForm(HubForm):
    """Approve or reject several submissions at once."""

    action = SelectField("With the selected", choices=[("approve", "Approve"),
                                                       ("reject", "Reject")])
    message = TextAreaField("Reason (required to reject)", validators=[Length(max=MESSAGE_MAX)])


class RevisionForm(HubForm):
    """Approve or reject a pending revision."""

    action = SelectField("Decision", choices=[("approve", "Publish this update"),
                                              ("reject", "Keep the current public version")])
    message = TextAreaField("Message to the submitter", validators=[Length(max=MESSAGE_MAX)])


class ExceptionForm(HubForm):
    """Let one account submit late."""

    email = EmailField("Account e-mail", validators=[InputRequired(), Length(max=254),
                                                     Email(message="Enter a valid e-mail.")])
    until = DateTimeLocalField("Allowed until (Geneva time)", format="%Y-%m-%dT%H:%M",
                               validators=[InputRequired(message="Enter a date and time.")])
    reason = StringField("Reason", validators=[Length(max=1000)])
