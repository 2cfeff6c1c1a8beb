"""The Content-Security-Policy breaks no page: every page type of the tour (page_tour.py),
visited again without bypassing the policy, reports no violation (the securitypolicyviolation
event, or Chromium's console error), and its document carries the security headers."""

from __future__ import annotations

from typing import Any

import page_tour
from browser_steps import LiveHub, login

# Reports every violation to the test, through a binding that survives navigations.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
                        + ` at ${e.sourceFile}:${e.lineNumber}`);
});
"""
PRIVATE_ROLES = ("submitter", "moderator")


def _tour_data(hub: LiveHub) -> dict[str, Any]:
    """What page_tour.seed() returned for this tour hub; seeded here when another pytest-xdist
    worker took the tour (on its own tour hub)."""
    seeded: dict[str, Any] | None = getattr(hub, "seeded", None)
    return seeded if seeded is not None else page_tour.seed(hub)


def test_no_page_type_violates_the_content_security_policy(browser, tour, tour_hub):
    data = _tour_data(tour_hub)  # seeded by the tour, or here when another worker took it
    violations: list[str] = []
    missing: list[str] = []
    pages: dict[str, Any] = {}
    contexts = []
    try:
        for name, role, action in page_tour.PAGE_TYPES:
            if role not in pages:
                context = browser.new_context(base_url=tour_hub.url, locale="en-GB")
                context.set_default_timeout(15_000)
                contexts.append(context)
                page = pages[role] = context.new_page()
                page.expose_function("__cspViolation", lambda text, r=role: violations.append(text))
                page.add_init_script(_REPORT_VIOLATIONS)
                page.on(
                    "console",
                    lambda msg: (
                        violations.append(msg.text)
                        if "Content Security Policy" in msg.text
                        else None
                    ),
                )
                if role != "visitor":
                    login(page, data[role])
            page = pages[role]
            documents: list[Any] = []

            def on_response(response: Any, page: Any = page, documents: list = documents) -> None:
                if response.request.is_navigation_request() and response.frame == page.main_frame:
                    documents.append(response)

            page.on("response", on_response)
            before = len(violations)
            action(page, data)
            page.wait_for_load_state("load")
            page.remove_listener("response", on_response)
            violations[before:] = [f"{name}: {v}" for v in violations[before:]]
            assert documents, name
            headers = documents[-1].all_headers()
            assert documents[-1].status == page_tour.EXPECTED_STATUS.get(name, 200), name
            for header in ("content-security-policy", "x-content-type-options", "x-frame-options"):
                if header not in headers:
                    missing.append(f"{name}: {header}")
            if role in PRIVATE_ROLES and headers.get("cache-control") != "no-store":
                missing.append(f"{name}: cache-control no-store ({headers.get('cache-control')})")

        # The watch works: a script the page itself adds inline is blocked and reported.
        page = pages["visitor"]
        page.goto("/")
        page.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "window.ran = true"; document.body.append(s); }"""
        )
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.ran") is None
        canary = [v for v in violations if v.split(":")[0] not in page_tour.NAMES]
        assert canary, "an inline script was not reported: the watch sees nothing"
    finally:
        for context in contexts:
            context.close()
    reported = [v for v in violations if v.split(":")[0] in page_tour.NAMES]
    assert not reported, "\n".join(reported)
    assert not missing, "\n".join(missing)
