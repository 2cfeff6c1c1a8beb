"""Settings: safe defaults, then instance/config.py, then HUB_* environment variables."""

from __future__ import annotations

import difflib
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

logger = logging.getLogger("hub.config")

# The checkout: templates, static files and migrations live beside the package.
ROOT = Path(__file__).resolve().parent.parent

# Every setting the hub reads, with its default. README's settings table mirrors this.
DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None = SQLite file instance/hub.sqlite3
    "SECRET_KEY": None,  # None = generated once into instance/secret_key
    "SUBMISSIONS_OPEN_AT": None,
    "SUBMISSIONS_CLOSE_AT": None,
    "REVISIONS_CLOSE_AT": None,  # None = owners asked for changes may revise any time
    "TIMEZONE": "Europe/Zurich",
    "BASE_URL": "http://127.0.0.1:5000",  # every absolute link: e-mails, feed, API
    "ALLOWED_HOSTS": "",  # comma-separated Host names served; empty = any (development)
    "MAIL_SERVER": None,  # None = mails stay in the outbox and are logged
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_SENDER": "Partnerships Hub <no-reply@hub.invalid>",
    "MAIL_TIMEOUT_SECONDS": 10,
    "MAIL_SEND_AFTER_REQUEST": True,
    "MODERATOR_DIGEST_MINUTES": 15,
    # Days before the cutoff when owners and co-editors of drafts are reminded (send-reminders);
    # comma-separated, e.g. "7,1"; empty = no reminders.
    "REMINDER_DAYS": "7,1",
    "MAX_REQUEST_BYTES": 1024 * 1024,
    "MIN_PASSWORD_LENGTH": 10,
    "PASSWORD_HASH_METHOD": "scrypt",  # werkzeug's method string; tests use a fast one
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
    "LOG_LEVEL": "INFO",
    "TRUSTED_PROXIES": 0,  # reverse proxies in front whose X-Forwarded-* headers are believed
    # Who answers for the personal data the hub keeps, shown on /privacy: a name and a postal
    # or e-mail address. Empty = a placeholder, and the page warns that it is not set.
    "DATA_CONTROLLER": "",
    "HEALTH_TOKEN": "",  # Bearer token that shows /healthz's details; empty = staff only
    "INDEX_DIR": None,  # None = instance/index (a symlink to the generation in use)
    "INDEX_WRITER_TIMEOUT": 0.5,  # seconds a request waits for Whoosh's writer lock
    "INDEX_SYNC_BUILD_MAX": 500,  # a missing index with more documents builds in background
    "PAGE_CACHE": 256,  # rendered public pages kept per process for anonymous visitors
    # Throttled posts (hub/ratelimit.py). Per-IP limits are higher than per-account ones:
    # a conference network or a ministry's proxy puts many people behind one address.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE": "database",  # or "memory": per process, not shared by workers
    "RATELIMIT_LOGIN": "10 per 15 minutes per account; 100 per 15 minutes per IP",
    "RATELIMIT_REGISTER": "50 per hour per IP",
    "RATELIMIT_PASSWORD": "5 per 15 minutes per account; 50 per 15 minutes per IP",
    "RATELIMIT_SUBMIT": "60 per 10 minutes per account; 600 per 10 minutes per IP",
    "RATELIMIT_DECIDE": "300 per 10 minutes per account; 1000 per 10 minutes per IP",
    "RATELIMIT_TWOFACTOR": "5 per 15 minutes per account; 50 per 15 minutes per IP",
    "RATELIMIT_CONTACT": "5 per hour per account; 20 per hour per IP; 10 per hour per submission",
    # "required": moderators and admins reach the moderation and admin pages only with
    # two-factor authentication on. "optional" by default so that an upgrade does not stop
    # staff at work; README and docs/security.md say why and advise "required".
    "STAFF_2FA": "optional",
}

# HUB_* names that are not settings of the hub but are read by its tests, benchmarks and
# Makefile; every other HUB_* name is most likely a typo, and the hub says so at start.
KNOWN_EXTRA_NAMES = {
    "HUB_REQUIRE_BROWSER",  # tests/browser: fail rather than skip without Chromium
    "HUB_CHROMIUM",  # tests/browser and the Makefile: the Chromium to drive
    "HUB_BENCH_PG_URL",  # bench/submit_rush.py: the PostgreSQL server to measure
}
# HUB_TEST_* variables belong to the test suite (HUB_TEST_DATABASE_URL).
TEST_PREFIX = "HUB_TEST_"

_INT_SETTINGS = {
    "MAX_REQUEST_BYTES",
    "MIN_PASSWORD_LENGTH",
    "SQLITE_BUSY_TIMEOUT_MS",
    "MAIL_PORT",
    "MAIL_TIMEOUT_SECONDS",
    "MODERATOR_DIGEST_MINUTES",
    "INDEX_SYNC_BUILD_MAX",
    "TRUSTED_PROXIES",
    "PAGE_CACHE",
}
_FLOAT_SETTINGS = {"INDEX_WRITER_TIMEOUT"}
_BOOL_SETTINGS = {"MAIL_USE_TLS", "MAIL_SEND_AFTER_REQUEST", "RATELIMIT_ENABLED"}


def load_settings(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config with HUB_* settings in the documented order of precedence."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(f"HUB_{key}", value)
    app.config.from_pyfile("config.py", silent=True)
    for key, value in os.environ.items():
        if key.startswith("HUB_") and not key.startswith("HUB_TEST_"):
            name = key.removeprefix("HUB_")
            if name in _INT_SETTINGS:
                try:
                    app.config[key] = int(value)
                except ValueError as exc:
                    raise ValueError(f"{key} must be a whole number, not {value!r}") from exc
            elif name in _FLOAT_SETTINGS:
                try:
                    app.config[key] = float(value)
                except ValueError as exc:
                    raise ValueError(f"{key} must be a number of seconds, not {value!r}") from exc
            elif name in _BOOL_SETTINGS:
                app.config[key] = value.strip().lower() in ("1", "true", "yes", "on")
            else:
                app.config[key] = value
    if test_config:
        app.config.update(test_config)

    _check_base_url(app.config["HUB_BASE_URL"])
    app.config["HUB_STAFF_2FA"] = _staff_2fa(app.config["HUB_STAFF_2FA"])
    app.config["HUB_REMINDER_DAYS"] = reminder_days(app.config["HUB_REMINDER_DAYS"])
    # Flask answers a request for a host not listed with a 400 (hub/errors.py's page).
    app.config["TRUSTED_HOSTS"] = allowed_hosts(app.config["HUB_ALLOWED_HOSTS"]) or None
    if not app.config["HUB_DATABASE_URL"]:
        db_path = Path(app.instance_path) / "hub.sqlite3"
        app.config["HUB_DATABASE_URL"] = f"sqlite:///{db_path}"
    app.config["SECRET_KEY"] = app.config["HUB_SECRET_KEY"] or _stored_secret(app)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["HUB_MAX_REQUEST_BYTES"])
    # Forms may stay open for hours before the cutoff; the CSRF token must outlive them.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    _cookie_flags(app.config)
    # One session for every language: /fr/… pages are served under SCRIPT_NAME "/fr".
    app.config.setdefault("SESSION_COOKIE_PATH", "/")


def _staff_2fa(value: Any) -> str:
    """HUB_STAFF_2FA, checked at start: a typo must not silently mean "optional"."""
    setting = str(value or "").strip().lower()
    if setting not in ("required", "optional"):
        raise ValueError(f"HUB_STAFF_2FA must be 'required' or 'optional', not {value!r}")
    return setting


MAX_REMINDER_DAYS = 366


def reminder_days(value: Any) -> tuple[int, ...]:
    """HUB_REMINDER_DAYS as whole days, farthest first ("7,1" → (7, 1); empty → ()); anything
    else stops the hub at start, so a typo does not silently send no reminders."""
    entries = value if isinstance(value, list | tuple) else str(value or "").split(",")
    days: set[int] = set()
    for entry in entries:
        text = str(entry).strip()
        if not text:
            continue
        if not text.isdigit() or not 1 <= int(text) <= MAX_REMINDER_DAYS:
            raise ValueError(
                "HUB_REMINDER_DAYS lists whole numbers of days before the cutoff between 1 and "
                f"{MAX_REMINDER_DAYS}, separated by commas (e.g. 7,1; empty = no reminders); "
                f"{text!r} is none"
            )
        days.add(int(text))
    return tuple(sorted(days, reverse=True))


def _cookie_flags(config: Any) -> None:
    """SameSite=Lax and HttpOnly always; Secure when HUB_BASE_URL is an https:// address
    (hub.security also makes them Secure on any request that came over HTTPS through the
    trusted proxies). Flask defines SESSION_COOKIE_SAMESITE (None) and _SECURE (False), so
    setdefault() would leave them as they are."""
    https = str(config["HUB_BASE_URL"]).lower().startswith("https://")
    if config.get("SESSION_COOKIE_SAMESITE") is None:
        config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SECURE"] = bool(config.get("SESSION_COOKIE_SECURE")) or https
    # Flask-Login's "remember me" cookie (the hub sets none today), with the same flags.
    config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    config.setdefault("REMEMBER_COOKIE_SECURE", https)


def _check_base_url(value: Any) -> None:
    """Refuse to start with a public address that links in e-mails cannot be built on (a
    typo found at start, not as a failed decision in the middle of the call)."""
    problem = (
        "HUB_BASE_URL must be an absolute http(s) address such as "
        f"https://hub.example.org, not {value!r}"
    )
    try:
        parts = urlsplit(str(value))
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise ValueError(problem) from exc
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise ValueError(problem)


# A host name or IPv4 address (a leading dot: any subdomain), with an optional port: what
# Werkzeug can match a Host header against (it cannot match IPv6 addresses).
_ALLOWED_HOST = re.compile(r"\.?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?", re.I)


def allowed_hosts(value: Any) -> list[str]:
    """HUB_ALLOWED_HOSTS as a list (comma-separated, blanks ignored); an entry no Host header
    could match stops the hub at start. Werkzeug compares names only: a port is accepted
    and ignored."""
    entries = value if isinstance(value, list | tuple) else str(value or "").split(",")
    hosts = [str(entry).strip() for entry in entries if str(entry).strip()]
    for host in hosts:
        if not _ALLOWED_HOST.fullmatch(host):
            raise ValueError(
                "HUB_ALLOWED_HOSTS lists host names such as hub.example.org or "
                f".example.org (any subdomain), separated by commas; {host!r} is none"
            )
    return hosts


def unknown_settings(names: Iterable[str]) -> list[tuple[str, str | None]]:
    """The HUB_* names among `names` that the hub does not know, each with the closest
    setting it does know (None when nothing is close)."""
    known = [f"HUB_{key}" for key in DEFAULTS]
    unknown = []
    for name in sorted(set(names)):
        if (
            not name.startswith("HUB_")
            or name.startswith(TEST_PREFIX)
            or name in known
            or name in KNOWN_EXTRA_NAMES
        ):
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        unknown.append((name, close[0] if close else None))
    return unknown


def warn_unknown_settings(app: Flask) -> None:
    """Log a warning for each HUB_* name in the environment or instance/config.py that is no
    setting (a typo would otherwise silently leave, say, the cutoff unset)."""
    for name, close in unknown_settings([*os.environ, *app.config]):
        hint = f" Did you mean {close}?" if close else ""
        logger.warning(
            "%s is not a setting of the hub and is ignored.%s Settings are listed in README.md.",
            name,
            hint,
        )


def _stored_secret(app: Flask) -> str:
    """Return the instance secret key, creating it once with mode 0600."""
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = path.with_name(f"secret_key.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    # link() fails if another worker won the race; then everyone uses the winner's key.
    try:
        os.link(tmp, path)
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        tmp.unlink()
    return key
