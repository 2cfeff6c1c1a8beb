"""The command line an operator uses: init-db, create-user, seed-demo; and the migration."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import create_engine, inspect, select, text

from hub import create_app
from hub.auth.models import Role, User
from hub.auth.operations import authenticate
from hub.cli import alembic_config
from hub.extensions import db
from hub.models import Base
from hub.submissions.models import Submission
from hub.vocab import KINDS

GOOD_PASSWORD = "a-long-enough-password"


@pytest.fixture
def make_app(app_config: dict[str, Any]) -> Iterator[Any]:
    """Factory: an app on the test settings with some replaced; engines disposed afterwards."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        application = create_app({**app_config, **overrides})
        made.append(application)
        return application

    yield make
    for application in made:
        application.extensions["hub_db"].kw["bind"].dispose()


def invoke(app: Flask, *args: str, input: str | None = None) -> Any:
    """Run `flask <args>` against `app`, as an operator would."""
    return app.test_cli_runner().invoke(args=list(args), input=input)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def users(app: Flask) -> list[User]:
    with app.app_context():
        rows = list(db.session.scalars(select(User).order_by(User.id)))
        db.session.expunge_all()
        return rows


# --- init-db -------------------------------------------------------------------------------


def test_init_db_creates_the_schema_on_a_fresh_sqlite_file_and_is_idempotent(make_app,
                                                                             tmp_path):
    path = tmp_path / "fresh" / "hub.sqlite3"
    path.parent.mkdir()
    url = f"sqlite:///{path}"
    app = make_app(HUB_DATABASE_URL=url)
    assert not path.exists() or table_names(url) == set()

    first = invoke(app, "init-db")

    assert first.exit_code == 0, first.output
    assert "Database is at the newest schema." in first.output
    tables = table_names(url)
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables

    # Data written between runs survives a second run, which changes nothing.
    created = invoke(app, "create-user", "ops@example.org", input=f"{GOOD_PASSWORD}\n")
    assert created.exit_code == 0, created.output
    second = invoke(app, "init-db")

    assert second.exit_code == 0, second.output
    assert "Database is at the newest schema." in second.output
    assert table_names(url) == tables
    assert [u.email for u in users(app)] == ["ops@example.org"]
    engine = create_engine(url)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert versions == [head_revision()]


def test_init_db_on_the_already_migrated_test_database_changes_nothing(app, create_user):
    create_user(email="kept@example.org")

    result = invoke(app, "init-db")

    assert result.exit_code == 0, result.output
    assert [u.email for u in users(app)] == ["kept@example.org"]
    assert app.test_client().get("/healthz").json["schema_revision"] == head_revision()


# --- create-user -----------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), [
    ([], Role.SUBMITTER),
    (["--role", "submitter"], Role.SUBMITTER),
    (["--role", "moderator"], Role.MODERATOR),
    (["--role", "admin"], Role.ADMIN),
])
def test_create_user_reads_the_password_from_stdin(app, role, expected):
    result = invoke(app, "create-user", "Mod@Example.org", *role, input=f"{GOOD_PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert f"Created {expected.value} mod@example.org." in result.output
    assert GOOD_PASSWORD not in result.output
    [user] = users(app)
    assert (user.email, user.role, user.display_name) == ("mod@example.org", expected, "Mod")
    with app.app_context():
        assert authenticate("mod@example.org", GOOD_PASSWORD) is not None


def test_created_user_can_log_in_on_the_site(app):
    invoke(app, "create-user", "mod@example.org", "--role", "moderator", "--name", "Mo Derator",
           "--organisation", "Secretariat", input=f"{GOOD_PASSWORD}\n")
    client = app.test_client()

    response = client.post("/account/login",
                           data={"email": "mod@example.org", "password": GOOD_PASSWORD})

    assert response.status_code == 302
    assert "Logged in as Mo Derator." in client.get(response.location).text
    [user] = users(app)
    assert user.organisation == "Secretariat"


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["create-user", "taken@example.org"], f"{GOOD_PASSWORD}\n",
     "An account for taken@example.org exists already."),
    (["create-user", "TAKEN@Example.ORG", "--role", "admin"], f"{GOOD_PASSWORD}\n",
     "An account for taken@example.org exists already."),
    (["create-user", "new@example.org"], "short\n", "The password needs at least 10 characters."),
    (["create-user", "new@example.org"], "\n", "The password needs at least 10 characters."),
    (["create-user", "new@example.org"], "", "The password needs at least 10 characters."),
    (["create-user", "new@example.org", "--role", "superuser"], f"{GOOD_PASSWORD}\n",
     "Invalid value for '--role'"),
    (["create-user", "new@example.org", "--role", "Moderator"], f"{GOOD_PASSWORD}\n",
     "Invalid value for '--role'"),
])
def test_create_user_refusals_are_clear_and_change_nothing(app, create_user, args, stdin,
                                                           message):
    create_user(email="taken@example.org", role="submitter")
    before = [(u.email, u.role, u.password_hash) for u in users(app)]

    result = invoke(app, *args, input=stdin)

    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert [(u.email, u.role, u.password_hash) for u in users(app)] == before


def test_create_user_honours_the_configured_minimum_password_length(make_app):
    app = make_app(HUB_MIN_PASSWORD_LENGTH=24)

    short = invoke(app, "create-user", "a@example.org", input="x" * 23 + "\n")
    enough = invoke(app, "create-user", "a@example.org", input="x" * 24 + "\n")

    assert short.exit_code != 0
    assert "The password needs at least 24 characters." in short.output
    assert enough.exit_code == 0, enough.output


@pytest.mark.parametrize("email", ["not-an-email", "ops@", "two words@example.org"])
def test_create_user_refuses_an_invalid_email(app, email):
    result = invoke(app, "create-user", email, input=f"{GOOD_PASSWORD}\n")

    assert result.exit_code != 0
    assert "valid e-mail address" in result.output
    assert users(app) == []


# --- seed-demo -------------------------------------------------------------------------------


ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŒ]")


def test_seed_demo_creates_varied_submissions(app):
    pytest.importorskip("hub.demo")

    result = invoke(app, "seed-demo", "--count", "12")

    assert result.exit_code == 0, result.output
    assert "Created 12 demo submissions." in result.output
    with app.app_context():
        rows = list(db.session.scalars(select(Submission)))
    assert len(rows) == 12
    assert {row.kind for row in rows} == set(KINDS)
    french = [row for row in rows if row.language == "fr"]
    assert french, "no French submission"
    assert any(ACCENTED.search(f"{row.title} {row.summary} {row.description}")
               for row in french), "no French text with accents"


def test_seed_demo_is_repeatable_with_the_same_seed(make_app, tmp_path):
    pytest.importorskip("hub.demo")
    titles = []
    for name in ("first", "second"):
        app = make_app(HUB_DATABASE_URL=f"sqlite:///{tmp_path / name}.sqlite3")
        assert invoke(app, "init-db").exit_code == 0
        result = invoke(app, "seed-demo", "--count", "5", "--seed", "7")
        assert result.exit_code == 0, result.output
        with app.app_context():
            titles.append(sorted(db.session.scalars(select(Submission.title))))
    assert len(titles[0]) == 5
    assert titles[0] == titles[1]


# --- The migration matches the models ------------------------------------------------------------


def test_migration_matches_the_models(database_url):
    """A model change without a migration would break the next deployment's init-db."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                             "render_as_batch": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_migrated_template_is_at_head(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    assert current == head_revision()

