"""Every field a submitter writes, described once.

The forms take their labels, help texts and required fields from here; operations the content
fields and the kind-specific ones; the public record and the exports (hub/api/serialize.py)
the public fields, in this order; templates the kind-specific texts (`kind_fields`).
Types, limits and choices stay with the model (LIMITS) and the form fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from hub.vocab import KINDS

ALL_KINDS = tuple(KINDS)


@dataclass(frozen=True)
class FieldSpec:
    """One submission field: what it is called, for which kinds, and who sees it."""

    name: str
    label: str  # the form's label (a lazy string: translated where it is shown)
    help: str = ""  # the form's help text
    kinds: tuple[str, ...] = ALL_KINDS  # the kinds that have it
    required_for: tuple[str, ...] = ()  # the kinds that must fill it to submit
    public: bool = True  # on the public page, in the API and the exports
    listed: bool = False  # a list of values (the CSV export joins them with "; ")
    rows: int | None = None  # lines its text area shows in the form


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        _l("Title"),
        _l("A short, specific name for your contribution."),
        required_for=ALL_KINDS,
    ),
    FieldSpec(
        "summary",
        _l("Summary"),
        _l("What it is and what it will achieve, in a few lines."),
        required_for=ALL_KINDS,
    ),
    FieldSpec(
        "description",
        _l("Description"),
        _l("The full picture: goals, activities, who benefits."),
        required_for=ALL_KINDS,
    ),
    FieldSpec("lead_organisation", _l("Lead organisation"), required_for=ALL_KINDS),
    FieldSpec("stakeholder_group", _l("Stakeholder group"), required_for=ALL_KINDS),
    FieldSpec(
        "countries",
        _l("Countries"),
        _l(
            "Where it takes place: “Global” for worldwide work, or open a region and tick its "
            "countries. The regions are taken from the countries."
        ),
        required_for=ALL_KINDS,
        listed=True,
    ),
    # Not in the form: derived from the countries on every save (operations.content_for()).
    FieldSpec("regions", _l("Regions"), listed=True),
    FieldSpec("themes", _l("Themes"), required_for=ALL_KINDS, listed=True),
    FieldSpec("sdgs", _l("Sustainable Development Goals"), listed=True),
    FieldSpec(
        "partners", _l("Partners"), _l("One organisation per line."), required_for=("partnership",)
    ),
    FieldSpec("website", _l("Website")),
    FieldSpec("start_date", _l("Start date"), required_for=("concrete_action",)),
    FieldSpec("end_date", _l("End date")),
    FieldSpec("language", _l("Language of this text"), required_for=ALL_KINDS),
    FieldSpec(
        "contact_name",
        _l("Public contact name"),
        _l("Shown on the public page."),
        required_for=ALL_KINDS,
    ),
    FieldSpec(
        "contact_email",
        _l("Contact e-mail (private)"),
        _l("Seen only by moderators; never published."),
        required_for=ALL_KINDS,
        public=False,
    ),
    FieldSpec(
        "objectives",
        _l("Objectives"),
        _l("What the initiative sets out to achieve."),
        kinds=("initiative",),
        rows=5,
    ),
    FieldSpec(
        "member_organisations",
        _l("Member organisations"),
        _l("One member per line, with its country if useful."),
        kinds=("coalition",),
        rows=6,
        required_for=("coalition",),
    ),
    FieldSpec(
        "resources",
        _l("Resources committed"),
        _l("Funding, expertise, data or in-kind support."),
        kinds=("partnership",),
        rows=5,
    ),
    FieldSpec(
        "timeline",
        _l("Timeline"),
        _l("Milestones, one per line: “2026-09 — pilot in 3 cities”."),
        kinds=("concrete_action",),
        rows=6,
        required_for=("concrete_action",),
    ),
)
FIELD = {spec.name: spec for spec in FIELDS}

# Fields a submitter writes; everything else (status, times, slug, version) is the hub's.
CONTENT_FIELDS = tuple(spec.name for spec in FIELDS)
# The fields only some kinds have (empty for the other kinds).
KIND_SPECIFIC = tuple(spec for spec in FIELDS if spec.kinds != ALL_KINDS)
KIND_FIELDS = {
    kind: tuple(spec.name for spec in KIND_SPECIFIC if kind in spec.kinds) for kind in KINDS
}
ALL_KIND_FIELDS = {spec.name for spec in KIND_SPECIFIC}
# What the public sees of the submitter's text, in the exports' column order.
PUBLIC_CONTENT = tuple(spec.name for spec in FIELDS if spec.public)
LIST_FIELDS = tuple(spec.name for spec in FIELDS if spec.listed)


def required_for(kind: str) -> tuple[str, ...]:
    """The fields `kind` must fill to be submitted, in form order."""
    return tuple(spec.name for spec in FIELDS if kind in spec.required_for)
