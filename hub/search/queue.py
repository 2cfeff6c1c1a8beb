"""Index updates ride on the transaction that causes them.

`after_flush` writes an IndexTask row in the same transaction as the change (so a flush to
get an id, or an autoflush, is never missed and a dying worker loses nothing);
`after_commit` drains the queue into Whoosh; `after_rollback` forgets what was collected
(the task rows roll back with everything else).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from hub.search.engine import SearchIndex
from hub.search.models import IndexTask
from hub.submissions.models import Status, Submission

logger = logging.getLogger("hub.search")
PENDING = "hub_index_pending"


def _touches_public(obj: Submission, new: bool) -> bool:
    """Whether a flushed change can alter what the public index should hold."""
    if obj.status is Status.APPROVED:
        return True
    if new:
        return False
    history = inspect(obj).attrs.status.history
    return Status.APPROVED in (history.deleted or ())


def collect(session: Session, _flush_context: Any) -> None:
    """Queue a task for every submission whose public version may have changed."""
    ids = {
        obj.id
        for obj in session.new
        if isinstance(obj, Submission) and _touches_public(obj, new=True)
    }
    ids |= {
        obj.id
        for obj in session.dirty
        if isinstance(obj, Submission) and _touches_public(obj, new=False)
    }
    ids |= {obj.id for obj in session.deleted if isinstance(obj, Submission)}
    ids.discard(None)
    ids -= session.info.get(PENDING, set())
    if not ids:
        return
    now = datetime.now(UTC)
    session.connection().execute(
        insert(IndexTask), [{"submission_id": i, "created_at": now} for i in sorted(ids)]
    )
    session.info.setdefault(PENDING, set()).update(ids)


def listen(sessions: sessionmaker[Session], index: SearchIndex) -> None:
    """Attach the hooks to the app's sessions."""
    event.listen(sessions, "after_flush", collect)

    @event.listens_for(sessions, "after_commit")
    def apply(session: Session) -> None:
        # Releasing a SAVEPOINT fires after_commit too, while the outer transaction (and, on
        # SQLite, its write lock) is still held: only the outermost commit publishes.
        if session.in_nested_transaction():
            return
        if session.info.pop(PENDING, None):
            try:
                index.drain()
            except Exception:  # the change is committed and queued: never fail the request
                logger.exception("Index update failed; it stays queued")

    @event.listens_for(sessions, "after_rollback")
    def forget(session: Session) -> None:
        # A rolled-back SAVEPOINT leaves the outer transaction's tasks to be drained.
        if not session.in_nested_transaction():
            session.info.pop(PENDING, None)
