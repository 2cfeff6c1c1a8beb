"""Subjects reach the reader exactly as written, French typography included."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from hub.mail.delivery import build_message
from hub.mail.models import OutboxMail

SUBJECTS = [
    "Non accepté\u202f: « Écoles numériques » pour tous",
    "Modifications demandées\u202f: «\u202fIA\u202f» a\u202fb à l’école, et au-delà\u202f? "
    "Un titre assez long pour que la ligne soit repliée en plusieurs morceaux",
    # EmailMessage's own folding lost the space after "a\u202fb" in this one:
    "«\u202fx\u202f» Mise à coalition models a\u202fb à AI publiée à a\u202fb Modifications",
    "Approved and published: Open data coalition for climate models",
    "تمت الموافقة والنشر: مدارس رقمية للجميع",
    "已批准并发布：人工智能教育合作 " * 4,
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_the_subject_a_reader_decodes_is_the_one_written(subject):
    mail = OutboxMail(
        kind="decision",
        to_addr="owner@example.org",
        subject=subject,
        body="Bonjour,\n",
        created_at=datetime(2026, 6, 1, 12, tzinfo=UTC),
        message_id="<1@example.org>",
    )
    raw = build_message(mail, "hub@example.org").as_bytes()
    assert all(len(line) <= 78 for line in raw.split(b"\n")[:12])
    read = email.message_from_bytes(raw, policy=email.policy.default)
    assert read["Subject"] == subject
    assert read.get_body(("plain",)).get_content() == "Bonjour,\n"
