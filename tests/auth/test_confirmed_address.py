"""Submitting needs a confirmed address: drafts are saved before, a "Submit" is refused with
the text kept and the link offered again; accounts made by operators are confirmed."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from hub.auth.models import User
from hub.extensions import db
from hub.submissions.models import Status, Submission
from hub.submissions.operations import AddressUnconfirmed, create_submission

from helpers import (
    Browser,
    content,
    expect,
    field_value,
    flash_messages,
    form_data,
    outbox,
    page_text,
    rows,
    stored_user,
)

EMAIL = "grace@example.org"
NOT_CONFIRMED = "Your address grace@example.org is not confirmed yet, so nothing was submitted"


@pytest.fixture
def grace(create_user) -> User:
    """An account as registering leaves it: the address not confirmed yet."""
    return create_user(email=EMAIL, confirmed=False)


def resend_form(page: str) -> str:
    """The "Send the link again" form of a page."""
    found = re.search(
        r'<form method="post" action="/account/confirm/again"[^>]*>(.*?)</form>', page, re.S
    )
    assert found, "no 'Send the link again' button"
    assert "Send the link again" in found.group(1)
    return found.group(1)


def test_my_submissions_says_why_an_unconfirmed_account_cannot_submit(app, grace, create_user):
    page = expect(Browser(app, grace).get("/my/"), 200).text

    assert "is not confirmed yet. You can save drafts, but to submit" in page_text(page)
    resend_form(page)
    confirmed = Browser(app, create_user()).get("/my/").text
    assert "not confirmed" not in confirmed and "/account/confirm/again" not in confirmed


def test_an_unconfirmed_account_saves_drafts(app, grace):
    response = expect(
        Browser(app, grace).post("/submit/initiative", data=form_data(action="draft")), 302
    )

    assert [s.status for s in rows(app)] == [Status.DRAFT]
    assert response.location.startswith("/my/")


def test_submitting_is_refused_with_the_text_kept_as_a_draft(app, grace):
    browser = Browser(app, grace)

    response = expect(browser.post("/submit/initiative", data=form_data(title="Kept text")), 403)

    text = page_text(response.text)
    assert NOT_CONFIRMED in text and "saved as a draft, not submitted" in text
    assert field_value(response.text, "title") == "Kept text"
    resend_form(response.text)
    [saved] = rows(app)
    assert (saved.status, saved.title) == (Status.DRAFT, "Kept text")
    assert [m.kind for m in outbox(app)] == []  # no receipt


def test_submitting_an_existing_draft_is_refused_and_its_text_saved(app, grace):
    browser = Browser(app, grace)
    browser.post("/submit/initiative", data=form_data(action="draft"))
    [draft] = rows(app)

    response = expect(
        browser.post(f"/my/{draft.id}/edit", data=form_data(title="Better title")), 403
    )

    assert NOT_CONFIRMED in page_text(response.text)
    assert [(s.status, s.title) for s in rows(app)] == [(Status.DRAFT, "Better title")]


def test_an_incomplete_submit_shows_the_missing_fields_and_the_reason(app, grace):
    response = expect(
        Browser(app, grace).post("/submit/initiative", data=form_data(summary="")), 403
    )

    text = page_text(response.text)
    assert NOT_CONFIRMED in text and "Summary" in text
    assert rows(app)[0].status is Status.DRAFT


def test_the_link_is_sent_again_and_confirming_it_allows_submitting(app, grace):
    browser = Browser(app, grace)
    browser.post("/submit/initiative", data=form_data(action="draft"))
    [draft] = rows(app)

    response = expect(
        browser.post("/account/confirm/again", data={"next": f"/my/{draft.id}/edit"}), 302
    )

    assert response.location == f"/my/{draft.id}/edit"
    assert "We sent a new link to grace@example.org" in " ".join(
        flash_messages(browser.get(response.location))
    )
    [mail] = outbox(app)
    assert mail.to_addr == EMAIL and mail.kind == "confirm"
    link = re.search(r"http://127\.0\.0\.1:5000(/account/confirm/\S+)", mail.body).group(1)
    expect(browser.post(link), 302)

    expect(browser.post(f"/my/{draft.id}/edit", data=form_data()), 302)
    assert rows(app)[0].status is Status.SUBMITTED
    assert "/account/confirm/again" not in browser.get("/my/").text


def test_sending_the_link_again_is_throttled(make_app, create_user):
    app = make_app(HUB_RATELIMIT_ENABLED=True, HUB_RATELIMIT_PASSWORD="2 per hour per account")
    browser = Browser(app, create_user(email=EMAIL, confirmed=False))
    for _ in range(2):
        expect(browser.post("/account/confirm/again"), 302)

    response = expect(browser.post("/account/confirm/again"), 429)

    assert "Too many attempts" in page_text(response.text)
    assert len(outbox(app)) == 2


def test_a_confirmed_account_is_told_so_and_sent_nothing(app, create_user):
    browser = Browser(app, create_user())

    response = expect(browser.post("/account/confirm/again"), 302)

    assert "already confirmed" in " ".join(flash_messages(browser.get(response.location)))
    assert outbox(app) == []


def test_the_operation_refuses_too(app, grace):
    with app.app_context():
        user = db.session.get(User, grace.id)
        with pytest.raises(AddressUnconfirmed):
            create_submission(user, "initiative", content(), submit=True)
        db.session.rollback()
        assert db.session.scalars(select(Submission)).all() == []


def test_accounts_made_by_operators_are_confirmed(app: Flask):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["create-user", "ops@example.org"], input="a-long-enough-password\n")
    assert made.exit_code == 0, made.output
    seeded = runner.invoke(args=["seed-demo", "--count", "4"])
    assert seeded.exit_code == 0, seeded.output

    assert stored_user(app, "ops@example.org").email_confirmed_at is not None
    with app.app_context():
        demo = db.session.scalars(select(User).where(User.email.like("demo%"))).all()
        assert demo and all(user.email_confirmed_at is not None for user in demo)
