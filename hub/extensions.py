"""Extensions created once and bound to the app in create_app()."""

from __future__ import annotations

import enum
import logging
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, Engine, Enum, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from hub.textfold import fold

logger = logging.getLogger("hub.extensions")

# Stable constraint names so Alembic migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class UTCDateTime(TypeDecorator[datetime]):
    """An instant, stored in UTC and always read back as an aware UTC datetime.

    SQLite keeps no offset: without this, an aware Geneva time would be stored as its wall
    clock and read back as if it were UTC (an exception granted "until 18:00" would last
    until 20:00, a comparison with a local instant would be off by the offset).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect: Any) -> datetime | None:
        """Aware instants become UTC; naive ones are taken to be UTC already."""
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    def process_result_value(self, value: datetime | None, _dialect: Any) -> datetime | None:
        """Aware UTC, whatever the backend returned."""
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Aware UTC now, for column defaults (the request clock is hub.clock)."""
    return datetime.now(UTC)


def enum_type(cls: type[enum.Enum], name: str, length: int = 30) -> Enum:
    """A status column: stored as its value, guarded by a CHECK constraint on every backend."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
    )


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Database:
    """One engine per app, one session per app context (rolled back if not committed)."""

    def init_app(self, app: Flask) -> None:
        """Create the engine for HUB_DATABASE_URL and close sessions on teardown."""
        engine = make_engine(app.config["HUB_DATABASE_URL"], app.config)
        app.extensions["hub_db"] = sessionmaker(engine, expire_on_commit=False)
        # The session of a writing request takes SQLite's write lock when it begins (see
        # make_engine); other sessions opened meanwhile (the search index reading SQL) must
        # not, or they would wait for the request that is waiting for them.
        app.extensions["hub_db_writer"] = engine.execution_options(hub_write_lock=True)
        app.teardown_appcontext(self._close)
        # A request can run inside an app context pushed earlier (CLI, test harness); it must
        # still end its own transaction, or it would hold SQLite's write lock afterwards.
        app.teardown_request(self._close)

    @staticmethod
    def _close(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("hub_session", None)
        if session is None:
            return
        try:
            session.close()  # rolls back anything not committed
        except SQLAlchemyError as exc:
            # The connection died (the server restarted, an administrator ended it) after
            # the answer was made: failing here would replace a page already rendered, or
            # cut a download, with gunicorn's bare 500. Nothing uncommitted survives a lost
            # connection anyway; invalidate it so the pool opens a new one.
            logger.warning(
                "Closing the request's database session failed (%s); connection discarded",
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
            )
            with suppress(SQLAlchemyError):
                session.invalidate()

    @property
    def session(self) -> Session:
        """The session of the current app context."""
        from flask import current_app

        if "hub_session" not in g:
            sessions = current_app.extensions["hub_db"]
            writing = has_request_context() and request.method not in SAFE_METHODS
            g.hub_session = (
                sessions(bind=current_app.extensions["hub_db_writer"]) if writing else sessions()
            )
        return g.hub_session

    @property
    def engine(self) -> Engine:
        """The engine of the current app."""
        from flask import current_app

        return current_app.extensions["hub_db"].kw["bind"]


def make_engine(url: str, config: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    if not url.startswith("sqlite"):
        # pool_pre_ping: a pooled connection the server ended meanwhile (restart, failover,
        # pg_terminate_backend) is replaced at checkout instead of failing the request.
        return create_engine(url, pool_pre_ping=True)
    busy_ms = int(config.get("HUB_SQLITE_BUSY_TIMEOUT_MS", 15000))
    engine = create_engine(url, connect_args={"timeout": busy_ms / 1000})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite's own is lazy).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
        # Case- and accent-insensitive matching (hub.textfold): SQLite's lower() is ASCII-only.
        dbapi_conn.create_function("hub_fold", 1, fold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Any) -> None:
        # A writing request's session locks at BEGIN: a deferred transaction that reads and
        # then writes fails at once with SQLITE_BUSY when another worker wrote in between.
        immediate = conn.get_execution_options().get("hub_write_lock")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
