"""Index updates ride on the transaction that causes them.

`after_flush` writes an IndexTask row in the same transaction as the change (so a flush to
get an id, or an autoflush, is never missed and a dying worker loses nothing);
`after_commit` drains the queue into Whoosh; `after_rollback` forgets what was collected
(the task rows roll back with everything else). The source decides which changes touch the
public index; this module only queues their ids.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, event, insert
from sqlalchemy.orm import Session, sessionmaker

from hub.search.models import IndexTask
from hub.search.source import Source

logger = logging.getLogger("hub.search")
PENDING = "hub_index_pending"


def add_tasks(connection: Connection | Session, ids: Collection[int]) -> None:
    """Queue one task per id (ascending), in the transaction of `connection`."""
    now = datetime.now(UTC)
    connection.execute(insert(IndexTask), [{"submission_id": i, "created_at": now} for i in ids])


def enqueue(session: Session, ids: set[int]) -> None:
    """Queue the ids not yet queued by this transaction, on the session's connection."""
    ids = ids - session.info.get(PENDING, set())
    if not ids:
        return
    add_tasks(session.connection(), sorted(ids))
    session.info.setdefault(PENDING, set()).update(ids)


def listen(sessions: sessionmaker[Session], source: Source, drain: Callable[[], Any]) -> None:
    """Attach the hooks to the app's sessions: queue the source's changes, then `drain`."""

    @event.listens_for(sessions, "after_flush")
    def collect(session: Session, _flush_context: Any) -> None:
        """Queue what this flush changed of the public items."""
        enqueue(session, source.changed_ids(session))

    @event.listens_for(sessions, "after_commit")
    def apply(session: Session) -> None:
        """Drain the queue after the outermost commit."""
        # Releasing a SAVEPOINT fires after_commit too, while the outer transaction (and, on
        # SQLite, its write lock) is still held: only the outermost commit publishes.
        if session.in_nested_transaction():
            return
        if session.info.pop(PENDING, None):
            try:
                drain()
            except Exception:  # the change is committed and queued: never fail the request
                logger.exception("Index update failed; it stays queued")

    @event.listens_for(sessions, "after_rollback")
    def forget(session: Session) -> None:
        """Forget what a rolled-back transaction queued."""
        # A rolled-back SAVEPOINT leaves the outer transaction's tasks to be drained.
        if not session.in_nested_transaction():
            session.info.pop(PENDING, None)
