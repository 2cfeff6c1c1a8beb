"""One form per kind: shared fields plus the kind's own (labels and help from fields.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
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
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from hub.auth.models import EMAIL_MAX
from hub.forms import HubForm, clean_text, csrf_failed
from hub.submissions.fields import ALL_KINDS, FIELD, FIELDS, required_for
from hub.submissions.formfields import (
    CheckboxesField,
    GroupedCheckboxesField,
    HubDateField,
    http_url,
    limit,
    options,
)
from hub.submissions.images import LOGO_MAX_BYTES, CleanImage, LogoRefused, clean_logo
from hub.vocab import (
    GLOBAL,
    LANGUAGES,
    SDGS,
    STAKEHOLDER_GROUPS,
    THEMES,
    country_codes,
    country_groups,
    country_name,
    label,
)


def shown(vocabulary: dict[str, str]) -> list[tuple[str, Any]]:
    """A vocabulary's choices, each label translated when the form is shown."""
    return [(key, LazyString(label, vocabulary, key)) for key in vocabulary]


def described(name: str) -> dict[str, Any]:
    """The label and help text of field `name` (fields.py), as a form field takes them."""
    spec = FIELD[name]
    return {"label": spec.label, "description": spec.help}


def text(name: str) -> dict[str, Any]:
    """A text field's label, help and length limit."""
    return {**described(name), "validators": [limit(name)]}


REQUIRED_DRAFT = _l("Required to submit (drafts may leave it empty).")
REQUIRED_IN_REVIEW = _l("Required: this submission is no longer a draft.")
REQUIRED_NOTE_DRAFT = _l("These fields are required to submit (a draft may leave them empty):")
REQUIRED_NOTE_IN_REVIEW = _l("These fields are required (this submission is no longer a draft):")

# Fields of the form that are not content: the logo is stored apart (hub/submissions/logos.py).
NOT_CONTENT = ("csrf_token", "form_token", "logo_file", "remove_logo")

RAW_VALUES_KEPT = 300  # of a forged multiple choice: more than any vocabulary has

_FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def form_token_or_none(value: Any) -> str | None:
    """The hidden form token if it looks like one the hub issued, else None.

    It is stored in a 64-character column: a forged longer value must not reach it (on
    PostgreSQL that is a DataError, a 500). Dropping it only loses double-post protection
    for that forged post.
    """
    return value if isinstance(value, str) and _FORM_TOKEN.fullmatch(value) else None


@dataclass
class Checked:
    """A posted form, validated once: the handlers decide on this, never validate again.

    `valid` says whether limits and formats hold (enough to keep the text as a draft);
    `missing` lists the required fields left empty when the post is checked in full.
    Their errors are shown only by mark_missing(): a page that keeps a refused post shows
    the limit errors alone.
    """

    form: SubmissionForm
    full: bool  # checked in full: submitting, or the item is no longer a draft
    draft: bool  # the item may still be saved incomplete (a new form or a draft)
    valid: bool
    missing: list[str]

    @property
    def ok(self) -> bool:
        """Valid and complete for what was asked."""
        return self.valid and not self.missing

    @property
    def csrf_failed(self) -> bool:
        """Whether the form's CSRF token was missing, forged or expired."""
        return csrf_failed(self.form)

    def mark_missing(self) -> None:
        """Put "required" errors on the missing fields; the error summary names them once."""
        form = self.form
        message = REQUIRED_DRAFT if self.draft else REQUIRED_IN_REVIEW
        form.required_note = REQUIRED_NOTE_DRAFT if self.draft else REQUIRED_NOTE_IN_REVIEW
        for name in self.missing:
            form[name].errors = [*form[name].errors, message]
        form.missing_required = list(self.missing)


class SubmissionForm(HubForm):
    """Fields every kind shares. Drafts validate limits and formats; submitting also
    requires the fields in REQUIRED."""

    REQUIRED: tuple[str, ...] = tuple(s.name for s in FIELDS if s.required_for == ALL_KINDS)

    form_token = HiddenField(filters=[form_token_or_none])
    title = StringField(**text("title"))
    summary = TextAreaField(**text("summary"))
    description = TextAreaField(**text("description"))
    lead_organisation = StringField(**text("lead_organisation"))
    stakeholder_group = SelectField(
        **described("stakeholder_group"),
        default="",
        choices=options([("", _l("Choose a group…")), *shown(STAKEHOLDER_GROUPS)]),
    )
    countries = GroupedCheckboxesField(
        **described("countries"),
        choices=options((code, code) for code in country_codes()),
        groups=country_groups,  # names in the page's language, when the form is shown
        top=[(GLOBAL, LazyString(country_name, GLOBAL))],
    )
    # No regions field: a submission's regions follow from its countries (content_for()).
    themes = CheckboxesField(**described("themes"), choices=options(shown(THEMES)))
    sdgs = CheckboxesField(
        **described("sdgs"),
        coerce=int,
        choices=options(
            (n, _l("SDG %(number)d: %(name)s", number=n, name=_l(name))) for n, name in SDGS.items()
        ),
    )
    partners = TextAreaField(**text("partners"))
    website = URLField(**described("website"), validators=[limit("website"), http_url])
    start_date = HubDateField(**described("start_date"), validators=[Optional()])
    end_date = HubDateField(**described("end_date"), validators=[Optional()])
    language = SelectField(
        **described("language"),
        default="",
        choices=options([("", _l("Choose a language…")), *shown(LANGUAGES)]),
    )
    contact_name = StringField(**text("contact_name"))
    contact_email = EmailField(
        **described("contact_email"),
        validators=[
            limit("contact_email"),
            Optional(),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )

    FILE_FIELDS = ("logo_file",)
    logo_file = FileField(
        _l("Logo (optional)"),
        description=_l(
            "A PNG, JPEG or WebP image of at most 2 MB. The hub makes it at most 512 pixels "
            "wide and high and removes what the file says besides the picture (such as where "
            "a photo was taken). It is public with the submission."
        ),
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )
    remove_logo = BooleanField(_l("Remove the logo"))
    # The upload, re-encoded, once validate_logo_file accepted it.
    logo_image: CleanImage | None = None

    def validate_logo_file(self, field: FileField) -> None:
        """The upload must decode as a plain PNG, JPEG or WebP image (images.py)."""
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload:
            return
        try:
            self.logo_image = clean_logo(upload.stream.read(LOGO_MAX_BYTES + 1))
        except LogoRefused as refused:
            raise ValidationError(str(refused)) from None

    def logo_choice(self) -> tuple[bool, CleanImage | None]:
        """Whether the post changes the logo, and to what (None: no logo any more)."""
        if self.logo_image is not None:
            return True, self.logo_image
        return bool(self.remove_logo.data), None

    def validate_end_date(self, field: DateField) -> None:
        """An end date cannot come before the start date."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("The end date must be on or after the start date."))

    # Fields left empty that REQUIRED asks for, once marked (Checked.mark_missing); the error
    # summary names them together, once.
    missing_required: list[str]
    required_note = ""

    def check(self, full: bool, draft: bool = True) -> Checked:
        """Validate the post once; when `full` (submitting, or no longer a draft), every
        field in REQUIRED must also be filled.

        `draft` says whether the item may still be saved incomplete (a new form or a draft);
        it only changes the words of the "required" messages.
        """
        valid = self.validate()
        self.missing_required = []
        missing = []
        if full:
            missing = [n for n in self.REQUIRED if not self[n].data and not self[n].errors]
        return Checked(self, full, draft, valid, missing)

    def content(self) -> dict[str, Any]:
        """The submitted values, keyed by model field ('' in a choice means "not chosen")."""
        data = {name: field.data for name, field in self._fields.items() if name not in NOT_CONTENT}
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
            if name in NOT_CONTENT:
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

    REQUIRED = required_for("initiative")
    objectives = TextAreaField(**text("objectives"))


class CoalitionForm(SubmissionForm):
    """A coalition: several organisations committed together."""

    REQUIRED = required_for("coalition")
    member_organisations = TextAreaField(**text("member_organisations"))


class PartnershipForm(SubmissionForm):
    """A partnership: named partners pooling resources."""

    REQUIRED = required_for("partnership")
    resources = TextAreaField(**text("resources"))


class ConcreteActionForm(SubmissionForm):
    """A concrete action: a deliverable with a timeline."""

    REQUIRED = required_for("concrete_action")
    timeline = TextAreaField(**text("timeline"))


FORMS: dict[str, type[SubmissionForm]] = {
    "initiative": InitiativeForm,
    "coalition": CoalitionForm,
    "partnership": PartnershipForm,
    "concrete_action": ConcreteActionForm,
}


class InviteForm(HubForm):
    """Invite a colleague, by e-mail address, to co-edit a submission."""

    email = EmailField(
        _l("Colleague's e-mail address"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            Length(max=EMAIL_MAX),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
        description=_l(
            "They must accept with an account registered and confirmed at this address."
        ),
    )
