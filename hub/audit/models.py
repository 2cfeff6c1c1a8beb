"""The audit trail: who changed what, when, from which state to which.

The audit sits below the areas and imports none of them: it names the accounts and
submissions it refers to by table (foreign keys) and by class name (relationships).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Base, UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:  # for the annotations only: the areas import the audit, not the reverse
    from hub.auth.models import User
    from hub.submissions.models import Submission


class Action(enum.StrEnum):
    """Every kind of recorded state change."""

    CREATED = "created"
    EDITED = "edited"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    MARKED_DUPLICATE = "marked_duplicate"
    REVISION_PROPOSED = "revision_proposed"
    REVISION_APPROVED = "revision_approved"
    REVISION_REJECTED = "revision_rejected"
    EXCEPTION_GRANTED = "exception_granted"
    EXCEPTION_REVOKED = "exception_revoked"
    LATE_POST_KEPT = "late_post_kept"
    REGISTERED = "registered"
    EMAIL_CONFIRMED = "email_confirmed"
    SESSIONS_ENDED = "sessions_ended"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGED = "password_changed"
    EMAIL_CHANGE_REQUESTED = "email_change_requested"
    EMAIL_CHANGED = "email_changed"
    ACCOUNT_DELETED = "account_deleted"
    ROLE_CHANGED = "role_changed"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    RECOVERY_CODE_USED = "recovery_code_used"
    EDITOR_INVITED = "editor_invited"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_DECLINED = "invitation_declined"
    EDITOR_JOINED = "editor_joined"
    EDITOR_REMOVED = "editor_removed"
    EDITOR_LEFT = "editor_left"
    OWNERSHIP_HANDED_OVER = "ownership_handed_over"
    CALL_EDITED = "call_edited"
    TIME_REQUESTED = "time_requested"
    TIME_REQUEST_DECLINED = "time_request_declined"
    REMINDERS_STOPPED = "reminders_stopped"
    NOTE_ADDED = "note_added"
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    RELEASED = "released"
    REASON_ADDED = "reason_added"
    REASON_EDITED = "reason_edited"
    REASON_RETIRED = "reason_retired"
    REASON_RESTORED = "reason_restored"
    CONTACT_RELAYED = "contact_relayed"


# The moderators' own work on an item (hub/moderation/team.py): in the review page's history
# and the audit CSV, never in the owner's history or their data export.
MODERATORS_ONLY = frozenset({Action.NOTE_ADDED, Action.CLAIMED, Action.ASSIGNED, Action.RELEASED})


class AuditEvent(Base):
    """Who did what to which submission (or account), when, from which state to which."""

    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint("length(message) <= 4000", name="message_length"),
        CheckConstraint(
            "submission_id IS NOT NULL OR subject_user_id IS NOT NULL", name="has_subject"
        ),
        Index("ix_audit_events_submission_created", "submission_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE")
    )
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[Action] = mapped_column(enum_type(Action, "audit_action"))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship("User", foreign_keys=[actor_id])
    subject_user: Mapped[User | None] = relationship("User", foreign_keys=[subject_user_id])
    submission: Mapped[Submission | None] = relationship("Submission")
