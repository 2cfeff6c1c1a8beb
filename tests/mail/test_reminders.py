"""Reminders before the cutoff (`send-reminders`) through a real SMTP server (aiosmtpd on a
free local port): who gets them and when, once only, the nearest threshold only, in the
recipient's language, and the one-click opt-out (the page with its button, and RFC 8058)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hub.audit.models import Action, AuditEvent
from hub.auth.models import User
from hub.extensions import db
from hub.mail.delivery import deliver_due
from hub.mail.models import OutboxMail
from hub.submissions import reminders
from hub.submissions.deadlines import DeadlineException
from hub.submissions.editors import SubmissionEditor
from hub.submissions.reminders import DraftReminder, due_reminders, send_due_reminders

from helpers import Browser, mail_text

CUTOFF = datetime(2026, 6, 19, 21, 59, tzinfo=UTC)  # 23:59 in Geneva (CEST)
STOP = re.compile(r"https://hub\.example\.org(/account/reminders/stop/\S+)")


# The hub sends through the test SMTP server (tests/conftest.py app_config).
pytestmark = pytest.mark.smtp


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """The test server's settings, with a cutoff and reminders."""
    app_config.update(
        HUB_SUBMISSIONS_CLOSE_AT=CUTOFF.isoformat(),
        HUB_REMINDER_DAYS="7,1",
    )
    return app_config


def run_at(app, clock, instant: datetime) -> reminders.Sent:
    """`send-reminders` at `instant`, then `send-mail`."""
    clock.freeze(instant)
    with app.app_context():
        sent = send_due_reminders()
        deliver_due()
    return sent


def set_user(app, user: User, **values) -> None:
    """Change an account's columns behind the hub's back."""
    with app.app_context():
        row = db.session.get(User, user.id)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def test_a_draft_is_reminded_seven_days_and_one_day_before_the_cutoff_once_each(
    app, clock, smtp_inbox, create_user, create_submission_for
):
    owner = create_user(email="olga@example.org", name="Olga")
    draft = create_submission_for(owner, status="draft", title="Clean water for all")
    create_submission_for(owner, status="submitted", title="Already sent")

    assert run_at(app, clock, CUTOFF - timedelta(days=7, minutes=1)).mails == 0
    assert run_at(app, clock, CUTOFF - timedelta(days=7)).mails == 1
    assert run_at(app, clock, CUTOFF - timedelta(days=6)).mails == 0  # once per threshold
    [first] = smtp_inbox.to("olga@example.org")
    assert first["Subject"] == "Reminder: submissions close on 19 June 2026, 23:59 CEST"
    text = mail_text(first)
    assert text.startswith("Hello Olga,")
    assert "This draft is not submitted yet:" in text and "Clean water for all" in text
    assert "Already sent" not in text
    assert f"https://hub.example.org/my/{draft.id}/edit" in text
    assert "19 June 2026, 23:59 CEST (Geneva time)" in text

    assert run_at(app, clock, CUTOFF - timedelta(hours=24)).mails == 1
    assert run_at(app, clock, CUTOFF - timedelta(hours=1)).mails == 0
    assert run_at(app, clock, CUTOFF).mails == 0  # closed: nothing to remind of
    assert len(smtp_inbox.to("olga@example.org")) == 2


def test_when_several_thresholds_are_due_at_once_only_the_nearest_is_mailed(
    app, clock, smtp_inbox, create_user, create_submission_for
):
    owner = create_user(email="olga@example.org")
    draft = create_submission_for(owner, status="draft", title="First")
    create_submission_for(owner, status="draft", title="Second")
    # The cron was down for a week: both thresholds are due; one mail names both drafts.
    assert run_at(app, clock, CUTOFF - timedelta(hours=12)).mails == 1
    assert run_at(app, clock, CUTOFF - timedelta(hours=11)).mails == 0
    [mail] = smtp_inbox.to("olga@example.org")
    assert "These drafts are not submitted yet:" in mail_text(mail)
    assert "First" in mail_text(mail) and "Second" in mail_text(mail)
    with app.app_context():
        done = db.session.scalars(
            select(DraftReminder).where(DraftReminder.submission_id == draft.id)
        ).all()
        assert sorted((row.days, row.mailed) for row in done) == [(1, True), (7, False)]


def test_two_runs_planned_at_the_same_moment_send_one_reminder(
    app, clock, smtp_inbox, create_user, create_submission_for, monkeypatch
):
    owner = create_user(email="olga@example.org")
    create_submission_for(owner, status="draft")
    clock.freeze(CUTOFF - timedelta(days=3))
    with app.app_context():
        stale = due_reminders()  # the other run read before this one wrote
        assert send_due_reminders().mails == 1
        monkeypatch.setattr(reminders, "due_reminders", lambda: stale)
        assert send_due_reminders() == reminders.Sent(mails=0, drafts=0, taken=1)
        kinds = db.session.scalars(select(OutboxMail.kind)).all()
        assert kinds == ["reminder"]
        deliver_due()
    assert len(smtp_inbox.to("olga@example.org")) == 1


def test_the_database_refuses_a_second_record_of_the_same_threshold(
    app, create_user, create_submission_for
):
    owner = create_user()
    draft = create_submission_for(owner, status="draft")
    with app.app_context():
        db.session.add(DraftReminder(submission_id=draft.id, user_id=owner.id, days=7, mailed=True))
        db.session.commit()
        db.session.add(DraftReminder(submission_id=draft.id, user_id=owner.id, days=7, mailed=True))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_co_editors_are_reminded_each_in_their_language_and_opted_out_people_are_not(
    app, clock, smtp_inbox, create_user, create_submission_for
):
    owner = create_user(email="olga@example.org", name="Olga")
    colleague = create_user(email="cleo@example.org", name="Cléo")
    quiet = create_user(email="quiet@example.org")
    unconfirmed = create_user(email="new@example.org", confirmed=False)
    gone = create_user(email="gone@example.org")
    set_user(app, colleague, language="fr")
    set_user(app, quiet, notify_reminders=False)
    set_user(app, gone, deactivated_at=CUTOFF - timedelta(days=30))
    draft = create_submission_for(owner, status="draft", title="Santé pour tous")
    for person in (quiet, unconfirmed, gone):
        create_submission_for(person, status="draft")
    with app.app_context():
        db.session.add(SubmissionEditor(submission_id=draft.id, user_id=colleague.id))
        db.session.commit()

    assert run_at(app, clock, CUTOFF - timedelta(days=2)).mails == 2
    assert {m["To"] for m in smtp_inbox.messages} == {"olga@example.org", "cleo@example.org"}
    [french] = smtp_inbox.to("cleo@example.org")
    assert mail_text(french).startswith("Bonjour Cléo,")
    assert "19 juin 2026" in mail_text(french) and "Santé pour tous" in mail_text(french)


def test_an_account_with_a_deadline_exception_is_reminded_before_its_own_deadline(
    app, clock, smtp_inbox, create_user, create_submission_for, moderator
):
    owner = create_user(email="olga@example.org")
    create_submission_for(owner, status="draft")
    later = CUTOFF + timedelta(days=10)
    with app.app_context():
        db.session.add(DeadlineException(user_id=owner.id, until=later, granted_by_id=moderator.id))
        db.session.commit()
    assert run_at(app, clock, CUTOFF - timedelta(hours=12)).mails == 0
    assert run_at(app, clock, later - timedelta(hours=12)).mails == 1
    [mail] = smtp_inbox.to("olga@example.org")
    assert "29 June 2026, 23:59 CEST" in mail["Subject"]


def test_no_reminders_without_thresholds_or_a_cutoff_or_before_the_call_opens(
    make_app, create_user, create_submission_for
):
    create_submission_for(create_user(), status="draft")
    for settings in (
        {"HUB_REMINDER_DAYS": ""},
        {"HUB_SUBMISSIONS_CLOSE_AT": None},
        {"HUB_SUBMISSIONS_OPEN_AT": (CUTOFF - timedelta(minutes=30)).isoformat()},
    ):
        hub = make_app(**settings)
        with hub.app_context():
            hub.extensions["hub_clock"].freeze(CUTOFF - timedelta(hours=1))
            assert due_reminders() == []


@pytest.mark.parametrize(
    ("value", "expected"), [("7,1", (7, 1)), (" 1, 7 ,14", (14, 7, 1)), ("", ()), ("3,3", (3,))]
)
def test_the_reminder_days_setting_is_read(make_app, value, expected):
    assert make_app(HUB_REMINDER_DAYS=value).config["HUB_REMINDER_DAYS"] == expected


@pytest.mark.parametrize("value", ["7,x", "0", "-1", "400", "7;1", "1.5"])
def test_a_bad_reminder_days_setting_stops_the_hub_with_a_clear_message(make_app, value):
    with pytest.raises(ValueError, match="HUB_REMINDER_DAYS lists whole numbers of days"):
        make_app(HUB_REMINDER_DAYS=value)


def test_the_cli_queues_due_reminders_and_is_idempotent(
    app, clock, create_user, create_submission_for
):
    owner = create_user()
    create_submission_for(owner, status="draft")
    clock.freeze(CUTOFF - timedelta(days=1))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0 and first.output.startswith("Reminders queued: 1 (drafts named: 1;")
    again = runner.invoke(args=["send-reminders"])
    assert again.exit_code == 0 and again.output.startswith("Reminders queued: 0 (")


def test_the_mail_carries_one_click_unsubscribe_headers_that_work_without_login_or_csrf(
    make_app, smtp_inbox, create_user, create_submission_for
):
    hub = make_app(WTF_CSRF_ENABLED=True)
    owner = create_user(email="olga@example.org")
    create_submission_for(owner, status="draft")
    hub.extensions["hub_clock"].freeze(CUTOFF - timedelta(days=1))
    with hub.app_context():
        send_due_reminders()
        deliver_due()
    [mail] = smtp_inbox.to("olga@example.org")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # (Folded onto a line of its own: the value starts after the folding white space.)
    unsubscribe = mail["List-Unsubscribe"].strip()
    header = re.fullmatch(r"<https://hub\.example\.org(/account/reminders/stop/\S+)>", unsubscribe)
    assert header is not None
    assert STOP.search(mail_text(mail)).group(1) == header.group(1)
    # What a mail program posts (RFC 8058): no cookie, no CSRF token.
    client = hub.test_client()
    response = client.post(header.group(1), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no longer receives reminders" in response.get_data(as_text=True)
    with hub.app_context():
        assert db.session.get(User, owner.id).notify_reminders is False
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == Action.REMINDERS_STOPPED)
        ).all()
        assert event.subject_user_id == owner.id
    # Posting again changes nothing and still says they are off (no second audit event).
    assert client.post(header.group(1), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with hub.app_context():
        assert (
            db.session.scalar(
                select(func.count()).where(AuditEvent.action == Action.REMINDERS_STOPPED)
            )
            == 1
        )


def test_the_link_asks_first_and_the_button_stops_reminders_until_turned_on_again(
    app, clock, smtp_inbox, create_user, create_submission_for
):
    owner = create_user(email="olga@example.org")
    create_submission_for(owner, status="draft")
    run_at(app, clock, CUTOFF - timedelta(days=7))
    link = STOP.search(mail_text(smtp_inbox.to("olga@example.org")[0])).group(1)
    visitor = Browser(app)
    page = visitor.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "Stop reminders" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, owner.id).notify_reminders is True
    done = visitor.post(link)
    assert done.status_code == 200 and "Reminders are off" in done.get_data(as_text=True)
    assert run_at(app, clock, CUTOFF - timedelta(hours=2)).mails == 0

    olga = Browser(app, owner)
    settings = olga.get("/account/settings").get_data(as_text=True)
    assert "Reminders are off: tick the box" in settings
    olga.post("/account/settings/notifications", data={"reminders": "y"}).close()
    assert run_at(app, clock, CUTOFF - timedelta(hours=1)).mails == 1


def test_a_bad_or_expired_stop_link_gets_a_clear_page_and_changes_nothing(app, clock, create_user):
    from hub.auth.tokens import stop_reminders_token

    owner = create_user(email="olga@example.org")
    clock.freeze(CUTOFF - timedelta(days=100))
    with app.app_context():
        token = stop_reminders_token(db.session.get(User, owner.id))
    visitor = Browser(app)
    bad = visitor.post(f"/account/reminders/stop/{token[:-4]}")
    assert bad.status_code == 400 and "This link is not valid" in bad.get_data(as_text=True)
    assert visitor.get("/account/reminders/stop/garbage").status_code == 400
    clock.freeze(CUTOFF - timedelta(days=9))  # 91 days later
    expired = visitor.post(f"/account/reminders/stop/{token}")
    assert expired.status_code == 410
    assert "Links that stop reminders work for 90 days" in expired.get_data(as_text=True)
    set_user(app, owner, email="olga@example.net")  # a link for an address no longer its own
    clock.freeze(CUTOFF - timedelta(days=99))
    assert visitor.post(f"/account/reminders/stop/{token}").status_code == 400
    with app.app_context():
        assert db.session.get(User, owner.id).notify_reminders is True
