"""The queue's filters by the submission's own fields: language of the text, country,
region, stakeholder group, theme and how long it has waited.

Each is one value of the stored fields, all combinable, carried in the query string (a
filtered queue is a bookmark). A value the hub does not know is dropped with a message
that names it, never an error page. Countries, regions and themes are JSON lists: matched
as the quoted code inside the list's JSON text, which reads the same on SQLite and
PostgreSQL (the codes are plain ASCII, never escaped).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext, ngettext
from sqlalchemy import Select, Text, cast

from hub.clock import clock
from hub.i18n import N_
from hub.submissions.models import Submission
from hub.vocab import (
    LANGUAGES,
    REGIONS,
    STAKEHOLDER_GROUPS,
    THEMES,
    countries,
    country_codes,
    country_name,
    label,
    sort_key,
    translated,
)

AGES = (1, 3, 7, 14, 30)  # "waiting more than N days"
NAMES = ("language", "country", "region", "group", "theme", "age")


def _known(name: str) -> Any:
    """The values a filter accepts."""
    if name == "language":
        return LANGUAGES
    if name == "country":
        return set(country_codes())
    if name == "region":
        return REGIONS
    if name == "group":
        return STAKEHOLDER_GROUPS
    if name == "theme":
        return THEMES
    return {str(days) for days in AGES}


@dataclass(frozen=True)
class FieldFilters:
    """The filters by field; `problems` says which values were not understood."""

    language: str = ""
    country: str = ""
    region: str = ""
    group: str = ""
    theme: str = ""
    age: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> FieldFilters:
        """The filters of a query string; an unknown value is dropped and named."""
        values: dict[str, str] = {}
        problems = []
        for name in NAMES:
            raw = (args.get(name) or "").strip()
            if name == "country":
                raw = raw.upper() if raw.lower() != "global" else "global"
            if not raw:
                continue
            if raw in _known(name):
                values[name] = raw
            else:
                problems.append(_problem(name, raw[:40]))
        return cls(**values, problems=tuple(problems))

    def args(self) -> dict[str, str]:
        """Query arguments that show these filters again."""
        return {name: getattr(self, name) for name in NAMES if getattr(self, name)}

    @property
    def active(self) -> bool:
        """Whether any of these filters is set."""
        return bool(self.args())

    def apply(self, stmt: Select) -> Select:
        """`stmt` narrowed to the submissions these filters let through."""
        if self.language:
            stmt = stmt.where(Submission.language == self.language)
        if self.group:
            stmt = stmt.where(Submission.stakeholder_group == self.group)
        for column, code in (
            (Submission.countries, self.country),
            (Submission.regions, self.region),
            (Submission.themes, self.theme),
        ):
            if code:
                stmt = stmt.where(cast(column, Text).like(f'%"{code}"%'))
        if self.age:
            stmt = stmt.where(
                Submission.submitted_at <= clock().now() - timedelta(days=int(self.age))
            )
        return stmt

    def describe(self) -> list[str]:
        """The filters in words (parts of the queue's description)."""
        parts = []
        if self.language:
            parts.append(label(LANGUAGES, self.language))
        for vocabulary, code in (
            (REGIONS, self.region),
            (STAKEHOLDER_GROUPS, self.group),
            (THEMES, self.theme),
        ):
            if code:
                parts.append(label(vocabulary, code))
        if self.country:
            parts.append(country_name(self.country))
        if self.age:
            days = int(self.age)
            parts.append(
                ngettext("waiting more than %(num)d day", "waiting more than %(num)d days", days)
            )
        return parts


def _problem(name: str, value: str) -> str:
    """What the queue says about a filter value it does not know."""
    said = {
        "language": N_("“%(value)s” is not a language the queue knows: that filter was left out."),
        "country": N_(
            "“%(value)s” is not a country code the queue knows: that filter was left out."
        ),
        "region": N_("“%(value)s” is not a region the queue knows: that filter was left out."),
        "group": N_(
            "“%(value)s” is not a stakeholder group the queue knows: that filter was left out."
        ),
        "theme": N_("“%(value)s” is not a theme the queue knows: that filter was left out."),
        "age": N_(
            "“%(value)s” is not a waiting time the queue offers (1, 3, 7, 14 or 30 days): "
            "that filter was left out."
        ),
    }[name]
    return gettext(said, value=value)


def filter_choices() -> dict[str, dict[str, str]]:
    """Value → label of each filter, in the page's language (the queue's selects)."""
    return {
        "language": translated(LANGUAGES),
        "country": countries(),
        "region": translated(REGIONS),
        "group": translated(STAKEHOLDER_GROUPS),
        "theme": dict(sorted(translated(THEMES).items(), key=lambda item: sort_key(item[1]))),
        "age": {
            str(days): ngettext("More than %(num)d day", "More than %(num)d days", days)
            for days in AGES
        },
    }
