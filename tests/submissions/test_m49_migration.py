"""Migration 0018_m49 on an installed hub: countries mapped to M49, regions recomputed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy import create_engine, make_url, text

from hub.cli import alembic_config

from helpers import PG_URL

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def filled(table: sa.Table, **values: Any) -> dict[str, Any]:
    """`values`, plus a plain value for every other column the database requires (the table as
    it stands at 0012, whatever columns later migrations add)."""
    plain = {
        sa.JSON: [],
        sa.DateTime: NOW,
        sa.Date: date(2026, 1, 1),
        sa.Integer: 1,
        sa.Boolean: False,
    }
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.primary_key or column.nullable or column.server_default is not None:
            continue
        kind = next((v for t, v in plain.items() if isinstance(column.type, t)), "x")
        row[column.name] = kind
    return {**row, **values}


def check(url: str) -> None:
    """Old data at 0012 → 0018_m49: what each stored list becomes."""
    command.upgrade(alembic_config(url), "0012_coedit")
    engine = create_engine(url)
    meta = sa.MetaData()
    users, subs, revs = (
        sa.Table(name, meta, autoload_with=engine) for name in ("users", "submissions", "revisions")
    )
    old = {
        # countries, hand-ticked regions → expected countries, regions
        "taiwan": (["TW", "CN", "JP"], ["asia_pacific"], ["CN", "JP"], ["asia"]),
        "arab": (["EG", "SA", "TN"], ["arab_states"], ["EG", "SA", "TN"], ["africa", "asia"]),
        "cis": (["KZ", "RU"], ["cis", "europe"], ["KZ", "RU"], ["asia", "europe"]),
        "global": (["global", "FR"], ["global"], ["global", "FR"], ["europe", "global"]),
        "contradicts": (["BR"], ["africa"], ["BR"], ["americas"]),
        "unknown": (["XK", "AN", "KE"], [], ["KE"], ["africa"]),
        "empty": ([], ["europe"], [], []),
    }
    with engine.begin() as conn:
        owner = conn.execute(
            users.insert().values(
                filled(users, email="o@example.org", role="submitter", password_hash="x")
            )
        ).inserted_primary_key[0]
        ids = {}
        for slug, (countries, regions, _, _) in old.items():
            ids[slug] = conn.execute(
                subs.insert().values(
                    filled(
                        subs,
                        slug=slug,
                        owner_id=owner,
                        kind="initiative",
                        status="draft",
                        countries=countries,
                        regions=regions,
                        kept_changes={"countries": ["TW"], "regions": ["cis"]}
                        if slug == "taiwan"
                        else None,
                    )
                )
            ).inserted_primary_key[0]
        conn.execute(
            revs.insert().values(
                filled(
                    revs,
                    submission_id=ids["cis"],
                    status="rejected",
                    decided_at=NOW,
                    content={"title": "T", "countries": ["TW", "UA"], "regions": ["cis"]},
                )
            )
        )
    command.upgrade(alembic_config(url), "0018_m49")
    with engine.connect() as conn:
        stored = {
            r.slug: (r.countries, r.regions, r.kept_changes)
            for r in conn.execute(
                sa.select(subs.c.slug, subs.c.countries, subs.c.regions, subs.c.kept_changes)
            )
        }
        (content,) = conn.execute(sa.select(revs.c.content)).scalars()
    engine.dispose()
    for slug, (_, _, countries, regions) in old.items():
        assert stored[slug][:2] == (countries, regions), slug
    assert stored["taiwan"][2] == {"countries": ["CN"], "regions": ["asia"]}
    assert content == {"title": "T", "countries": ["CN", "UA"], "regions": ["asia", "europe"]}


def test_migration_maps_countries_to_m49_and_derives_regions(tmp_path):
    check(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    if PG_URL:  # a database of its own on the server
        name = f"hub_test_m49_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            check(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
