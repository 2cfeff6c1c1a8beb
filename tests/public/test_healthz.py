"""/healthz: anyone learns whether the hub and its database are up; only staff, or a caller
with HUB_HEALTH_TOKEN, learn the backend and the schema revision."""

from __future__ import annotations

import pytest

from hub.auth.models import Role

from helpers import PASSWORD

TOKEN = "a-long-health-token-0123456789"
DETAILED = {"status", "database", "backend", "schema_revision"}


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config["HUB_HEALTH_TOKEN"] = TOKEN
    return app_config


def test_anonymous_callers_learn_only_that_the_hub_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    ("role", "detailed"),
    [(Role.SUBMITTER, False), (Role.MODERATOR, True), (Role.ADMIN, True)],
)
def test_staff_see_the_backend_and_schema_revision(client, create_user, role, detailed):
    user = create_user(role=role)
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    body = client.get("/healthz").json
    assert set(body) == (DETAILED if detailed else {"status", "database"})
    if detailed:
        assert body["backend"] in ("sqlite", "postgresql") and body["schema_revision"]


@pytest.mark.parametrize(
    ("authorization", "detailed"),
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer {TOKEN}", True),
        (f"Bearer {TOKEN}x", False),
        (f"Bearer {TOKEN[:-1]}", False),
        (TOKEN, False),
        (f"Basic {TOKEN}", False),
        ("Bearer ", False),
        ("Bearer é", False),
    ],
)
def test_the_health_token_opens_the_details(client, authorization, detailed):
    response = client.get("/healthz", headers={"Authorization": authorization})
    assert response.status_code == 200
    assert set(response.json) == (DETAILED if detailed else {"status", "database"})


@pytest.mark.parametrize("authorization", ["Bearer ", "Bearer", "Bearer none"])
def test_without_a_token_set_no_token_opens_the_details(make_app, authorization):
    client = make_app(HUB_HEALTH_TOKEN="").test_client()
    response = client.get("/healthz", headers={"Authorization": authorization})
    assert response.json == {"status": "ok", "database": "ok"}


def test_the_token_is_read_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("HUB_HEALTH_TOKEN", "from-the-environment")
    client = make_app(drop=("HUB_HEALTH_TOKEN",)).test_client()
    body = client.get("/healthz", headers={"Authorization": "Bearer from-the-environment"}).json
    assert set(body) == DETAILED


def test_a_database_outage_is_a_503_with_or_without_the_token(make_app, tmp_path):
    app = make_app(HUB_DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'hub.sqlite3'}")
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        response = app.test_client().get("/healthz", headers=headers)
        assert response.status_code == 503
        assert response.json["status"] == "error" and response.json["database"] != "ok"
        assert "backend" not in response.json and "schema_revision" not in response.json
