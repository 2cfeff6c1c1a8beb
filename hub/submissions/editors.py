"""Who may work on a submission: its owner and the co-editors who accepted an invitation.

Ownership stays in `submissions.owner_id` (one source of truth: a hand-over changes that
column and swaps the two people's rows in one transaction); this table holds only the
co-editors, so no "role" column could ever disagree with owner_id. Every check of "may this
account change this submission" goes through can_edit() (and is_owner() for what only the
owner may do: invite, remove, hand over).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.audit.models import MODERATORS_ONLY, AuditEvent
from hub.auth.models import EMAIL_MAX, User
from hub.extensions import Base, UTCDateTime, db, enum_type, utcnow
from hub.submissions.models import Submission

INVITE_DAYS = 14  # how long an invitation link works
MAX_PENDING = 10  # pending invitations per submission


class SubmissionEditor(Base):
    """A co-editor of a submission: may edit, submit and withdraw it like its owner."""

    __tablename__ = "submission_editors"
    __table_args__ = (UniqueConstraint("submission_id", "user_id", name="uq_submission_editor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Listed on the public page as a contact (name and organisation, never the address):
    # each co-editor decides for themselves.
    public_contact: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()
    submission: Mapped[Submission] = relationship()


class InvitationStatus(enum.StrEnum):
    """Where an invitation to co-edit stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"


class Invitation(Base):
    """An invitation to co-edit, mailed to an address; only a hash of its secret is kept."""

    __tablename__ = "editor_invitations"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint(f"length(email) <= {EMAIL_MAX}", name="email_length"),
        CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="decided_iff_done"),
        CheckConstraint("(status = 'accepted') = (accepted_by_id IS NOT NULL)", name="accepted_by"),
        # One pending invitation per address and submission: inviting again re-sends it.
        Index(
            "uq_editor_invitations_one_pending",
            "submission_id",
            "email",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[InvitationStatus] = mapped_column(
        enum_type(InvitationStatus, "invitation_status"), default=InvitationStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    submission: Mapped[Submission] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])


def is_owner(user: object, submission: Submission) -> bool:
    """Whether `user` (any current_user, anonymous included) owns the submission."""
    return getattr(user, "id", None) is not None and submission.owner_id == user.id  # type: ignore[attr-defined]


def editor_row(user: object, submission: Submission) -> SubmissionEditor | None:
    """The co-editor row of `user` on the submission, if they co-edit it."""
    user_id = getattr(user, "id", None)
    if user_id is None or submission.id is None:
        return None
    return db.session.scalar(
        select(SubmissionEditor).where(
            SubmissionEditor.submission_id == submission.id, SubmissionEditor.user_id == user_id
        )
    )


def can_edit(user: object, submission: Submission) -> bool:
    """Whether `user` may edit, submit and withdraw the submission: its owner or a co-editor."""
    return is_owner(user, submission) or editor_row(user, submission) is not None


def co_edited_ids(user_id: int) -> set[int]:
    """Ids of the submissions the account co-edits (not those it owns)."""
    return set(
        db.session.scalars(
            select(SubmissionEditor.submission_id).where(SubmissionEditor.user_id == user_id)
        )
    )


def co_editors(submission: Submission) -> list[SubmissionEditor]:
    """The submission's co-editors, in the order they joined."""
    return list(
        db.session.scalars(
            select(SubmissionEditor)
            .where(SubmissionEditor.submission_id == submission.id)
            .order_by(SubmissionEditor.added_at, SubmissionEditor.id)
        )
    )


def everyone_on(submission: Submission) -> list[User]:
    """The owner, then the co-editors: who hears about the submission by e-mail."""
    return [submission.owner, *(row.user for row in co_editors(submission))]


def public_contacts(submission: Submission) -> list[User]:
    """The co-editors who chose to be listed as public contacts (name and organisation)."""
    return [row.user for row in co_editors(submission) if row.public_contact]


def pending_invitations(submission: Submission) -> list[Invitation]:
    """The submission's invitations not yet answered (expired ones included: the owner sees
    them, and may revoke them or invite again)."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.submission_id == submission.id,
                Invitation.status == InvitationStatus.PENDING,
            )
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


def submissions_of(user: User) -> list[tuple[Submission, bool]]:
    """(submission, co-edited) for what `user` owns or co-edits, most recently changed first."""
    co_edited = select(SubmissionEditor.submission_id).where(SubmissionEditor.user_id == user.id)
    stmt = (
        select(Submission)
        .where(or_(Submission.owner_id == user.id, Submission.id.in_(co_edited)))
        .order_by(Submission.updated_at.desc(), Submission.id.desc())
    )
    return [(s, s.owner_id != user.id) for s in db.session.scalars(stmt)]


def history(submission: Submission) -> list[AuditEvent]:
    """The submission's audit trail, oldest first: who did what (shown to the people on it)."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.submission_id == submission.id,
                AuditEvent.action.not_in(MODERATORS_ONLY),  # the moderators' own work on it
            )
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )


def listed_contacts(submission_ids: list[int] | None) -> dict[int, list[User]]:
    """The co-editors listed as public contacts of each of these submissions (or of every
    submission: None), in one query; a submission without any may be missing."""
    found: dict[int, list[User]] = {i: [] for i in submission_ids or ()}
    stmt = select(SubmissionEditor).where(SubmissionEditor.public_contact.is_(True))
    if submission_ids is not None:
        if not submission_ids:
            return found
        stmt = stmt.where(SubmissionEditor.submission_id.in_(submission_ids))
    rows = db.session.scalars(stmt.order_by(SubmissionEditor.added_at, SubmissionEditor.id))
    for row in rows:
        found.setdefault(row.submission_id, []).append(row.user)
    return found
