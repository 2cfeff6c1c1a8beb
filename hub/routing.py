"""Row ids in URLs and forms: only what the database can hold, so anything else is a 404."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter, ValidationError

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
