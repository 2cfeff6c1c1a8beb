"""Moderation page builders: the queue, the review page, and which page answers a post
that cannot be applied (the controllers decide what happens, these what is shown)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from hub.clock import clock
from hub.extensions import db
from hub.forms import csrf_failed, expired_form_notice
from hub.moderation import queries
from hub.moderation.conflicts import conflict_reason, same_organisation_ids
from hub.moderation.diff import field_changes, since_review
from hub.moderation.forms import BulkForm, DecisionForm, DuplicateForm, NoteForm, RevisionForm
from hub.moderation.operations import (
    DECIDABLE,
    DecisionRefused,
    revision_stamp,
    revisions_closed_at,
    why_not_decidable,
)
from hub.moderation.queries import QueueFilters
from hub.moderation.queue_filters import filter_choices
from hub.moderation.team import held_count, holders
from hub.moderation.teampanel import team_panel
from hub.ratelimit import throttled
from hub.routing import parse_id
from hub.submissions.deadlines import DeadlineException
from hub.submissions.editors import can_edit, co_edited_ids, co_editors
from hub.submissions.models import Submission
from hub.submissions.operations import pending_revision, reviewed_snapshot
from hub.submissions.reasons import reasons_in_use
from hub.templating import Page
from hub.vocab import KINDS


def current_filters() -> QueueFilters:
    """The queue's filters, carried in the query string of every moderation page."""
    return QueueFilters.from_args(request.args)


def url_with_filters(endpoint: str, filters: QueueFilters, **values: Any) -> str:
    """url_for() with the queue's filters in the query string."""
    args: dict[str, Any] = {**values, **filters.args()}
    return url_for(endpoint, **args)


def queue_page(
    filters: QueueFilters, form: BulkForm | None = None, status: int = 200, select_all: bool = False
) -> tuple[str, int]:
    """The queue, with the bulk form as posted (ticks and message kept) when given."""
    holder_id = current_user.id if filters.mine else None
    result = queries.queue_page(
        filters.status, filters.kind, filters.text, filters.page, filters.fields, holder_id
    )
    filters = replace(filters, page=result.page)
    # Only what this moderator can decide gets a box: not their own items, not decided ones,
    # not updates of approved items (those are read and decided one by one).
    blocked = co_edited_ids(current_user.id) | set(same_organisation_ids(current_user))
    decidable = [
        s.id
        for s in result.items
        if s.status in DECIDABLE and s.owner_id != current_user.id and s.id not in blocked
    ]
    form = form or BulkForm(formdata=None)
    selected = set(decidable) if select_all else set(form.ids.data or [])
    return render_template(
        "moderation/queue.html",
        result=result,
        filters=filters,
        counts=queries.status_counts(),
        kinds=KINDS,
        decidable=set(decidable),
        selected=selected,
        revisions=queries.pending_revision_count(),
        holders=holders(result.items),
        mine=held_count(current_user.id),
        bulk=form,
        now=clock().now(),
        field_filters=filter_choices(),
    ), (400 if filters.fields.problems and status == 200 else status)


def review_page(
    submission: Submission,
    status: int = 200,
    *,
    form: DecisionForm | None = None,
    duplicate_form: DuplicateForm | None = None,
    revision_form: RevisionForm | None = None,
    note_form: NoteForm | None = None,
    unsent: str = "",
) -> tuple[str, int]:
    """The review page; forms not given are fresh (never filled from another form's post).

    `unsent` is a message the moderator typed for a decision that could not be applied
    and can no longer be (the item was decided meanwhile): shown so it is not lost.
    """
    filters = current_filters()
    form = form or DecisionForm(formdata=None, version=str(submission.version))
    duplicate_form = duplicate_form or DuplicateForm(
        formdata=None, prefix="dup", version=str(submission.version)
    )
    revision = pending_revision(submission)
    changes = []
    if revision is not None:  # the fields the update holds, against the public text
        public = reviewed_snapshot(submission)
        changes = field_changes({k: public.get(k) for k in revision.content}, revision.content)
    revision_form = revision_form or RevisionForm(formdata=None)
    if revision is not None:  # the decision applies to the text shown on this page
        revision_form.seen.data = revision_stamp(revision)
    exception = db.session.scalar(
        select(DeadlineException).where(DeadlineException.user_id == submission.owner_id)
    )
    duplicates = queries.possible_duplicates(submission)
    shown = {d.id for d in duplicates}  # an item is listed once, as a possible duplicate
    following = queries.next_in_queue(filters, submission, current_user.id)
    decidable = submission.status in DECIDABLE
    changes_closed = revisions_closed_at(submission) if decidable else None
    return render_template(
        "moderation/review.html",
        submission=submission,
        form=form,
        duplicate_form=duplicate_form,
        history=queries.history(submission),
        duplicates=duplicates,
        similar=[s for s in _similar(submission) if s.id not in shown],
        revision=revision,
        changes=changes,
        revision_form=revision_form,
        exception=exception,
        own=can_edit(current_user, submission),
        conflict=conflict_reason(current_user, submission),
        reasons=reasons_in_use(),
        owner_left=submission.owner.deleted_at is not None,
        editors=co_editors(submission),
        decidable=decidable,
        filters=filters,
        following=following,
        unsent=unsent,
        changes_closed=changes_closed,
        **team_panel(submission, note_form),
        resubmitted=since_review(submission),
    ), status


def _similar(submission: Submission) -> list[Submission]:
    """Similar approved submissions from the search index (empty if search is unavailable)."""
    try:
        from hub.search import similar_to_text
    except ImportError:
        return []
    return similar_to_text(
        submission.title,
        f"{submission.summary}\n{submission.description}",
        exclude_id=submission.id,
        limit=5,
    )


def after_decision(submission: Submission, done: str) -> Response:
    """Say what was decided and go on with the next item of the same filtered queue (or
    back to that queue when nothing is left after this one)."""
    filters = current_filters()
    following = queries.next_in_queue(filters, submission, current_user.id)
    if following is None:
        flash(f"{done} {_('Nothing left after it in this view of the queue.')}", "success")
        return redirect(url_with_filters(".queue", filters))
    item, where = following
    flash(f"{done} {_('Here is the next one.')}", "success")
    return redirect(url_with_filters(".review", where, submission_id=item.id))


def refused_decision_page(
    submission_id: int,
    refused: DecisionRefused,
    form: DecisionForm | None = None,
    duplicate_form: DuplicateForm | None = None,
) -> tuple[str, int]:
    """The review page after a refused decision, on the item as it is now.

    When the item can still be decided (it was only edited meanwhile), the forms carry its
    current version and what the moderator typed, so sending again works once they have
    read the new text; when it was decided meanwhile, what they typed is shown, not lost.
    """
    db.session.rollback()
    flash(str(refused), "error")
    submission = db.session.get(Submission, submission_id)
    assert submission is not None  # a decision never deletes
    db.session.refresh(submission)
    typed = (form.message.data or "") if form is not None else ""
    if submission.status not in DECIDABLE:
        return review_page(submission, refused.status, unsent=typed)
    version = str(submission.version)
    if form is not None:
        form = DecisionForm(formdata=None, version=version, message=typed)
    if duplicate_form is not None:
        duplicate_form = DuplicateForm(
            formdata=None,
            prefix="dup",
            version=version,
            duplicate_of=duplicate_form.duplicate_of.data,
        )
    return review_page(submission, refused.status, form=form, duplicate_form=duplicate_form)


def checked_version(
    submission: Submission, form: FlaskForm, name: str
) -> tuple[int, None] | tuple[None, Page]:
    """The version a decision form was read at, or the page that refuses the post
    (throttled, invalid, or no version); `name` is the form's name on the review page."""
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return None, review_page(submission, 429, **{name: form})
    valid = form.validate()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        # Decided meanwhile, the page has no form to put the text back in: shown apart.
        typed = (form.message.data or "") if isinstance(form, DecisionForm) else ""
        return None, review_page(
            submission, 400, **{name: form}, unsent="" if submission.status in DECIDABLE else typed
        )
    if not valid:
        # An item that cannot be decided at all shows no form to put the errors in: say why.
        cannot = why_not_decidable(submission, current_user)
        if cannot is not None:
            return None, refused_decision_page(submission.id, cannot, **{name: form})
        return None, review_page(submission, 422, **{name: form})
    # parse_id: strict ASCII digits (str.isdigit() accepts "²", which int() then refuses).
    expected = parse_id(form.version.data)
    if expected is None:
        # Nothing says which text the moderator read: the page shows the item as it is now
        # and the form carries that version, with what they typed, to send again.
        flash(
            _(
                "The form was incomplete (no version, or not a valid one), so nothing was "
                "decided. Check the submission below as it is now and send again: what you "
                "typed is kept."
            ),
            "error",
        )
        form.version.data = str(submission.version)
        return None, review_page(submission, 400, **{name: form})
    return expected, None
