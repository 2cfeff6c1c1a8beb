"""Recording state changes: one audit row and one log line per change."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from hub.audit.models import Action, AuditEvent
from hub.clock import clock
from hub.extensions import db

if TYPE_CHECKING:
    from hub.auth.models import User
    from hub.submissions.models import Submission

logger = logging.getLogger("hub.audit")


def record(
    action: Action,
    actor: User | None,
    submission: Submission | None = None,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    message: str = "",
    subject_user: User | None = None,
) -> AuditEvent:
    """Add an audit event in the current transaction (who, when in UTC, from → to, message)."""
    event = AuditEvent(
        action=action,
        actor=actor,
        submission=submission,
        subject_user=subject_user,
        from_status=from_status,
        to_status=to_status,
        message=message[:4000],
        created_at=clock().now(),
    )
    db.session.add(event)
    subject = (
        f"submission={submission.id}"
        if submission is not None
        else f"account={subject_user.email}"
        if subject_user is not None
        else "-"
    )
    logger.info(
        "%s: %s by=%s %s -> %s %s",
        action.value,
        subject,
        actor.email if actor is not None else "system",
        from_status or "-",
        to_status or "-",
        message[:200],
    )
    return event
