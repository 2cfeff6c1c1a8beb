"""What every page type shows around its content, as the tour recorded it (page_tour.py):
the header with the hub's name, the navigation of the visitor's role, the account links,
the deadline banner (the tour runs while submissions are open, but for two pages after the
cutoff), the footer; and badges that say what they are."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import owner_tour
from page_tour import NAMES, PAGE_TYPES, visited

ROLE = {name: role for name, role, _action in PAGE_TYPES}
MAIN_NAV = {
    "visitor": ["Browse", "Search", "Submit"],
    "submitter": ["Browse", "Search", "Submit", "My submissions"],
    "moderator": ["Browse", "Search", "Submit", "My submissions", "Moderation"],
    "admin": ["Browse", "Search", "Submit", "My submissions", "Moderation"],
    "unconfirmed": ["Browse", "Search", "Submit", "My submissions"],
    # A moderator whose account names the organisation of the item reviewed (modrules_tour).
    "conflicted-moderator": ["Browse", "Search", "Submit", "My submissions", "Moderation"],
}
ACCOUNT = {
    "visitor": "Log in Register",
    "submitter": "Your account Log out",
    "moderator": "Your account Log out",
    "admin": "Your account Log out",
    "unconfirmed": "Your account Log out",
    "conflicted-moderator": "Your account Log out",
}
# Pages the tour visits after the cutoff (owner_tour.py): their banner says submissions closed.
CLOSED = set(owner_tour.AFTER_CUTOFF)
# Pages whose badges stand alone (not under a table's column header): each names its kind.
BADGE_PAGES = ["home", "browse", "search-results", "detail", "my-submission", "review"]
LABELLED = re.compile(r"(Kind|Status|Theme|Stakeholder): \S")


class _Chrome(HTMLParser):
    """The texts of the page's landmarks and of its badges."""

    WATCH = {
        "header": "header",
        "footer": "footer",
        "main-nav": "nav",
        "account-nav": "nav",
        "cutoff-banner": "div",
        "brand": "a",
    }

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.links: dict[str, list[str]] = {}
        self.badges: list[str] = []
        self.h1 = 0
        self._open: list[tuple[str, str, int]] = []  # (part, tag, depth)
        self._depth = 0
        self._badge_depth: int | None = None
        self._badge = ""
        self._link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "input", "br", "img", "hr"):
            return
        self._depth += 1
        classes = (dict(attrs).get("class") or "").split()
        for part, part_tag in self.WATCH.items():
            if tag == part_tag and (part in classes or f"site-{part}" in classes):
                self._open.append((part, tag, self._depth))
                self.text.setdefault(part, "")
                self.links.setdefault(part, [])
        if tag == "span" and "badge" in classes and self._badge_depth is None:
            self._badge_depth, self._badge = self._depth, ""
        if tag in ("a", "button"):
            self._link = ""
        self.h1 += tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "button") and self._link is not None:
            for part, _tag, _depth in self._open:
                self.links[part].append(" ".join(self._link.split()))
            self._link = None
        if self._badge_depth == self._depth:
            self.badges.append(" ".join(self._badge.split()))
            self._badge_depth = None
        self._open = [o for o in self._open if o[2] < self._depth]
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        for part, _tag, _depth in self._open:
            self.text[part] += data
        if self._badge_depth is not None:
            self._badge += data
        if self._link is not None:
            self._link += data


def chrome(tour, name) -> _Chrome:
    """The parsed page of one page type."""
    parser = _Chrome()
    parser.feed(visited(tour, name).html)
    return parser


@pytest.mark.parametrize("name", NAMES)
def test_header_navigation_and_footer_on_every_page(tour, name):
    page, role = chrome(tour, name), ROLE[name]
    if name == "error-503":
        role = "visitor"  # who is logged in is not known while the database is away
    assert " ".join(page.text["brand"].split()) == "Partnerships Hub"
    assert page.links["main-nav"] == MAIN_NAV[role], page.links["main-nav"]
    assert " ".join(page.text["account-nav"].split()).startswith(ACCOUNT[role])
    footer = " ".join(page.text["footer"].split())
    assert "Partnerships Hub" in footer and "Geneva time" in footer
    assert {"Statistics", "Open data API", "All contributions (CSV)"} <= set(page.links["footer"])
    assert page.h1 == 1


@pytest.mark.parametrize("name", NAMES)
def test_the_deadline_banner_is_on_every_page_while_submissions_are_open(tour, name):
    banner = " ".join(chrome(tour, name).text.get("cutoff-banner", "").split())
    if name in CLOSED:
        assert re.fullmatch(r"Submissions closed on \d{1,2} \w+ \d{4}, \d\d:\d\d CES?T\.", banner)
        return
    assert re.search(
        r"Submissions are open until \d{1,2} \w+ \d{4}, \d\d:\d\d CES?T "
        r"\(Geneva time.*\)\.",
        banner,
    ), banner
    assert re.search(r"\d+ days? \d+ h \d+ min left", banner), banner


@pytest.mark.parametrize("name", BADGE_PAGES)
def test_badges_say_what_they_are(tour, name):
    badges = chrome(tour, name).badges
    assert badges, "no badge on the page"
    unlabelled = [b for b in badges if not LABELLED.match(b)]
    if name == "review":  # "Approved — public" beside a possible duplicate is a status
        unlabelled = [b for b in unlabelled if b not in ("Approved — public",)]
    if name == "my-submission":  # a person's role, beside their name in "People"
        unlabelled = [b for b in unlabelled if b not in ("Owner", "Co-editor")]
    assert unlabelled == [], unlabelled
