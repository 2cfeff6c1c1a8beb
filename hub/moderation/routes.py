"""Moderation views: queue, review, decisions, revisions, exceptions, audit, figures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from hub.audit.models import AuditEvent
from hub.auth.models import Role
from hub.auth.operations import find_user
from hub.clock import clock
from hub.csvexport import csv_download
from hub.extensions import csrf, db
from hub.forms import csrf_failed, expired_form_notice
from hub.moderation import queries
from hub.moderation.forms import (
    SELECT_ALL,
    BulkForm,
    DecisionForm,
    DuplicateForm,
    ExceptionForm,
    RevisionForm,
)
from hub.moderation.operations import (
    DECIDABLE,
    DecisionRefused,
    approve_submission,
    changed_meanwhile,
    decide_revision,
    exception_for,
    grant_exception,
    mark_duplicate,
    reject_submission,
    request_changes,
    revision_stamp,
    revisions_closed_at,
    revoke_exception,
    status_counts,
    why_not_decidable,
    why_revision_not_decidable,
)
from hub.moderation.queries import QueueFilters
from hub.ratelimit import throttled
from hub.routing import parse_id
from hub.submissions.deadlines import DeadlineException
from hub.submissions.models import Status, Submission
from hub.submissions.operations import CONTENT_FIELDS, pending_revision
from hub.submissions.revisions import Revision, RevisionStatus
from hub.vocab import KINDS

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

Page = Response | tuple[str, int] | str

# The forms a moderator types into check their CSRF token themselves (form-level, as the
# submission and login forms do), so an expired token re-shows the page with the text kept
# instead of the bare error page; _moderators_only() checks every other post.
FORM_LEVEL_CSRF = frozenset(
    {
        "moderation.decide",
        "moderation.duplicate",
        "moderation.bulk",
        "moderation.decide_revision_view",
        "moderation.exceptions",
    }
)
csrf.exempt(bp)  # the global check would answer before the area hides itself


@bp.before_request
def _moderators_only() -> None:
    """Everyone else gets 404, whatever they post and with or without a token (the area
    is not advertised); then the CSRF check of the posts whose form does not make it."""
    if not current_user.is_authenticated or not current_user.is_moderator:
        abort(404)
    if request.endpoint not in FORM_LEVEL_CSRF and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()


def _submission_or_404(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.status is Status.DRAFT:
        abort(404)  # drafts are private to their owner
    return submission


def _filters() -> QueueFilters:
    """The queue's filters, carried in the query string of every moderation page."""
    return QueueFilters.from_args(request.args)


@bp.route("/")
def queue() -> Page:
    """The review queue: oldest submitted first, with filters and counts per status."""
    return _queue_page(_filters())


def _queue_page(
    filters: QueueFilters, form: BulkForm | None = None, status: int = 200, select_all: bool = False
) -> tuple[str, int]:
    """The queue, with the bulk form as posted (ticks and message kept) when given."""
    result = queries.queue_page(filters.status, filters.kind, filters.text, filters.page)
    filters = replace(filters, page=result.page)
    # Only what this moderator can decide gets a box: not their own items, not decided ones,
    # not updates of approved items (those are read and decided one by one).
    decidable = [
        s.id for s in result.items if s.status in DECIDABLE and s.owner_id != current_user.id
    ]
    form = form or BulkForm(formdata=None)
    selected = set(decidable) if select_all else set(form.ids.data or [])
    return render_template(
        "moderation/queue.html",
        result=result,
        filters=filters,
        counts=status_counts(),
        kinds=KINDS,
        decidable=set(decidable),
        selected=selected,
        revisions=queries.pending_revision_count(),
        bulk=form,
        now=clock().now(),
    ), status


@bp.route("/<id:submission_id>")
def review(submission_id: int) -> str:
    """Everything a moderator needs to decide on one submission."""
    return _review_page(_submission_or_404(submission_id))[0]


def _review_page(
    submission: Submission,
    status: int = 200,
    *,
    form: DecisionForm | None = None,
    duplicate_form: DuplicateForm | None = None,
    revision_form: RevisionForm | None = None,
    unsent: str = "",
) -> tuple[str, int]:
    """The review page; forms not given are fresh (never filled from another form's post).

    `unsent` is a message the moderator typed for a decision that could not be applied
    and can no longer be (the item was decided meanwhile): shown so it is not lost.
    """
    filters = _filters()
    form = form or DecisionForm(formdata=None, version=str(submission.version))
    duplicate_form = duplicate_form or DuplicateForm(
        formdata=None, prefix="dup", version=str(submission.version)
    )
    revision = pending_revision(submission)
    changes = _revision_changes(submission, revision) if revision else []
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
        own=submission.owner_id == current_user.id,
        decidable=decidable,
        filters=filters,
        following=following,
        unsent=unsent,
        changes_closed=changes_closed,
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


def _revision_changes(submission: Submission, revision: Revision) -> list[tuple[str, Any, Any]]:
    """(field, public value, proposed value) for each field the revision changes."""
    changes = []
    for field in CONTENT_FIELDS:
        if field not in revision.content:
            continue
        old = getattr(submission, field)
        old = old.isoformat() if hasattr(old, "isoformat") else old
        new = revision.content[field]
        if (old or None) != (new or None):
            changes.append((field.replace("_", " ").capitalize(), old, new))
    return changes


def _after_decision(submission: Submission, done: str) -> Response:
    """Say what was decided and go on with the next item of the same filtered queue (or
    back to that queue when nothing is left after this one)."""
    filters = _filters()
    following = queries.next_in_queue(filters, submission, current_user.id)
    if following is None:
        flash(f"{done} Nothing left after it in this view of the queue.", "success")
        return redirect(url_for(".queue", **filters.args()))
    item, where = following
    flash(f"{done} Here is the next one.", "success")
    return redirect(url_for(".review", submission_id=item.id, **where.args()))


def _title(submission: Submission, limit: int = 80) -> str:
    """“Title” (#id), the title shortened for messages."""
    title = submission.title or "(untitled)"
    if len(title) > limit:
        title = title[: limit - 1].rstrip() + "…"
    return f"“{title}” (#{submission.id})"


def _decision_refused(
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
        return _review_page(submission, refused.status, unsent=typed)
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
    return _review_page(submission, refused.status, form=form, duplicate_form=duplicate_form)


@bp.route("/<id:submission_id>/decide", methods=["POST"])
def decide(submission_id: int) -> Page:
    """Approve, request changes or reject (the button pressed), or explain why not."""
    submission = _submission_or_404(submission_id)
    form = DecisionForm()
    expected, answer = _checked_version(submission, form, "form")
    if answer is not None:
        return answer
    message = (form.message.data or "").strip()
    try:
        if form.action.data == "approve":
            approve_submission(submission, current_user, expected, message)
            done = f"Approved and published: {_title(submission)}." + (
                " Your message went to the submitter with the approval." if message else ""
            )
        elif form.action.data == "reject":
            reject_submission(submission, current_user, message, expected)
            done = f"Rejected: {_title(submission)}; the submitter was told why."
        else:
            request_changes(submission, current_user, message, expected)
            done = f"Changes requested: {_title(submission)}; the submitter was sent your message."
        db.session.commit()
    except DecisionRefused as refused:
        return _decision_refused(submission_id, refused, form=form)
    except StaleDataError:  # another moderator's decision committed first
        return _decision_refused(submission_id, _changed_meanwhile(submission_id), form=form)
    return _after_decision(submission, done)


def _checked_version(
    submission: Submission, form: FlaskForm, name: str
) -> tuple[int, None] | tuple[None, Page]:
    """The version a decision form was read at, or the page that refuses the post
    (throttled, invalid, or no version); `name` is the form's name on the review page."""
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return None, _review_page(submission, 429, **{name: form})
    valid = form.validate()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        # Decided meanwhile, the page has no form to put the text back in: shown apart.
        typed = (form.message.data or "") if isinstance(form, DecisionForm) else ""
        return None, _review_page(
            submission, 400, **{name: form}, unsent="" if submission.status in DECIDABLE else typed
        )
    if not valid:
        # An item that cannot be decided at all shows no form to put the errors in: say why.
        cannot = why_not_decidable(submission, current_user)
        if cannot is not None:
            return None, _decision_refused(submission.id, cannot, **{name: form})
        return None, _review_page(submission, 422, **{name: form})
    # parse_id: strict ASCII digits (str.isdigit() accepts "²", which int() then refuses).
    expected = parse_id(form.version.data)
    if expected is None:
        # Nothing says which text the moderator read: the page shows the item as it is now
        # and the form carries that version, with what they typed, to send again.
        flash(
            "The form was incomplete (no version, or not a valid one), so nothing was "
            "decided. Check the submission below as it is now and send again: what you "
            "typed is kept.",
            "error",
        )
        form.version.data = str(submission.version)
        return None, _review_page(submission, 400, **{name: form})
    return expected, None


def _changed_meanwhile(submission_id: int) -> DecisionRefused:
    """The refusal for a write that found the row changed (read after a rollback)."""
    db.session.rollback()
    fresh = db.session.get(Submission, submission_id)
    assert fresh is not None
    db.session.refresh(fresh)
    return changed_meanwhile(fresh)


@bp.route("/<id:submission_id>/duplicate", methods=["POST"])
def duplicate(submission_id: int) -> Page:
    """Reject as a duplicate of another submission (its own small form)."""
    submission = _submission_or_404(submission_id)
    form = DuplicateForm(prefix="dup")
    expected, answer = _checked_version(submission, form, "duplicate_form")
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
            return _review_page(db.session.get(Submission, submission_id), 422, duplicate_form=form)
        return _decision_refused(submission_id, refused, duplicate_form=form)
    except StaleDataError:
        return _decision_refused(
            submission_id, _changed_meanwhile(submission_id), duplicate_form=form
        )
    return _after_decision(
        submission, f"Rejected as a duplicate of #{original.id}: {_title(submission)}."
    )


@bp.route("/bulk", methods=["POST"])
def bulk() -> Page:
    """Approve or reject the ticked submissions; each follows the single-item rules."""
    filters = _filters()
    form = BulkForm()
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return _queue_page(filters, form, 429)  # the ticks and the reason stay
    valid = form.validate()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        return _queue_page(filters, form, 400)
    if not valid:  # nothing decided; the ticks and the message are kept
        return _queue_page(filters, form, 422)
    if form.action.data == SELECT_ALL:  # the no-script way to tick every box of the page
        return _queue_page(filters, form, select_all=True)
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
        f"{done} submission{'s' if done != 1 else ''} {'approved' if approve else 'rejected'}.",
        "success",
    )
    if refused:
        flash(not_decided_message(refused), "error")
    return redirect(url_for(".queue", **filters.args()))


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
            who = f"#{submission_id}" + (f" “{short}”" if short else "")
        else:
            who = ", ".join(f"#{i}" for i, _title in items[:ids_per_group])
            if len(items) > ids_per_group:
                who += f" and {len(items) - ids_per_group} more"
        lines.append(f"{who}: {reason}")
    rest = sum(len(items) for items in list(by_reason.values())[groups:])
    if rest:
        lines.append(f"{rest} more for other reasons; they are unchanged in the queue.")
    count = len(refused)
    return f"{count} not decided — " + " · ".join(lines)


def _unsent(revision: Revision, form: RevisionForm) -> str:
    """The message typed for an update decided meanwhile: the page has no form left to put
    it back in, so it is shown apart (empty while the form is still there)."""
    return (form.message.data or "") if revision.status is not RevisionStatus.PENDING else ""


@bp.route("/revisions/<id:revision_id>/decide", methods=["POST"])
def decide_revision_view(revision_id: int) -> Page:
    """Publish or refuse an owner's update of an approved submission."""
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        abort(404)
    form = RevisionForm()
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return _review_page(revision.submission, 429, revision_form=form)
    valid = form.validate()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        return _review_page(
            revision.submission, 400, revision_form=form, unsent=_unsent(revision, form)
        )
    if not valid:
        return _review_page(revision.submission, 422, revision_form=form)
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
                    "This submission changed at the same moment; read it again "
                    "and decide. Nothing was changed.",
                    409,
                )
            )
        )
        flash(str(refused), "error")
        return _review_page(
            revision.submission, refused.status, revision_form=form, unsent=_unsent(revision, form)
        )
    submission = revision.submission
    return _after_decision(
        submission,
        f"Update published: {_title(submission)}."
        if approve
        else f"Update refused: {_title(submission)}; the public version is unchanged.",
    )


@bp.route("/exceptions", methods=["GET", "POST"])
def exceptions() -> Page:
    """List deadline exceptions and grant new ones."""
    form = ExceptionForm()
    status = 200
    valid = form.validate_on_submit()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        status = 400
    elif valid:
        user = find_user(form.email.data)
        until = form.until.data.replace(tzinfo=clock().zone) if form.until.data else None
        if user is None:
            form.email.errors.append("No account has this e-mail.")
        elif until is not None:
            earlier = exception_for(user.id)
            earlier_until = earlier.until if earlier is not None else None
            try:
                grant_exception(user, until, form.reason.data or "", current_user)
                db.session.commit()
            except DecisionRefused as refused:
                db.session.rollback()
                # Granting oneself is about the account chosen; a past instant about the time.
                (form.email if refused.status == 403 else form.until).errors.append(str(refused))
                status = refused.status
            else:
                replaced = (
                    f" This replaces the exception until {clock().format(earlier_until)}."
                    if earlier_until
                    else ""
                )
                flash(
                    f"{user.email} may submit until {clock().format(until)}.{replaced}", "success"
                )
                return redirect(url_for(".exceptions"))
    if form.errors and status == 200:
        status = 422
    return render_template(
        "moderation/exceptions.html", form=form, exceptions=queries.exceptions()
    ), status


@bp.route("/exceptions/<id:exception_id>/revoke", methods=["POST"])
def revoke(exception_id: int) -> Page:
    """Withdraw a deadline exception."""
    exception = db.session.get(DeadlineException, exception_id)
    if exception is None:
        abort(404)
    email = exception.user.email
    revoke_exception(exception, current_user)
    db.session.commit()
    flash(f"The exception for {email} was revoked.", "success")
    return redirect(url_for(".exceptions"))


@bp.route("/audit.csv")
def audit_csv() -> Response:
    """The whole audit trail as CSV (admins only)."""
    if current_user.role is not Role.ADMIN:
        abort(404)

    def rows() -> Iterator[tuple[object, ...]]:
        # Read while the file streams (the session is the request's, kept by the stream).
        stmt = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500)
        for event in db.session.scalars(stmt):
            # Every cell is made formula-safe, not only the message: an e-mail such as
            # =1+1@x.org is valid.
            yield (
                event.id,
                clock().local(event.created_at).astimezone(UTC).isoformat("T", "seconds"),
                event.actor.email if event.actor else "system",
                event.action.value,
                event.submission_id or "",
                event.subject_user.email if event.subject_user else "",
                event.from_status or "",
                event.to_status or "",
                event.message,
            )

    return csv_download(AUDIT_COLUMNS, rows(), "audit.csv")


AUDIT_COLUMNS = [
    "id",
    "when_utc",
    "actor",
    "action",
    "submission_id",
    "account",
    "from_status",
    "to_status",
    "message",
]


@bp.route("/dashboard")
def dashboard() -> str:
    """Counts per status and kind, first submissions per day, median wait for a decision."""
    figures = queries.figures(clock().local(clock().now()).date())
    return render_template("moderation/dashboard.html", figures=figures, kinds=KINDS)
