"""Settings an operator gives, the secret key, the health check and the error pages."""

from __future__ import annotations

import logging
import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from hub.auth.models import User
from hub.auth.operations import create_user
from hub.clock import ClockError
from hub.config import load_settings
from hub.extensions import db

PG_URL_SET = bool(os.environ.get("HUB_TEST_DATABASE_URL"))


@pytest.fixture(autouse=True)
def no_operator_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every test without HUB_* settings from the environment the tests run in."""
    for key in list(os.environ):
        if key.startswith("HUB_") and not key.startswith("HUB_TEST_"):
            monkeypatch.delenv(key)


def bare_app(instance: Path) -> Flask:
    """A Flask app whose instance folder is `instance`, for load_settings alone."""
    return Flask(__name__, instance_path=str(instance), instance_relative_config=True)


# --- Precedence: defaults < instance/config.py < HUB_* environment < test_config ------------------


VALUES = {
    "default": ("Europe/Zurich", 10),
    "file": ("America/New_York", 11),
    "env": ("Asia/Tokyo", 12),
    "test": ("Africa/Nairobi", 13),
}


@pytest.mark.parametrize(
    "layers",
    [
        (),
        ("file",),
        ("env",),
        ("test",),
        ("file", "env"),
        ("file", "test"),
        ("env", "test"),
        ("file", "env", "test"),
    ],
)
def test_settings_precedence(tmp_path, monkeypatch, layers):
    if "file" in layers:
        (tmp_path / "config.py").write_text(
            'HUB_TIMEZONE = "America/New_York"\nHUB_MIN_PASSWORD_LENGTH = 11\n'
            'HUB_LOG_LEVEL = "WARNING"\n'
        )
    if "env" in layers:
        monkeypatch.setenv("HUB_TIMEZONE", "Asia/Tokyo")
        monkeypatch.setenv("HUB_MIN_PASSWORD_LENGTH", "12")
    test_config = (
        {"HUB_TIMEZONE": "Africa/Nairobi", "HUB_MIN_PASSWORD_LENGTH": 13}
        if "test" in layers
        else None
    )
    app = bare_app(tmp_path)

    load_settings(app, test_config)

    winner = layers[-1] if layers else "default"
    assert (app.config["HUB_TIMEZONE"], app.config["HUB_MIN_PASSWORD_LENGTH"]) == VALUES[winner]
    # A setting only the file gives survives the layers above that do not mention it.
    assert app.config["HUB_LOG_LEVEL"] == ("WARNING" if "file" in layers else "INFO")


def test_environment_setting_reaches_the_running_hub(make_app, monkeypatch):
    monkeypatch.setenv("HUB_TIMEZONE", "America/New_York")
    monkeypatch.setenv("HUB_SUBMISSIONS_CLOSE_AT", "2026-06-19T23:59:00-04:00")
    app = make_app(drop=("HUB_TIMEZONE", "HUB_SUBMISSIONS_CLOSE_AT"))

    page = app.test_client().get("/").text

    assert "America/New York time" in page
    assert app.extensions["hub_clock"].close_at == datetime(2026, 6, 20, 3, 59, tzinfo=UTC)


def test_test_config_beats_the_environment_in_the_running_hub(make_app, monkeypatch):
    monkeypatch.setenv("HUB_TIMEZONE", "America/New_York")
    app = make_app(HUB_TIMEZONE="Asia/Tokyo")

    assert "Asia/Tokyo time" in app.test_client().get("/").text


def test_hub_test_variables_are_not_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_TEST_SOMETHING", "x")
    app = bare_app(tmp_path)

    load_settings(app, None)

    assert "HUB_TEST_SOMETHING" not in app.config


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    app = bare_app(tmp_path)

    load_settings(app, None)

    assert app.config["HUB_DATABASE_URL"] == f"sqlite:///{tmp_path / 'hub.sqlite3'}"


# --- Whole numbers from the environment ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("HUB_MAX_REQUEST_BYTES", "2048", 2048),
        ("HUB_MAX_REQUEST_BYTES", " 4096 ", 4096),
        ("HUB_MIN_PASSWORD_LENGTH", "14", 14),
        ("HUB_SQLITE_BUSY_TIMEOUT_MS", "500", 500),
    ],
)
def test_whole_number_settings_from_the_environment_are_ints(
    tmp_path, monkeypatch, name, value, expected
):
    monkeypatch.setenv(name, value)
    app = bare_app(tmp_path)

    load_settings(app, None)

    assert app.config[name] == expected
    assert isinstance(app.config[name], int)
    if name == "HUB_MAX_REQUEST_BYTES":
        assert app.config["MAX_CONTENT_LENGTH"] == expected


@pytest.mark.parametrize("value", ["1MB", "2.5", "lots"])
def test_a_whole_number_setting_that_is_not_one_is_named_in_the_error(tmp_path, monkeypatch, value):
    monkeypatch.setenv("HUB_MAX_REQUEST_BYTES", value)

    with pytest.raises(ValueError, match="HUB_MAX_REQUEST_BYTES") as excinfo:
        load_settings(bare_app(tmp_path), None)

    assert repr(value) in str(excinfo.value)


def test_request_size_limit_from_the_environment_is_enforced(make_app, monkeypatch):
    monkeypatch.setenv("HUB_MAX_REQUEST_BYTES", "2048")
    app = make_app()

    response = app.test_client().post(
        "/account/login", data={"email": "a@example.org", "password": "x" * 4000}
    )

    assert response.status_code == 413
    assert "larger than the 2 KiB the hub accepts" in response.text


# --- Secret key --------------------------------------------------------------------------------


def test_secret_key_is_generated_once_privately_and_reused(tmp_path):
    instance = tmp_path / "instance"
    first = bare_app(instance)
    load_settings(first, None)

    key_file = instance / "secret_key"
    assert key_file.read_text().strip() == first.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]  # no temporary left

    second = bare_app(instance)
    load_settings(second, None)

    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    # So a session cookie signed before a restart is still accepted after it.
    signed = first.session_interface.get_signing_serializer(first).dumps({"_user_id": "7"})
    assert second.session_interface.get_signing_serializer(second).loads(signed) == {
        "_user_id": "7"
    }


def test_each_instance_gets_its_own_generated_key(tmp_path):
    one, two = bare_app(tmp_path / "one"), bare_app(tmp_path / "two")
    load_settings(one, None)
    load_settings(two, None)

    assert one.config["SECRET_KEY"] != two.config["SECRET_KEY"]


def test_configured_secret_key_is_used_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_SECRET_KEY", "from-the-environment")
    app = bare_app(tmp_path / "instance")

    load_settings(app, None)

    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "instance" / "secret_key").exists()


# --- Cutoff settings that cannot be read -------------------------------------------------------


BAD_CLOCK_SETTINGS = [
    ({"HUB_SUBMISSIONS_CLOSE_AT": "2026-06-19T23:59"}, "HUB_SUBMISSIONS_CLOSE_AT", "offset"),
    ({"HUB_SUBMISSIONS_CLOSE_AT": "2026-06-19"}, "HUB_SUBMISSIONS_CLOSE_AT", "offset"),
    ({"HUB_SUBMISSIONS_CLOSE_AT": "next friday"}, "HUB_SUBMISSIONS_CLOSE_AT", "ISO 8601"),
    ({"HUB_SUBMISSIONS_CLOSE_AT": "19/06/2026 23:59 CEST"}, "HUB_SUBMISSIONS_CLOSE_AT", "ISO 8601"),
    ({"HUB_SUBMISSIONS_OPEN_AT": "2026-13-01T00:00+02:00"}, "HUB_SUBMISSIONS_OPEN_AT", "ISO 8601"),
    (
        {
            "HUB_SUBMISSIONS_OPEN_AT": "2026-06-20T00:00+02:00",
            "HUB_SUBMISSIONS_CLOSE_AT": "2026-06-19T23:59+02:00",
        },
        "HUB_SUBMISSIONS_CLOSE_AT",
        "after HUB_SUBMISSIONS_OPEN_AT",
    ),
    ({"HUB_TIMEZONE": "Mars/Olympus_Mons"}, "HUB_TIMEZONE", "unknown time zone"),
]


@pytest.mark.parametrize("source", ["environment", "test_config"])
@pytest.mark.parametrize(("settings", "named", "hint"), BAD_CLOCK_SETTINGS)
def test_unreadable_cutoff_setting_stops_the_hub_with_a_clear_message(
    make_app, monkeypatch, source, settings, named, hint
):
    if source == "environment":
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        build = lambda: make_app(drop=tuple(settings))  # noqa: E731
    else:
        build = lambda: make_app(**settings)  # noqa: E731

    with pytest.raises(ClockError) as excinfo:
        build()

    message = str(excinfo.value)
    assert named in message
    assert hint in message


@pytest.mark.parametrize(
    "value",
    [
        "2026-06-19T23:59:00+02:00",
        "2026-06-19T21:59:00Z",
        "2026-06-19T21:59:00+00:00",
        " 2026-06-19T23:59+02:00 ",
    ],
)
def test_cutoff_with_an_offset_is_read_as_one_instant(make_app, monkeypatch, value):
    monkeypatch.setenv("HUB_SUBMISSIONS_CLOSE_AT", value)

    app = make_app(drop=("HUB_SUBMISSIONS_CLOSE_AT",))

    assert app.extensions["hub_clock"].close_at == datetime(2026, 6, 19, 21, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "http://[::1",
        "hub.example.org",
        "ftp://hub.example.org",
        "https://",
        "https://hub.example.org/?x=1",
    ],
)
def test_a_base_url_links_cannot_be_built_on_stops_the_hub_clearly(make_app, monkeypatch, value):
    """Links in e-mails are built on HUB_BASE_URL: a bad one is refused at start, named."""
    monkeypatch.setenv("HUB_BASE_URL", value)

    with pytest.raises(ValueError, match="HUB_BASE_URL must be an absolute http"):
        make_app()


@pytest.mark.parametrize(
    "value",
    [
        "https://hub.example.org",
        "http://127.0.0.1:5000",
        "https://example.org/hub/",
        "http://[::1]:8000",
    ],
)
def test_good_base_urls_are_taken(make_app, monkeypatch, value):
    monkeypatch.setenv("HUB_BASE_URL", value)
    assert make_app().config["HUB_BASE_URL"] == value


# --- Health check ------------------------------------------------------------------------------


def test_healthz_reports_database_and_backend(make_app):
    client = make_app(HUB_HEALTH_TOKEN="monitoring-token").test_client()
    response = client.get("/healthz", headers={"Authorization": "Bearer monitoring-token"})

    assert response.status_code == 200
    assert response.is_json
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"
    assert response.json["backend"] == ("postgresql" if PG_URL_SET else "sqlite")


def _missing_dir_sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'no-such-directory' / 'hub.sqlite3'}"


def _unmigrated_sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'empty.sqlite3'}"


def _refused_postgres(_tmp_path: Path) -> str:
    return "postgresql+psycopg://hub:s3cret-pw@127.0.0.1:1/hub?connect_timeout=2"


@pytest.mark.parametrize(
    "broken_url",
    [_missing_dir_sqlite, _unmigrated_sqlite, _refused_postgres],
    ids=["sqlite-missing-directory", "sqlite-not-initialised", "postgresql-refused"],
)
def test_healthz_answers_503_json_when_the_database_is_not_usable(make_app, tmp_path, broken_url):
    url = broken_url(tmp_path)
    app = make_app(HUB_DATABASE_URL=url)

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.is_json
    assert response.json["status"] == "error"
    assert response.json["database"] != "ok"
    assert str(tmp_path) not in response.text
    assert "s3cret-pw" not in response.text


# --- Error pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/no-such-page", "/account/nothing", "/my/not-a-number"])
def test_unknown_address_gets_the_hubs_404_page(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in response.text
    assert 'class="site-header"' in response.text  # the hub's own design
    assert 'href="/"' in response.text  # a way home


def test_unknown_api_address_gets_json(client):
    response = client.get("/api/no-such-endpoint")

    assert response.status_code == 404
    assert response.is_json
    assert response.json["status"] == 404


SECRET_DETAIL = "boom: the database password is hunter2"


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    """The hub with test-only views that write an account and then fail."""

    def fail() -> str:
        create_user("half-done@example.org", "a-long-enough-password", "Half Done")
        raise RuntimeError(SECRET_DETAIL)

    app.add_url_rule("/test-only/fail", "test_only_fail", fail)
    app.add_url_rule("/api/test-only/fail", "test_only_api_fail", fail)
    return app


@pytest.mark.server_error
@pytest.mark.parametrize(
    ("path", "json"), [("/test-only/fail", False), ("/api/test-only/fail", True)]
)
def test_exception_in_a_view_gives_a_500_page_without_the_stack_trace(failing_app, path, json):
    response = failing_app.test_client().get(path)

    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert SECRET_DETAIL not in response.text
    assert "RuntimeError" not in response.text
    if json:
        assert response.is_json
        assert response.json["status"] == 500
    else:
        assert "Something went wrong" in response.text
        assert "Nothing was saved" in response.text
        assert 'href="/"' in response.text
    with failing_app.app_context():  # and indeed nothing was saved
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_every_setting_is_in_the_readme_table():
    """README has one table of every HUB_* setting, with the default the code uses."""
    from hub.config import DEFAULTS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = dict(re.findall(r"^\| `HUB_([A-Z0-9_]+)`[^|]*\| ([^|]+) \|", readme, re.M))
    assert set(DEFAULTS) - {"MAIL_PASSWORD"} <= set(table), set(DEFAULTS) - set(table)
    for name, default in DEFAULTS.items():
        if isinstance(default, int | float) and not isinstance(default, bool) and name in table:
            assert str(default) in table[name], (name, default, table[name])


@pytest.mark.parametrize("proxies", [0, 1])
def test_links_are_on_the_base_url_behind_a_trusted_proxy_or_not(make_app, proxies):
    """Links come from HUB_BASE_URL, the public address, not from the forwarded headers."""
    app = make_app(HUB_TRUSTED_PROXIES=proxies, HUB_BASE_URL="https://hub.example.org")
    feed = (
        app.test_client()
        .get(
            "/feed.atom",
            headers={"X-Forwarded-Proto": "http", "X-Forwarded-Host": "internal.example"},
        )
        .text
    )
    assert '<link rel="self" href="https://hub.example.org/feed.atom"/>' in feed


# --- Names the hub does not know ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("HUB_SUBMISSION_CLOSE_AT", "Did you mean HUB_SUBMISSIONS_CLOSE_AT?"),
        ("HUB_MAIL_SERVR", "Did you mean HUB_MAIL_SERVER?"),
        ("HUB_TIME_ZONE", "Did you mean HUB_TIMEZONE?"),
        ("HUB_SOMETHING_ELSE_ENTIRELY", ""),
    ],
)
def test_an_unknown_hub_variable_is_named_in_a_warning_at_start(
    make_app, monkeypatch, caplog, name, hint
):
    """A typo must not silently leave, say, the cutoff unset; the hub still starts."""
    monkeypatch.setenv(name, "2026-06-19T23:59:00+02:00")

    with caplog.at_level(logging.WARNING, logger="hub.config"):
        app = make_app()

    [warning] = [r.getMessage() for r in caplog.records if name in r.getMessage()]
    assert f"{name} is not a setting of the hub and is ignored." in warning
    assert hint in warning
    if not hint:
        assert "Did you mean" not in warning
    assert app.extensions["hub_clock"].close_at is None


def test_an_unknown_setting_in_the_instance_file_is_named_too(tmp_path, caplog):
    from hub.config import warn_unknown_settings

    (tmp_path / "config.py").write_text('HUB_SUBMISSIONS_CLOSE = "2026-06-19T23:59:00+02:00"\n')
    app = bare_app(tmp_path)
    load_settings(app, None)

    with caplog.at_level(logging.WARNING, logger="hub.config"):
        warn_unknown_settings(app)

    assert "HUB_SUBMISSIONS_CLOSE is not a setting of the hub" in caplog.text
    assert "Did you mean HUB_SUBMISSIONS_CLOSE_AT?" in caplog.text


def test_known_settings_and_the_suites_own_variables_raise_no_warning(
    make_app, monkeypatch, caplog
):
    from hub.config import KNOWN_EXTRA_NAMES

    monkeypatch.setenv("HUB_TIMEZONE", "Europe/Zurich")
    monkeypatch.setenv("HUB_TEST_WHATEVER", "x")
    for name in KNOWN_EXTRA_NAMES:
        monkeypatch.setenv(name, "1")

    with caplog.at_level(logging.WARNING, logger="hub.config"):
        make_app()

    assert "is not a setting" not in caplog.text


def test_every_hub_variable_the_project_reads_is_known_and_in_the_readme():
    """Every HUB_* name read anywhere (hub, tests, bench, Makefile, CI) is a setting or one
    of the known extra names, and README mentions each."""
    from hub.config import DEFAULTS, KNOWN_EXTRA_NAMES, TEST_PREFIX

    root = Path(__file__).resolve().parents[2]
    sources = [
        *root.glob("hub/**/*.py"),
        *root.glob("tests/**/*.py"),
        *root.glob("bench/*.py"),
        root / "Makefile",
        root / ".ci" / "run",
        root / "wsgi.py",
    ]
    read = set()
    for path in sources:
        read |= set(re.findall(r"\b(HUB_[A-Z][A-Z0-9_]*[A-Z0-9])\b", path.read_text()))
    settings = {f"HUB_{key}" for key in DEFAULTS}
    # Names that appear in the code only as examples of what is NOT a setting.
    examples = {
        "HUB_SUBMISSION_CLOSE_AT",
        "HUB_MAIL_SERVR",
        "HUB_TIME_ZONE",
        "HUB_SOMETHING_ELSE_ENTIRELY",
        "HUB_SUBMISSIONS_CLOSE",
        "HUB_TEST_SOMETHING",
        "HUB_TEST_WHATEVER",
    }
    unknown = {
        name
        for name in read - settings - KNOWN_EXTRA_NAMES - examples
        if not name.startswith(TEST_PREFIX)
    }
    assert unknown == set()
    readme = (root / "README.md").read_text()
    for name in sorted(KNOWN_EXTRA_NAMES | {"HUB_TEST_DATABASE_URL"}):
        assert f"`{name}`" in readme, name


def test_every_command_is_in_the_readme_table(app):
    """README's command-line table lists every `flask --app hub` command, and no other."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z][a-z-]*)", section, re.M))
    commands = set(app.cli.list_commands(None))
    assert documented == commands
