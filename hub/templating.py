"""Template globals and filters: the clock, labels and dates in the display zone.

The submission deadline every page shows (deadline, extended, seconds_left, phase) is the
submissions area's: its blueprint adds it (hub/submissions/deadlines.py: deadline_context).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_skeleton
from flask import Flask
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import Field
from wtforms.validators import Length

from hub import vocab
from hub.clock import Phase, clock
from hub.i18n import current_language, date_locale
from hub.routing import public_url

# How a list of names is separated, per page language. CLDR (babel.lists.format_list) has no
# style that only separates: "standard" and "unit" add "and" (en "A, B, and C", ar "A وB وC",
# fr "A, B et C"), "unit-narrow" drops the commas (zh "ABC", en "A B C"). Arabic uses its
# own comma, Chinese the enumeration comma; the others ", ".
_SEPARATORS = {"ar": "\u060c ", "zh": "\u3001"}


def name_separator() -> str:
    """What separates the names of a list in the page's language (", ", "، ", "、")."""
    return _SEPARATORS.get(current_language(), ", ")


def names(items: Any) -> Markup:
    """Names joined with the page language's separator (each escaped unless markup)."""
    return Markup(name_separator()).join(
        str(item) if not isinstance(item, Markup) else item for item in items or ()
    )


# What a view answers: a redirect (or other response), a page with its status, or a page.
Page = Response | tuple[str, int] | str


def init_app(app: Flask) -> None:
    """Register the filters and the context every page gets."""

    @app.template_filter("when")
    def when(instant: datetime | None) -> str:
        """An instant in the display zone: '19 June 2026, 23:59 CEST'."""
        return clock().format(instant)

    @app.template_filter("iso")
    def iso(instant: datetime | date | None) -> str:
        """Machine-readable instant for <time datetime>."""
        if instant is None:
            return ""
        if isinstance(instant, datetime):
            return clock().local(instant).isoformat(timespec="seconds")
        return instant.isoformat()

    @app.template_filter("long_date")
    def long_date(day: date | None) -> str:
        """A calendar date as the hub writes dates: '1 September 2026' (CLDR's long date)."""
        return format_date(day, "long", locale=date_locale()) if day else ""

    @app.template_filter("month_year")
    def month_year(day: date) -> str:
        """A month of a year for charts: 'September 2026'."""
        return format_skeleton("yMMMM", day, locale=date_locale())

    @app.template_global("month_start")
    def month_start(year: int, month: int) -> date:
        """The first day of a month, for month_year."""
        return date(year, month, 1)

    @app.template_filter("short_day")
    def short_day(day: date) -> str:
        """A day for charts: 'Tue 1 Sept'."""
        return format_skeleton("MMMEd", day, locale=date_locale())

    @app.template_filter("lines")
    def lines(text: str | None) -> list[str]:
        """Non-empty lines of a text area."""
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    # Absolute links (a page's permanent link) on HUB_BASE_URL, never on the request's Host.
    app.add_template_global(public_url, "public_url")
    # Lists of names for display: {{ list|names }}, or {{ name_sep() }} between linked items.
    app.add_template_filter(names, "names")
    app.add_template_global(name_separator, "name_sep")
    # Globals reach macros imported without context (the form macros).
    app.add_template_global(vocab.continent_label, "continent_label")
    # A submitter's text keeps its own language: <p{{ text_lang(s.language) }}>.
    app.add_template_global(vocab.text_lang, "text_lang")

    @app.template_global("max_length")
    def max_length(field: Field) -> int | None:
        """The field's Length(max=…) limit, for counters and maxlength hints."""
        limits = [
            v.max
            for v in field.validators
            if isinstance(v, Length) and v.max is not None and v.max > 0
        ]
        return min(limits) if limits else None

    @app.context_processor
    def hub_context() -> dict[str, Any]:
        """The clock and the vocabularies, on every page."""
        return {
            "clock": clock(),
            "Phase": Phase,
            "vocab": vocab,
            # Country names in the page's language (the UN's M49 names), "Global" first.
            "countries": vocab.countries(),
        }
