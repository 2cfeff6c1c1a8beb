"""Security headers on every response, and cookies that are Secure wherever the hub is
served over HTTPS.

- Content-Security-Policy: the hub's own scripts, styles and images only; no inline script
  or style (the templates have none, and static/*.js only sets classes, text and attributes),
  no plugins, no framing, forms post to the hub only.
- X-Content-Type-Options, X-Frame-Options (for browsers without frame-ancestors),
  Referrer-Policy (nothing leaves the hub in a Referer: moderation addresses stay private).
- Strict-Transport-Security when the request came over HTTPS (directly, or through the
  trusted proxies of HUB_TRUSTED_PROXIES) or HUB_BASE_URL is an https:// address.
- Cache-Control: no-store on private pages (a logged-in person's pages, and everything under
  /my, /moderation and /account), so a shared computer's cache or a proxy keeps none.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# One year; no includeSubDomains: the hub does not own its parent domain's other hosts.
HSTS = "max-age=31536000"
PRIVATE_PREFIXES = ("/my", "/moderation", "/account")


def served_over_https(app: Flask) -> bool:
    """Whether the settings say people reach the hub over HTTPS."""
    return str(app.config["HUB_BASE_URL"]).lower().startswith("https://")


def request_is_secure() -> bool:
    """Whether this request came over HTTPS (behind trusted proxies, as they say), or the
    settings say the hub is served over HTTPS."""
    if has_request_context() and request.is_secure:
        return True
    return served_over_https(current_app)


class HubSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, Secure on every request that came over HTTPS (not only
    when SESSION_COOKIE_SECURE is set)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """SESSION_COOKIE_SECURE, or the request's own scheme."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            has_request_context() and request.is_secure
        )


def _private() -> bool:
    """Whether the response is about one person: their pages, or any page they see logged
    in (Flask-Login keeps their id in the session: no database needed to know)."""
    if request.path.startswith(PRIVATE_PREFIXES):
        return True
    # A logo says itself whether it may be cached (public) or not (a draft's, no-store).
    own_caching = ("static", "submissions.logo")
    return request.endpoint not in own_caching and "_user_id" in session


def secure_headers(response: Response) -> Response:
    """Add the security headers (kept if a view set its own)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request_is_secure():
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if _private():
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    """Install the session interface and the after-request hook."""
    app.session_interface = HubSessionInterface()
    app.after_request(secure_headers)
