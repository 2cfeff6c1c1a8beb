"""One form per kind: shared fields plus the kind's own."""

from __future__ import annotations

import re
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

from hub.forms import HubForm
from hub.submissions.models import LIMITS
from hub.vocab import LANGUAGES, REGIONS, SDGS, STAKEHOLDER_GROUPS, THEMES, countries

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


class CheckboxesField(SelectMultipleField):
    """A short multiple choice shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _limit(name: str) -> Length:
    return Length(max=LIMITS[name], message=f"Use at most {LIMITS[name]} characters.")


def http_url(_form: Any, field: Field) -> None:
    """Accept only absolute http(s) addresses with a host."""
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
        raise ValidationError("Enter a full web address starting with https:// or http://.")


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
        "title", "summary", "description", "lead_organisation", "stakeholder_group",
        "countries", "themes", "language", "contact_name", "contact_email",
    )

    form_token = HiddenField(filters=[form_token_or_none])
    title = StringField("Title", validators=[_limit("title")],
                        description="A short, specific name for your contribution.")
    summary = TextAreaField("Summary", validators=[_limit("summary")],
                            description="What it is and what it will achieve, in a few lines.")
    description = TextAreaField("Description", validators=[_limit("description")],
                                description="The full picture: goals, activities, who benefits.")
    lead_organisation = StringField("Lead organisation", validators=[_limit("lead_organisation")])
    stakeholder_group = SelectField(
        "Stakeholder group", default="",
        choices=_options([("", "Choose a group…"), *STAKEHOLDER_GROUPS.items()]))
    countries = SelectMultipleField(
        "Countries", choices=_options(countries().items()),
        description="Where it takes place. Choose “Global” for worldwide work.")
    regions = CheckboxesField("Regions", choices=_options(REGIONS.items()))
    themes = CheckboxesField("Themes", choices=_options(THEMES.items()))
    sdgs = CheckboxesField("Sustainable Development Goals", coerce=int,
                           choices=_options((n, f"SDG {n}: {name}") for n, name in SDGS.items()))
    partners = TextAreaField("Partners", validators=[_limit("partners")],
                             description="One organisation per line.")
    website = URLField("Website", validators=[_limit("website"), http_url])
    start_date = DateField("Start date", validators=[Optional()],
                           description="Format: YYYY-MM-DD.")
    end_date = DateField("End date", validators=[Optional()], description="Format: YYYY-MM-DD.")
    language = SelectField(
        "Language of this text", default="",
        choices=_options([("", "Choose a language…"), *LANGUAGES.items()]))
    contact_name = StringField("Public contact name", validators=[_limit("contact_name")],
                               description="Shown on the public page.")
    contact_email = EmailField(
        "Contact e-mail (private)",
        validators=[_limit("contact_email"),
                    Optional(), Email(message="Enter a valid e-mail address.")],
        description="Seen only by moderators; never published.")

    def validate_end_date(self, field: DateField) -> None:
        """An end date cannot come before the start date."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date must be on or after the start date.")

    def validate_for(self, submitting: bool) -> bool:
        """Validate; when submitting, every field in REQUIRED must also be filled."""
        ok = self.validate()
        if not submitting:
            return ok
        for name in self.REQUIRED:
            field = self[name]
            if not field.data and not field.errors:
                field.errors = [*field.errors, "Required to submit (drafts may leave it empty)."]
                ok = False
        return ok

    def content(self) -> dict[str, Any]:
        """The submitted values, keyed by model field ('' in a choice means "not chosen")."""
        data = {name: field.data for name, field in self._fields.items()
                if name not in ("csrf_token", "form_token")}
        for name in ("stakeholder_group", "language"):
            data[name] = data[name] or None
        for name, value in data.items():
            if isinstance(self[name], StringField) and value is None:
                data[name] = ""
        return data


class InitiativeForm(SubmissionForm):
    """An initiative: a programme or effort led by one organisation."""

    objectives = TextAreaField("Objectives", validators=[_limit("objectives")],
                               description="What the initiative sets out to achieve.")


class CoalitionForm(SubmissionForm):
    """A coalition: several organisations committed together."""

    REQUIRED = (*SubmissionForm.REQUIRED, "member_organisations")
    member_organisations = TextAreaField(
        "Member organisations", validators=[_limit("member_organisations")],
        description="One member per line, with its country if useful.")


class PartnershipForm(SubmissionForm):
    """A partnership: named partners pooling resources."""

    REQUIRED = (*SubmissionForm.REQUIRED, "partners")
    resources = TextAreaField("Resources committed", validators=[_limit("resources")],
                              description="Funding, expertise, data or in-kind support.")


class ConcreteActionForm(SubmissionForm):
    """A concrete action: a deliverable with a timeline."""

    REQUIRED = (*SubmissionForm.REQUIRED, "start_date", "timeline")
    timeline = TextAreaField("Timeline", validators=[_limit("timeline")],
                             description="Milestones, one per line: “2026-09 — pilot in 3 cities”.")


FORMS: dict[str, type[SubmissionForm]] = {
    "initiative": InitiativeForm,
    "coalition": CoalitionForm,
    "partnership": PartnershipForm,
    "concrete_action": ConcreteActionForm,
}
