"""Absolute links come from HUB_BASE_URL, never from the Host a client sends, and a hub with
HUB_ALLOWED_HOSTS refuses requests for other hosts with its own 400 answer."""

from __future__ import annotations

import json

import pytest

from helpers import PASSWORD

BASE = "https://hub.example.org/partners"
FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "ftp"}


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config["HUB_BASE_URL"] = BASE
    return app_config


@pytest.fixture
def item(create_user, create_submission_for):
    return create_submission_for(create_user(), "approved", title="Permanent heron")


@pytest.mark.parametrize("proxies", [0, 1])
@pytest.mark.parametrize(
    "path",
    ["/feed.atom", "/api/v1/submissions", "/api/v1/submissions/{slug}", "/api/v1/openapi.json"],
)
def test_a_forged_host_leaves_no_trace_in_open_data(make_app, item, proxies, path):
    """Whatever Host (or, behind a trusted proxy, X-Forwarded-Host) a client sends, the
    feed, the API records and the OpenAPI servers point at the public address."""
    app = make_app(HUB_TRUSTED_PROXIES=proxies)
    response = app.test_client().get(path.format(slug=item.slug), headers=FORGED)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "evil.example" not in text and "ftp:" not in text
    if path == "/api/v1/openapi.json":
        assert response.json["servers"] == [{"url": f"{BASE}/api/v1"}]
    else:
        assert f"{BASE}/s/{item.slug}" in text


def test_the_feed_links_itself_and_the_home_page_on_the_public_address(client, item):
    feed = client.get("/feed.atom", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert f'<link rel="self" href="{BASE}/feed.atom"/>' in feed
    assert f"<id>{BASE}/feed.atom</id>" in feed
    assert f'<link href="{BASE}/"/>' in feed


def test_the_permanent_link_of_a_detail_page_is_on_the_public_address(client, item):
    page = client.get(f"/s/{item.slug}", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in page
    assert f"{BASE}/s/{item.slug}</a>" in page


def test_the_json_export_records_are_the_api_records_whatever_the_host(client, item):
    response = client.get("/export.json", headers={"Host": "evil.example"})
    [record] = json.loads(response.get_data(as_text=True))
    assert record["url"] == f"{BASE}/s/{item.slug}"


# --- HUB_ALLOWED_HOSTS ------------------------------------------------------------------------

ALLOWED = "hub.example.org, hub.example.org:8443,.partners.example"


@pytest.fixture
def guarded(make_app):
    return make_app(HUB_ALLOWED_HOSTS=ALLOWED)


@pytest.mark.parametrize(
    "host", ["hub.example.org", "hub.example.org:8443", "www.partners.example"]
)
@pytest.mark.parametrize("path", ["/", "/api/v1/submissions", "/healthz", "/feed.atom"])
def test_a_listed_host_is_served(guarded, host, path):
    assert guarded.test_client().get(path, headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "hub.example.org.evil.example", "localhost"])
def test_an_unknown_host_gets_the_hubs_400_page(guarded, host):
    client = guarded.test_client()
    response = client.get("/browse", headers={"Host": host})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Bad request" in response.text and 'class="site-header"' in response.text
    assert host not in response.text
    # A page linked from elsewhere (the error page offers "Go back" to the same host only).
    linked = client.get("/browse", headers={"Host": host, "Referer": f"http://{host}/"})
    assert linked.status_code == 400 and "Bad request" in linked.text
    posted = client.post(
        "/account/login",
        headers={"Host": host, "Referer": f"http://{host}/account/login"},
        data={"email": "someone@example.org", "password": PASSWORD},
    )
    assert posted.status_code == 400 and "Bad request" in posted.text


@pytest.mark.parametrize("path", ["/api/v1/submissions", "/api/v1/openapi.json", "/healthz"])
def test_an_unknown_host_gets_json_400_from_the_api(guarded, path):
    response = guarded.test_client().get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.is_json and response.json["status"] == 400


def test_without_allowed_hosts_any_host_is_served(client):
    assert client.get("/", headers={"Host": "anything.example"}).status_code == 200


def test_allowed_hosts_are_read_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("HUB_ALLOWED_HOSTS", " hub.example.org ,, localhost ")
    client = make_app().test_client()
    assert client.get("/").status_code == 200  # the test client's host is localhost
    assert client.get("/", headers={"Host": "hub.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("value", ["hub.example.org/path", "https://hub.example.org", "a b"])
def test_an_allowed_host_that_cannot_match_stops_the_hub_at_start(make_app, value):
    with pytest.raises(ValueError, match="HUB_ALLOWED_HOSTS"):
        make_app(HUB_ALLOWED_HOSTS=value)
