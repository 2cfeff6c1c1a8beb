"""Submissions and their status."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask import request, url_for
from flask_babel import gettext
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from hub.auth.models import User
from hub.extensions import Base, UTCDateTime, utcnow
from hub.i18n import N_, ROOT_KEY
from hub.routing import public_url
from hub.vocab import KINDS, LANGUAGES, STAKEHOLDER_GROUPS

# Field limits: the forms and the database constraints both read these.
LIMITS: dict[str, int] = {
    "title": 200,
    "summary": 600,
    "description": 20000,
    "lead_organisation": 200,
    "website": 500,
    "contact_name": 120,
    "contact_email": 254,
    "partners": 4000,
    "objectives": 4000,
    "member_organisations": 4000,
    "resources": 4000,
    "timeline": 4000,
}


# Most values a list field may hold (the forms allow each choice once, so they stay below):
# the database refuses anything else than a JSON array of at most this many values.
LIST_LIMITS: dict[str, int] = {
    "countries": 300,  # ISO 3166 has 249 today, plus "global"
    "regions": 20,
    "themes": 50,
    "sdgs": 17,
}


class Status(enum.StrEnum):
    """The life of a submission; the only source of truth for what state it is in."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# Approved items are edited through a pending revision (the public text stays until approved).
EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED)
DECIDED = (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED)
WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED)

STATUS_LABELS = {
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Submitted — awaiting review"),
    Status.CHANGES_REQUESTED: N_("Changes requested"),
    Status.APPROVED: N_("Approved — public"),
    Status.REJECTED: N_("Rejected"),
    Status.WITHDRAWN: N_("Withdrawn"),
}


def _in_list(column: str, values: Any) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _length_checks() -> tuple[CheckConstraint, ...]:
    return tuple(
        CheckConstraint(f"length({col}) <= {limit}", name=f"{col}_length")
        for col, limit in LIMITS.items()
    )


def list_check_sql(column: str, limit: int) -> str:
    """SQL true when `column` holds a JSON array of at most `limit` values.

    The same text on SQLite and PostgreSQL (JSON columns are `json` there):
    json_array_length exists on both, and the JSON text of an array starts with "[".
    SQLite's json_array_length answers 0 for a non-array, hence the LIKE; PostgreSQL's
    raises an error for one, which refuses the row as well.
    """
    return f"json_array_length({column}) <= {limit} AND CAST({column} AS TEXT) LIKE '[%'"


def _list_checks() -> tuple[CheckConstraint, ...]:
    return tuple(
        CheckConstraint(list_check_sql(col, limit), name=f"{col}_list")
        for col, limit in LIST_LIMITS.items()
    )


class Submission(Base):
    """An initiative, coalition, partnership or concrete action."""

    __tablename__ = "submissions"
    __table_args__ = (
        *_length_checks(),
        *_list_checks(),
        CheckConstraint(_in_list("kind", KINDS), name="kind_known"),
        CheckConstraint(
            "stakeholder_group IS NULL OR " + _in_list("stakeholder_group", STAKEHOLDER_GROUPS),
            name="stakeholder_known",
        ),
        CheckConstraint("language IS NULL OR " + _in_list("language", LANGUAGES), name="language"),
        # Anything in or past review has been submitted at some instant (a draft may be
        # withdrawn without ever being submitted).
        CheckConstraint(
            "status IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL",
            name="submitted_at_set",
        ),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR end_date >= start_date", name="date_order"
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        # A moderator's decision is recorded exactly while the item is in a decided state.
        CheckConstraint(
            "(status IN ('approved', 'rejected', 'changes_requested'))"
            " = (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_iff_decided_state",
        ),
        CheckConstraint(
            "status NOT IN ('rejected', 'changes_requested') OR length(decision_message) > 0",
            name="decision_message_required",
        ),
        CheckConstraint("length(decision_message) <= 4000", name="decision_message_length"),
        CheckConstraint(
            "duplicate_of_id IS NULL OR (status = 'rejected' AND duplicate_of_id <> id)",
            name="duplicate_is_rejected",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[Status] = mapped_column(
        Enum(
            Status,
            name="submission_status",
            native_enum=False,
            create_constraint=True,
            values_callable=lambda e: [m.value for m in e],
            length=20,
        ),
        default=Status.DRAFT,
        index=True,
        # The index queue must know a status that left "approved", even when it was set on an
        # expired object without being read first (hub/search/queue.py).
        active_history=True,
    )

    title: Mapped[str] = mapped_column(String(LIMITS["title"]), default="")
    summary: Mapped[str] = mapped_column(String(LIMITS["summary"]), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    lead_organisation: Mapped[str] = mapped_column(String(LIMITS["lead_organisation"]), default="")
    stakeholder_group: Mapped[str | None] = mapped_column(String(30))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sdgs: Mapped[list[int]] = mapped_column(JSON, default=list)
    partners: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(LIMITS["website"]), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(10))
    contact_name: Mapped[str] = mapped_column(String(LIMITS["contact_name"]), default="")
    contact_email: Mapped[str] = mapped_column(String(LIMITS["contact_email"]), default="")

    # Kind-specific fields (empty for the other kinds).
    objectives: Mapped[str] = mapped_column(Text, default="")  # initiative
    member_organisations: Mapped[str] = mapped_column(Text, default="")  # coalition
    resources: Mapped[str] = mapped_column(Text, default="")  # partnership
    timeline: Mapped[str] = mapped_column(Text, default="")  # concrete action

    # Text a user posted after the cutoff: refused, but kept for them to read and copy.
    kept_changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    kept_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The content as the moderator last saw it when deciding: the diff on resubmission.
    reviewed_content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # One-time token of the form that created it: a double-click cannot create two.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When its public version last changed (its approval, then each approved update): the
    # public "updated". The first publication is the approval's decided_at (first_published_at).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_message: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    # The logo shown with it (the public one once approved; a pending revision may name
    # another). No foreign key: logos belong to their submission (logos.submission_id), and a
    # cycle of keys between the two tables would need deferred constraints to delete either.
    logo_id: Mapped[int | None] = mapped_column(Integer)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    duplicate_of: Mapped[Submission | None] = relationship(remote_side=[id])
    # Loaded with the submissions of a page in one query (cards), without the image bytes.
    logo: Mapped[Logo | None] = relationship(
        primaryjoin=lambda: foreign(Submission.logo_id) == Logo.id, lazy="selectin", viewonly=True
    )

    # Optimistic locking: an UPDATE whose version changed under it raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_label(self) -> str:
        """Human label of the kind, in the page's language."""
        return gettext(KINDS[self.kind]) if self.kind in KINDS else self.kind

    @property
    def status_label(self) -> str:
        """Human label of the status, in the page's language."""
        return gettext(STATUS_LABELS[self.status])

    @property
    def decision_text(self) -> str:
        """The moderators' message in the reader's language: a duplicate's is the hub's own
        note, written when it is read (decision_message keeps the English record)."""
        original = self.duplicate_of
        if original is None or self.status is not Status.REJECTED:
            return self.decision_message
        return duplicate_note(original)

    @property
    def first_published_at(self) -> datetime | None:
        """When it became public: its approval. Approving a later update moves
        published_at, never decided_at, which an approved item always has."""
        if self.status is Status.APPROVED and self.decided_at is not None:
            return self.decided_at
        return self.published_at

    @property
    def is_editable(self) -> bool:
        """Whether the owner may still change it (the clock decides separately)."""
        return self.status in EDITABLE

    @property
    def is_withdrawable(self) -> bool:
        """Whether the owner may withdraw it."""
        return self.status in WITHDRAWABLE

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.kind} {self.status}>"


LOGO_TYPES = ("image/png", "image/jpeg", "image/webp")


class Logo(Base):
    """A submission's logo as the hub re-encoded it (hub/submissions/images.py): the bytes
    live in the database so that every server of the hub serves the same ones."""

    __tablename__ = "logos"
    __table_args__ = (
        UniqueConstraint("submission_id", "sha256", name="uq_logos_submission_sha256"),
        CheckConstraint(_in_list("mime_type", LOGO_TYPES), name="mime_type_known"),
        CheckConstraint("width BETWEEN 1 AND 512 AND height BETWEEN 1 AND 512", name="size"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    mime_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # Read only when the image itself is served.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def url(self) -> str:
        """Its address: the digest in it changes with the bytes, so it may be cached long.
        Without the page's language prefix: one address (and one cached copy) per logo."""
        path = url_for("submissions.logo", logo_id=self.id, sha256=self.sha256)
        prefixed = request.script_root
        return request.environ.get(ROOT_KEY, prefixed) + path.removeprefix(prefixed)


def duplicate_note(original: Submission) -> str:
    """What the owner of a duplicate of `original` is told, in the reader's language: the
    original's title and address only when it is public."""
    if original.status is Status.APPROVED:
        return gettext(
            "Duplicate of “%(title)s” (#%(id)d), already published: %(url)s",
            title=original.title,
            id=original.id,
            url=public_url("public.detail", slug=original.slug),
        )
    return gettext("Duplicate of submission #%(id)d, already received by the hub.", id=original.id)
