"""“Ask for more time”: an account asks after the cutoff; moderators see the request, grant
it as a deadline exception filled from it (the instant editable) or decline it with a
message; the person is told by mail (a real SMTP server), in their language; all audited.
Nobody answers their own request, and a forged post changes nothing."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import Clock
from hub.extensions import db
from hub.mail.delivery import deliver_due
from hub.submissions.deadlines import DeadlineException
from hub.submissions.timerequests import RequestStatus, TimeRequest

from helpers import Browser, events, expect, field_value, mail_text, page_text

ZURICH = ZoneInfo("Europe/Zurich")
CLOSE = datetime(2026, 6, 19, 23, 59, tzinfo=ZURICH)
LATE = CLOSE + timedelta(hours=2)


# The hub sends through the test SMTP server (tests/conftest.py app_config).
pytestmark = pytest.mark.smtp


@pytest.fixture
def closed(clock: Clock) -> Clock:
    clock.close_at = CLOSE
    clock.freeze(LATE)
    return clock


def requests_of(app: Any, user: User) -> list[TimeRequest]:
    with app.app_context():
        found = db.session.scalars(select(TimeRequest).where(TimeRequest.user_id == user.id))
        return [db.session.merge(r) for r in found]


def exception_of(app: Any, user: User) -> DeadlineException | None:
    with app.app_context():
        return db.session.scalar(
            select(DeadlineException).where(DeadlineException.user_id == user.id)
        )


def ask(browser: Browser, reason: str = "Our board signs on Monday.", days: str = "3") -> Any:
    return browser.post("/my/more-time", data={"reason": reason, "days": days})


def test_an_owner_asks_and_the_moderators_see_the_request(app, closed, create_user, moderator):
    late = create_user(email="late@example.org")
    olga = Browser(app, late)
    page = expect(olga.get("/my/more-time"), 200).text
    assert "Submissions closed on 19 June 2026, 23:59 CEST" in page_text(page)
    expect(ask(olga), 302)

    [asked] = requests_of(app, late)
    assert (asked.status, asked.reason, asked.days) == (
        RequestStatus.PENDING,
        "Our board signs on Monday.",
        3,
    )
    [event] = [e for e in events(app) if e.action is Action.TIME_REQUESTED]
    assert (event.actor_id, event.subject_user_id) == (late.id, late.id)
    # The owner's page says it waits; asking again while it does is refused.
    waiting = page_text(expect(olga.get("/my/more-time"), 200).text)
    assert "Your request is waiting for the moderators" in waiting
    assert "already asked" in page_text(expect(ask(olga), 409).text)
    assert len(requests_of(app, late)) == 1

    mona = Browser(app, moderator)
    listing = expect(mona.get("/moderation/exceptions"), 200).text
    assert "Our board signs on Monday." in listing and "late@example.org" in listing
    assert "1 request" in page_text(expect(mona.get("/moderation/"), 200).text)


def test_a_reason_is_required_and_what_was_typed_is_kept(app, closed, create_user):
    olga = Browser(app, create_user())
    page = expect(ask(olga, reason="   ", days="5"), 422).text
    assert "Say why you need more time." in page_text(page)
    assert field_value(page, "days") == "5"
    page = expect(ask(olga, reason="Visa", days="365"), 422).text
    assert html.unescape(field_value(page, "reason")) == "Visa"


def test_requests_are_throttled_per_day(app, closed, create_user, moderator):
    late = create_user()
    olga, mona = Browser(app, late), Browser(app, moderator)
    for _ in range(3):
        expect(ask(olga), 302)
        [pending] = [r for r in requests_of(app, late) if r.status is RequestStatus.PENDING]
        expect(
            mona.post(
                f"/moderation/requests/{pending.id}/decline",
                data={f"decline-{pending.id}-message": "No."},
            ),
            302,
        )
    assert "several times today" in page_text(expect(ask(olga), 409).text)
    assert len(requests_of(app, late)) == 3


def test_a_moderator_grants_a_request_as_an_exception_and_the_owner_is_mailed(
    app, closed, create_user, moderator, smtp_inbox
):
    late = create_user(email="tard@example.org", name="Tara")
    with app.app_context():
        db.session.get(User, late.id).language = "fr"
        db.session.commit()
    olga = Browser(app, late)
    expect(ask(olga, days="3"), 302)
    [asked] = requests_of(app, late)

    mona = Browser(app, moderator)
    form = expect(mona.get(f"/moderation/exceptions?request={asked.id}"), 200).text
    # Filled from the request: the account, the days asked for after the cutoff, the reason.
    assert field_value(form, "email") == "tard@example.org"
    assert field_value(form, "until") == "2026-06-23T01:59"
    assert field_value(form, "reason") == "Our board signs on Monday."
    assert field_value(form, "request_id") == str(asked.id)
    # The moderator moves the instant before granting.
    response = mona.post(
        "/moderation/exceptions",
        data={
            "email": "tard@example.org",
            "until": "2026-06-25T12:00",
            "reason": "Board meeting",
            "request_id": str(asked.id),
        },
    )
    expect(response, 302)
    [granted] = requests_of(app, late)
    assert granted.status is RequestStatus.GRANTED and granted.decided_by_id == moderator.id
    exception = exception_of(app, late)
    assert exception is not None and exception.reason == "Board meeting"
    assert [e.subject_user_id for e in events(app) if e.action is Action.EXCEPTION_GRANTED] == [
        late.id
    ]
    with app.app_context():
        deliver_due()
    [mail] = smtp_inbox.to("tard@example.org")
    assert "25 juin 2026" in mail_text(mail)  # in the account's language
    # The owner's form is open again.
    page = expect(olga.get("/submit/initiative", follow_redirects=True), 200).text
    assert "closed-reason" not in page
    assert "No request is waiting." in page_text(
        expect(mona.get("/moderation/exceptions"), 200).text
    )


def test_a_moderator_declines_with_a_message_that_is_mailed(
    app, closed, create_user, moderator, smtp_inbox
):
    late = create_user(email="late@example.org")
    olga = Browser(app, late)
    expect(ask(olga), 302)
    [asked] = requests_of(app, late)
    mona = Browser(app, moderator)
    url = f"/moderation/requests/{asked.id}/decline"
    page = expect(mona.post(url, data={f"decline-{asked.id}-message": " "}), 422).text
    assert "Write why" in page_text(page)
    assert requests_of(app, late)[0].status is RequestStatus.PENDING

    answer = "The call is closed for everyone; see the FAQ."
    expect(mona.post(url, data={f"decline-{asked.id}-message": answer}), 302)
    [declined] = requests_of(app, late)
    assert (declined.status, declined.answer) == (RequestStatus.DECLINED, answer)
    assert exception_of(app, late) is None
    [event] = [e for e in events(app) if e.action is Action.TIME_REQUEST_DECLINED]
    assert (event.actor_id, event.subject_user_id, event.message) == (
        moderator.id,
        late.id,
        answer,
    )
    with app.app_context():
        deliver_due()
    [mail] = smtp_inbox.to("late@example.org")
    assert mail["Subject"] == "Your request for more time" and answer in mail_text(mail)
    # The owner reads the answer, and may ask again.
    page = page_text(expect(olga.get("/my/more-time"), 200).text)
    assert "Your last request was declined" in page and answer in page
    expect(ask(olga, reason="New facts"), 302)
    # Answering twice is refused.
    expect(mona.post(url, data={f"decline-{asked.id}-message": "Again"}), 409)


def test_nobody_grants_themself_more_time(app, closed, create_user, moderator):
    """A submitter's forged grant or refusal is a 404; a moderator's own request is theirs
    to wait for: granting or declining it is a 403. Nothing changes."""
    late = create_user(email="late@example.org")
    olga = Browser(app, late)
    expect(ask(olga), 302)
    [asked] = requests_of(app, late)
    grant = {
        "email": "late@example.org",
        "until": "2026-07-01T12:00",
        "request_id": str(asked.id),
    }
    expect(olga.post("/moderation/exceptions", data=grant), 404)
    expect(olga.post(f"/moderation/requests/{asked.id}/decline", data={"message": "x"}), 404)

    mona = Browser(app, moderator)
    expect(ask(mona, reason="I was ill."), 302)
    [own] = requests_of(app, moderator)
    listing = page_text(expect(mona.get("/moderation/exceptions"), 200).text)
    assert "This is your own request" in listing
    own_grant = {**grant, "email": moderator.email, "request_id": str(own.id)}
    expect(mona.post("/moderation/exceptions", data=own_grant), 403)
    expect(
        mona.post(
            f"/moderation/requests/{own.id}/decline", data={f"decline-{own.id}-message": "no"}
        ),
        403,
    )
    assert exception_of(app, late) is None and exception_of(app, moderator) is None
    assert {r.status for r in requests_of(app, late) + requests_of(app, moderator)} == {
        RequestStatus.PENDING
    }
    assert not [
        e
        for e in events(app)
        if e.action in (Action.EXCEPTION_GRANTED, Action.TIME_REQUEST_DECLINED)
    ]


def test_a_request_link_of_an_answered_request_fills_nothing(app, closed, create_user, moderator):
    mona = Browser(app, moderator)
    page = expect(mona.get("/moderation/exceptions?request=99999"), 200).text
    assert field_value(page, "email") == ""
    assert re.search(r'name="request_id" type="hidden" value=""', page)
