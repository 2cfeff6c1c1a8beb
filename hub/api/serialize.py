"""The public form of a submission: an explicit list of fields, so nothing private leaks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hub import vocab
from hub.auth.models import User
from hub.routing import public_url
from hub.submissions.fields import LIST_FIELDS, PUBLIC_CONTENT
from hub.submissions.models import Submission

# Stable column order of the exports; the API items have the same keys (plus `url`). The
# submitter's public fields and which of them are lists (LIST_FIELDS) come from
# hub/submissions/fields.py.
PUBLIC_FIELDS = ("slug", "kind", *PUBLIC_CONTENT, "published_at", "updated_at")


def utc(instant: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z (SQLite hands back naive UTC)."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def public_record(s: Submission, contacts: list[User] | None = None) -> dict[str, Any]:
    """The approved submission's public fields (never the contact e-mail, owner or status);
    with `contacts` (the API), its public contacts too."""
    out: dict[str, Any] = {}
    for name in PUBLIC_FIELDS:
        value = getattr(s, name)
        # First publication, then the last change of the public version: updated_at (the
        # column) also moves with edits the public never sees (a pending update).
        if name == "published_at":
            value = s.first_published_at
        elif name == "updated_at":
            value = s.published_at or s.updated_at
        if isinstance(value, datetime):
            value = utc(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif name in LIST_FIELDS:
            value = list(value or [])
        out[name] = value
    out["url"] = public_url("public.detail", slug=s.slug)
    out["kind_label"] = vocab.KINDS.get(s.kind, s.kind)
    # The published logo only: an approved item's logo_id is its public one (an update's
    # new logo waits in the pending revision).
    logo = s.logo
    out["logo_url"] = (
        public_url("submissions.logo", logo_id=logo.id, sha256=logo.sha256) if logo else None
    )
    if contacts is not None:
        out["public_contacts"] = contact_list(s, contacts)
    return out


def contact_list(s: Submission, contacts: list[User]) -> list[dict[str, str]]:
    """The public contacts: the submission's contact name, then the co-editors who chose to
    be listed (name and organisation; never an e-mail address)."""
    first = [{"name": s.contact_name, "organisation": ""}] if s.contact_name else []
    return first + [{"name": u.display_name, "organisation": u.organisation} for u in contacts]
