"""URLs: row ids and slugs in them (only what can name a row, anything else is a 404), and
absolute links on the hub's public address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import SecurityError
from werkzeug.routing import BaseConverter, MapAdapter, ValidationError

# Primary keys are 32-bit integers on PostgreSQL; a larger number cannot name a row (and
# would fail inside the database driver instead of being "not found").
MAX_ID = 2**31 - 1


def parse_id(value: Any) -> int | None:
    """A positive id the database can hold, from a form or query value; None otherwise."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter(BaseConverter):
    """`<id:name>`: like `<int:name>`, bounded to ids that can exist."""

    regex = r"\d{1,10}"

    def to_python(self, value: str) -> int:
        """The id, or no match (a 404) when out of range."""
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        """The id as written in URLs."""
        return str(int(value))


class SlugConverter(BaseConverter):
    """`<slug:name>`: the public slugs the hub makes ('ai-skills-for-all-k3x9q2'); any other
    text (NUL bytes, other scripts) is a 404 before it reaches the database."""

    regex = r"[A-Za-z0-9][A-Za-z0-9-]{0,79}"


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute URL of `endpoint` on HUB_BASE_URL (its scheme, host and path prefix).

    Every absolute link the hub hands out (the feed, the API records, the OpenAPI servers,
    e-mails, the permanent link of a page) is built here, never from the request's Host or
    X-Forwarded-* headers, which any client can write. Works without a request (the mail
    sender runs in none).
    """
    return _public_adapter().build(endpoint, values, force_external=True)


def _public_adapter() -> MapAdapter:
    """The URL map bound to HUB_BASE_URL, made once per app and address (an export builds
    one link per row)."""
    base_url = current_app.config["HUB_BASE_URL"]
    cached = current_app.extensions.get("hub_public_adapter")
    if cached is not None and cached[0] == base_url:
        return cached[1]
    base = urlsplit(base_url)
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    current_app.extensions["hub_public_adapter"] = (base_url, adapter)
    return adapter


def init_app(app: Flask) -> None:
    """Register the converters and the refusal of hosts HUB_ALLOWED_HOSTS does not list
    (before every other hook: create_app calls this first)."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["slug"] = SlugConverter

    @app.before_request
    def _refuse_unknown_host() -> None:
        """Flask found the Host not in TRUSTED_HOSTS (HUB_ALLOWED_HOSTS): answer the 400 at
        once, before throttling counts the request or CSRF reads it. The host is forgotten
        first: Werkzeug refuses it again each time it is read (by the error page, say), which
        would turn the 400 into a 500."""
        if isinstance(request.routing_exception, SecurityError):
            request.host = ""
            raise request.routing_exception
