"""Changes requested: the moderator's message heads the edit form the mail links to and the
owner's pages until the item is resubmitted; on resubmission the review page shows, field by
field and word by word, what changed since the version the moderator reviewed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hub.mail.delivery import deliver_due
from hub.submissions.models import Status

from helpers import (
    Browser,
    decision_form,
    expect,
    form_data,
    mail_text,
    page_text,
    page_version,
    propose,
    row,
)

MESSAGE = "Please name your partners and shorten the summary."


# The hub sends through the test SMTP server (tests/conftest.py app_config).
pytestmark = pytest.mark.smtp


def changes_notice(page: str) -> str:
    """The text of the moderators' request for changes on a page ('' when none)."""
    found = re.search(
        r'<section class="notice notice-warn changes-requested".*?</section>', page, re.S
    )
    return page_text(found.group(0)) if found else ""


def resubmitted_section(page: str) -> str:
    """The HTML of the review page's "changed since the last review" section ('' if none)."""
    found = re.search(r'<section class="card notice-warn resubmitted".*?</section>', page, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def sent_back(app: Any, create_user: Any, create_submission_for: Any, moderator: Any) -> Any:
    """A submission a moderator sent back, through the review page (so the mail goes)."""
    owner = create_user(email="olga@example.org", name="Olga")
    item = create_submission_for(
        owner, title="Clean water for schools", summary="Wells and filters in rural schools."
    )
    mona = Browser(app, moderator)
    version = page_version(mona, item.id)
    expect(
        mona.post(
            f"/moderation/{item.id}/decide",
            data=decision_form("request_changes", version, message=MESSAGE),
        ),
        302,
    )
    return owner, item, mona


def test_the_message_heads_the_edit_form_the_mail_links_to(app, sent_back, smtp_inbox):
    owner, item, _ = sent_back
    with app.app_context():
        deliver_due()
    [mail] = [m for m in smtp_inbox.to("olga@example.org") if "Changes requested" in m["Subject"]]
    link = re.search(r"https://hub\.example\.org(/my/\d+/edit)", mail_text(mail)).group(1)
    olga = Browser(app, owner)
    page = expect(olga.get(link), 200).text
    assert MESSAGE in changes_notice(page)
    # Before the form: read first.
    assert page.index("changes-requested") < page.index('id="submission-form"')
    assert MESSAGE in changes_notice(expect(olga.get(f"/my/{item.id}"), 200).text)
    assert MESSAGE in page_text(expect(olga.get("/my/"), 200).text)


def test_the_message_goes_once_the_item_is_resubmitted(app, sent_back):
    owner, item, _ = sent_back
    olga = Browser(app, owner)
    # Saving without submitting keeps it (still sent back).
    saved = form_data(action="save", title="Clean water for schools")
    expect(olga.post(f"/my/{item.id}/edit", data=saved), 302)
    assert MESSAGE in changes_notice(expect(olga.get(f"/my/{item.id}/edit"), 200).text)
    expect(olga.post(f"/my/{item.id}/edit", data=form_data(title="Clean water for schools")), 302)
    assert row(app, item.id).status is Status.SUBMITTED
    for url in (f"/my/{item.id}/edit", f"/my/{item.id}", "/my/"):
        page = expect(olga.get(url), 200).text
        assert changes_notice(page) == "" and MESSAGE not in page, url


def test_the_review_page_shows_what_changed_since_the_review(app, sent_back):
    owner, item, mona = sent_back
    before = expect(mona.get(f"/moderation/{item.id}"), 200).text
    # Nothing resubmitted yet, nothing changed: no changed field is listed.
    assert "No field changed." in page_text(resubmitted_section(before))
    olga = Browser(app, owner)
    edited = form_data(
        title="Clean water for rural schools",
        summary="Wells and filters in rural schools.",
        partners="Water Aid\nSchools Network",
    )
    expect(olga.post(f"/my/{item.id}/edit", data=edited), 302)

    section = resubmitted_section(expect(mona.get(f"/moderation/{item.id}"), 200).text)
    text = page_text(section)
    assert "Changed since the last review" in text
    # Changed fields only, word by word, each change named for screen readers.
    assert re.search(r'<ins><span class="visually-hidden">\[added: </span>rural ', section)
    assert "<dt>Title</dt>" in section and "<dt>Partners</dt>" in section
    assert "<dt>Summary</dt>" not in section  # unchanged: collapsed
    assert re.search(r"<summary>\d+ fields unchanged</summary>", section)
    partners = section.split("<dt>Partners</dt>")[1].split("</dd>")[0]
    assert "[removed: </span>Partner One\nPartner Two<" in partners
    assert "[added: </span>Water Aid\nSchools Network<" in partners


def test_a_removed_word_is_marked_deleted(app, sent_back):
    owner, item, mona = sent_back
    olga = Browser(app, owner)
    expect(olga.post(f"/my/{item.id}/edit", data=form_data(title="Clean water")), 302)
    section = resubmitted_section(expect(mona.get(f"/moderation/{item.id}"), 200).text)
    assert re.search(
        r'<del><span class="visually-hidden">\[removed: </span>for schools<span', section
    )


def test_no_diff_before_any_review(app, create_user, create_submission_for, moderator):
    item = create_submission_for(create_user())
    page = expect(Browser(app, moderator).get(f"/moderation/{item.id}"), 200).text
    assert resubmitted_section(page) == ""


def test_an_update_of_an_approved_item_shows_the_same_diff(
    app, create_user, create_submission_for, moderator
):
    owner = create_user()
    item = create_submission_for(owner, status="approved", title="Public title")
    propose(app, item.id, owner, title="Public title, updated")
    page = expect(Browser(app, moderator).get(f"/moderation/{item.id}"), 200).text
    found = re.search(r'<dl class="diff" id="revision-diff">.*?</dl>', page, re.S)
    assert found and "<dt>Title</dt>" in found.group(0)
    assert re.search(r'<ins><span class="visually-hidden">\[added: </span>', found.group(0))
