"""Account mails through a real SMTP server (aiosmtpd on a free local port): the confirmation
of a new account (in French, as registered), the address change (the link to the new address,
the notice to the old one, in Arabic) and the reset for a deleted account's address (none)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hub.auth.models import User
from hub.extensions import db

from helpers import PASSWORD, Browser, expect, mail_text

# The hub sends through the test SMTP server (tests/conftest.py app_config).
pytestmark = pytest.mark.smtp


def test_the_confirmation_arrives_in_french_and_its_link_confirms(app, smtp_inbox):
    received = smtp_inbox
    browser = Browser(app)
    browser.post(
        "/fr/account/register",
        data={
            "email": "francoise@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "display_name": "Françoise",
        },
    ).close()
    [mail] = received.to("francoise@example.org")
    assert mail["Subject"] == "Confirmez votre adresse pour la Plateforme des partenariats"
    text = mail_text(mail)
    assert text.startswith("Bonjour Françoise,")
    assert "Welcome" not in text and "Hello" not in text
    link = re.search(r"https://hub\.example\.org(/(?:fr/)?account/confirm/\S+)", text).group(1)
    done = browser.post(link)
    assert done.status_code == 302
    done.close()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "francoise@example.org"))
        assert user.email_confirmed_at is not None and user.language == "fr"


def test_an_address_change_mails_the_new_address_a_link_and_tells_the_old_one_in_arabic(
    app, smtp_inbox, create_user
):
    received = smtp_inbox
    person = create_user(email="amal@example.org", name="Amal")
    with app.app_context():
        db.session.get(User, person.id).language = "ar"
        db.session.commit()
    browser = Browser(app, person)
    browser.post(
        "/account/settings/email",
        data={"new_email": "amal.new@example.org", "email_password": PASSWORD},
    ).close()
    [link_mail] = received.to("amal.new@example.org")
    [notice] = received.to("amal@example.org")
    assert link_mail["Subject"] == "أكِّد عنوانك الجديد في منصة الشراكات"
    assert mail_text(link_mail).startswith("مرحباً Amal،")
    assert "Hello" not in mail_text(link_mail) and "Hello" not in mail_text(notice)
    assert notice["Subject"] == "طُلب عنوان جديد لحسابك في منصة الشراكات"
    assert mail_text(notice).startswith("مرحباً Amal،")
    assert "amal.new@example.org" in mail_text(notice)
    link = re.search(r"https://hub\.example\.org(/(?:ar/)?account/email/\S+)", mail_text(link_mail))
    done = browser.post(link.group(1))
    assert done.status_code == 302
    done.close()
    [_, changed] = received.to("amal@example.org")  # the old address hears it was done
    assert mail_text(changed).startswith("مرحباً Amal،")
    with app.app_context():
        assert db.session.get(User, person.id).email == "amal.new@example.org"


def test_no_mail_leaves_for_a_deleted_accounts_address(app, smtp_inbox, create_user):
    received = smtp_inbox
    person = create_user(email="dana@example.org", name="Dana")
    expect(Browser(app, person).get("/account/delete"), 200)
    gone = Browser(app, person).post("/account/delete", data={"password": PASSWORD})
    assert gone.status_code == 302
    gone.close()
    with app.app_context():
        alias = db.session.get(User, person.id).email
    Browser(app).post("/account/forgot", data={"email": alias}).close()
    Browser(app).post("/account/forgot", data={"email": "dana@example.org"}).close()
    assert [m["To"] for m in received.messages if m["To"] != "dana@example.org"] == []
    [unknown] = received.to("dana@example.org")  # the address is free now: no account
    assert "/account/reset/" not in mail_text(unknown)
