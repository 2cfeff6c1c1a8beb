"""Co-editing mails through a real SMTP server (aiosmtpd on a free local port): the
invitation with its link, and a submission's mails to everyone on it, each in their language."""

from __future__ import annotations

import re

import pytest

from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db
from hub.mail.delivery import deliver_due

from helpers import Browser, form_data, mail_text

# The hub sends through the test SMTP server (tests/conftest.py app_config).
pytestmark = pytest.mark.smtp


def test_the_invitation_and_the_receipt_arrive_each_in_the_recipients_language(
    app, smtp_inbox, create_user, create_submission_for
):
    received = smtp_inbox
    owner = create_user(email="olga@example.org", name="Olga")
    colleague = create_user(email="cleo@example.org", name="Cléo")
    with app.app_context():  # the owner may invite once their address is confirmed
        db.session.get(User, owner.id).language = "ar"
        db.session.get(User, owner.id).email_confirmed_at = clock().now()
        db.session.get(User, colleague.id).email_confirmed_at = clock().now()
        db.session.commit()
    item = create_submission_for(owner, status="draft", title="Santé pour tous")
    olga = Browser(app, owner)
    olga.post(f"/my/{item.id}/invite", data={"email": "cleo@example.org"}).close()
    with app.app_context():
        deliver_due()
    [invitation] = received.to("cleo@example.org")
    # In the invited account's language (none chosen: English), the link on HUB_BASE_URL.
    assert invitation["Subject"] == "Olga invites you to co-edit “Santé pour tous”"
    assert "Olga (olga@example.org) invites you" in mail_text(invitation)
    link = re.search(r"https://hub\.example\.org(/invitation/\S+)", mail_text(invitation)).group(1)
    cleo = Browser(app, colleague)
    assert cleo.post(link, data={"action": "accept"}).status_code == 302

    cleo.post(f"/my/{item.id}/edit", data=form_data(title="Santé pour tous")).close()
    with app.app_context():
        deliver_due()
    [to_owner] = received.to("olga@example.org")
    [_, to_colleague] = received.to("cleo@example.org")
    assert "مرحباً Olga" in mail_text(to_owner) and "Santé pour tous" in to_owner["Subject"]
    assert to_colleague["Subject"] == "Received: Santé pour tous"
    assert mail_text(to_colleague).startswith("Hello Cléo,")
    assert f"https://hub.example.org/my/{item.id}" in mail_text(to_colleague)
