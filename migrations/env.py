"""Alembic environment: the hub's metadata, the URL from the caller's config."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from hub.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    # Plain `alembic` runs (e.g. autogenerate during development) use the app's settings.
    from hub import create_app

    return (
        create_app().config["HUB_DATABASE_URL"]
        if not os.environ.get("HUB_DATABASE_URL")
        else os.environ["HUB_DATABASE_URL"]
    )


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a live database (batch mode so SQLite can alter tables)."""
    engine = create_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
