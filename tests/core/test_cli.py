"""The command line an operator uses: init-db, create-user, seed-demo; and the migration."""

from __future__ import annotations

import re
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import CheckConstraint, create_engine, inspect, select, text

from hub.auth.models import Role, User
from hub.auth.operations import authenticate
from hub.cli import alembic_config
from hub.extensions import db
from hub.models import Base
from hub.submissions.models import Submission
from hub.vocab import KINDS

GOOD_PASSWORD = "a-long-enough-password"


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


def test_init_db_creates_the_schema_on_a_fresh_sqlite_file_and_is_idempotent(make_app, tmp_path):
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
    app.config["HUB_HEALTH_TOKEN"] = "monitoring-token"
    health = app.test_client().get("/healthz", headers={"Authorization": "Bearer monitoring-token"})
    assert health.json["schema_revision"] == head_revision()


# --- create-user -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ([], Role.SUBMITTER),
        (["--role", "submitter"], Role.SUBMITTER),
        (["--role", "moderator"], Role.MODERATOR),
        (["--role", "admin"], Role.ADMIN),
    ],
)
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
    invoke(
        app,
        "create-user",
        "mod@example.org",
        "--role",
        "moderator",
        "--name",
        "Mo Derator",
        "--organisation",
        "Secretariat",
        input=f"{GOOD_PASSWORD}\n",
    )
    client = app.test_client()

    response = client.post(
        "/account/login", data={"email": "mod@example.org", "password": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    assert "Logged in as Mo Derator." in client.get(response.location).text
    [user] = users(app)
    assert user.organisation == "Secretariat"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["create-user", "taken@example.org"],
            f"{GOOD_PASSWORD}\n",
            "An account for taken@example.org exists already.",
        ),
        (
            ["create-user", "TAKEN@Example.ORG", "--role", "admin"],
            f"{GOOD_PASSWORD}\n",
            "An account for taken@example.org exists already.",
        ),
        (
            ["create-user", "new@example.org"],
            "short\n",
            "The password needs at least 10 characters.",
        ),
        (["create-user", "new@example.org"], "\n", "The password needs at least 10 characters."),
        (["create-user", "new@example.org"], "", "The password needs at least 10 characters."),
        (
            ["create-user", "new@example.org", "--role", "superuser"],
            f"{GOOD_PASSWORD}\n",
            "Invalid value for '--role'",
        ),
        (
            ["create-user", "new@example.org", "--role", "Moderator"],
            f"{GOOD_PASSWORD}\n",
            "Invalid value for '--role'",
        ),
    ],
)
def test_create_user_refusals_are_clear_and_change_nothing(app, create_user, args, stdin, message):
    create_user(email="taken@example.org", role="submitter")
    before = [(u.email, u.role, u.password_hash) for u in users(app)]

    result = invoke(app, *args, input=stdin)

    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert [(u.email, u.role, u.password_hash) for u in users(app)] == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "   "], "Invalid value for '--name': the name cannot be blank."),
        (["--name", "\x00\x07"], "Invalid value for '--name': the name cannot be blank."),
        (
            ["--name", "n" * 121],
            "Invalid value for '--name': use at most 120 characters (not 121).",
        ),
        (
            ["--organisation", "o" * 201],
            "Invalid value for '--organisation': use at most 200 characters (not 201).",
        ),
    ],
)
def test_create_user_refuses_a_bad_name_or_organisation_clearly(app, args, message):
    result = invoke(app, "create-user", "new@example.org", *args, input=f"{GOOD_PASSWORD}\n")

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert users(app) == []


def test_create_user_takes_a_name_and_organisation_at_their_limits(app):
    result = invoke(
        app,
        "create-user",
        "new@example.org",
        "--name",
        " " + "n" * 120 + " ",
        "--organisation",
        "o" * 200,
        input=f"{GOOD_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    [user] = users(app)
    assert (user.display_name, user.organisation) == ("n" * 120, "o" * 200)


PROMPTS = (b"Password: ", b"Repeat for confirmation: ")


def in_a_terminal(args: list[str], env: dict[str, str], answers: list[bytes]) -> tuple[str, int]:
    """Run `flask --app hub <args>` in a pseudo-terminal, as an operator types: wait for each
    prompt, type its answer; return everything the terminal showed and the exit status."""
    import os
    import pty
    import select as select_
    import signal
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the terminal as its stdin
        os.chdir(root)
        os.execve(sys.executable, [sys.executable, "-m", "flask", "--app", "hub", *args], env)
    shown = b""
    pending = list(answers)

    stuck = False

    def read_more() -> bool:
        nonlocal shown, stuck
        ready, _, _ = select_.select([fd], [], [], 60)  # a safety net, not a timing
        if not ready:
            stuck = True
            return False
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            return False
        shown += chunk
        return bool(chunk)

    while True:
        # Answer a prompt only once it is shown: getpass empties what was typed before it.
        prompts = sum(shown.count(prompt) for prompt in PROMPTS)
        if pending and prompts > len(answers) - len(pending):
            os.write(fd, pending.pop(0))
            continue
        if not read_more():
            break
    if pending or stuck:  # it stopped answering: do not wait for it for ever
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return shown.decode(errors="replace"), os.waitstatus_to_exitcode(status)


@pytest.fixture
def terminal_env(app_config: dict[str, Any], tmp_path: Any) -> dict[str, str]:
    """The environment of an operator's shell pointed at the test database."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(
        HUB_DATABASE_URL=app_config["HUB_DATABASE_URL"],
        HUB_SECRET_KEY="test-secret",
        HUB_INDEX_DIR=str(tmp_path / "index"),
        HUB_PASSWORD_HASH_METHOD=app_config["HUB_PASSWORD_HASH_METHOD"],
    )
    return env


def test_create_user_prompts_for_the_password_twice_in_a_terminal(app, terminal_env):
    shown, code = in_a_terminal(
        ["create-user", "tty@example.org", "--role", "moderator"],
        terminal_env,
        [f"{GOOD_PASSWORD}\n".encode()] * 2,
    )

    assert code == 0, shown
    assert "Password: " in shown and "Repeat for confirmation: " in shown
    assert "Created moderator tty@example.org." in shown
    assert GOOD_PASSWORD not in shown  # the terminal did not echo it
    with app.app_context():
        assert authenticate("tty@example.org", GOOD_PASSWORD) is not None


def test_create_user_in_a_terminal_asks_again_when_the_two_passwords_differ(app, terminal_env):
    answers = [
        f"{GOOD_PASSWORD}\n".encode(),
        b"something-else-entirely\n",
        f"{GOOD_PASSWORD}\n".encode(),
        f"{GOOD_PASSWORD}\n".encode(),
    ]
    shown, code = in_a_terminal(["create-user", "tty@example.org"], terminal_env, answers)

    assert code == 0, shown
    assert "The two entered values do not match." in shown
    assert shown.count("Password: ") == 2
    assert "Created submitter tty@example.org." in shown


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
    result = invoke(app, "seed-demo", "--count", "12")

    assert result.exit_code == 0, result.output
    assert "Created 12 demo submissions." in result.output
    with app.app_context():
        rows = list(db.session.scalars(select(Submission)))
    assert len(rows) == 12
    assert {row.kind for row in rows} == set(KINDS)
    french = [row for row in rows if row.language == "fr"]
    assert french, "no French submission"
    assert any(ACCENTED.search(f"{row.title} {row.summary} {row.description}") for row in french), (
        "no French text with accents"
    )


def test_seed_demo_is_repeatable_with_the_same_seed(make_app, tmp_path):
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
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def check_constraints_in_the_database(url: str) -> dict[str, str]:
    """Every CHECK constraint of the migrated database: name -> SQL text."""
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        return {
            c["name"]: c["sqltext"]
            for table in inspector.get_table_names()
            for c in inspector.get_check_constraints(table)
        }
    finally:
        engine.dispose()


def check_constraints_in_the_models(dialect: Any) -> dict[str, str]:
    """Every CHECK constraint the models declare (enum ones included): name -> SQL text."""
    return {
        str(c.name): str(
            c.sqltext.compile(
                dialect=dialect, compile_kwargs={"literal_binds": True, "include_table": False}
            )
        )
        for table in Base.metadata.sorted_tables
        for c in table.constraints
        if isinstance(c, CheckConstraint)
    }


def _same_sql(text_: str) -> str:
    return re.sub(r"\s+", " ", text_).strip()


def test_migration_has_every_check_constraint_of_the_models(database_url):
    """Alembic's comparison above ignores CHECK constraints: compare them by name on every
    backend, and by SQL text on SQLite (PostgreSQL rewrites the text it stores)."""
    engine = create_engine(database_url)
    dialect = engine.dialect
    engine.dispose()
    migrated = check_constraints_in_the_database(database_url)
    declared = check_constraints_in_the_models(dialect)

    assert len(declared) > 30  # the comparison really sees the constraints
    assert sorted(set(declared) - set(migrated)) == []  # in a model, missing in the migration
    assert sorted(set(migrated) - set(declared)) == []  # in the migration only
    if dialect.name == "sqlite":
        differ = {
            name: (migrated[name], sql)
            for name, sql in declared.items()
            if _same_sql(migrated[name]) != _same_sql(sql)
        }
        assert differ == {}


def test_migrated_template_is_at_head(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    assert current == head_revision()
