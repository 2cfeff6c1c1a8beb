"""What people see on the public pages and forms: labelled theme badges on result cards,
dates in words, long facets folded, quiet character counters, the live "similar" panel's
data, and the page chrome for each role."""

from __future__ import annotations

import re

import pytest

from hub.submissions.models import Status

from helpers import PASSWORD, page_text

FIVE_THEMES = ["health", "education", "climate", "ethics", "gender"]


@pytest.fixture
def owner(create_user):
    return create_user()


def card_of(html: str, title: str) -> str:
    """The result card (<li class="result card">) whose title is `title`."""
    for card in re.findall(r'<li class="result card">(.*?)</li>', html, re.S):
        if title in page_text(card):  # search results highlight words of the title
            return card
    raise AssertionError(f"no card for {title!r}")


@pytest.mark.parametrize("path", ["/", "/browse", "/search?q=mangroves"])
def test_result_cards_show_up_to_three_labelled_theme_badges(
    client, owner, create_submission_for, path
):
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Mangroves and AI",
        summary="Mapping mangroves.",
        themes=FIVE_THEMES,
    )
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Mangroves census",
        summary="Counting mangroves.",
        themes=["climate"],
    )
    html = client.get(path).text

    many = card_of(html, "Mangroves and AI")
    badges = re.findall(r'<span class="badge badge-theme">(.*?)</span>', many)
    assert badges == [
        "Theme: AI for health",
        "Theme: AI in education",
        "Theme: AI for climate and environment",
    ]
    assert (
        page_text(
            re.search(r'<span class="more-themes">(.*?)</span></span>', many).group(0)
        ).strip()
        == "+2 more themes"
    )
    one = card_of(html, "Mangroves census")
    assert re.findall(r'class="badge badge-theme">(.*?)<', one) == [
        "Theme: AI for climate and environment"
    ]
    assert "more-themes" not in one
    # Every badge of a card names what it is (not colour alone).
    for badge in re.findall(r'<span class="badge [^"]*">(.*?)</span>', many):
        assert re.match(r"(Kind|Stakeholder|Theme): ", badge), badge


def test_detail_page_writes_dates_in_words(client, owner, create_submission_for):
    item = create_submission_for(
        owner, Status.APPROVED, start_date="2026-09-01", end_date="2027-12-31"
    )
    html = client.get(f"/s/{item.slug}").text
    dates = page_text(re.search(r"<dt>Dates</dt><dd>(.*?)</dd>", html).group(1)).strip()
    assert dates == "1 September 2026 to 31 December 2027"
    assert '<time datetime="2026-09-01">' in html


def test_long_facets_show_the_top_values_and_fold_the_rest(client, owner, create_submission_for):
    countries = ["FR", "SN", "KE", "BR", "CH", "IN", "JP", "CA", "MX", "NG"]
    for n in range(4):  # FR is the most frequent: it comes first
        create_submission_for(
            owner, Status.APPROVED, title=f"Item {n}", countries=countries if n == 0 else ["FR"]
        )
    html = client.get("/browse").text
    facet = re.search(r"<legend>Country</legend>(.*?)</fieldset>", html, re.S).group(1)
    shown, folded = facet.split('<details class="facet-more"', 1)
    assert shown.count('type="checkbox"') == 8 and 'value="FR"' in shown
    assert folded.startswith(">")  # closed
    assert "More countries (2)" in page_text(folded)
    assert folded.count('type="checkbox"') == 2

    last = re.findall(r'name="country" value="(\w+)"', folded)[-1]
    html = client.get(f"/browse?country={last}").text
    facet = re.search(r"<legend>Country</legend>(.*?)</fieldset>", html, re.S).group(1)
    if '<details class="facet-more"' in facet:  # a chosen value is never folded away
        assert '<details class="facet-more" open>' in facet


def test_character_counters_are_not_live_regions(client, owner, auth):
    """hub.js announces the count once typing pauses, from one region of its own: a live
    counter rewritten at every key would be read out at every key, and twice."""
    auth.login(owner)
    html = client.get("/submit/initiative", follow_redirects=True).text
    counters = re.findall(r'<p class="counter"[^>]*>', html)
    assert counters, "no character counter"
    assert not [c for c in counters if "aria-live" in c]


# --- The live "similar" panel's data -----------------------------------------------------


def test_similar_answers_approved_lookalikes_as_json(client, owner, create_submission_for):
    public = create_submission_for(
        owner,
        Status.APPROVED,
        title="Mangrove carbon mapping",
        summary="Satellite mapping of mangrove carbon stocks.",
    )
    create_submission_for(
        owner,
        Status.SUBMITTED,
        title="Mangrove carbon mapping too",
        summary="Satellite mapping of mangrove carbon stocks again.",
    )

    response = client.get(
        "/similar",
        query_string={"title": "Mangrove mapping", "text": "carbon stocks of mangrove forests"},
    )

    assert response.status_code == 200 and response.is_json
    assert response.json["items"] == [
        {
            "title": "Mangrove carbon mapping",
            "url": f"/s/{public.slug}",
            "lead_organisation": public.lead_organisation,
            "kind": "Initiative",
        }
    ]
    assert "no-store" in response.headers["Cache-Control"]
    excluded = client.get(
        "/similar",
        query_string={"title": "Mangrove mapping", "text": "carbon", "exclude": public.id},
    ).json
    assert excluded["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"title": ""},
        {"title": "x" * 5000, "text": "y" * 50000},
        {"title": "Mangroves", "exclude": "not-a-number"},
    ],
)
def test_similar_copes_with_any_query(client, query):
    response = client.get("/similar", query_string=query)
    assert response.status_code == 200
    assert response.json == {"items": []}


# --- The chrome of every page ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "items"),
    [
        (None, ["Browse", "Search", "Submit"]),
        ("submitter", ["Browse", "Search", "Submit", "My submissions"]),
        ("moderator", ["Browse", "Search", "Submit", "My submissions", "Moderation"]),
    ],
)
def test_navigation_per_role(client, create_user, role, items):
    if role:
        client.post("/account/login", data={"email": create_user(role).email, "password": PASSWORD})
    html = client.get("/browse").text
    main_nav = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', html, re.S)
    assert re.findall(r"<a [^>]*>([^<]+)</a>", main_nav.group(1)) == items
    account = page_text(
        re.search(r'<nav class="account-nav" aria-label="Account">(.*?)</nav>', html, re.S).group(1)
    ).split()
    # Logged in: the account page, then "Log out".
    assert account[:4] == (["Your", "account", "Log", "out"] if role else ["Log", "in", "Register"])
    assert ("Register" in account) is (role is None)
