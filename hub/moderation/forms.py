"""Moderation forms.

No decision is ever taken by default: each is a button of its own, and a form posted
without one (a script, Enter in a field) is refused with a message next to the buttons.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
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
    "approve": _l("Approve and publish"),
    "request_changes": _l("Request changes"),
    "reject": _l("Reject"),
}
REVISION_BUTTONS = {
    "approve": _l("Publish this update"),
    "reject": _l("Keep the current public version"),
}
BULK_BUTTONS = {"approve": _l("Approve selected"), "reject": _l("Reject selected")}
SELECT_ALL = "select_all"  # the bulk form's no-script "select all on this page" button


def _one_of(choices: dict[str, Any]) -> Any:
    """A validator for a field set by pressing one of `choices`' buttons."""

    def check(_form: Any, field: Any) -> None:
        names = " / ".join(str(label) for label in choices.values())
        if not field.data:
            raise StopValidation(
                _("Nothing was decided: press one of the buttons (%(names)s).", names=names)
            )
        if field.data not in choices:
            raise StopValidation(
                _("Not a valid choice: press one of the buttons (%(names)s).", names=names)
            )

    return check


class DecisionForm(HubForm):
    """Approve, request changes or reject, each with its own button; one message for all."""

    action = StringField(_l("Decision"), validators=[_one_of(DECISION_BUTTONS)])
    message = TextAreaField(
        _l("Message to the submitter"),
        validators=[Length(max=MESSAGE_MAX)],
        description=_l(
            "Sent by e-mail with your decision and kept in the history. Required to "
            "reject or to request changes; optional when approving."
        ),
    )
    version = HiddenField()

    def validate_message(self, field: Any) -> None:
        """A rejection needs a reason, a request for changes says what should change."""
        if (field.data or "").strip():
            return
        if self.action.data == "reject":
            raise ValidationError(_("Give a reason: it is sent to the submitter."))
        if self.action.data == "request_changes":
            raise ValidationError(_("Write what should change: the message goes to the submitter."))


class DuplicateForm(HubForm):
    """Reject as a duplicate of another submission (a small form of its own)."""

    duplicate_of = IntegerField(
        _l("Number of the original submission"),
        validators=[
            InputRequired(message=_l("Enter the number of the original submission.")),
            NumberRange(
                min=1,
                max=MAX_ID,
                message=_l(
                    "Enter the number of the original submission (a whole number of at least 1)."
                ),
            ),
        ],
        description=_l(
            "Rejects this submission and tells the submitter which one it "
            "duplicates (named only if it is public)."
        ),
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
        _l("Decision"),
        validators=[_one_of({**BULK_BUTTONS, SELECT_ALL: _l("Select all on this page")})],
    )
    ids = IdListField(_l("Selected submissions"), default=list)
    message = TextAreaField(
        _l("Reason (required to reject; sent to each submitter)"),
        validators=[Length(max=MESSAGE_MAX)],
    )

    def validate_ids(self, field: Any) -> None:
        """A decision needs something to apply to."""
        if self.action.data in BULK_BUTTONS and not field.data:
            raise ValidationError(_("Select at least one submission: tick its box in the list."))

    def validate_message(self, field: Any) -> None:
        """A rejection needs a reason."""
        if self.action.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_("Give a reason to reject: it is sent to each submitter."))


class RevisionForm(HubForm):
    """Publish or refuse a pending revision, each with its own button."""

    action = StringField(_l("Decision on the update"), validators=[_one_of(REVISION_BUTTONS)])
    message = TextAreaField(
        _l("Message to the submitter about the update"),
        validators=[Length(max=MESSAGE_MAX)],
        description=_l("Required to keep the current version; optional when publishing."),
    )
    seen = HiddenField()  # the revision_stamp() of the text shown

    def validate_message(self, field: Any) -> None:
        """Refusing an update needs a reason."""
        if self.action.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_("Give a reason: it is sent to the submitter."))


class ExceptionForm(HubForm):
    """Let one account submit late."""

    email = EmailField(
        _l("Account e-mail"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail.")),
        ],
    )
    until = DateTimeLocalField(
        _l("Allowed until (Geneva time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Enter a date and time."))],
    )
    reason = StringField(_l("Reason"), validators=[Length(max=1000)])
    request_id = HiddenField()  # the request for more time this grant answers, if any

    def validate_until(self, field: Any) -> None:
        """Refuse a wall-clock time that Geneva skips (the spring-forward hour)."""
        if field.data is None:
            return
        zone = clock().zone
        try:
            back = field.data.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
        except OverflowError:  # 0001-01-01 00:00 in Geneva is in the year 0 in UTC
            raise ValidationError(_("Choose an instant in the future.")) from None
        if back.replace(tzinfo=None) != field.data:
            raise ValidationError(
                _(
                    "%(time)s does not exist in Geneva time on that day: the clocks "
                    "go forward an hour that night. Choose a time an hour later.",
                    time=f"{field.data:%H:%M}",
                )
            )


class NoteForm(HubForm):
    """An internal note on a submission, for the other moderators."""

    body = TextAreaField(
        _l("Note for the other moderators"),
        validators=[
            InputRequired(message=_l("Write the note first.")),
            Length(max=2000, message=_l("A note has at most %(max)d characters.")),
        ],
        description=_l("Moderators only: never shown to the owner or the public."),
    )


class HoldForm(HubForm):
    """Claim, assign or release an item; `holder` is who held it on the page (blank: nobody),
    so taking an item over from a colleague is always a choice made knowingly."""

    holder = HiddenField()
    moderator = SelectField(_l("Assign to"), coerce=str, validate_choice=False)


class DeclineForm(HubForm):
    """Decline a request for more time, saying why (mailed to the account)."""

    message = TextAreaField(
        _l("Message to the person who asked"),
        validators=[
            DataRequired(message=_l("Write why: the message goes to the person who asked.")),
            Length(max=1000),
        ],
    )
