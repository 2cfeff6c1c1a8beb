"""The durable queue of search-index updates: written with the change, drained by anyone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Base, UTCDateTime, utcnow


class IndexTask(Base):
    """'Re-read submission N from SQL and make the index agree' (add, update or delete).

    No foreign key: a task must survive the deletion of its submission so the document
    is removed from the index too.
    """

    __tablename__ = "index_tasks"
    # Ids are never reused (SQLite would reuse them once the queue is empty): the page cache
    # keys on the newest task id, so a new task must always carry a new, higher id.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
