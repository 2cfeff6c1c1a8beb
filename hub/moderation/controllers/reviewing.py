"""Reviewing: the queue, one submission's review page, and the decisions posted from them.

Each handler loads, lets hub/moderation/pages.py answer a post it cannot apply, calls an
operation and commits once (the decision, its audit row and its mail are one transaction).
"""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from hub.extensions import db
from hub.forms import csrf_failed, expired_form_notice
from hub.moderation.forms import SELECT_ALL, BulkForm, DecisionForm, DuplicateForm, RevisionForm
from hub.moderation.operations import (
    DecisionRefused,
    approve_submission,
    changed_meanwhile,
    decide_revision,
    mark_duplicate,
    reject_submission,
    request_changes,
    why_revision_not_decidable,
)
from hub.moderation.pages import (
    after_decision,
    checked_version,
    current_filters,
    queue_page,
    refused_decision_page,
    review_page,
    url_with_filters,
)
from hub.moderation.reason_picker import insert_reason, wants_insert
from hub.ratelimit import throttled
from hub.routing import parse_id
from hub.submissions.models import Status, Submission
from hub.submissions.revisions import Revision, RevisionStatus
from hub.templating import Page


def _submission_or_404(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.status is Status.DRAFT:
        abort(404)  # drafts are private to their owner
    return submission


def _title(submission: Submission, limit: int = 80) -> str:
    """“Title” (#id), the title shortened for messages."""
    title = submission.title or "(untitled)"
    if len(title) > limit:
        title = title[: limit - 1].rstrip() + "…"
    return f"“{title}” (#{submission.id})"


def queue() -> Page:
    """The review queue: oldest submitted first, with filters and counts per status."""
    return queue_page(current_filters())


def review(submission_id: int) -> str:
    """Everything a moderator needs to decide on one submission."""
    return review_page(_submission_or_404(submission_id))[0]


def decide(submission_id: int) -> Page:
    """Approve, request changes or reject (the button pressed), or explain why not."""
    submission = _submission_or_404(submission_id)
    if wants_insert():  # the standard-reason picker's button, without JavaScript
        return insert_reason(submission)
    form = DecisionForm()
    expected, answer = checked_version(submission, form, "form")
    if answer is not None:
        return answer
    message = (form.message.data or "").strip()
    try:
        if form.action.data == "approve":
            approve_submission(submission, current_user, expected, message)
            done = _("Approved and published: %(title)s.", title=_title(submission))
            if message:
                done += " " + _("Your message went to the submitter with the approval.")
        elif form.action.data == "reject":
            reject_submission(submission, current_user, message, expected)
            done = _("Rejected: %(title)s; the submitter was told why.", title=_title(submission))
        else:
            request_changes(submission, current_user, message, expected)
            done = _(
                "Changes requested: %(title)s; the submitter was sent your message.",
                title=_title(submission),
            )
        db.session.commit()
    except DecisionRefused as refused:
        return refused_decision_page(submission_id, refused, form=form)
    except StaleDataError:  # another moderator's decision committed first
        return refused_decision_page(submission_id, _changed_meanwhile(submission_id), form=form)
    return after_decision(submission, done)


def _changed_meanwhile(submission_id: int) -> DecisionRefused:
    """The refusal for a write that found the row changed (read after a rollback)."""
    db.session.rollback()
    fresh = db.session.get(Submission, submission_id)
    assert fresh is not None
    db.session.refresh(fresh)
    return changed_meanwhile(fresh)


def duplicate(submission_id: int) -> Page:
    """Reject as a duplicate of another submission (its own small form)."""
    submission = _submission_or_404(submission_id)
    form = DuplicateForm(prefix="dup")
    expected, answer = checked_version(submission, form, "duplicate_form")
    if answer is not None:
        return answer
    original = db.session.get(Submission, form.duplicate_of.data)
    try:
        mark_duplicate(submission, current_user, original, expected)
        db.session.commit()
    except DecisionRefused as refused:
        if refused.status == 422:  # about the number typed: said next to it
            db.session.rollback()
            form.duplicate_of.errors = [*form.duplicate_of.errors, str(refused)]
            return review_page(submission, 422, duplicate_form=form)
        return refused_decision_page(submission_id, refused, duplicate_form=form)
    except StaleDataError:
        return refused_decision_page(
            submission_id, _changed_meanwhile(submission_id), duplicate_form=form
        )
    assert original is not None  # mark_duplicate refuses a missing original
    return after_decision(
        submission,
        _(
            "Rejected as a duplicate of #%(id)d: %(title)s.",
            id=original.id,
            title=_title(submission),
        ),
    )


def bulk() -> Page:
    """Approve or reject the ticked submissions; each follows the single-item rules."""
    filters = current_filters()
    form = BulkForm()
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return queue_page(filters, form, 429)  # the ticks and the reason stay
    valid = form.validate()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        return queue_page(filters, form, 400)
    if not valid:  # nothing decided; the ticks and the message are kept
        return queue_page(filters, form, 422)
    if form.action.data == SELECT_ALL:  # the no-script way to tick every box of the page
        return queue_page(filters, form, select_all=True)
    approve = form.action.data == "approve"
    message = (form.message.data or "").strip()
    done, refused = 0, []
    for submission_id in form.ids.data:
        submission = db.session.get(Submission, submission_id)
        if submission is None or submission.status is Status.DRAFT:
            refused.append((submission_id, "", "Not found."))
            continue
        # The version the queue showed: an item its owner edited since is not decided unseen.
        seen = parse_id(request.form.get(f"version-{submission_id}"))
        try:
            with db.session.begin_nested():  # one item's refusal leaves the others intact
                if approve:
                    approve_submission(submission, current_user, seen, message)
                else:
                    reject_submission(submission, current_user, message, seen)
            done += 1
        except DecisionRefused as exc:
            refused.append((submission_id, submission.title, str(exc)))
        except StaleDataError:  # decided by someone else between our read and our write
            db.session.refresh(submission)
            refused.append((submission_id, submission.title, str(changed_meanwhile(submission))))
    db.session.commit()
    flash(
        ngettext("%(num)d submission approved.", "%(num)d submissions approved.", done)
        if approve
        else ngettext("%(num)d submission rejected.", "%(num)d submissions rejected.", done),
        "success",
    )
    if refused:
        flash(not_decided_message(refused), "error")
    return redirect(url_with_filters(".queue", filters))


def not_decided_message(
    refused: list[tuple[int, str, str]], groups: int = 4, ids_per_group: int = 12
) -> str:
    """One message for the items a bulk decision left alone, grouped by reason and
    bounded in length (one message per item could overflow the session cookie, and then
    the browser would show none at all)."""
    by_reason: dict[str, list[tuple[int, str]]] = {}
    for submission_id, title, reason in refused:
        by_reason.setdefault(reason, []).append((submission_id, title))
    lines = []
    for reason, items in list(by_reason.items())[:groups]:
        if len(items) == 1:
            submission_id, title = items[0]
            short = title if len(title) <= 60 else title[:59].rstrip() + "…"
            who = (
                _("#%(id)d “%(title)s”", id=submission_id, title=short)
                if short
                else f"#{submission_id}"
            )
        else:
            who = ", ".join(f"#{i}" for i, _title in items[:ids_per_group])
            if len(items) > ids_per_group:
                more = len(items) - ids_per_group
                who += ngettext(" and %(num)d more", " and %(num)d more", more)
        lines.append(_("%(items)s: %(reason)s", items=who, reason=reason))
    rest = sum(len(items) for items in list(by_reason.values())[groups:])
    if rest:
        lines.append(
            ngettext(
                "%(num)d more for other reasons; it is unchanged in the queue.",
                "%(num)d more for other reasons; they are unchanged in the queue.",
                rest,
            )
        )
    count = len(refused)
    head = ngettext("%(num)d not decided", "%(num)d not decided", count)
    return _("%(count)s — %(reasons)s", count=head, reasons=" · ".join(lines))


def _unsent(revision: Revision, form: RevisionForm) -> str:
    """The message typed for an update decided meanwhile: the page has no form left to put
    it back in, so it is shown apart (empty while the form is still there)."""
    return (form.message.data or "") if revision.status is not RevisionStatus.PENDING else ""


def decide_revision_view(revision_id: int) -> Page:
    """Publish or refuse an owner's update of an approved submission."""
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        abort(404)
    form = RevisionForm()
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return review_page(revision.submission, 429, revision_form=form)
    valid = form.validate()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        return review_page(
            revision.submission, 400, revision_form=form, unsent=_unsent(revision, form)
        )
    if not valid:
        return review_page(revision.submission, 422, revision_form=form)
    approve = form.action.data == "approve"
    try:
        decide_revision(
            revision, current_user, approve, form.message.data or "", seen=form.seen.data or None
        )
        db.session.commit()
    except (DecisionRefused, StaleDataError) as exc:
        db.session.rollback()
        db.session.refresh(revision)
        db.session.refresh(revision.submission)
        refused = (
            exc
            if isinstance(exc, DecisionRefused)
            # Decided or edited by someone else between our read and our write: say who.
            else (
                why_revision_not_decidable(revision, current_user, form.seen.data or None)
                or DecisionRefused(
                    _(
                        "This submission changed at the same moment; read it again "
                        "and decide. Nothing was changed."
                    ),
                    409,
                )
            )
        )
        flash(str(refused), "error")
        return review_page(
            revision.submission, refused.status, revision_form=form, unsent=_unsent(revision, form)
        )
    submission = revision.submission
    return after_decision(
        submission,
        _("Update published: %(title)s.", title=_title(submission))
        if approve
        else _(
            "Update refused: %(title)s; the public version is unchanged.",
            title=_title(submission),
        ),
    )
