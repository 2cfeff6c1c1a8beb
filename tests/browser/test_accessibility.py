"""Every page type, in each of the six languages, says its language and direction, passes
axe-core's WCAG 2.1 A and AA rules, fits a phone, runs its scripts without errors. The pages
are visited once per language by the tour (page_tour.py)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import account_tour
from browser_steps import login
from page_tour import (
    AXE_CANARY_FINDS,
    AXE_TAGS,
    HTML_LANG,
    LANGUAGE_NAMES,
    LANGUAGES,
    NARROWEST,
    PHONE,
    RIGHT_TO_LEFT,
    ZOOMED,
    describe_violations,
    visited,
)

EVERY_PAGE = pytest.mark.parametrize(("language", "name"), LANGUAGE_NAMES)


class _Root(HTMLParser):
    """The attributes of the page's <html> element."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html" and self.attrs is None:
            self.attrs = dict(attrs)


def test_axe_runs_the_wcag_rules(axe_source, tour):
    """axe-core finds the known faults of a canary page with the tags used for every page."""
    assert tour.axe_canary is not None
    missing = AXE_CANARY_FINDS - tour.axe_canary
    assert not missing, f"axe-core with tags {AXE_TAGS} missed {missing} on the canary page"


@EVERY_PAGE
def test_page_says_its_language_and_direction(tours, language, name):
    """<html lang> names the language of the address (zh-Hans for Chinese), and dir is rtl
    for Arabic only: screen readers pick their voice, browsers the direction, from them."""
    root = _Root()
    root.feed(visited(tours(language), name).html)
    assert root.attrs is not None
    assert root.attrs.get("lang") == HTML_LANG.get(language, language), root.attrs
    assert root.attrs.get("dir") == ("rtl" if language in RIGHT_TO_LEFT else "ltr"), root.attrs


def test_the_tour_covers_the_six_languages_of_the_hub():
    from hub import i18n

    assert sorted(LANGUAGES) == sorted(i18n.LANGUAGES)
    assert (HTML_LANG, set(RIGHT_TO_LEFT)) == (i18n.TAGS, i18n.RTL)


@EVERY_PAGE
def test_axe_finds_no_wcag21_aa_violations(axe_source, tours, language, name):
    visit = visited(tours(language), name)
    report = describe_violations(visit)
    print(
        f"{language}-{name}: axe-core WCAG 2.1 A/AA violations: {len(visit.violations or [])}"
        + (f" ({', '.join(v['id'] for v in visit.violations)})" if visit.violations else "")
    )
    if report:
        print(report)
    assert visit.violations == [], f"axe-core found violations:\n{report}"


@EVERY_PAGE
def test_fits_a_phone_and_200_percent_zoom_without_sideways_scrolling(tours, language, name):
    visit = visited(tours(language), name)
    for width in (PHONE["width"], NARROWEST, ZOOMED["width"]):
        assert visit.overflow[width] is None, f"{name} at {width} px: {visit.overflow[width]}"


@EVERY_PAGE
def test_scripts_run_without_errors(tours, language, name):
    assert visited(tours(language), name).script_errors == []


class _Fields(HTMLParser):
    """Ids, aria-describedby of invalid fields, counters and error-summary links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.invalid: dict[str, list[str]] = {}
        self.limited: list[str] = []
        self.summary_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if a.get("aria-invalid") == "true":
            self.invalid[a["id"]] = (a.get("aria-describedby") or "").split()
        if a.get("data-maxlength"):
            self.limited.append(a["id"])
        if tag == "a" and (a.get("href") or "").endswith("-field"):
            self.summary_links.append(a["href"][1:])


@pytest.mark.parametrize(
    "name",
    [
        "submission-form-with-errors",
        "register-with-errors",
        "review-with-errors",
        "moderation-queue-with-errors",
        *account_tour.WITH_ERRORS,
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_form_errors_are_summarised_and_linked_to_their_fields(tours, language, name):
    """Each invalid field names its error (and help) by aria-describedby; the summary at the
    top links to every one of them; fields with a limit have a character counter."""
    fields = _Fields()
    fields.feed(visited(tours(language), name).html)
    assert fields.invalid, "no field is marked invalid"
    for field_id, described_by in fields.invalid.items():
        assert f"{field_id}-error" in described_by, (field_id, described_by)
        assert set(described_by) <= fields.ids, (field_id, described_by)
        assert f"{field_id}-field" in fields.summary_links, field_id
    # (Forms of passwords and choices only have no field that counts.)
    assert fields.limited or name in account_tour.WITHOUT_COUNTER, "no character counter"
    assert all(f"{field_id}-count" in fields.ids for field_id in fields.limited)


FOCUS_PAGES = [
    ("/", None),
    ("/browse", None),
    ("detail", None),
    ("/account/register", None),
    ("/submit/initiative", "submitter"),
    ("/my/", "submitter"),
    ("/moderation/", "moderator"),
    ("/no/such/page", None),
]


@pytest.mark.parametrize(("path", "role"), FOCUS_PAGES)
def test_keyboard_focus_is_always_visible(hub, page, path, role):
    """Tabbing through a page, every focused element shows it (a ring, or the focus yellow
    behind it) and is on screen, starting with the skip link."""
    owner = hub.create_user()
    item = hub.create_submission(owner, title="Santé numérique dans les écoles")
    hub.create_submission(owner, "submitted", title="Coalition en attente")
    if role:
        login(page, hub.create_user(role))
    page.goto(f"/s/{item['slug']}" if path == "detail" else path)
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                """(FOCUS_YELLOW) => {
          const el = document.activeElement, s = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          return {what: el.tagName + " " + (el.textContent || el.name || "").trim().slice(0, 30),
                  body: el === document.body,
                  ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2)
                        || s.boxShadow !== "none" || s.backgroundColor === FOCUS_YELLOW,
                  onScreen: r.right > 0 && r.bottom > 0 && r.width > 0};
        }""",
                "rgb(255, 191, 71)",
            )
        )
    seen = [s for s in seen if not s["body"]]
    assert seen[0]["what"].startswith("A Skip to content") and seen[0]["onScreen"], seen[0]
    assert len(seen) >= 8, seen
    assert [s for s in seen if not (s["ring"] and s["onScreen"])] == [], seen


@pytest.mark.parametrize("language", ["en", "ar"])
def test_peoples_own_words_keep_their_own_direction(tours, language):
    """What people type (a name, a title, a message) takes the direction of its own script
    (dir=auto), an address shown in a sentence is isolated (<bdi>); a code has no counter."""
    tour = tours(language)
    for name, field in [
        ("settings", "display_name"),
        ("submission-form-with-errors", "title"),
        ("submission-form-with-errors", "summary"),
        ("review-with-errors", "message"),
    ]:
        fields = _Attributes(field)
        fields.feed(visited(tour, name).html)
        assert fields.found.get("dir") == "auto", (name, field, fields.found)
    assert "<bdi>jonas.keller@example.net</bdi>" in visited(tour, "confirm-change").html
    code = _Attributes("code")
    code.feed(visited(tour, "two-factor-enrol").html)
    assert code.found and "data-maxlength" not in code.found and "dir" not in code.found
    assert 'id="code-count"' not in visited(tour, "two-factor-enrol").html


class _Attributes(HTMLParser):
    """The attributes of the element with one id."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.found: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if dict(attrs).get("id") == self.element_id:
            self.found = dict(attrs)
