"""The one clock: what time it is, when submissions open and close, and how to show it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import gettext

from hub.i18n import N_, date_locale


class Phase(enum.StrEnum):
    """Where the call for submissions stands."""

    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


# Zones whose name people do not know by heart, shown by the city the hub serves instead.
ZONE_CITIES = {"Europe/Zurich": N_("Geneva")}


class ClockError(ValueError):
    """A cutoff setting that cannot be read."""


def parse_instant(value: str | datetime | None, setting: str) -> datetime | None:
    """Parse an ISO 8601 instant with an explicit offset into aware UTC (None stays None)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise ClockError(f"{setting}: {value!r} is not an ISO 8601 date and time") from exc
    if parsed.tzinfo is None:
        # A bare local time is ambiguous across DST and between servers: refuse it.
        raise ClockError(f"{setting}: {value!r} needs an offset, e.g. 2026-06-19T23:59:00+02:00")
    return parsed.astimezone(UTC)


@dataclass
class Clock:
    """Knows now, the open/close instants (UTC) and the display zone."""

    open_at: datetime | None
    close_at: datetime | None
    zone: ZoneInfo
    # Owners asked for changes may revise until this instant, even after close_at.
    revisions_close_at: datetime | None = None
    frozen_at: datetime | None = field(default=None)

    @property
    def zone_name(self) -> str:
        """How pages name the display zone ("Geneva time"): a city for a zone in ZONE_CITIES,
        else the zone's key with spaces ("America/New York")."""
        return ZONE_CITIES.get(self.zone.key, self.zone.key.replace("_", " "))

    def now(self) -> datetime:
        """The current instant in UTC; within a request, the instant the request arrived
        (stamped by init_app before anything reads the body).

        One instant per request means a post is judged by when it arrived, and every check
        in it agrees. Tests move time with freeze().
        """
        if self.frozen_at is not None:
            return self.frozen_at
        if has_request_context():
            if "hub_now" not in g:
                g.hub_now = datetime.now(UTC)
            return g.hub_now
        return datetime.now(UTC)

    def freeze(self, instant: datetime | None) -> None:
        """Pin now() to an instant (None = real time again)."""
        self.frozen_at = instant.astimezone(UTC) if instant else None

    def phase(self, now: datetime | None = None, close_at: datetime | None = None) -> Phase:
        """Whether submissions are not yet open, open, or closed at `now` (for the general
        cutoff, or for `close_at`: an account's later deadline)."""
        now = now or self.now()
        close_at = close_at or self.close_at
        if self.open_at and now < self.open_at:
            return Phase.NOT_YET_OPEN
        if close_at and now >= close_at:
            return Phase.CLOSED
        return Phase.OPEN

    def seconds_left(self, close_at: datetime | None = None) -> int | None:
        """Whole seconds until the cutoff (or `close_at`), or None when there is none or it
        has passed."""
        close_at = close_at or self.close_at
        if not close_at:
            return None
        left = int((close_at - self.now()).total_seconds())
        return left if left > 0 else None

    def local(self, instant: datetime) -> datetime:
        """An instant in the display zone."""
        if instant.tzinfo is None:  # SQLite hands back naive UTC
            instant = instant.replace(tzinfo=UTC)
        return instant.astimezone(self.zone)

    def format(self, instant: datetime | None, with_time: bool = True) -> str:
        """'19 June 2026, 23:59 CEST' in the display zone, in the page's language (CLDR)."""
        if instant is None:
            return ""
        local = self.local(instant)
        locale = date_locale()
        day = format_date(local, "long", locale=locale)
        if not with_time:
            return day
        time = format_time(local, "HH:mm", locale=locale)
        return gettext(
            "%(date)s, %(time)s %(zone)s", date=day, time=time, zone=local.tzname() or ""
        )


def clock_from_config(config: dict) -> Clock:
    """Build the clock from the HUB_SUBMISSIONS_*, HUB_REVISIONS_CLOSE_AT, HUB_TIMEZONE."""
    open_at = parse_instant(config.get("HUB_SUBMISSIONS_OPEN_AT"), "HUB_SUBMISSIONS_OPEN_AT")
    close_at = parse_instant(config.get("HUB_SUBMISSIONS_CLOSE_AT"), "HUB_SUBMISSIONS_CLOSE_AT")
    if open_at and close_at and close_at <= open_at:
        raise ClockError("HUB_SUBMISSIONS_CLOSE_AT must be after HUB_SUBMISSIONS_OPEN_AT")
    try:
        zone = ZoneInfo(config.get("HUB_TIMEZONE") or "Europe/Zurich")
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError for odd keys
        raise ClockError(f"HUB_TIMEZONE: unknown time zone {config.get('HUB_TIMEZONE')!r}") from exc
    revisions_close_at = parse_instant(
        config.get("HUB_REVISIONS_CLOSE_AT"), "HUB_REVISIONS_CLOSE_AT"
    )
    return Clock(
        open_at=open_at, close_at=close_at, zone=zone, revisions_close_at=revisions_close_at
    )


ARRIVED_AT = "hub.arrived_at"  # WSGI environ key: the instant the request reached the hub


class _StampArrival:
    """WSGI middleware: note when a request arrived, before its body is read (a slow upload
    started before the cutoff is judged by when it started, not by when it finished)."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        """Stamp the environ, then hand over."""
        environ.setdefault(ARRIVED_AT, datetime.now(UTC))
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Make each request's "now" the instant it arrived."""
    app.wsgi_app = _StampArrival(app.wsgi_app)  # type: ignore[method-assign]

    @app.before_request
    def _arrival() -> None:
        # Set, not kept: a request inside an outer app context (CLI, tests) has its own.
        g.hub_now = request.environ.get(ARRIVED_AT) or datetime.now(UTC)


def clock() -> Clock:
    """The current app's clock."""
    return current_app.extensions["hub_clock"]
