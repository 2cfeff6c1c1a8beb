"""Moderation forms.

No decision is ever taken by default: each is a button of its own, and a form posted
without one (a script, Enter in a field) is refused with a message next to the buttons.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from wtforms import (
    DateTimeLocalField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    StopValidation,
    ValidationError,
)

from hub.clock import clock
from hub.forms import HubForm
from hub.routing import MAX_ID, parse_id

MESSAGE_MAX = 4000

# The buttons of each form: value -> label.
DECISION_BUTTONS = {
    "approve": "Approve and publish",
    "request_changes": "Request changes",
    "reject": "Reject",
}
REVISION_BUTTONS = {"approve": "Publish this update", "reject": "Keep the current public version"}
BULK_BUTTONS = {"approve": "Approve selected", "reject": "Reject selected"}
SELECT_ALL = "select_all"  # the bulk form's no-script "select all on this page" button


def _one_of(choices: dict[str, str]) -> Any:
    """A validator for a field set by pressing one of `choices`' buttons."""
    names = " / ".join(choices.values())

    def check(_form: Any, field: Any) -> None:
        if not field.data:
            raise StopValidation(f"Nothing was decided: press one of the buttons ({names}).")
        if field.data not in choices:
            raise StopValidation(f"Not a valid choice: press one of the buttons ({names}).")

    return check


class DecisionForm(HubForm):
    """Approve, request changes or reject, each with its own button; one message for all."""

    action = StringField("Decision", validators=[_one_of(DECISION_BUTTONS)])
    message = TextAreaField(
        "Message to the submitter",
        validators=[Length(max=MESSAGE_MAX)],
        description="Sent by e-mail with your decision and kept in the history. Required to "
        "reject or to request changes; optional when approving.",
    )
    version = HiddenField()

    def validate_message(self, field: Any) -> None:
        """A rejection needs a reason, a request for changes says what should change."""
        if (field.data or "").strip():
            return
        if self.action.data == "reject":
            raise ValidationError("Give a reason: it is sent to the submitter.")
        if self.action.data == "request_changes":
            raise ValidationError("Write what should change: the message goes to the submitter.")


class DuplicateForm(HubForm):
    """Reject as a duplicate of another submission (a small form of its own)."""

    duplicate_of = IntegerField(
        "Number of the original submission",
        validators=[
            InputRequired(message="Enter the number of the original submission."),
            NumberRange(
                min=1,
                max=MAX_ID,
                message="Enter the number of the original "
                "submission (a whole number of at least 1).",
            ),
        ],
        description="Rejects this submission and tells the submitter which one it "
        "duplicates (named only if it is public).",
    )
    version = HiddenField()


class IdListField(Field):
    """The ticked checkboxes: ids that can name a row, each once (anything else is dropped)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Keep the valid ids in the order they came."""
        self.data = list(dict.fromkeys(i for i in map(parse_id, valuelist) if i is not None))

    def _value(self) -> str:
        return ""


class BulkForm(HubForm):
    """Approve or reject the submissions ticked in the queue."""

    action = StringField(
        "Decision", validators=[_one_of({**BULK_BUTTONS, SELECT_ALL: "Select all on this page"})]
    )
    ids = IdListField("Selected submissions", default=list)
    message = TextAreaField(
        "Reason (required to reject; sent to each submitter)", validators=[Length(max=MESSAGE_MAX)]
    )

    def validate_ids(self, field: Any) -> None:
        """A decision needs something to apply to."""
        if self.action.data in BULK_BUTTONS and not field.data:
            raise ValidationError("Select at least one submission: tick its box in the list.")

    def validate_message(self, field: Any) -> None:
        """A rejection needs a reason."""
        if self.action.data == "reject" and not (field.data or "").strip():
            raise ValidationError("Give a reason to reject: it is sent to each submitter.")


class RevisionForm(HubForm):
    """Publish or refuse a pending revision, each with its own button."""

    action = StringField("Decision on the update", validators=[_one_of(REVISION_BUTTONS)])
    message = TextAreaField(
        "Message to the submitter about the update",
        validators=[Length(max=MESSAGE_MAX)],
        description="Required to keep the current version; optional when publishing.",
    )
    seen = HiddenField()  # the revision_stamp() of the text shown

    def validate_message(self, field: Any) -> None:
        """Refusing an update needs a reason."""
        if self.action.data == "reject" and not (field.data or "").strip():
            raise ValidationError("Give a reason: it is sent to the submitter.")


class ExceptionForm(HubForm):
    """Let one account submit late."""

    email = EmailField(
        "Account e-mail",
        validators=[InputRequired(), Length(max=254), Email(message="Enter a valid e-mail.")],
    )
    until = DateTimeLocalField(
        "Allowed until (Geneva time)",
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message="Enter a date and time.")],
    )
    reason = StringField("Reason", validators=[Length(max=1000)])

    def validate_until(self, field: Any) -> None:
        """Refuse a wall-clock time that Geneva skips (the spring-forward hour)."""
        if field.data is None:
            return
        zone = clock().zone
        try:
            back = field.data.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
        except OverflowError:  # 0001-01-01 00:00 in Geneva is in the year 0 in UTC
            raise ValidationError("Choose an instant in the future.") from None
        if back.replace(tzinfo=None) != field.data:
            raise ValidationError(
                f"{field.data:%H:%M} does not exist in Geneva time on that day: the clocks "
                "go forward an hour that night. Choose a time an hour later."
            )
