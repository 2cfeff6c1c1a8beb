"""Template globals and filters: the clock, labels and dates in the display zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field
from wtforms.validators import Length

from hub import vocab
from hub.clock import Phase, clock
from hub.submissions.deadlines import personal_deadline

# What a view answers: a response (a redirect, a download), a page with its status, or a page.
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
        """A calendar date as the hub writes dates: '1 September 2026'."""
        return f"{day.day} {day:%B %Y}" if day else ""

    @app.template_filter("lines")
    def lines(text: str | None) -> list[str]:
        """Non-empty lines of a text area."""
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

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
        c = clock()
        # An account with a deadline exception sees its own deadline everywhere.
        user = current_user if current_user and current_user.is_authenticated else None
        deadline = personal_deadline(user) if user is not None else c.close_at
        return {
            "clock": c,
            "deadline": deadline,
            "extended": deadline is not None and deadline != c.close_at,
            "seconds_left": c.seconds_left(deadline),
            "phase": c.phase(close_at=deadline),
            "Phase": Phase,
            "vocab": vocab,
            "countries": vocab.countries(),
        }
