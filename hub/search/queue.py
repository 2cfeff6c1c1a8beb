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
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, event, insert, select
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


def apply_tasks(sessions: sessionmaker[Session], source: Source, writer: Any, batch: int) -> int:
    """Re-read the first `batch` queued items from SQL, make the index agree through
    `writer` and commit it, then dequeue them; returns how many were applied. An error of
    the index (not of SQL) cancels the writer and raises IndexWriteFailed, the tasks left
    queued."""
    with sessions() as session:
        tasks = session.execute(
            select(IndexTask.id, IndexTask.submission_id).order_by(IndexTask.id).limit(batch)
        ).all()
        ids = {t.submission_id for t in tasks}
        docs = dict(source.documents(session, ids))
    if not tasks:
        writer.cancel()
        return 0
    try:
        for gone in ids - docs.keys():
            writer.delete_by_term("id", str(gone))
        for doc in docs.values():
            writer.update_document(**doc)
        writer.commit()
    except Exception as exc:
        with suppress(Exception):
            writer.cancel()
        if getattr(writer, "writelock", None) is not None:
            with suppress(Exception):  # released unless cancel() failed: never keep it
                writer.writelock.release()
        raise IndexWriteFailed(exc) from exc
    with sessions() as session, session.begin():
        session.execute(delete(IndexTask).where(IndexTask.id.in_([t.id for t in tasks])))
    logger.info("Index updated: %d public, %d removed", len(docs), len(ids) - len(docs))
    return len(tasks)


class IndexWriteFailed(Exception):
    """Writing queued updates into the index failed (a damaged index): they stay queued."""

    def __init__(self, error: Exception) -> None:
        """The index's own error is `error`."""
        super().__init__(repr(error))
        self.error = error
