"""Every model, imported so Base.metadata knows all tables (Alembic, tests)."""

from hub.audit.models import Action, AuditEvent
from hub.auth.models import Role, User, UserSession
from hub.auth.parking import ParkedPost
from hub.extensions import Base
from hub.mail.models import OutboxMail
from hub.moderation.models import DigestItem
from hub.ratelimit import RateLimitHit
from hub.search.models import IndexTask
from hub.submissions.deadlines import DeadlineException
from hub.submissions.editors import Invitation, InvitationStatus, SubmissionEditor
from hub.submissions.models import Status, Submission
from hub.submissions.reasons import ReasonUse, StandardReason
from hub.submissions.revisions import Revision, RevisionStatus

__all__ = [
    "Action",
    "AuditEvent",
    "Base",
    "DeadlineException",
    "DigestItem",
    "IndexTask",
    "Invitation",
    "InvitationStatus",
    "OutboxMail",
    "ParkedPost",
    "RateLimitHit",
    "Revision",
    "RevisionStatus",
    "ReasonUse",
    "Role",
    "StandardReason",
    "Status",
    "Submission",
    "SubmissionEditor",
    "User",
    "UserSession",
]
