"""What a browser is told on every page type: a strict Content-Security-Policy, no sniffing,
no framing, no Referer leaving the hub, HSTS over HTTPS, no caching of private pages; and a
session cookie that is SameSite=Lax, HttpOnly, and Secure whenever the hub is on HTTPS."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from hub.auth.models import User

from helpers import PASSWORD

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
PUBLIC = ["/", "/browse", "/search?q=ai", "/stats", "/api/v1/submissions", "/export.json"]
PRIVATE_ANONYMOUS = ["/account/login", "/account/register", "/no/such/page/x"]


def assert_protected(response: Any) -> None:
    """The headers every response carries."""
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'none'" in csp and "script-src 'self'" in csp, csp
    assert "style-src 'self'" in csp and "'unsafe-inline'" not in csp, csp
    assert "frame-ancestors 'none'" in csp, csp
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("Referrer-Policy") == "same-origin"


def login(client: FlaskClient, user: User, **kwargs: Any) -> Any:
    """Log in through the form; returns the response that sets the cookie."""
    return client.post("/account/login", data={"email": user.email, "password": PASSWORD}, **kwargs)


@pytest.mark.parametrize("path", [*PUBLIC, *PRIVATE_ANONYMOUS, "/static/hub.css"])
def test_every_page_type_carries_the_security_headers(client, path):
    with client.get(path) as response:
        assert response.status_code in (200, 404)
        assert_protected(response)
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP, not HTTPS


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_for_visitors_may_be_cached(client, path):
    assert "no-store" not in client.get(path).headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/account/login", "/account/register", "/my/", "/moderation/"])
def test_account_my_and_moderation_addresses_are_never_stored(client, path):
    response = client.get(path)
    assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)


def test_every_page_a_logged_in_person_sees_is_never_stored(client, moderator):
    login(client, moderator)
    for path in ["/", "/browse", "/stats", "/my/", "/moderation/", "/api/v1/submissions"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "no-store", path
        assert_protected(response)
    # The hub's own CSS and JS may still be cached.
    with client.get("/static/hub.css") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_cached_public_pages_carry_the_headers_too(make_app):
    client = make_app(HUB_PAGE_CACHE=256).test_client()
    client.get("/browse")
    assert_protected(client.get("/browse"))  # served from the page cache


def test_errors_and_the_503_page_carry_the_headers(make_app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    app = make_app()

    @app.route("/test-only/error/unavailable")
    def unavailable() -> str:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    response = app.test_client().get("/test-only/error/unavailable")
    assert response.status_code == 503
    assert_protected(response)


def test_hsts_behind_a_trusted_https_proxy_only(make_app):
    proxied = make_app(HUB_TRUSTED_PROXIES=1).test_client()
    response = proxied.get("/", headers=HTTPS)
    assert response.headers.get("Strict-Transport-Security") == "max-age=31536000"
    assert "Strict-Transport-Security" not in proxied.get("/").headers  # plain HTTP there
    # Without a trusted proxy, anyone could send the header: it is not believed.
    direct = make_app(HUB_TRUSTED_PROXIES=0).test_client()
    assert "Strict-Transport-Security" not in direct.get("/", headers=HTTPS).headers


def test_hsts_when_the_hub_is_served_over_https(make_app):
    client = make_app(HUB_BASE_URL="https://hub.example.org").test_client()
    assert client.get("/").headers.get("Strict-Transport-Security") == "max-age=31536000"


def session_cookie(response: Any) -> str:
    """The Set-Cookie header of the session cookie."""
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert found, response.headers
    return found[0]


def test_the_session_cookie_is_samesite_lax_and_httponly(client, owner):
    cookie = session_cookie(login(client, owner))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # plain HTTP (a development server): it must still work


def test_the_session_cookie_is_secure_behind_a_trusted_https_proxy(make_app, owner):
    client = make_app(HUB_TRUSTED_PROXIES=1).test_client()
    cookie = session_cookie(login(client, owner, headers=HTTPS))
    assert "Secure" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie


def test_the_session_cookie_is_secure_when_the_hub_is_served_over_https(make_app, owner):
    app = make_app(HUB_BASE_URL="https://hub.example.org")
    cookie = session_cookie(login(app.test_client(), owner))
    assert "Secure" in cookie and "SameSite=Lax" in cookie
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
