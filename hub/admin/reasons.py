"""Admins' changes to the standard reasons: they flush and audit, the view commits.

The audit row names the admin as its subject (a reason is not a submission) and quotes
the reason's label, so the trail says which text changed.
"""

from __future__ import annotations

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db
from hub.submissions.reasons import ReasonUse, StandardReason


def add_reason(label: str, text: str, use: ReasonUse, admin: User) -> StandardReason:
    """Keep a new standard reason, offered to moderators at once."""
    now = clock().now()
    reason = StandardReason(
        label=label.strip(), text=text.strip(), use=use, created_at=now, updated_at=now
    )
    db.session.add(reason)
    record(Action.REASON_ADDED, admin, subject_user=admin, message=reason.label)
    db.session.flush()
    return reason


def edit_reason(reason: StandardReason, label: str, text: str, use: ReasonUse, admin: User) -> bool:
    """Change a reason's label, text or use; False when nothing differs (nothing audited)."""
    label, text = label.strip(), text.strip()
    if (reason.label, reason.text, reason.use) == (label, text, use):
        return False
    before = reason.label
    reason.label, reason.text, reason.use = label, text, use
    reason.updated_at = clock().now()
    said = label if before == label else f"{before} → {label}"
    record(Action.REASON_EDITED, admin, subject_user=admin, message=said)
    db.session.flush()
    return True


def set_retired(reason: StandardReason, retired: bool, admin: User) -> bool:
    """Retire a reason (no longer offered; kept for the record) or bring it back."""
    if (reason.retired_at is not None) == retired:
        return False
    now = clock().now()
    reason.retired_at = now if retired else None
    reason.updated_at = now
    action = Action.REASON_RETIRED if retired else Action.REASON_RESTORED
    record(action, admin, subject_user=admin, message=reason.label)
    db.session.flush()
    return True
