"""Every model, imported so Base.metadata knows all tables (Alembic, tests)."""

from hub.admin.call import CallText
from hub.audit.models import Action, AuditEvent
from hub.auth.models import Role, User, UserSession
from hub.auth.parking import ParkedPost
from hub.extensions import Base
from hub.mail.models import OutboxMail
from hub.moderation.models import Assignment, DigestItem, ModeratorNote
from hub.public.contact.models import HeldMessage
from hub.ratelimit import RateLimitHit
from hub.search.models import IndexTask
from hub.submissions.deadlines import DeadlineException
from hub.submissions.editors import Invitation, InvitationStatus, SubmissionEditor
from hub.submissions.models import Status, Submission
from hub.submissions.reasons import ReasonUse, StandardReason
from hub.submissions.reminders import DraftReminder
from hub.submissions.revisions import Revision, RevisionStatus
from hub.submissions.timerequests import RequestStatus, TimeRequest

__all__ = [
    "Action",
    "Assignment",
    "AuditEvent",
    "Base",
    "CallText",
    "DeadlineException",
    "DigestItem",
    "DraftReminder",
    "HeldMessage",
    "IndexTask",
    "Invitation",
    "InvitationStatus",
    "ModeratorNote",
    "OutboxMail",
    "ParkedPost",
    "RateLimitHit",
    "RequestStatus",
    "Revision",
    "RevisionStatus",
    "ReasonUse",
    "Role",
    "StandardReason",
    "Status",
    "Submission",
    "SubmissionEditor",
    "TimeRequest",
    "User",
    "UserSession",
]
