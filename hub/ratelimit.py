"""Throttling of posts that guess or flood: logins, registrations, password changes,
submissions, moderators' decisions and messages to a submission's contact. Browsing is never
throttled.

Each scope has limits such as "10 per 15 minutes per account; 100 per 15 minutes per IP"
(HUB_RATELIMIT_<SCOPE>), counted over a sliding window. The attempts are kept in the
database by default, so every gunicorn worker (and every server) sees the same counts
without another service to run; HUB_RATELIMIT_STORAGE=memory keeps them per process
instead (each worker then allows the limit on its own).

A hook counts the attempt before the view runs and leaves the refusal in `g`; the view
re-shows its form, with what was typed, and a 429 (`throttled()`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import Flask, current_app, g, request, session
from flask_babel import ngettext
from sqlalchemy import Index, String, Table, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.wrappers import Response

from hub.clock import clock
from hub.extensions import Base, UTCDateTime

logger = logging.getLogger("hub.ratelimit")

# The posts each scope covers (endpoint -> scope). "password" covers what mails a link or
# checks a current password: a forgotten password, a reset, the account page's password and
# address changes, and sending the confirmation link again.
SCOPES = {
    "auth.login": "login",
    "auth.register": "register",
    "auth.forgot": "password",
    "auth.reset": "password",
    "auth.change_password": "password",
    "auth.change_email": "password",
    "auth.resend_confirmation": "password",
    "submissions.new": "submit",
    "submissions.edit": "submit",
    "submissions.invite": "submit",  # each invitation mails an address the owner names
    "submissions.more_time": "submit",  # each request reaches the moderators
    "moderation.decide": "decide",
    "moderation.duplicate": "decide",
    "moderation.bulk": "decide",
    "moderation.decide_revision_view": "decide",
    "privacy.delete_account": "password",  # the current password confirms a deletion
    # Codes of the authenticator app (or recovery codes): six digits are guessable.
    "auth.login_code": "twofactor",
    "auth.two_factor_enable": "twofactor",
    "auth.two_factor_recovery": "twofactor",
    "auth.two_factor_disable": "twofactor",
    # Messages relayed to a submission's contact: per sender, per IP and per submission.
    "contact.write": "contact",
}
# Where hub/auth/twofactor.py keeps, in the session, the account that gave its password and
# owes its code: the code attempts count against that account.
PENDING_KEY = "hub_2fa_pending"
SETTINGS = {
    scope: f"HUB_RATELIMIT_{scope.upper()}"
    for scope in ("login", "register", "password", "submit", "decide", "twofactor", "contact")
}
# Scopes that may also count per submission (the one in the address: /s/<slug>/…).
PER_SUBMISSION = ("contact",)

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_LIMIT = re.compile(r"(\d+) per (?:(\d+) )?(second|minute|hour|day)s? per (account|ip|submission)")


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts per `seconds`, counted per account or per IP address."""

    count: int
    seconds: int
    per: str  # "account", "ip" or "submission"


def parse_limits(name: str, value: str | None) -> list[Limit]:
    """'10 per 15 minutes per account; 100 per hour per IP' -> limits ('' = none)."""
    limits: list[Limit] = []
    for part in filter(None, (p.strip().lower() for p in (value or "").split(";"))):
        found = _LIMIT.fullmatch(re.sub(r"\s+", " ", part))
        if found is None or int(found[1]) < 1 or found[2] == "0":
            raise ValueError(
                f"{name}: {part!r} is not like '10 per 15 minutes per account' "
                "or '100 per hour per IP'"
            )
        per = found[4]
        if any(limit.per == per for limit in limits):
            raise ValueError(f"{name}: give one limit per account and one per IP at most")
        if per == "submission" and not name.endswith(tuple(s.upper() for s in PER_SUBMISSION)):
            raise ValueError(
                f"{name}: only messages to a submission's contact count per submission"
            )
        limits.append(Limit(int(found[1]), int(found[2] or 1) * _UNITS[found[3]], per))
    return limits


@dataclass(frozen=True)
class Throttle:
    """A throttled attempt: how long until the next one is allowed."""

    retry_after: int  # seconds

    @property
    def minutes(self) -> int:
        """The wait in whole minutes, rounded up."""
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        """What the person reads above the form."""
        return ngettext(
            "Too many attempts, try again in %(num)d minute. Nothing was saved or sent.",
            "Too many attempts, try again in %(num)d minutes. Nothing was saved or sent.",
            self.minutes,
        )


def throttled() -> Throttle | None:
    """The refusal of this request's post, if it was throttled."""
    return g.get("hub_throttled")


class RateLimitHit(Base):
    """One counted attempt in one bucket (a scope and a hashed account or IP address)."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_bucket_at", "bucket", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


Buckets = list[tuple[str, Limit]]


class Store(Protocol):
    """Where attempts are counted."""

    def hit(self, buckets: Buckets, now: datetime) -> int | None:
        """Count one attempt in every bucket, unless one is full: then the seconds to wait."""


class DatabaseStore:
    """Attempts as rows of rate_limit_hits, written on a connection of their own (the
    request's transaction may roll back; a failed login must still count)."""

    def __init__(self, app: Flask) -> None:
        self.engine = app.extensions["hub_db"].kw["bind"]
        self.longest = max(
            (
                limit.seconds
                for limits in app.extensions["hub_ratelimit"].values()
                for limit in limits
            ),
            default=0,
        )

    def hit(self, buckets: Buckets, now: datetime) -> int | None:
        """Forget attempts older than every window, count, and record if allowed."""
        table = RateLimitHit.__table__
        assert isinstance(table, Table)  # a mapped class's table (typed FromClause)
        wait = 0
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.at <= now - timedelta(seconds=self.longest)))
            for bucket, limit in buckets:
                since = now - timedelta(seconds=limit.seconds)
                count, oldest = conn.execute(
                    select(func.count(), func.min(table.c.at)).where(
                        table.c.bucket == bucket, table.c.at > since
                    )
                ).one()
                if count >= limit.count:
                    wait = max(wait, _seconds_until(oldest, limit, now))
            if wait:
                return wait
            conn.execute(
                insert(table), [{"bucket": bucket, "at": now} for bucket, _limit in buckets]
            )
        return None


class MemoryStore:
    """Attempts kept in this process only (each worker counts on its own)."""

    def __init__(self) -> None:
        self.hits: defaultdict[str, deque[datetime]] = defaultdict(deque)
        self.lock = threading.Lock()

    def hit(self, buckets: Buckets, now: datetime) -> int | None:
        """As DatabaseStore.hit."""
        wait = 0
        with self.lock:
            for bucket, limit in buckets:
                hits = self.hits[bucket]
                while hits and hits[0] <= now - timedelta(seconds=limit.seconds):
                    hits.popleft()
                if len(hits) >= limit.count:
                    wait = max(wait, _seconds_until(hits[0], limit, now))
            if wait:
                return wait
            for bucket, _limit in buckets:
                self.hits[bucket].append(now)
        return None


def _seconds_until(oldest: datetime, limit: Limit, now: datetime) -> int:
    """Seconds until the oldest counted attempt leaves the window (at least 1)."""
    return max(1, math.ceil((oldest + timedelta(seconds=limit.seconds) - now).total_seconds()))


def _bucket(scope: str, per: str, who: str) -> str:
    """A bucket name that does not store the address or e-mail itself."""
    return hashlib.sha256(f"{scope}\0{per}\0{who}".encode()).hexdigest()[:64]


def account_buckets(user_id: int, email: str, ip: str | None) -> list[str]:
    """The buckets that count an account's own attempts (and guesses at its e-mail from
    `ip`): what a deleted account leaves behind. Those per address alone are nobody's."""
    found = [_bucket(scope, "account", f"user:{user_id}") for scope in SETTINGS]
    if ip is not None:
        found += [_bucket(scope, "account", f"email:{email}\0ip:{ip}") for scope in SETTINGS]
    return found


def _who(scope: str) -> dict[str, str]:
    """The account and the IP address the attempt counts against."""
    found = {"ip": request.remote_addr or "unknown"}
    if scope == "login" or (scope == "password" and "email" in request.form):
        email = (request.form.get("email") or "").strip().lower()
        if email:
            # Guesses at an account are counted per address they come from: otherwise anyone
            # could lock a delegate out on deadline day by typing wrong passwords for their
            # e-mail. Guesses from many addresses meet each address's own limit.
            found["account"] = f"email:{email}\0ip:{found['ip']}"
    elif scope == "contact" and not session.get("_user_id"):
        # A visitor is counted per address they typed (which the link is mailed to).
        email = (request.form.get("email") or "").strip().lower()
        if email:
            found["account"] = f"email:{email}"
    elif scope == "twofactor" and isinstance(session.get(PENDING_KEY), dict):
        # Between password and code nobody is logged in yet: count against the account.
        found["account"] = f"user:{session[PENDING_KEY].get('user')}"
    elif session.get("_user_id"):  # Flask-Login's id of the logged-in account
        # "<account>:<login session>": counted per account, whichever session it is.
        found["account"] = f"user:{str(session['_user_id']).partition(':')[0]}"
    if scope in PER_SUBMISSION and request.view_args and "slug" in request.view_args:
        found["submission"] = f"slug:{request.view_args['slug']}"
    return found


def _count_attempt() -> None:
    """Before a throttled view: count this post, and leave a refusal in g if over a limit."""
    if request.method != "POST" or not current_app.config["HUB_RATELIMIT_ENABLED"]:
        return
    scope = SCOPES.get(request.endpoint or "")
    if scope is None or (scope == "submit" and request.form.get("action") == "similar"):
        return  # checking for similar submissions saves nothing
    limits = current_app.extensions["hub_ratelimit"][scope]
    who = _who(scope)
    buckets = [
        (_bucket(scope, limit.per, who[limit.per]), limit) for limit in limits if limit.per in who
    ]
    if not buckets:
        return
    try:
        wait = current_app.extensions["hub_ratelimit_store"].hit(buckets, clock().now())
    except SQLAlchemyError as exc:  # a busy or absent counter must not lock people out
        logger.warning("Rate limit not checked on %s: %s", request.path, exc)
        return
    if wait is not None:
        logger.info("Throttled %s on %s for %s s", scope, request.path, wait)
        g.hub_throttled = Throttle(wait)


def _say_when(response: Response) -> Response:
    """A throttled post's answer tells clients when to come back (Retry-After)."""
    throttle = throttled()
    if throttle is not None:
        if response.status_code == 429:
            response.headers["Retry-After"] = str(throttle.retry_after)
        else:  # a view in SCOPES that does not check throttled(): the limit is not enforced
            logger.error("%s was throttled but answered %s", request.endpoint, response.status_code)
    return response


def init_app(app: Flask) -> None:
    """Read the limits (a wrong one stops the start) and count throttled posts."""
    app.extensions["hub_ratelimit"] = {
        scope: parse_limits(name, app.config.get(name)) for scope, name in SETTINGS.items()
    }
    storage = (app.config["HUB_RATELIMIT_STORAGE"] or "database").strip().lower()
    if storage not in ("database", "memory"):
        raise ValueError(f"HUB_RATELIMIT_STORAGE must be 'database' or 'memory', not {storage!r}")
    store: Any = DatabaseStore(app) if storage == "database" else MemoryStore()
    app.extensions["hub_ratelimit_store"] = store
    app.before_request(_count_attempt)
    app.after_request(_say_when)
