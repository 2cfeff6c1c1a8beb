"""One visit of every page type in each of the six languages, as the people who see it: what
axe-core says, the HTML as served, whether it fits a phone, and screenshots at 1280 and 375 px
(in English, French, Arabic and Chinese).

Each language's tour runs once per test session (conftest.py shares it between pytest-xdist
workers); test_accessibility.py and test_html_validity.py judge what it recorded. A language
other than English is toured through its address prefix (/fr/browse), English through the
unprefixed addresses; each role keeps one logged-in page for every language a worker tours.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.demo.call import seed_demo_call

import account_tour
import modrules_tour
import owner_tour
from browser_steps import LiveHub, at, click_and_wait, login, tick_country

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
NARROWEST = 360  # the smallest phone: no sideways scrolling down to here
# A 1280 px window zoomed to 200% lays the page out 640 CSS pixels wide.
ZOOMED = {"width": 640, "height": 450}
# Each language is toured once per run, by whichever worker gets to it first: its files go to
# one folder shared by the workers (tests/output/tour/), cleared when that language is toured.
TOUR_OUTPUT = Path(__file__).resolve().parents[1] / "output" / "tour"
SCREENSHOTS = TOUR_OUTPUT / "screenshots"
HTML = TOUR_OUTPUT / "html"
# The six languages (hub.i18n.LANGUAGES); screenshots of the scripts and directions that
# differ (Latin left to right, Arabic right to left, Chinese): Russian and Spanish pages are
# checked (axe, HTML, reflow) but not photographed.
LANGUAGES = ("en", "fr", "ar", "zh", "ru", "es")
PHOTOGRAPHED = ("en", "fr", "ar", "zh")
HTML_LANG = {"zh": "zh-Hans"}  # <html lang>: the BCP 47 tag where the hub's code says less
RIGHT_TO_LEFT = ("ar",)

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""

_OVERFLOW = """() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= doc.clientWidth) return null;
  const wide = [...document.querySelectorAll("body *")]
    .filter(el => {  // what sticks out at either side (the left one in right to left)
      const r = el.getBoundingClientRect(), width = doc.clientWidth;
      return (r.right > width + 1 && r.left < width) || (r.left < -1 && r.right > 0); })
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
         + (el.className && typeof el.className === "string"
            ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, widest: wide};
}"""


@dataclass
class Visit:
    """What one page type looked like."""

    name: str
    role: str
    url: str = ""
    status: int | None = None
    html: str = ""
    violations: list[dict[str, Any]] | None = None  # None: axe was not run
    overflow: dict[int, Any] = field(default_factory=dict)  # width -> what sticks out
    script_errors: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)


Action = Callable[[Any, dict[str, Any]], Any]


def _goto(path: Callable[[dict[str, Any]], str]) -> Action:
    return lambda page, data: page.goto(at(data, path(data)))


def _form_with_errors(page: Any, data: dict[str, Any]) -> None:
    page.goto(at(data, "/submit/coalition"))
    page.fill("#title", "Coalition <b>pour</b> l'éthique")
    page.fill("#website", "not a web address")
    page.fill("#end_date", "2020-01-01")
    page.fill("#start_date", "2021-01-01")
    tick_country(page, "SN")  # its continent then starts open: axe sees those boxes too
    click_and_wait(page, "button[value=submit]")


def _logo_refused(page: Any, data: dict[str, Any]) -> None:
    """An SVG chosen as the logo: the form again (400), its message by the upload field."""
    page.goto(at(data, "/submit/initiative"))
    page.fill("#title", "Logo <svg> refusé")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page.set_input_files(
        "#logo_file", files=[{"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": svg}]
    )
    click_and_wait(page, "button[value=draft]")


def _give_logo(hub: LiveHub, submission_id: int) -> None:
    """A logo drawn now, stored as the form would (the cards and detail pages show it)."""
    import io

    from PIL import Image, ImageDraw

    from hub.submissions.images import clean_logo
    from hub.submissions.logos import change_logo
    from hub.submissions.models import Submission

    image = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 0, 500, 400), fill=(0, 94, 184, 255))
    draw.rectangle((240, 120, 360, 280), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    with hub._writing() as session:
        submission = session.get(Submission, submission_id)
        change_logo(submission, submission, clean_logo(out.getvalue()))


def _expired_form_token(page: Any, data: dict[str, Any]) -> None:
    """A login form whose security token was lost: the 400 page, with a way back."""
    page.goto(at(data, "/account/login"))
    page.eval_on_selector("main input[name=csrf_token]", "el => { el.value = 'stale'; }")
    page.fill("#email", data.get("stranger", "someone@example.org"))
    page.fill("#password", "whatever-it-is")
    click_and_wait(page, "main form button[type=submit]")


def _too_large(page: Any, data: dict[str, Any]) -> None:
    """A post larger than the hub accepts: the 413 page."""
    page.goto(at(data, "/account/login"))
    page.eval_on_selector("input[name=next]", "el => { el.value = 'x'.repeat(1100000); }")
    page.fill("#email", data.get("stranger", "someone@example.org"))
    page.fill("#password", "whatever-it-is")
    click_and_wait(page, "main form button[type=submit]")


def _throttled_login(page: Any, data: dict[str, Any]) -> None:
    """One login attempt too many for an account: the form again, with a 429."""
    for _ in range(LOGIN_LIMIT + 1):
        page.goto(at(data, "/account/login"))
        page.fill("#email", "throttled@example.org")
        page.fill("#password", "not-the-password")
        click_and_wait(page, "main form button[type=submit]")


# The tour hub throttles logins only (and leniently: the tour logs in twice itself, once per
# role, whatever the number of languages).
LOGIN_LIMIT = 3
SETTINGS = {
    "HUB_RATELIMIT_ENABLED": True,
    "HUB_RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per 15 minutes per account",
    "HUB_RATELIMIT_REGISTER": "",
    "HUB_RATELIMIT_PASSWORD": "",
    "HUB_RATELIMIT_SUBMIT": "",
    "HUB_RATELIMIT_DECIDE": "",
    "HUB_RATELIMIT_TWOFACTOR": "",  # the tour turns two-factor on once per language
    "HUB_RATELIMIT_CONTACT": "",  # two messages per language to one submission
}


def error_views(app: Any) -> None:
    """Views ending in the error pages an ordinary visit of the tour does not reach, through
    the hub's own error handlers: not allowed (403), too many requests (429), an unexpected
    failure (500), the database unavailable (503)."""
    from flask import abort
    from sqlalchemy.exc import OperationalError

    def fail(code: int) -> str:
        if code == 500:
            raise RuntimeError("the tour's unexpected failure")
        if code == 503:
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        abort(code)

    app.add_url_rule("/test-only/error/<int:code>", "test_only_error", fail)


def _register_with_errors(page: Any, data: dict[str, Any]) -> None:
    page.goto(at(data, "/account/register"))
    page.fill("#email", "not-an-address")
    page.fill("#password", "short")
    page.fill("#confirm", "other")
    click_and_wait(page, "main form button[type=submit]")


def _registered(page: Any, data: dict[str, Any]) -> None:
    """A registration that goes through: the check-your-inbox page (a new address for each
    language)."""
    page.goto(at(data, "/account/register"))
    page.fill("#email", data.get("new_address", "tour-new@example.org"))
    page.fill("#display_name", "Nadia Rahman")
    page.fill("#password", "a-long-enough-password")
    page.fill("#confirm", "a-long-enough-password")
    click_and_wait(page, "main form button[type=submit]")


def _review_with_errors(page: Any, data: dict[str, Any]) -> None:
    """Request changes without saying which: the message field says so (422)."""
    page.goto(at(data, f"/moderation/{data['submitted_id']}"))
    click_and_wait(page, "form[action*='/decide'] button[value=request_changes]")


def _bulk_with_errors(page: Any, data: dict[str, Any]) -> None:
    """Reject in bulk with nothing ticked and no reason: both said where they belong."""
    page.goto(at(data, "/moderation/"))
    page.once("dialog", lambda dialog: dialog.accept())  # "Apply this decision to …?"
    click_and_wait(page, "button[value=reject]")


def _contact_with_errors(page: Any, data: dict[str, Any]) -> None:
    """A message to the people behind a submission, with a bad address and a link (422)."""
    page.goto(at(data, f"/s/{data['approved_slug']}/contact"))
    page.fill("#name", "Nadia Rahman")
    page.fill("#email", "not-an-address")
    page.fill("#message", "See https://example.org for our proposal")
    click_and_wait(page, "main form button[type=submit]")


def _contact_sent(page: Any, data: dict[str, Any]) -> None:
    """A visitor's message, held until they follow the link mailed to them."""
    page.goto(at(data, f"/s/{data['approved_slug']}/contact"))
    page.fill("#name", "Nadia Rahman")
    page.fill("#email", "tour-writer@example.org")
    page.fill("#message", "We would like to join your programme in our schools next year.")
    click_and_wait(page, "main form button[type=submit]")


# name, who looks, how to get there
PAGE_TYPES: list[tuple[str, str, Action]] = [
    ("home", "visitor", _goto(lambda d: "/")),
    ("browse", "visitor", _goto(lambda d: "/browse")),
    ("search-results", "visitor", _goto(lambda d: "/search?q=sant%C3%A9")),
    ("search-no-results", "visitor", _goto(lambda d: "/search?q=ethiqe+zzyzx")),
    ("detail", "visitor", _goto(lambda d: f"/s/{d['approved_slug']}")),
    ("stats", "visitor", _goto(lambda d: "/stats")),
    ("about", "visitor", _goto(lambda d: "/about")),
    ("contact-form", "visitor", _goto(lambda d: f"/s/{d['approved_slug']}/contact")),
    ("contact-form-with-errors", "visitor", _contact_with_errors),
    ("contact-check-inbox", "visitor", _contact_sent),
    ("register", "visitor", _goto(lambda d: "/account/register")),
    ("register-with-errors", "visitor", _register_with_errors),
    ("check-inbox", "visitor", _registered),
    ("confirm-address", "visitor", _goto(lambda d: d["confirm_path"])),
    ("link-problem", "visitor", _goto(lambda d: "/account/confirm/cut-short.link")),
    ("login", "visitor", _goto(lambda d: "/account/login")),
    ("error-404", "visitor", _goto(lambda d: "/no/such/page")),
    ("error-400", "visitor", _expired_form_token),
    ("error-403", "visitor", _goto(lambda d: "/test-only/error/403")),
    ("error-413", "visitor", _too_large),
    ("error-429", "visitor", _goto(lambda d: "/test-only/error/429")),
    ("login-throttled", "visitor", _throttled_login),
    ("error-500", "visitor", _goto(lambda d: "/test-only/error/500")),
    ("error-503", "visitor", _goto(lambda d: "/test-only/error/503")),
    ("choose-kind", "submitter", _goto(lambda d: "/submit/")),
    ("submission-form-with-errors", "submitter", _form_with_errors),
    ("submission-form-logo-refused", "submitter", _logo_refused),
    ("my-submissions", "submitter", _goto(lambda d: "/my/")),
    ("my-submission", "submitter", _goto(lambda d: f"/my/{d['changes_requested_id']}")),
    ("moderation-queue", "moderator", _goto(lambda d: "/moderation/")),
    ("review", "moderator", _goto(lambda d: f"/moderation/{d['submitted_id']}")),
    ("moderation-dashboard", "moderator", _goto(lambda d: "/moderation/dashboard")),
    ("review-with-errors", "moderator", _review_with_errors),
    ("moderation-queue-with-errors", "moderator", _bulk_with_errors),
    ("moderation-exceptions", "moderator", _goto(lambda d: "/moderation/exceptions")),
    ("review-team", "moderator", _goto(lambda d: f"/moderation/{d['team_id']}")),
    ("moderation-queue-mine", "moderator", _goto(lambda d: "/moderation/?status=&mine=1")),
    *account_tour.PAGE_TYPES,
    *owner_tour.PAGE_TYPES,
    *modrules_tour.PAGE_TYPES,
]
NAMES = [name for name, *_ in PAGE_TYPES]
EXPECTED_STATUS = {
    "error-404": 404,
    "error-400": 400,
    "submission-form-with-errors": 422,
    "submission-form-logo-refused": 400,
    "register-with-errors": 422,
    "contact-form-with-errors": 422,
    "link-problem": 400,
    "error-403": 403,
    "error-413": 413,
    "error-429": 429,
    "login-throttled": 429,
    "error-500": 500,
    "error-503": 503,
    "review-with-errors": 422,
    "moderation-queue-with-errors": 422,
    **account_tour.EXPECTED_STATUS,
    **owner_tour.EXPECTED_STATUS,
    **modrules_tour.EXPECTED_STATUS,
}


def visited(tour: dict[str, Any], name: str) -> Visit:
    """The tour's visit of `name`, checked to be the intended page (by its status)."""
    visit = tour[name]
    assert visit.status == EXPECTED_STATUS.get(name, 200), (visit.url, visit.status)
    return visit


def seed(hub: LiveHub) -> dict[str, Any]:
    """Content for every page type to show: approved items in all kinds (with accents), one
    submitted item resembling a published one, one with changes requested, a draft."""
    submitter = hub.create_user("submitter", "tour-submitter@example.org", "Amina Diallo")
    other = hub.create_user("submitter", "tour-other@example.org", "Jonas Keller")
    hub.create_user("moderator", "tour-moderator@example.org", "Mina Moderator")
    approved = [
        hub.create_submission(
            other,
            kind="initiative",
            title="Santé numérique dans les écoles",
            summary="Former les infirmières scolaires à l'IA responsable.",
            themes=["health", "education"],
            countries=["FR", "SN"],
            regions=["europe", "africa"],
            language="fr",
            lead_organisation="Institut Pasteur de Dakar",
        ),
        hub.create_submission(
            other,
            kind="coalition",
            title="Coalition for open climate models",
            summary="Sharing climate datasets and models openly.",
            themes=["climate", "open_source"],
            countries=["KE", "global"],
            regions=["africa", "global"],
            stakeholder_group="civil_society",
        ),
        hub.create_submission(
            other,
            kind="partnership",
            title="Safety evaluations partnership",
            themes=["safety"],
            countries=["CH"],
            regions=["europe"],
            stakeholder_group="private_sector",
        ),
        hub.create_submission(
            other,
            kind="concrete_action",
            title="Open curriculum on AI ethics",
            themes=["ethics", "education"],
            countries=["BR"],
            regions=["americas"],
            stakeholder_group="academia",
        ),
    ]
    submitted = hub.create_submission(
        submitter,
        "submitted",
        title="Santé numérique à l'école",
        lead_organisation="Institut Pasteur de Dakar",
        themes=["health"],
    )
    changes = hub.create_submission(
        submitter, "changes_requested", title="Réseau des laboratoires d'IA"
    )
    hub.create_submission(submitter, "draft", title="Brouillon")
    team_id = _seed_team(hub, submitter)
    _give_logo(hub, approved[0]["id"])  # on the cards (home, browse, search) and its page
    _give_logo(hub, changes["id"])  # on its owner's page
    # The deadline banner with its countdown on every page, as during the call.
    hub.clock.close_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    with hub._writing():  # the call's texts (en, fr) on the home and about pages
        seed_demo_call()
    hub.seeded = {  # kept on the hub: the CSP test replays the tour on the same data
        "confirm_path": hub.confirmation_path("tour-unconfirmed@example.org", "Lina Haddad"),
        "approved_slug": approved[0]["slug"],
        "submitted_id": submitted["id"],
        "changes_requested_id": changes["id"],
        "team_id": team_id,
        "submitter": submitter,
        "moderator": "tour-moderator@example.org",
        "secured": account_tour.secured_account(hub, "tour-secured@example.org"),
        **account_tour.seed_accounts(hub, submitter, changes["id"]),
        **owner_tour.seed_owner(hub, submitter, other),
        **modrules_tour.seed_rules(hub, "Institut Pasteur de Dakar"),
    }
    return hub.seeded


def _seed_team(hub: LiveHub, submitter: str) -> int:
    """A submitted item the tour's moderator holds, with a colleague's internal note (the
    review page's team panel, the "Held by me" view of the queue)."""
    from hub.auth.operations import find_user
    from hub.extensions import db
    from hub.moderation import team
    from hub.submissions.models import Submission

    item = hub.create_submission(submitter, "submitted", title="Réseau de santé côtière")
    with hub._writing():
        mine, colleague = find_user("tour-moderator@example.org"), find_user("referee@example.org")
        assert mine is not None and colleague is not None
        submission = db.session.get(Submission, item["id"])
        assert submission is not None
        team.assign(submission, mine, colleague, None)
        team.add_note(submission, colleague, "Called the lead organisation: partners confirmed.")
    return int(item["id"])


# A page with one known failure per kind of rule: it proves axe-core really runs the WCAG
# rules asked for (a typo in a tag would otherwise run none and find nothing, everywhere).
AXE_CANARY = """<!doctype html><html><head><title>Canary</title></head><body><main>
<img src="data:,"><input type="text"><a href="/x"></a>
<p style="color: #aaa; background: #fff">Pale text on white</p></main></body></html>"""
AXE_CANARY_FINDS = {"html-has-lang", "image-alt", "label", "link-name", "color-contrast"}


class Tour(dict):
    """The visits of one language by page-type name, and what axe-core found on the canary
    page."""

    language: str = "en"
    axe_canary: set[str] | None = None


# Every page type in every language, for parametrized tests (ids such as "ar-browse").
LANGUAGE_NAMES = [
    pytest.param(language, name, id=f"{language}-{name}")
    for language in LANGUAGES
    for name in NAMES
]


class Guides:
    """One page per role on the tour hub, logged in once and kept for every language this
    worker tours (the tour hub throttles logins; changing the prefix is enough)."""

    def __init__(self, browser: Any, hub: LiveHub) -> None:
        self.browser, self.hub = browser, hub
        self.pages: dict[str, Any] = {}
        self.contexts: list[Any] = []

    def page(self, role: str, data: dict[str, Any]) -> Any:
        """The page of `role`, opened (and logged in) the first time it is asked for."""
        if role not in self.pages:
            # bypass_csp: axe-core is added as an inline script, which the hub's policy
            # blocks (test_security_headers.py visits the pages again under the policy).
            context = self.browser.new_context(
                base_url=self.hub.url, locale="en-GB", viewport=DESKTOP, bypass_csp=True
            )
            context.set_default_timeout(15_000)
            self.contexts.append(context)
            self.pages[role] = context.new_page()
            if role != "visitor":
                login(self.pages[role], data[role])
        return self.pages[role]

    def close(self) -> None:
        """Close the contexts opened."""
        for context in self.contexts:
            context.close()


def language_data(hub: LiveHub, language: str) -> dict[str, Any]:
    """The seeded data (seeded once per tour hub) with what a tour in `language` uses alone:
    its prefix, a new address to register, an unconfirmed account to confirm."""
    data = dict(hub.seeded or seed(hub))
    if language != "en":
        data["prefix"] = f"/{language}"
        data["new_address"] = f"tour-new-{language}@example.org"
        # The tour hub throttles logins per address: each language posts for its own.
        data["stranger"] = f"someone-{language}@example.org"
        data["confirm_path"] = hub.confirmation_path(
            f"tour-unconfirmed-{language}@example.org", "Lina Haddad"
        )
        # The tour hub throttles logins per account: the code step's own account too.
        data["secured"] = account_tour.secured_account(hub, f"tour-secured-{language}@example.org")
    return data


def run(guides: Guides, language: str, axe: Path | None) -> Tour:
    """Visit every page type in `language`; returns the visits by name. Writes screenshots
    (for the languages photographed) and the HTML under tests/output/tour/<language>/."""
    for folder in (SCREENSHOTS / language, HTML / language):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    data = language_data(guides.hub, language)
    visits = Tour()
    visits.language = language
    for name, role, action in PAGE_TYPES:
        visit = visits[name] = Visit(name, role)
        _visit(guides.page(role, data), visit, action, data, axe, language)
    if axe is not None:
        page = guides.page("visitor", data)
        page.set_content(AXE_CANARY)
        page.add_script_tag(path=str(axe))
        visits.axe_canary = {v["id"] for v in page.evaluate(_AXE_RUN, AXE_TAGS)}
    return visits


def _visit(
    page: Any, visit: Visit, action: Action, data: dict[str, Any], axe: Path | None, language: str
) -> None:
    """Go to the page type, then record HTML, axe results, reflow and screenshots."""
    documents: list[Any] = []

    def on_response(response: Any) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            documents.append(response)

    def on_error(exc: Any) -> None:
        visit.script_errors.append(str(exc))

    page.on("response", on_response)
    page.on("pageerror", on_error)
    try:
        action(page, data)
        page.wait_for_load_state("load")
    finally:
        page.remove_listener("response", on_response)
    visit.url = page.url
    if documents:  # the HTML as served (the checker must see what the parser saw)
        visit.status = documents[-1].status
        visit.html = documents[-1].text()
    else:
        visit.html = page.content()
    (HTML / language / f"{visit.name}.html").write_text(visit.html, encoding="utf-8")
    photographed = language in PHOTOGRAPHED

    page.set_viewport_size(DESKTOP)
    if photographed:
        _shoot(page, visit, language, DESKTOP["width"])
    if axe is not None:
        page.add_script_tag(path=str(axe))
        visit.violations = page.evaluate(_AXE_RUN, AXE_TAGS)

    page.set_viewport_size(PHONE)
    visit.overflow[PHONE["width"]] = page.evaluate(_OVERFLOW)
    if photographed:
        _shoot(page, visit, language, PHONE["width"])
    page.set_viewport_size({"width": NARROWEST, "height": 800})
    visit.overflow[NARROWEST] = page.evaluate(_OVERFLOW)
    page.set_viewport_size(ZOOMED)
    visit.overflow[ZOOMED["width"]] = page.evaluate(_OVERFLOW)
    page.set_viewport_size(DESKTOP)
    page.remove_listener("pageerror", on_error)


def _shoot(page: Any, visit: Visit, language: str, width: int) -> None:
    """A full-page screenshot: tests/output/tour/screenshots/<language>/<name>-<width>.png."""
    shot = SCREENSHOTS / language / f"{visit.name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    visit.screenshots.append(shot)


def describe_violations(visit: Visit) -> str:
    """Rule ids, impact and targets of axe's findings, one line per node."""
    lines = []
    for v in visit.violations or []:
        lines.append(f"{visit.name}: {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(
            f"    {node['target']}: {node['summary'].splitlines()[-1].strip()}"
            for node in v["nodes"]
        )
    return "\n".join(lines)
