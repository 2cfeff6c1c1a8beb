"""A moderator clearing a long queue: explicit decisions (none by default, typed text never
dropped), the queue's filters and the next item carried from decision to decision, refusals
that keep the work, bulk decisions that say what they did, and the pieces around them
(queue filter, the updates view, deadline exceptions, the audit CSV, who may see what)."""

from __future__ import annotations

import csv
import io
import re
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hub import create_app
from hub.audit.models import Action
from hub.auth.models import Role, User
from hub.extensions import db
from hub.moderation import operations as ops
from hub.moderation import queries
from hub.submissions.deadlines import DeadlineException
from hub.submissions.models import Status, Submission
from hub.submissions.revisions import Revision

from helpers import (
    PASSWORD,
    REASON,
    Browser,
    decision_form,
    events,
    field_error,
    field_value,
    flash_messages,
    outbox,
    page_version,
    propose,
    row,
    snapshot,
    text_of,
    ticked,
)


def flashes(browser: Browser, url: str = "/moderation/") -> list[str]:
    """The messages shown on the next page (without the login greeting)."""
    return [f for f in flash_messages(browser.get(url)) if not f.startswith("Logged in")]


# --------------------------------------------------------------------------- decisions


def test_an_approval_with_a_message_sends_and_records_it(
    app, create_submission_for, owner, moderator
):
    """What a moderator typed is never dropped: pressing Approve with a message publishes
    the item and the message goes with the approval (mail, item, audit trail)."""
    item = create_submission_for(owner, title="Open data for rivers")
    browser = Browser(app, moderator)
    note = "Welcome aboard; please add your partners' logos later."
    response = browser.post(
        f"/moderation/{item.id}/decide",
        data=decision_form("approve", page_version(browser, item.id), message=note),
    )
    assert response.status_code == 302
    stored = row(app, item.id)
    assert (stored.status, stored.decision_message) == (Status.APPROVED, note)
    [event] = [e for e in events(app, item.id) if e.action is Action.APPROVED]
    assert event.message == note
    [mail] = [m for m in outbox(app) if m.kind == "decision"]
    assert mail.subject == "Approved and published: Open data for rivers"
    assert note in mail.body
    assert any(
        "Your message went to the submitter with the approval" in f for f in flashes(browser)
    )


def test_review_page_preselects_no_decision_and_confirms_reject(
    app, create_submission_for, owner, moderator
):
    item = create_submission_for(owner, title="Coalition pour l'éthique")
    page = Browser(app, moderator).get(f"/moderation/{item.id}").text
    decision = page[page.index('id="decide-title"') : page.index('id="dup-title"')]
    assert "<select" not in decision and " selected" not in decision and "checked" not in decision
    assert re.search(
        r'<form method="post" action="/moderation/\d+/decide" '
        r'data-confirm-reject="Reject “Coalition pour l&#39;éthique”\?',
        decision,
    )
    assert 'data-confirm="Reject “Coalition pour l&#39;éthique” as a duplicate?' in decision


# --------------------------------------------------------------------------- next item


@pytest.fixture
def coalitions(app, create_submission_for, create_user, owner, moderator) -> list[int]:
    """Three coalitions waiting in order, with an initiative, the moderator's own coalition
    and a decided one among them (the queue's order: oldest submitted first)."""
    ids = {}
    base = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    for n, (name, kind, who, status) in enumerate(
        [
            ("Coalition A", "coalition", owner, "submitted"),
            ("Initiative X", "initiative", owner, "submitted"),
            ("Coalition own", "coalition", moderator, "submitted"),
            ("Coalition B", "coalition", owner, "submitted"),
            ("Coalition decided", "coalition", owner, "approved"),
            ("Coalition C", "coalition", owner, "changes_requested"),
        ]
    ):
        item = create_submission_for(who, status=status, kind=kind, title=name)
        with app.app_context():
            db.session.get(Submission, item.id).submitted_at = base + timedelta(minutes=n)
            db.session.commit()
        ids[name] = item.id
    return ids


def test_decisions_walk_the_filtered_queue_item_by_item(app, coalitions, moderator):
    browser = Browser(app, moderator)
    a, b, c = (coalitions[f"Coalition {x}"] for x in "ABC")
    queue = browser.get("/moderation/?status=&kind=coalition").text
    # The queue's links open the review page with the queue's filters.
    assert f'href="/moderation/{a}?status=&amp;kind=coalition"' in queue
    review = browser.get(f"/moderation/{a}?status=&kind=coalition").text
    assert 'href="/moderation/?status=&amp;kind=coalition"' in review  # back, filters kept
    assert f'action="/moderation/{a}/decide?status=&amp;kind=coalition"' in review
    assert f'href="/moderation/{b}?status=&amp;kind=coalition" rel="next"' in review  # skip

    response = browser.post(
        f"/moderation/{a}/decide?status=&kind=coalition",
        data=decision_form("approve", page_version(browser, a)),
    )
    # Next in the same order, with the same filters: the moderator's own item and the
    # decided one are skipped, the initiative is filtered out.
    assert response.headers["Location"] == f"/moderation/{b}?status=&kind=coalition"
    assert flashes(browser, response.headers["Location"]) == [
        f"Approved and published: “Coalition A” (#{a}). Here is the next one."
    ]

    response = browser.post(
        f"/moderation/{b}/decide?status=&kind=coalition",
        data=decision_form("reject", page_version(browser, b), message=REASON),
    )
    assert response.headers["Location"] == f"/moderation/{c}?status=&kind=coalition"
    response = browser.post(
        f"/moderation/{c}/decide?status=&kind=coalition",
        data=decision_form(
            "request_changes", page_version(browser, c), message="Name your partners."
        ),
    )
    assert response.headers["Location"] == "/moderation/?status=&kind=coalition"
    assert flashes(browser, response.headers["Location"]) == [
        f"Changes requested: “Coalition C” (#{c}); the submitter was sent your message. "
        "Nothing left after it in this view of the queue."
    ]
    assert [row(app, i).status for i in (a, b, c)] == [
        Status.APPROVED,
        Status.REJECTED,
        Status.CHANGES_REQUESTED,
    ]
    assert row(app, coalitions["Initiative X"]).status is Status.SUBMITTED


def test_the_next_item_comes_with_its_page_of_the_queue(app, coalitions, moderator, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    browser = Browser(app, moderator)
    x, b = coalitions["Initiative X"], coalitions["Coalition B"]
    # The submitted queue, two a page: A, X | own, B.
    response = browser.post(
        f"/moderation/{x}/decide", data=decision_form("approve", page_version(browser, x))
    )
    # Next: B (the moderator's own item is skipped), on page 2 of the queue as it is now.
    assert response.headers["Location"] == f"/moderation/{b}?page=2"
    review = browser.get(response.headers["Location"]).text
    assert 'href="/moderation/?page=2"' in review


def test_a_decision_made_from_a_filtered_queue_without_anything_after(app, coalitions, moderator):
    browser = Browser(app, moderator)
    x = coalitions["Initiative X"]
    response = browser.post(
        f"/moderation/{x}/decide?kind=initiative&q=initiative&page=3",
        data=decision_form("approve", page_version(browser, x)),
    )
    assert response.headers["Location"] == "/moderation/?kind=initiative&q=initiative&page=3"
    page = browser.get(response.headers["Location"])
    assert page.status_code == 200  # a page past the end shows the last one
    assert 'value="initiative" selected' in page.text and 'value="initiative"' in page.text


# --------------------------------------------------------------------------- refusals


def test_after_an_edit_meanwhile_the_form_can_be_sent_again(
    app, create_submission_for, owner, moderator
):
    """Refused because the owner edited the item: the page shows the new text, and its form
    carries the current version and the reason typed, so sending it again works."""
    item = create_submission_for(owner, title="First wording")
    browser = Browser(app, moderator)
    seen = page_version(browser, item.id)
    propose(app, item.id, owner, title="Second wording")
    reason = "Advertising, not a partnership.\nSee the rules, section 2."
    response = browser.post(
        f"/moderation/{item.id}/decide?kind=initiative",
        data=decision_form("reject", seen, message=reason),
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "This submission changed since you opened it" in text_of(response)
    assert "Second wording" in text_of(response)
    current = row(app, item.id).version
    assert current != seen
    assert field_value(page, "version") == str(current)
    assert field_value(page, "message") == reason
    assert f'action="/moderation/{item.id}/decide?kind=initiative"' in page
    again = browser.post(
        f"/moderation/{item.id}/decide",
        data=decision_form(
            "reject", int(field_value(page, "version")), message=field_value(page, "message")
        ),
    )
    assert again.status_code == 302
    assert (row(app, item.id).status, row(app, item.id).decision_message) == (
        Status.REJECTED,
        reason,
    )


def test_after_someone_else_decided_the_typed_message_is_shown_not_lost(
    app, create_submission_for, create_user, owner, moderator
):
    item = create_submission_for(owner)
    mine, theirs = (
        Browser(app, moderator),
        Browser(app, create_user(role="admin", name="Ada Admin")),
    )
    version = page_version(mine, item.id)
    assert (
        theirs.post(
            f"/moderation/{item.id}/decide", data=decision_form("approve", version)
        ).status_code
        == 302
    )
    before = snapshot(app, item.id)
    typed = "Please say which regions you cover."
    response = mine.post(
        f"/moderation/{item.id}/decide",
        data=decision_form("request_changes", version, message=typed),
    )
    assert response.status_code == 409
    body = text_of(response)
    assert "Already decided by Ada Admin at" in body
    assert "Your message was not sent" in body and typed in body
    assert 'name="version"' not in body  # nothing left to decide
    assert snapshot(app, item.id) == before


@pytest.mark.parametrize(
    ("state", "mine", "code", "says"),
    [
        ("approved", False, 409, "Already decided by Factory Moderator at"),
        ("withdrawn", False, 409, "This submission cannot be decided on: it is “Withdrawn”."),
        ("submitted", True, 403, "You cannot decide on your own submission"),
    ],
)
@pytest.mark.parametrize(
    "data",
    [{"action": "reject", "message": " "}, {"message": "Typed"}, {"dup-duplicate_of": "x"}],
    ids=["reject", "no-button", "duplicate"],
)
def test_an_incomplete_form_for_an_item_that_cannot_be_decided_says_why(
    app, create_submission_for, owner, moderator, state, mine, code, says, data
):
    """There is no form on the page to show its errors in: the refusal itself is shown."""
    item = create_submission_for(moderator if mine else owner, status=state)
    before = snapshot(app, item.id)
    path = "duplicate" if "dup-duplicate_of" in data else "decide"
    response = Browser(app, moderator).post(
        f"/moderation/{item.id}/{path}", data={**data, "version": before["version"]}
    )
    assert response.status_code == code
    assert says in text_of(response)
    if data.get("message", "").strip() and not mine:
        assert "Your message was not sent" in text_of(response)
    assert snapshot(app, item.id) == before


def test_a_duplicate_refused_for_an_edit_meanwhile_keeps_the_number(
    app, create_submission_for, create_user, owner, moderator
):
    original = create_submission_for(create_user(), status="approved")
    item = create_submission_for(owner)
    browser = Browser(app, moderator)
    seen = page_version(browser, item.id)
    propose(app, item.id, owner, title="Edited")
    response = browser.post(
        f"/moderation/{item.id}/duplicate",
        data={"dup-duplicate_of": str(original.id), "dup-version": str(seen)},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert field_value(page, "dup-duplicate_of") == str(original.id)
    assert field_value(page, "dup-version") == str(row(app, item.id).version)


# --------------------------------------------------------------------------- bulk


def test_select_all_without_javascript_ticks_every_decidable_box(app, coalitions, moderator):
    browser = Browser(app, moderator)
    queue = browser.get("/moderation/?kind=coalition").text
    # The script's checkbox is there, hidden; the button works without it.
    assert re.search(r'<label class="select-all-box" hidden data-select-all>', queue)
    assert 'name="action" value="select_all"' in queue
    assert ticked(queue) == set()
    response = browser.post(
        "/moderation/bulk?kind=coalition",
        data={"action": "select_all", "message": "Kept while selecting."},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Every box of the page, and only those: not the moderator's own item (no box at all).
    assert ticked(page) == {coalitions["Coalition A"], coalitions["Coalition B"]}
    assert f'name="ids" value="{coalitions["Coalition own"]}"' not in page
    assert field_value(page, "message") == "Kept while selecting."
    assert {row(app, i).status for i in coalitions.values()} == {
        Status.SUBMITTED,
        Status.APPROVED,
        Status.CHANGES_REQUESTED,
    }  # nothing decided


def test_the_updates_view_offers_no_bulk_boxes(app, create_submission_for, owner, moderator):
    """Updates of approved items are decided one by one, reading the changes: that view has
    no boxes that could never work, and links to each item."""
    edited = create_submission_for(owner, status="approved", title="Edited after approval")
    propose(app, edited.id, owner, title="v2")
    create_submission_for(owner, title="Waiting")
    browser = Browser(app, moderator)
    updates = browser.get("/moderation/?status=revisions").text
    assert "Edited after approval" in updates
    assert 'name="ids"' not in updates and "/moderation/bulk" not in updates
    assert f'href="/moderation/{edited.id}?status=revisions"' in updates
    assert 'name="ids"' in browser.get("/moderation/").text


def test_many_refusals_fit_in_one_short_message(app, create_submission_for, owner, moderator):
    """100 items decided by someone else meanwhile: one summary, small enough for the
    session cookie (4 KB), so the moderator sees the result at all."""
    title = "A realistic, rather long title of a coalition for éducation numérique number"
    ids = [
        create_submission_for(owner, status="approved", title=f"{title} {n}").id for n in range(100)
    ]
    browser = Browser(app, moderator)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # werkzeug warns about a cookie browsers would drop
        response = browser.post(
            "/moderation/bulk", data={"ids": [str(i) for i in ids], "action": "approve"}
        )
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert len(cookie) < 4000
    shown = flashes(browser)
    assert shown[0] == "0 submissions approved."
    assert shown[1].startswith("100 not decided — #")
    assert "more" in shown[1] and "Already decided by Factory Moderator" in shown[1]


# --------------------------------------------------------------------------- queue filter


@pytest.mark.parametrize(
    "query",
    [
        "éducation",
        "Éducation",
        "ÉDUCATION",
        "NUMÉRIQUE",
        "numérique",
        "numerique",
        "EDUCATION",
        "pour tous",
    ],
)
def test_queue_text_filter_ignores_case_and_accents(
    app, create_submission_for, owner, moderator, query
):
    create_submission_for(owner, title="Éducation numérique pour tous")
    create_submission_for(
        owner,
        title="Water for farms",
        summary="Irrigation 100% solar",
        lead_organisation="Eau_Vive",
    )
    page = text_of(Browser(app, moderator).get("/moderation/", query_string={"q": query}))
    assert "Éducation numérique pour tous" in page
    assert "Water for farms" not in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("100%", True),
        ("0% s", True),
        ("%", True),
        ("1_0", False),
        ("eau_vive", True),
        ("eau vive", False),
    ],
)
def test_queue_text_filter_takes_wildcards_literally(
    app, create_submission_for, owner, moderator, query, found
):
    create_submission_for(
        owner,
        title="Water for farms",
        summary="Irrigation 100% solar",
        lead_organisation="Eau_Vive",
    )
    page = text_of(Browser(app, moderator).get("/moderation/", query_string={"q": query}))
    assert ("Water for farms" in page) is found


# --------------------------------------------------------------------------- exceptions


def test_a_moderator_cannot_grant_themselves_an_exception(app, moderator):
    before = events(app)
    response = Browser(app, moderator).post(
        "/moderation/exceptions",
        data={"email": moderator.email, "until": "2099-01-01T12:00", "reason": "Me too"},
    )
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "You cannot grant yourself an exception" in field_error(page, "email")
    assert field_value(page, "reason") == "Me too"
    with app.app_context():
        assert db.session.scalar(select(DeadlineException)) is None
    assert len(events(app)) == len(before)


def test_granting_again_replaces_the_exception_and_says_so(app, create_user, moderator):
    late = create_user(email="late@example.org")
    browser = Browser(app, moderator)
    for until in ("2099-01-01T12:00", "2099-02-01T12:00"):
        response = browser.post(
            "/moderation/exceptions", data={"email": late.email, "until": until, "reason": "Visa"}
        )
        assert response.status_code == 302
    assert flashes(browser, "/moderation/exceptions")[-1:] == [
        "late@example.org may submit until 1 February 2099, 12:00 CET. This replaces the "
        "exception until 1 January 2099, 12:00 CET."
    ]
    with app.app_context():
        [row] = db.session.scalars(select(DeadlineException)).all()
        assert row.until == datetime(2099, 2, 1, 11, 0, tzinfo=UTC)
    granted = [e.message for e in events(app) if e.action is Action.EXCEPTION_GRANTED]
    assert granted[-1] == (
        "Until 1 February 2099, 12:00 CET (replaces the exception until "
        "1 January 2099, 12:00 CET). Visa"
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "nobody@example.org"}, "email", "No account has this e-mail."),
        ({"until": "2000-01-01T00:00"}, "until", "Choose an instant in the future."),
        ({"until": "tomorrow"}, "until", "Not a valid datetime value."),
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail."),
        ({"reason": "x" * 1001}, "reason", "1000"),
        # 28 March 2083 is a Sunday when Geneva goes from 02:00 to 03:00.
        ({"until": "2083-03-28T02:30"}, "until", "does not exist in Geneva time on that day"),
        ({"until": "0001-01-01T00:00"}, "until", "Choose an instant in the future."),
    ],
    ids=[
        "unknown-account",
        "past",
        "not-a-date",
        "bad-email",
        "reason-too-long",
        "dst-gap",
        "year-1",
    ],
)
def test_bad_exception_requests_are_refused_next_to_the_field(
    app, create_user, moderator, data, field, message
):
    create_user(email="late@example.org")
    form = {"email": "late@example.org", "until": "2099-01-01T12:00", "reason": "", **data}
    response = Browser(app, moderator).post("/moderation/exceptions", data=form)
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    with app.app_context():
        assert db.session.scalar(select(DeadlineException)) is None


# --------------------------------------------------------------------------- audit CSV


def test_audit_csv_neutralises_formulas_in_every_cell(app, create_user):
    """An e-mail such as =1+1@x.org is valid: no cell may reach a spreadsheet as a
    formula, whoever wrote it."""
    admin = create_user(role="admin")
    mod = create_user(role="moderator", email="+mod@example.org")
    late = create_user(email="=1+1@example.org")
    assert (
        Browser(app, mod)
        .post(
            "/moderation/exceptions",
            data={"email": late.email, "until": "2099-01-01T12:00", "reason": "-2+3"},
        )
        .status_code
        == 302
    )
    response = Browser(app, admin).get("/moderation/audit.csv")
    [row] = [
        r
        for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))
        if r["action"] == "exception_granted"
    ]
    assert row["actor"] == "'+mod@example.org"
    assert row["account"] == "'=1+1@example.org"
    assert row["message"].startswith("Until 1 January 2099")  # safe as it is
    for r in csv.reader(io.StringIO(response.get_data(as_text=True))):
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in r)


# --------------------------------------------------------------------------- access


class TokenBrowser:
    """A browser of a hub with CSRF protection on, as in production: it posts the token of
    the last page it read (unless told otherwise), each request in an app context of its
    own."""

    def __init__(self, hub: Flask, user: User | None = None) -> None:
        self.hub = hub
        self.client = hub.test_client()
        self.token = ""
        if user is not None:
            self.get("/account/login")
            assert (
                self.post(
                    "/account/login", data={"email": user.email, "password": PASSWORD}
                ).status_code
                == 302
            )

    def get(self, url: str) -> Any:
        with self.hub.app_context():
            response = self.client.get(url)
        self._read_token(response)
        return response

    def post(self, url: str, data: dict[str, Any], token: str | None = "page") -> Any:
        """Post with the page's token ("page"), none (None) or the one given."""
        if token is not None:
            data = {**data, "csrf_token": self.token if token == "page" else token}
        with self.hub.app_context():
            response = self.client.post(url, data=data)
        self._read_token(response)
        return response

    def _read_token(self, response: Any) -> None:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.text)
        if found:
            self.token = found.group(1)


@pytest.fixture
def csrf_hub(app_config) -> Any:
    """The hub with CSRF protection on (the tests' default turns it off)."""
    hub = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield hub
    hub.extensions["hub_db"].kw["bind"].dispose()


def test_the_area_is_404_for_everyone_else_whatever_the_token(
    csrf_hub, app, create_user, create_submission_for
):
    """As in production: a submitter's or a visitor's post to any moderation address is the
    404 of an address that does not exist, with a valid token, a forged one or none (a 400
    "security token" page would tell them the area is there). Nothing changes."""
    owner = create_user()
    item = create_submission_for(owner)
    with app.app_context():
        exception = ops.grant_exception(
            db.session.get(User, owner.id),
            datetime.now(UTC) + timedelta(days=3),
            "Travel",
            db.session.scalar(select(User).where(User.role == Role.MODERATOR)),
        )
        db.session.commit()
        exception_id = exception.id
    submitter = TokenBrowser(csrf_hub, owner)
    submitter.get("/my/")
    visitor = TokenBrowser(csrf_hub)
    visitor.get("/account/login")
    data = {
        "action": "approve",
        "version": "1",
        "ids": [str(item.id)],
        "message": "x",
        "dup-duplicate_of": "1",
        "email": owner.email,
        "until": "2099-01-01T00:00",
    }
    for path in (
        f"/moderation/{item.id}/decide",
        f"/moderation/{item.id}/duplicate",
        "/moderation/bulk",
        "/moderation/revisions/1/decide",
        "/moderation/exceptions",
        f"/moderation/exceptions/{exception_id}/revoke",
    ):
        for who in (submitter, visitor):
            for token in ("page", None, "forged"):
                response = who.post(path, data=data, token=token)
                assert response.status_code == 404, (path, token)
                assert "Page not found" in response.text
                assert "security token" not in response.text
        assert submitter.get("/moderation/").status_code == 404
    with app.app_context():
        assert db.session.get(Submission, item.id).status is Status.SUBMITTED
        assert db.session.get(DeadlineException, exception_id) is not None


TOKENS = [pytest.param(None, id="missing-token"), pytest.param("forged", id="forged-token")]
EXPIRED = "This form had expired"
LONG_REASON = ("Out of scope: " + "the call is about AI governance, not hardware. " * 90)[:4000]


@pytest.mark.parametrize("token", TOKENS)
def test_an_expired_decision_form_keeps_the_reason(
    csrf_hub, app, create_submission_for, owner, moderator, token
):
    item = create_submission_for(owner, title="Long reason")
    before = snapshot(app, item.id)
    browser = TokenBrowser(csrf_hub, moderator)
    page = browser.get(f"/moderation/{item.id}").text
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    response = browser.post(
        f"/moderation/{item.id}/decide",
        token=token,
        data={"action": "reject", "message": LONG_REASON, "version": version},
    )
    assert response.status_code == 400
    assert EXPIRED in text_of(response) and "press the button again" in text_of(response)
    assert field_value(response.text, "message") == LONG_REASON
    assert field_value(response.text, "version") == version
    assert snapshot(app, item.id) == before
    # The page came back with a token that works: the same button again goes through.
    response = browser.post(
        f"/moderation/{item.id}/decide",
        data={
            "action": "reject",
            "message": field_value(response.text, "message"),
            "version": field_value(response.text, "version"),
        },
    )
    assert response.status_code == 302
    assert (row(app, item.id).status, row(app, item.id).decision_message) == (
        Status.REJECTED,
        LONG_REASON,
    )


def test_an_expired_form_for_an_item_decided_meanwhile_shows_the_text_apart(
    csrf_hub, app, create_user, create_submission_for, owner, moderator
):
    """The page has no decision form any more (another moderator approved the item): what
    was typed is shown to copy, not lost."""
    item = create_submission_for(owner, title="Decided meanwhile")
    browser = TokenBrowser(csrf_hub, moderator)
    page = browser.get(f"/moderation/{item.id}").text
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    faster = create_user(role="moderator")
    with app.app_context():
        ops.approve_submission(db.session.get(Submission, item.id), db.session.get(User, faster.id))
        db.session.commit()
    response = browser.post(
        f"/moderation/{item.id}/decide",
        token=None,
        data={"action": "reject", "message": LONG_REASON, "version": version},
    )
    assert response.status_code == 400
    assert EXPIRED in text_of(response)
    assert "Your message was not sent" in text_of(response)
    assert LONG_REASON in text_of(response)
    assert row(app, item.id).status is Status.APPROVED


@pytest.mark.parametrize("token", TOKENS)
def test_an_expired_duplicate_form_keeps_the_number(
    csrf_hub, app, create_submission_for, owner, moderator, token
):
    original = create_submission_for(owner, status="approved", title="The original")
    item = create_submission_for(owner, title="The copy")
    before = snapshot(app, item.id)
    browser = TokenBrowser(csrf_hub, moderator)
    browser.get(f"/moderation/{item.id}")
    response = browser.post(
        f"/moderation/{item.id}/duplicate",
        token=token,
        data={"dup-duplicate_of": str(original.id), "dup-version": str(before["version"])},
    )
    assert response.status_code == 400
    assert EXPIRED in text_of(response)
    assert field_value(response.text, "dup-duplicate_of") == str(original.id)
    assert snapshot(app, item.id) == before


@pytest.mark.parametrize("token", TOKENS)
def test_an_expired_bulk_form_keeps_the_ticks_and_the_reason(
    csrf_hub, app, create_submission_for, owner, moderator, token
):
    a, b, c = (create_submission_for(owner, title=t) for t in ("A one", "B two", "C three"))
    browser = TokenBrowser(csrf_hub, moderator)
    browser.get("/moderation/")
    chosen = {"ids": [str(a.id), str(c.id)], "action": "reject", "message": LONG_REASON}
    response = browser.post("/moderation/bulk", token=token, data=chosen)
    assert response.status_code == 400
    assert EXPIRED in text_of(response)
    assert ticked(response.text) == {a.id, c.id}
    assert field_value(response.text, "message") == LONG_REASON
    assert {row(app, i.id).status for i in (a, b, c)} == {Status.SUBMITTED}
    assert browser.post("/moderation/bulk", data=chosen).status_code == 302
    assert [row(app, i.id).status for i in (a, b, c)] == [
        Status.REJECTED,
        Status.SUBMITTED,
        Status.REJECTED,
    ]


@pytest.mark.parametrize("token", TOKENS)
def test_an_expired_revision_form_keeps_the_message(
    csrf_hub, app, create_submission_for, owner, moderator, token
):
    item = create_submission_for(owner, status="approved", title="Public title")
    revision_id = propose(app, item.id, owner, title="Proposed title")
    browser = TokenBrowser(csrf_hub, moderator)
    page = browser.get(f"/moderation/{item.id}").text
    seen = re.search(r'name="seen" type="hidden" value="(\d+)"', page).group(1)
    typed = "The new title hides who leads the work; keep the current one, please."
    response = browser.post(
        f"/moderation/revisions/{revision_id}/decide",
        token=token,
        data={"action": "reject", "message": typed, "seen": seen},
    )
    assert response.status_code == 400
    assert EXPIRED in text_of(response)
    assert field_value(response.text, "message") == typed
    assert row(app, item.id).title == "Public title"
    with app.app_context():
        assert db.session.get(Revision, revision_id).status.value == "pending"
    response = browser.post(
        f"/moderation/revisions/{revision_id}/decide",
        data={"action": "reject", "message": typed, "seen": seen},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Revision, revision_id).message == typed


@pytest.mark.parametrize("token", TOKENS)
def test_an_expired_exception_form_keeps_what_was_typed(
    csrf_hub, app, create_user, moderator, token
):
    late = create_user(email="late@example.org")
    browser = TokenBrowser(csrf_hub, moderator)
    browser.get("/moderation/exceptions")
    typed = {
        "email": late.email,
        "until": "2099-01-01T12:00",
        "reason": "Visa delays for the whole delegation",
    }
    response = browser.post("/moderation/exceptions", token=token, data=typed)
    assert response.status_code == 400
    assert EXPIRED in text_of(response)
    for name, value in typed.items():
        assert field_value(response.text, name) == value, name
    with app.app_context():
        assert db.session.scalar(select(DeadlineException)) is None
    assert browser.post("/moderation/exceptions", data=typed).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(DeadlineException.reason)) == typed["reason"]


def test_a_post_without_a_form_of_its_own_still_needs_its_token(
    csrf_hub, app, create_user, moderator
):
    """Revoking types nothing: a missing token gets the usual 400 page, and changes
    nothing."""
    late = create_user(email="late@example.org")
    with app.app_context():
        exception = ops.grant_exception(
            db.session.get(User, late.id),
            datetime.now(UTC) + timedelta(days=3),
            "Travel",
            db.session.get(User, moderator.id),
        )
        db.session.commit()
        exception_id = exception.id
    browser = TokenBrowser(csrf_hub, moderator)
    browser.get("/moderation/exceptions")
    for token in (None, "forged"):
        response = browser.post(
            f"/moderation/exceptions/{exception_id}/revoke", data={}, token=token
        )
        assert response.status_code == 400
        assert "security token was missing or expired" in text_of(response)
    with app.app_context():
        assert db.session.get(DeadlineException, exception_id) is not None
    assert browser.post(f"/moderation/exceptions/{exception_id}/revoke", data={}).status_code == 302


def test_revision_refusal_for_a_withdrawn_item_names_the_owner(
    app, create_submission_for, owner, moderator
):
    item = create_submission_for(owner, status="approved")
    revision_id = propose(app, item.id, owner, title="v2")
    assert Browser(app, owner).post(f"/my/{item.id}/withdraw").status_code == 302
    with app.app_context():
        refusal = ops.why_revision_not_decidable(
            db.session.get(Revision, revision_id), db.session.get(User, moderator.id)
        )
    assert refusal is not None and refusal.status == 409
    assert str(refusal).startswith("The owner withdrew this submission")
