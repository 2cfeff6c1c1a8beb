"""Public pages: home, browse with facets, search, detail, stats — approved content only."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from hub.submissions.models import Status


class _Checker(HTMLParser):
    """Headings in order, one h1, every form control labelled, ids unique."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.ids: list[str] = []
        self.labels: set[str] = set()
        self.controls: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a.get("id") or "")


def check_html(html: str) -> None:
    """Light structural checks of a page: headings, labels, unique ids."""
    parser = _Checker()
    parser.feed(html)
    assert parser.levels and parser.levels[0] == 1 and parser.levels.count(1) == 1
    for before, after in zip(parser.levels, parser.levels[1:], strict=False):
        assert after <= before + 1, f"heading h{before} followed by h{after}"
    assert len(parser.ids) == len(set(parser.ids)), "duplicate ids"
    for control in parser.controls:
        assert control and control in parser.labels, f"unlabelled control {control!r}"


@pytest.fixture
def owner(create_user):
    return create_user()


@pytest.fixture
def published(owner, create_submission_for):
    """Three approved submissions with different facets, one draft."""
    a = create_submission_for(
        owner,
        Status.APPROVED,
        kind="initiative",
        title="Écoles numériques pour tous",
        summary="Former les enseignants à l'intelligence artificielle.",
        countries=["FR", "SN"],
        regions=["europe", "africa"],
        themes=["education"],
        sdgs=[4],
        stakeholder_group="academia",
    )
    b = create_submission_for(
        owner,
        Status.APPROVED,
        kind="coalition",
        title="Open data coalition for climate models",
        summary="Sharing climate datasets openly.",
        countries=["KE"],
        regions=["africa"],
        themes=["climate"],
        sdgs=[13],
        stakeholder_group="civil_society",
    )
    c = create_submission_for(
        owner,
        Status.APPROVED,
        kind="partnership",
        title="Running safety evaluations",
        summary="Partners are running AI safety evaluations together.",
        countries=["CH"],
        regions=["europe"],
        themes=["safety"],
        sdgs=[9],
        stakeholder_group="private_sector",
    )
    d = create_submission_for(owner, Status.DRAFT, title="Hidden draft quokka")
    return a, b, c, d


def test_home_counts_latest_and_search_box(client, published):
    html = client.get("/").get_data(as_text=True)
    check_html(html)
    assert "Écoles numériques pour tous" in html and "Hidden draft" not in html
    assert 'role="search"' in html and 'name="q"' in html
    assert re.search(r'count-number">1</span> <span class="count-label">Coalition<', html)


def test_home_shows_countdown_and_closed(client, clock, published):
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    clock.freeze(now)
    clock.close_at = now + timedelta(days=2, hours=3)
    html = client.get("/").get_data(as_text=True)
    assert "2 days 3 h" in html
    clock.freeze(now + timedelta(days=5))
    assert "Submissions closed on" in client.get("/").get_data(as_text=True)


def test_browse_lists_approved_with_facets(client, published):
    response = client.get("/browse")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    check_html(html)
    assert "3 results" in html
    assert "Hidden draft" not in html
    assert 'name="kind" value="coalition"' in html
    assert re.search(r"Africa <span class=\"facet-count\">\(2\)</span>", html)


def test_facets_combine_in_the_url(client, published):
    html = client.get("/browse?region=africa&kind=coalition").get_data(as_text=True)
    assert "1 result" in html and "Open data coalition" in html
    # Values of one facet combine with OR; counts of a facet ignore its own filter.
    html = client.get("/browse?kind=coalition&kind=initiative").get_data(as_text=True)
    assert "2 results" in html
    assert re.search(r"Partnership <span class=\"facet-count\">\(1\)</span>", html)


def test_sort_by_title_and_pagination(client, published):
    html = client.get("/browse?sort=title&per_page=2").get_data(as_text=True)
    titles = re.findall(r'class="result-title"><a [^>]*>([^<]+)</a>', html)
    assert titles == ["Écoles numériques pour tous", "Open data coalition for climate models"]
    assert 'rel="next"' in html and "Page 1 of 2" in html
    html = client.get("/browse?sort=title&per_page=2&page=2").get_data(as_text=True)
    assert "Running safety evaluations" in html and 'rel="prev"' in html


@pytest.mark.parametrize(
    "args",
    ["page=abc", "per_page=-3", "sort=evil", "kind=nope", "page=99999999999999999999", "sdg=99"],
)
def test_browse_forgives_bad_parameters(client, published, args):
    assert client.get(f"/browse?{args}").status_code == 200


def test_search_page_highlights_and_escapes(client, owner, create_submission_for):
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Evaluating <script>alert(1)</script>",
        summary="We are running <b>bold</b> evaluations of models.",
    )
    html = client.get("/search?q=run").get_data(as_text=True)
    check_html(html)
    assert '<mark class="hit' in html and ">running</mark>" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_search_empty_message(client, published):
    html = client.get("/search?q=zzzyyyxxx").get_data(as_text=True)
    assert "No results" in html and "Check the spelling" in html
    check_html(html)


@pytest.mark.parametrize("q", ["%00", "%01%7F", "%00%20%0B"])
def test_a_query_of_invisible_characters_is_no_query(client, published, q):
    """Pasted control characters are dropped as in every form: the page is the same as for
    an empty search, not "No results for “ ”"."""
    html = client.get(f"/search?q={q}").get_data(as_text=True)
    assert (
        html.count('<li class="result card">')
        == client.get("/search?q=").get_data(as_text=True).count('<li class="result card">')
        > 0
    )
    assert "No results" not in html


def test_search_did_you_mean(client, published):
    html = client.get("/search?q=climat+dataset+opne").get_data(as_text=True)
    assert "Did you mean" in html


def test_detail_page_never_shows_private_email(client, owner, create_submission_for):
    s = create_submission_for(
        owner,
        Status.APPROVED,
        contact_email="secret.person@example.org",
        contact_name="Public Name",
    )
    html = client.get(f"/s/{s.slug}").get_data(as_text=True)
    check_html(html)
    assert "Public Name" in html and "secret.person" not in html
    assert "Last updated" in html


def test_detail_of_non_public_is_404(client, owner, create_submission_for):
    for status in (Status.DRAFT, Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN):
        s = create_submission_for(owner, status)
        assert client.get(f"/s/{s.slug}").status_code == 404


def test_detail_similar_panel(client, owner, create_submission_for):
    a = create_submission_for(
        owner,
        Status.APPROVED,
        title="Climate data sharing",
        summary="Climate data sharing between weather services",
        description="climate data weather forecasts",
    )
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Weather data for climate",
        summary="Weather services share climate data",
        description="climate weather data",
    )
    html = client.get(f"/s/{a.slug}").get_data(as_text=True)
    similar = html.split('id="similar-title"')[1]
    assert "Weather data for climate" in similar and "Climate data sharing" not in similar


def test_stats_page_draws_each_chart_from_a_table(client, published):
    """Five charts, each a table of label and count whose bars only draw the figures."""
    html = client.get("/stats").get_data(as_text=True)
    check_html(html)
    assert html.count('<table class="bar-table">') == 5 and "Hidden draft" not in html
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th>\s*<td>.*?'
        r'<span class="bar-value">(\d+)</span>',
        html,
        re.S,
    )
    assert {
        ("Coalition", "1"),
        ("Initiative", "1"),
        ("Partnership", "1"),
        ("Africa", "2"),
        ("Europe", "2"),
    } <= set(rows)
    # Each bar is an SVG drawn on the server, its length proportional to the count.
    for table in html.split('<table class="bar-table">')[1:]:
        bars = [
            (int(n), float(w))
            for w, n in re.findall(
                r'<rect class="bar" width="([\d.]+)"[^>]*/></svg><span class="bar-value">(\d+)<',
                table,
            )
        ]
        assert bars, "a chart without SVG bars"
        biggest = max(n for n, _ in bars)
        assert all(abs(w - 100 * n / biggest) < 0.1 for n, w in bars), bars


def test_the_api_link_carries_every_filter_of_the_page(client, published):
    page = client.get(
        "/browse?region=africa&region=europe&kind=coalition&kind=bogus&sort=title"
    ).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">JSON \(API\)</a>', page).group(1)
    api = client.get(link.replace("&amp;", "&"))
    assert api.status_code == 200  # the unknown value the page forgave is not passed on
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["region"] == ["africa", "europe"] and query["kind"] == ["coalition"]
    assert query["sort"] == ["title"]


def test_public_pages_are_cached_for_anonymous_visitors_until_something_is_published(
    app, client, owner, create_submission_for, auth
):
    """A page is rendered once per content version; an approval (a new index version)
    shows at once, and logged-in visitors always get a page of their own."""
    from hub.moderation.operations import approve_submission
    from hub.submissions.models import Submission

    app.config["HUB_PAGE_CACHE"] = 32
    create_submission_for(owner, "approved", title="Cached lynx")
    rendered = []
    with template_rendered_to(app, rendered):
        first = client.get("/browse").get_data(as_text=True)
        again = client.get("/browse").get_data(as_text=True)
    assert first == again and "Cached lynx" in first
    assert len(rendered) == 1  # the second visit did not render

    waiting = create_submission_for(owner, "submitted", title="Freshly approved ocelot")
    with app.test_request_context():
        from sqlalchemy import select

        from hub.auth.models import Role, User
        from hub.extensions import db

        approve_submission(
            db.session.get(Submission, waiting.id),
            db.session.scalar(select(User).where(User.role == Role.MODERATOR)),
        )
        db.session.commit()
    assert "Freshly approved ocelot" in client.get("/browse").get_data(as_text=True)

    auth.login(owner)
    page = client.get("/browse").get_data(as_text=True)
    assert "Log out" in page and "Freshly approved ocelot" in page


def test_a_forged_host_header_does_not_poison_the_cached_page(
    app, client, owner, create_submission_for
):
    app.config["HUB_PAGE_CACHE"] = 32
    s = create_submission_for(owner, "approved", title="Permanent heron")
    forged = client.get(f"/s/{s.slug}", headers={"Host": "evil.example"}).get_data(as_text=True)
    page = client.get(f"/s/{s.slug}").get_data(as_text=True)
    # The permanent link is on HUB_BASE_URL (the default here), for the forger too.
    for seen in (forged, page):
        assert "evil.example" not in seen and f"http://127.0.0.1:5000/s/{s.slug}" in seen


@pytest.mark.parametrize(
    "times, expected",
    [
        ([], []),
        # Months in Geneva time: 31 May 22:30 UTC is 1 June 00:30 CEST; April is empty.
        (
            ["2026-03-15T12:00:00+00:00", "2026-05-31T22:30:00+00:00", "2026-06-02T09:00:00+00:00"],
            [("2026-03", 1), ("2026-04", 0), ("2026-05", 0), ("2026-06", 2)],
        ),
        (["2025-12-31T23:30:00+00:00", "2026-01-01T10:00:00+00:00"], [("2026-01", 2)]),
        (
            ["2025-12-31T22:30:00+00:00", "2026-01-01T10:00:00+00:00"],
            [("2025-12", 1), ("2026-01", 1)],
        ),
    ],
)
def test_approvals_per_month_in_geneva_time_with_empty_months(times, expected):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from hub.public.routes import per_month

    stamps = sorted(datetime.fromisoformat(t).timestamp() for t in times)
    assert per_month(stamps, ZoneInfo("Europe/Zurich")) == expected


class template_rendered_to:  # noqa: N801 - used as a context manager
    """Record the templates rendered meanwhile."""

    def __init__(self, app, into: list) -> None:
        self.app, self.into = app, into

    def __enter__(self) -> None:
        from flask import template_rendered

        self.signal = template_rendered
        self.signal.connect(self._record, self.app)

    def __exit__(self, *_exc) -> None:
        self.signal.disconnect(self._record, self.app)

    def _record(self, _sender, template, context, **_extra) -> None:
        self.into.append(template.name)


def test_dates_are_written_in_words_on_public_and_private_pages(
    client, owner, auth, create_submission_for
):
    s = create_submission_for(
        owner, Status.APPROVED, start_date="2026-09-01", end_date="2027-12-31"
    )
    auth.login(owner)
    for url in (f"/s/{s.slug}", f"/my/{s.id}"):
        page = client.get(url).text
        assert (
            '<time datetime="2026-09-01">1 September 2026</time> to '
            '<time datetime="2027-12-31">31 December 2027</time>'
        ) in page, url
