"""Saving the call's texts in one language: flush and audit, the view commits."""

from __future__ import annotations

from hub.admin.call import FIELD_NAMES, CallText, call_text
from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db


def save_call(language: str, values: dict[str, str], actor: User) -> list[str]:
    """Store the texts of one language (the other languages are not touched) and audit
    which fields changed; nothing is written when nothing changed."""
    row = call_text(language)
    if row is None:
        row = CallText(language=language, version=0, **{name: "" for name in FIELD_NAMES})
    changed = [name for name in FIELD_NAMES if (getattr(row, name) or "") != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(row, name, values[name])
    row.version = (row.version or 0) + 1
    row.updated_at = clock().now()
    row.updated_by_id = actor.id
    db.session.add(row)
    db.session.flush()
    record(
        Action.CALL_EDITED,
        actor,
        subject_user=actor,
        message=f"language={language} fields={','.join(changed)}",
    )
    return changed
