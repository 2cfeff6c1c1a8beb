"""One form per kind: shared fields plus the kind's own."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from wtforms import (
    DateField,
    EmailField,
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from hub.forms import HubForm, clean_text
from hub.submissions.models import LIMITS
from hub.vocab import (
    GLOBAL,
    LANGUAGES,
    REGIONS,
    SDGS,
    STAKEHOLDER_GROUPS,
    THEMES,
    countries,
    country_groups,
)

try:  # WTForms 3.3 deprecates (value, label) tuples as choices in favour of SelectChoice.
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3 takes the tuples
    SelectChoice = None


def _options(pairs: Any) -> list[Any]:
    """(value, label) pairs as the choices this WTForms version expects."""
    pairs = list(pairs)
    if SelectChoice is None:  # pragma: no cover
        return pairs
    return [SelectChoice(value, label) for value, label in pairs]


class ChoicesField(SelectMultipleField):
    """A multiple choice: duplicates are dropped (a browser never sends them) and a post
    with more values than there are choices is refused before each value is looked up."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Keep each value once, in the order sent."""
        super().process_formdata(list(dict.fromkeys(valuelist)))

    def pre_validate(self, form: Any) -> None:
        """Refuse more values than choices, then unknown values."""
        most = len(self.choices or ())
        if not self.process_errors and self.data and len(self.data) > most:
            raise ValidationError(f"Choose at most {most}.")
        super().pre_validate(form)


class CheckboxesField(ChoicesField):
    """A short multiple choice shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


Options = list[tuple[str, str]]


class GroupedCheckboxesField(CheckboxesField):
    """A long multiple choice (countries) shown as checkboxes: the `top` options first, then
    folding groups; the form macro renders it from `top` and `groups` ((heading, options)
    pairs), each option a (value, label) pair."""

    def __init__(
        self, *args: Any, top: Options, groups: list[tuple[str, Options]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.top, self.groups = top, groups


DATE_MESSAGE = "Not a valid date. Write it as year-month-day, for example 2026-09-01."


class HubDateField(DateField):
    """A date. The browser's date picker needs no format hint, but a value it could not
    read comes back as text (see the form macro): then the error says how to write it."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the date, or fail with DATE_MESSAGE."""
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(DATE_MESSAGE) from exc


def _limit(name: str) -> Length:
    return Length(max=LIMITS[name], message=f"Use at most {LIMITS[name]} characters.")


def http_url(_form: Any, field: Field) -> None:
    """Accept only absolute http(s) addresses with a host."""
    if not field.data:
        return
    message = "Enter a full web address starting with https:// or http://."
    try:
        parts = urlsplit(field.data)
    except ValueError as exc:  # e.g. "http://[::1": an unclosed IPv6 bracket
        raise ValidationError(message) from exc
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
        raise ValidationError(message)


REQUIRED_DRAFT = "Required to submit (drafts may leave it empty)."
REQUIRED_IN_REVIEW = "Required: this submission is no longer a draft."
REQUIRED_NOTE_DRAFT = "These fields are required to submit (a draft may leave them empty):"
REQUIRED_NOTE_IN_REVIEW = "These fields are required (this submission is no longer a draft):"

RAW_VALUES_KEPT = 300  # of a forged multiple choice: more than any vocabulary has

_FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def form_token_or_none(value: Any) -> str | None:
    """The hidden form token if it looks like one the hub issued, else None.

    It is stored in a 64-character column: a forged longer value must not reach it (on
    PostgreSQL that is a DataError, a 500). Dropping it only loses double-post protection
    for that forged post.
    """
    return value if isinstance(value, str) and _FORM_TOKEN.fullmatch(value) else None


class SubmissionForm(HubForm):
    """Fields every kind shares. Drafts validate limits and formats; submitting also
    requires the fields in REQUIRED."""

    REQUIRED: tuple[str, ...] = (
        "title",
        "summary",
        "description",
        "lead_organisation",
        "stakeholder_group",
        "countries",
        "themes",
        "language",
        "contact_name",
        "contact_email",
    )

    form_token = HiddenField(filters=[form_token_or_none])
    title = StringField(
        "Title",
        validators=[_limit("title")],
        description="A short, specific name for your contribution.",
    )
    summary = TextAreaField(
        "Summary",
        validators=[_limit("summary")],
        description="What it is and what it will achieve, in a few lines.",
    )
    description = TextAreaField(
        "Description",
        validators=[_limit("description")],
        description="The full picture: goals, activities, who benefits.",
    )
    lead_organisation = StringField("Lead organisation", validators=[_limit("lead_organisation")])
    stakeholder_group = SelectField(
        "Stakeholder group",
        default="",
        choices=_options([("", "Choose a group…"), *STAKEHOLDER_GROUPS.items()]),
    )
    countries = GroupedCheckboxesField(
        "Countries",
        choices=_options(countries().items()),
        groups=country_groups(),
        top=[(GLOBAL, countries()[GLOBAL])],
        description="Where it takes place: “Global” for worldwide work, or open a continent "
        "and tick its countries.",
    )
    regions = CheckboxesField("Regions", choices=_options(REGIONS.items()))
    themes = CheckboxesField("Themes", choices=_options(THEMES.items()))
    sdgs = CheckboxesField(
        "Sustainable Development Goals",
        coerce=int,
        choices=_options((n, f"SDG {n}: {name}") for n, name in SDGS.items()),
    )
    partners = TextAreaField(
        "Partners", validators=[_limit("partners")], description="One organisation per line."
    )
    website = URLField("Website", validators=[_limit("website"), http_url])
    start_date = HubDateField("Start date", validators=[Optional()])
    end_date = HubDateField("End date", validators=[Optional()])
    language = SelectField(
        "Language of this text",
        default="",
        choices=_options([("", "Choose a language…"), *LANGUAGES.items()]),
    )
    contact_name = StringField(
        "Public contact name",
        validators=[_limit("contact_name")],
        description="Shown on the public page.",
    )
    contact_email = EmailField(
        "Contact e-mail (private)",
        validators=[
            _limit("contact_email"),
            Optional(),
            Email(message="Enter a valid e-mail address."),
        ],
        description="Seen only by moderators; never published.",
    )

    def validate_end_date(self, field: DateField) -> None:
        """An end date cannot come before the start date."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date must be on or after the start date.")

    # Fields left empty that REQUIRED asks for, in the last validate_for(); the error summary
    # names them together, once.
    missing_required: list[str]
    required_note = ""

    def validate_for(self, submitting: bool, draft: bool = True) -> bool:
        """Validate; when submitting, every field in REQUIRED must also be filled.

        `draft` says whether the item may still be saved incomplete (a new form or a draft);
        it only changes the words of the message.
        """
        ok = self.validate()
        self.missing_required = []
        if not submitting:
            return ok
        message = REQUIRED_DRAFT if draft else REQUIRED_IN_REVIEW
        self.required_note = REQUIRED_NOTE_DRAFT if draft else REQUIRED_NOTE_IN_REVIEW
        for name in self.REQUIRED:
            field = self[name]
            if not field.data and not field.errors:
                field.errors = [*field.errors, message]
                self.missing_required.append(name)
                ok = False
        return ok

    def content(self) -> dict[str, Any]:
        """The submitted values, keyed by model field ('' in a choice means "not chosen")."""
        data = {
            name: field.data
            for name, field in self._fields.items()
            if name not in ("csrf_token", "form_token")
        }
        for name in ("stakeholder_group", "language"):
            data[name] = data[name] or None
        for name, value in data.items():
            if value is None and isinstance(self[name], StringField):
                data[name] = ""
            elif value is None and isinstance(self[name], SelectMultipleField):
                data[name] = []  # the columns hold lists, never NULL (a CHECK says so)
        return data

    def raw_content(self) -> dict[str, Any]:
        """What was typed, field by field, even where it is not valid: a value that could
        not be read (a date such as 31/12/2026, an SDG "abc") is kept as the text sent."""
        data: dict[str, Any] = {}
        for name, field in self._fields.items():
            if name in ("csrf_token", "form_token"):
                continue
            raw = [clean_text(v) for v in (field.raw_data or [])[:RAW_VALUES_KEPT]]
            if isinstance(field, SelectMultipleField):
                value: Any = raw if field.process_errors else list(field.data or [])
            elif field.process_errors:
                value = raw[0] if raw else ""
            else:
                value = field.data
            data[name] = value.isoformat() if isinstance(value, date) else value
        for name, value in data.items():
            if value is None:
                data[name] = None if name in ("stakeholder_group", "language") else ""
        for name in ("stakeholder_group", "language", "start_date", "end_date"):
            data[name] = data[name] or None
        return data

    def valid_content(self) -> dict[str, Any]:
        """content() with the fields that have errors left empty."""
        data = self.content()
        for name, field in self._fields.items():
            if name in data and field.errors:
                data[name] = _empty(field)
        return data


def _empty(field: Field) -> Any:
    """The stored value of a field left empty."""
    if isinstance(field, SelectMultipleField):
        return []
    if isinstance(field, DateField | SelectField):
        return None
    return ""


class InitiativeForm(SubmissionForm):
    """An initiative: a programme or effort led by one organisation."""

    objectives = TextAreaField(
        "Objectives",
        validators=[_limit("objectives")],
        description="What the initiative sets out to achieve.",
    )


class CoalitionForm(SubmissionForm):
    """A coalition: several organisations committed together."""

    REQUIRED = (*SubmissionForm.REQUIRED, "member_organisations")
    member_organisations = TextAreaField(
        "Member organisations",
        validators=[_limit("member_organisations")],
        description="One member per line, with its country if useful.",
    )


class PartnershipForm(SubmissionForm):
    """A partnership: named partners pooling resources."""

    REQUIRED = (*SubmissionForm.REQUIRED, "partners")
    resources = TextAreaField(
        "Resources committed",
        validators=[_limit("resources")],
        description="Funding, expertise, data or in-kind support.",
    )


class ConcreteActionForm(SubmissionForm):
    """A concrete action: a deliverable with a timeline."""

    REQUIRED = (*SubmissionForm.REQUIRED, "start_date", "timeline")
    timeline = TextAreaField(
        "Timeline",
        validators=[_limit("timeline")],
        description="Milestones, one per line: “2026-09 — pilot in 3 cities”.",
    )


FORMS: dict[str, type[SubmissionForm]] = {
    "initiative": InitiativeForm,
    "coalition": CoalitionForm,
    "partnership": PartnershipForm,
    "concrete_action": ConcreteActionForm,
}
