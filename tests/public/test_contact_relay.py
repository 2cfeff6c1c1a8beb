"""Reaching an initiative: "Contact the people behind this" relays a message by e-mail to a
published submission's contact (through a real SMTP server, aiosmtpd), neither address ever
on a page; visitors confirm their address first; honeypot, throttle, and nothing kept once
delivered."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from hub.audit.models import Action, AuditEvent
from hub.auth.models import User
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.public.contact.models import HeldMessage
from hub.public.contact.operations import purge_expired_and_commit

from helpers import Browser, mail_text, page_text

CONTACT = "ada@example.org"  # the submission factory's contact address
MARKER = "Zebra-marker-7781 we would like to join your pilot next spring in our region."
VISITOR = "visitor@example.net"


# The hub sends through the test SMTP server (tests/conftest.py app_config).
pytestmark = pytest.mark.smtp


@pytest.fixture
def published(create_submission_for, owner):
    """A published submission whose contact is ada@example.org."""
    return create_submission_for(owner, "approved", title="Open data for cities")


def _held(app) -> list[HeldMessage]:
    with app.app_context():
        return list(db.session.scalars(select(HeldMessage)))


def _outbox(app) -> list[OutboxMail]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMail)))


def _visitor_writes(app, slug: str, prefix: str = "", **overrides: str):
    browser = Browser(app)
    data = {"name": "Vera Visitor", "email": VISITOR, "message": MARKER, **overrides}
    return browser, browser.post(f"{prefix}/s/{slug}/contact", data=data)


def _link(message) -> str:
    found = re.search(
        r"https://hub\.example\.org(/(?:\w\w/)?contact/confirm/\S+)", mail_text(message)
    )
    assert found, mail_text(message)
    return found.group(1)


def test_the_detail_page_links_the_form_and_shows_no_address(app, published):
    browser = Browser(app)
    page = browser.get(f"/s/{published.slug}").text
    assert f'href="/s/{published.slug}/contact"' in page
    assert CONTACT not in page
    form = browser.get(f"/s/{published.slug}/contact")
    assert form.status_code == 200 and CONTACT not in form.text
    assert "Contact the people behind this" in page_text(form.text)


def test_a_confirmed_account_sends_at_once_with_its_address_as_reply_to(
    app, smtp_inbox, published, create_user
):
    writer = create_user(email="writer@example.org", name="Wanda Writer")
    browser = Browser(app, writer)
    sent = browser.post(f"/s/{published.slug}/contact", data={"message": MARKER})
    assert sent.status_code == 302 and sent.location.endswith("/contact/sent")
    sent.close()
    [relayed] = smtp_inbox.to(CONTACT)
    assert relayed["Reply-To"] == "writer@example.org"
    assert MARKER in mail_text(relayed) and "Wanda Writer" in mail_text(relayed)
    assert "Reply-To" in mail_text(relayed)  # it says where a reply goes
    [copy] = smtp_inbox.to("writer@example.org")
    assert MARKER in mail_text(copy) and CONTACT not in copy.as_string()
    page = browser.get(sent.location)
    assert CONTACT not in page.text and "writer@example.org" not in page.text
    assert "Message sent" in page_text(page.text)
    # Delivered: nothing of it is kept, and the audit says only that it happened.
    assert not any(MARKER in m.body for m in _outbox(app))
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == Action.CONTACT_RELAYED)
        ).all()
        assert event.submission_id == published.id and event.actor_id == writer.id
        assert CONTACT not in event.message and "writer@" not in event.message
        assert MARKER not in event.message


def test_a_visitor_confirms_by_link_then_the_message_goes_and_is_forgotten(
    app, smtp_inbox, published
):
    browser, response = _visitor_writes(app, published.slug)
    assert response.status_code == 302 and response.location.endswith("/contact/check")
    response.close()
    assert smtp_inbox.to(CONTACT) == []  # held until confirmed
    [held] = _held(app)
    assert held.body == MARKER
    [confirm] = smtp_inbox.to(VISITOR)
    assert MARKER not in mail_text(confirm)
    link = _link(confirm)
    shown = browser.get(link)  # opening the link (a mail scanner would) sends nothing
    assert shown.status_code == 200 and MARKER in shown.text and CONTACT not in shown.text
    assert smtp_inbox.to(CONTACT) == []
    done = browser.post(link)
    assert done.status_code == 302 and done.location.endswith("/contact/sent")
    done.close()
    [relayed] = smtp_inbox.to(CONTACT)
    assert relayed["Reply-To"] == VISITOR and MARKER in mail_text(relayed)
    assert len(smtp_inbox.to(VISITOR)) == 2  # the link, then the copy
    assert _held(app) == []
    assert not any(MARKER in m.body or m.ephemeral for m in _outbox(app))
    again = browser.post(link)  # used: a clear 404, nothing sent twice
    assert again.status_code == 404 and "does not work" in page_text(again.text)
    assert len(smtp_inbox.to(CONTACT)) == 1


def test_a_bad_link_is_a_404_and_an_expired_one_a_400_and_send_mail_purges_it(
    app, smtp_inbox, published, clock
):
    browser, response = _visitor_writes(app, published.slug)
    response.close()
    link = _link(smtp_inbox.to(VISITOR)[0])
    assert browser.get(link[:-6]).status_code == 404
    assert browser.get("/contact/confirm/nonsense").status_code == 404
    clock.freeze(datetime.now(UTC) + timedelta(hours=25))
    expired = browser.post(link)
    assert expired.status_code == 400 and "expired" in page_text(expired.text)
    assert smtp_inbox.to(CONTACT) == []
    result = CliRunner().invoke(app.cli, ["send-mail"], obj=None)
    assert result.exit_code == 0, result.output
    assert _held(app) == []


def test_the_honeypot_is_answered_as_sent_and_nothing_is(app, smtp_inbox, published):
    browser, response = _visitor_writes(app, published.slug, website="http://spam.example")
    assert response.status_code == 302 and response.location.endswith("/contact/check")
    assert _held(app) == [] and not [m for m in _outbox(app) if m.kind.startswith("contact")]
    assert smtp_inbox.to(VISITOR) == [] and smtp_inbox.to(CONTACT) == []


def test_bad_input_is_said_and_what_was_typed_kept(app, published):
    browser, response = _visitor_writes(
        app,
        published.slug,
        email="not-an-address",
        message="Visit https://spam.example for cheap watches, best offers today",
    )
    assert response.status_code == 422
    text = page_text(response.text)
    assert "Enter a valid e-mail address." in text and "Leave out web addresses" in text
    assert "not-an-address" in response.text and "cheap watches" in response.text
    _b, short = _visitor_writes(app, published.slug, message="hi")
    assert short.status_code == 422 and "between 20 and 3000" in page_text(short.text)
    _b, long = _visitor_writes(app, published.slug, message="x" * 3001)
    assert long.status_code == 422
    assert _held(app) == []


def test_withdrawn_unpublished_or_addressless_submissions_cannot_be_contacted(
    app, create_submission_for, owner
):
    browser = Browser(app)
    for status in ("withdrawn", "submitted", "draft"):
        other = create_submission_for(owner, status)
        assert browser.get(f"/s/{other.slug}/contact").status_code == 404
    silent = create_submission_for(owner, "approved", contact_email="")
    assert browser.get(f"/s/{silent.slug}/contact").status_code == 404
    assert "/contact" not in browser.get(f"/s/{silent.slug}").text.split("<main")[1]


def test_throttled_per_sender_with_a_429_and_the_message_kept(app, make_app, published):
    throttled_app = make_app(
        HUB_RATELIMIT_ENABLED=True,
        HUB_RATELIMIT_CONTACT="2 per hour per account; 50 per hour per IP",
    )
    for _ in range(2):
        _b, ok = _visitor_writes(throttled_app, published.slug)
        assert ok.status_code == 302
    _b, refused = _visitor_writes(throttled_app, published.slug)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert MARKER in refused.text and "Too many attempts" in page_text(refused.text)


def test_throttled_per_submission(app, make_app, published):
    throttled_app = make_app(
        HUB_RATELIMIT_ENABLED=True, HUB_RATELIMIT_CONTACT="1 per day per submission"
    )
    _b, ok = _visitor_writes(throttled_app, published.slug)
    assert ok.status_code == 302
    _b, refused = _visitor_writes(throttled_app, published.slug, email="other@example.net")
    assert refused.status_code == 429


def test_per_submission_limits_only_for_contact(make_app):
    with pytest.raises(ValueError, match="per submission"):
        make_app(HUB_RATELIMIT_LOGIN="5 per hour per submission")


def test_mails_speak_the_contacts_and_the_senders_language(
    app, smtp_inbox, create_submission_for, create_user
):
    french_owner = create_user(email="owner.fr@example.org", name="Odile")
    with app.app_context():
        db.session.get(User, french_owner.id).language = "fr"
        db.session.commit()
    item = create_submission_for(french_owner, "approved")
    browser, response = _visitor_writes(app, item.slug, prefix="/ar")
    response.close()
    [confirm] = smtp_inbox.to(VISITOR)
    assert mail_text(confirm).startswith("مرحباً Vera Visitor،")
    browser.post(_link(confirm)).close()
    [relayed] = smtp_inbox.to(CONTACT)
    assert mail_text(relayed).startswith("Bonjour,")
    copy = smtp_inbox.to(VISITOR)[-1]
    assert mail_text(copy).startswith("مرحباً Vera Visitor،")


def test_an_account_writes_under_its_name_an_unconfirmed_one_confirms_by_link(
    app, published, create_user
):
    confirmed = Browser(app, create_user(email="conf@example.org", name="Cora"))
    page = page_text(confirmed.get(f"/s/{published.slug}/contact").text)
    assert "You write as Cora; replies go to conf@example.org." in page
    assert "Your e-mail address" not in page
    unconfirmed = Browser(app, create_user(email="unconf@example.org", confirmed=False))
    form = unconfirmed.get(f"/s/{published.slug}/contact")
    assert 'name="email"' in form.text  # an unconfirmed address could be anyone's
    sent = unconfirmed.post(
        f"/s/{published.slug}/contact",
        data={"name": "U", "email": "unconf@example.org", "message": MARKER},
    )
    assert sent.location.endswith("/contact/check") and len(_held(app)) == 1


def test_mail_that_never_goes_is_given_up_after_a_week(app, make_app, published):
    offline = make_app(drop=("HUB_MAIL_SERVER",))
    _b, response = _visitor_writes(offline, published.slug)
    assert response.status_code == 302
    with offline.app_context():
        assert db.session.scalar(select(OutboxMail).where(OutboxMail.ephemeral)) is not None
    offline.extensions["hub_clock"].freeze(datetime.now(UTC) + timedelta(days=8))
    with offline.app_context():  # what each `send-mail` round runs first
        purge_expired_and_commit()
        assert db.session.scalar(select(OutboxMail).where(OutboxMail.ephemeral)) is None
        assert db.session.scalar(select(HeldMessage)) is None


def test_the_owner_sees_that_a_message_was_relayed_never_its_words(
    app, published, owner, create_user
):
    writer = Browser(app, create_user(email="writer2@example.org"))
    writer.post(f"/s/{published.slug}/contact", data={"message": MARKER}).close()
    page = Browser(app, owner).get(f"/my/{published.id}")
    assert page.status_code == 200
    assert "message relayed to the contact" in page_text(page.text)
    assert MARKER not in page.text and "writer2@example.org" not in page.text
