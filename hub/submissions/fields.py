"""Every field a submitter writes, described once.

The forms take their labels, help texts and required fields from here; operations the content
fields and the kind-specific ones; the public record and the exports (hub/api/serialize.py)
the public fields, in this order; templates the kind-specific texts (`kind_fields`).
Types, limits and choices stay with the model (LIMITS) and the form fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.vocab import KINDS

ALL_KINDS = tuple(KINDS)


@dataclass(frozen=True)
class FieldSpec:
    """One submission field: what it is called, for which kinds, and who sees it."""

    name: str
    label: str  # the form's label
    help: str = ""  # the form's help text
    kinds: tuple[str, ...] = ALL_KINDS  # the kinds that have it
    required_for: tuple[str, ...] = ()  # the kinds that must fill it to submit
    public: bool = True  # on the public page, in the API and the exports
    listed: bool = False  # a list of values (the CSV export joins them with "; ")
    rows: int | None = None  # lines its text area shows in the form


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        "Title",
        "A short, specific name for your contribution.",
        required_for=ALL_KINDS,
    ),
    FieldSpec(
        "summary",
        "Summary",
        "What it is and what it will achieve, in a few lines.",
        required_for=ALL_KINDS,
    ),
    FieldSpec(
        "description",
        "Description",
        "The full picture: goals, activities, who benefits.",
        required_for=ALL_KINDS,
    ),
    FieldSpec("lead_organisation", "Lead organisation", required_for=ALL_KINDS),
    FieldSpec("stakeholder_group", "Stakeholder group", required_for=ALL_KINDS),
    FieldSpec(
        "countries",
        "Countries",
        "Where it takes place: “Global” for worldwide work, or open a continent and tick "
        "its countries.",
        required_for=ALL_KINDS,
        listed=True,
    ),
    FieldSpec("regions", "Regions", listed=True),
    FieldSpec("themes", "Themes", required_for=ALL_KINDS, listed=True),
    FieldSpec("sdgs", "Sustainable Development Goals", listed=True),
    FieldSpec("partners", "Partners", "One organisation per line.", required_for=("partnership",)),
    FieldSpec("website", "Website"),
    FieldSpec("start_date", "Start date", required_for=("concrete_action",)),
    FieldSpec("end_date", "End date"),
    FieldSpec("language", "Language of this text", required_for=ALL_KINDS),
    FieldSpec(
        "contact_name", "Public contact name", "Shown on the public page.", required_for=ALL_KINDS
    ),
    FieldSpec(
        "contact_email",
        "Contact e-mail (private)",
        "Seen only by moderators; never published.",
        required_for=ALL_KINDS,
        public=False,
    ),
    FieldSpec(
        "objectives",
        "Objectives",
        "What the initiative sets out to achieve.",
        kinds=("initiative",),
        rows=5,
    ),
    FieldSpec(
        "member_organisations",
        "Member organisations",
        "One member per line, with its country if useful.",
        kinds=("coalition",),
        rows=6,
        required_for=("coalition",),
    ),
    FieldSpec(
        "resources",
        "Resources committed",
        "Funding, expertise, data or in-kind support.",
        kinds=("partnership",),
        rows=5,
    ),
    FieldSpec(
        "timeline",
        "Timeline",
        "Milestones, one per line: “2026-09 — pilot in 3 cities”.",
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
