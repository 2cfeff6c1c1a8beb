"""Commands: flask --app hub reindex | check-index."""

from __future__ import annotations

import click
from flask import Flask, current_app

from hub.search.engine import IndexUnavailable, SearchIndex


def register(app: Flask) -> None:
    """Add the search commands to the app's CLI."""

    @app.cli.command("reindex")
    def reindex_command() -> None:
        """Rebuild the search index from the database into a fresh directory, swap it in."""
        import time

        index: SearchIndex = current_app.extensions["hub_search"]
        started = time.perf_counter()
        count = index.rebuild()
        click.echo(
            f"Indexed {count} approved submissions in {time.perf_counter() - started:.1f}"
            f" s into {index.link} (swapped in atomically)."
        )

    @app.cli.command("check-index")
    @click.option("--show", default=20, show_default=True, help="How many ids to list.")
    def check_index_command(show: int) -> None:
        """Report approved submissions missing from the index and documents that should not
        be there; exit status 1 if they differ."""
        from sqlalchemy import select

        from hub.extensions import db
        from hub.search.models import IndexTask

        index: SearchIndex = current_app.extensions["hub_search"]
        problem = index.problem()
        if problem:  # say so rather than rebuild it here: the operator asked for a check
            raise click.ClickException(
                f"The search index at {index.link} is {problem}: run `flask --app hub reindex`."
            )
        index.drain(timeout=10)
        try:
            indexed = index.indexed_ids()
        except IndexUnavailable as exc:
            raise click.ClickException(
                f"No readable index at {index.link}: run `flask --app hub reindex`."
            ) from exc
        public = index.source.public_ids(db.session)
        queued = len(db.session.scalars(select(IndexTask.id)).all())
        missing, extra = sorted(public - indexed), sorted(indexed - public)
        click.echo(
            f"{len(public)} approved in the database, {len(indexed)} in the index, "
            f"{queued} updates queued."
        )
        click.echo(f"Missing from the index: {len(missing)} {missing[:show] if missing else ''}")
        click.echo(f"Extra in the index (not public): {len(extra)} {extra[:show] if extra else ''}")
        if missing or extra:
            raise SystemExit(1)
