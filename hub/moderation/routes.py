"""Moderation views: queue, review, decisions, revisions, exceptions, audit, figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from hub.auth.models import Role
from hub.auth.operations import find_user
from hub.charts import bar_chart, column_chart
from hub.clock import clock
from hub.extensions import db
from hub.forms import clean_text
from hub.moderation import queries
from hub.moderation.forms import BulkForm, DecisionForm, ExceptionForm, RevisionForm
from hub.moderation.models import AuditEvent, DeadlineException, Revision, RevisionStatus
from hub.moderation.operations import (
    DecisionRefused,
    approve_submission,
    changed_meanwhile,
    decide_revision,
    grant_exception,
    mark_duplicate,
    reject_submission,
    request_changes,
    revision_stamp,
    revoke_exception,
    status_counts,
)
from hub.ratelimit import refusal
from hub.routing import parse_id
from hub.submissions.models import Status, Submission
from hub.submissions.operations import CONTENT_FIELDS, pending_revision
from hub.vocab import KINDS

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

Page = Response | tuple[str, int] | str


def moderator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Moderators and admins only; everyone else gets 404 (the area is not advertised)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or not current_user.is_moderator:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def _submission_or_404(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.status is Status.DRAFT:
        abort(404)  # drafts are private to their owner
    return submission


@bp.route("/")
@moderator_required
def queue() -> str:
    """The review queue: oldest submitted first, with filters and counts per status."""
    status = request.args.get("status", Status.SUBMITTED.value)
    if status not in {s.value for s in Status} - {"draft"} | {queries.REVISIONS, ""}:
        status = Status.SUBMITTED.value
    kind = request.args.get("kind", "") if request.args.get("kind") in KINDS else ""
    text = clean_text(request.args.get("q", ""))[:200]
    page = request.args.get("page", 1, type=int) or 1
    result = queries.queue_page(status, kind, text, page)
    return render_template("moderation/queue.html", result=result, status=status, kind=kind,
                           text=text, counts=status_counts(), kinds=KINDS,
                           revisions=queries.pending_revision_count(), bulk=BulkForm(),
                           now=clock().now())


@bp.route("/<id:submission_id>")
@moderator_required
def review(submission_id: int) -> str:
    """Everything a moderator needs to decide on one submission."""
    return _review_page(_submission_or_404(submission_id))[0]


def _review_page(submission: Submission, status: int = 200,
                 form: DecisionForm | None = None,
                 revision_form: RevisionForm | None = None) -> tuple[str, int]:
    form = form or DecisionForm(version=str(submission.version))
    revision = pending_revision(submission)
    changes = _revision_changes(submission, revision) if revision else []
    revision_form = revision_form or RevisionForm()
    if revision is not None:  # the decision applies to the text shown on this page
        revision_form.seen.data = revision_stamp(revision)
    exception = db.session.scalar(select(DeadlineException)
                                  .where(DeadlineException.user_id == submission.owner_id))
    return render_template(
        "moderation/review.html", submission=submission, form=form,
        history=queries.history(submission), duplicates=queries.possible_duplicates(submission),
        similar=_similar(submission), revision=revision, changes=changes,
        revision_form=revision_form, exception=exception,
        own=submission.owner_id == current_user.id), status


def _similar(submission: Submission) -> list[Submission]:
    """Similar approved submissions from the search index (empty if search is unavailable)."""
    try:
        from hub.search import similar_to_text
    except ImportError:
        return []
    return similar_to_text(submission.title, f"{submission.summary}\n{submission.description}",
                           exclude_id=submission.id, limit=5)


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


@bp.route("/<id:submission_id>/decide", methods=["POST"])
@moderator_required
def decide(submission_id: int) -> Page:
    """Apply one decision, or explain why it cannot be applied."""
    submission = _submission_or_404(submission_id)
    form = DecisionForm()
    if (throttled := refusal()) is not None:
        flash(throttled.message, "error")
        return _review_page(submission, 429, form)
    if not form.validate():
        return _review_page(submission, 422, form)
    expected = int(form.version.data) if (form.version.data or "").isdigit() else None
    if expected is None:
        flash("The form was incomplete (no version). Reload the page and try again.", "error")
        return _review_page(submission, 400, form)
    message = form.message.data or ""
    try:
        if form.action.data == "approve":
            approve_submission(submission, current_user, expected)
        elif form.action.data == "reject":
            reject_submission(submission, current_user, message, expected)
        elif form.action.data == "request_changes":
            request_changes(submission, current_user, message, expected)
        else:
            original = (db.session.get(Submission, form.duplicate_of.data)
                        if form.duplicate_of.data else None)
            mark_duplicate(submission, current_user, original, expected)
        db.session.commit()
    except DecisionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _review_page(db.session.get(Submission, submission_id), refused.status, form)
    except StaleDataError:  # another moderator's decision committed first
        db.session.rollback()
        fresh = db.session.get(Submission, submission_id)
        db.session.refresh(fresh)
        flash(str(changed_meanwhile(fresh)), "error")
        return _review_page(fresh, 409)
    flash(f"“{submission.title}” is now {submission.status_label.lower()}.", "success")
    return redirect(url_for(".queue"))


@bp.route("/bulk", methods=["POST"])
@moderator_required
def bulk() -> Page:
    """Approve or reject the selected submissions; each follows the single-item rules."""
    if (throttled := refusal()) is not None:
        flash(throttled.message, "error")
        return queue(), 429  # its bulk form is read from this post: the reason stays
    form = BulkForm()
    ids = [i for i in map(parse_id, request.form.getlist("ids")) if i is not None]
    if not form.validate() or not ids:
        flash("Select at least one submission and an action.", "error")
        return redirect(url_for(".queue")), 303
    if form.action.data == "reject" and not (form.message.data or "").strip():
        flash("Give a reason to reject: it is sent to each submitter. Nothing was changed.",
              "error")
        return redirect(url_for(".queue")), 303
    done, refused = 0, []
    for submission_id in ids:
        submission = db.session.get(Submission, submission_id)
        if submission is None or submission.status is Status.DRAFT:
            refused.append(f"#{submission_id}: not found")
            continue
        # The version the queue showed: an item its owner edited since is not decided unseen.
        seen = parse_id(request.form.get(f"version-{submission_id}"))
        try:
            with db.session.begin_nested():  # one item's refusal leaves the others intact
                if form.action.data == "approve":
                    approve_submission(submission, current_user, seen)
                else:
                    reject_submission(submission, current_user, form.message.data, seen)
            done += 1
        except (DecisionRefused, StaleDataError) as exc:
            refused.append(f"#{submission_id} “{submission.title}”: {exc}")
    db.session.commit()
    verb = "approved" if form.action.data == "approve" else "rejected"
    flash(f"{done} submission{'s' if done != 1 else ''} {verb}.", "success")
    for line in refused:
        flash(line, "error")
    return redirect(url_for(".queue"))


@bp.route("/revisions/<id:revision_id>/decide", methods=["POST"])
@moderator_required
def decide_revision_view(revision_id: int) -> Page:
    """Publish or refuse an owner's update of an approved submission."""
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        abort(404)
    form = RevisionForm()
    if (throttled := refusal()) is not None:
        flash(throttled.message, "error")
        return _review_page(revision.submission, 429, revision_form=form)
    if not form.validate():
        flash("The decision on the update could not be read; see the form below. "
              "Nothing was changed.", "error")
        return _review_page(revision.submission, 422, revision_form=form)
    try:
        decide_revision(revision, current_user, form.action.data == "approve",
                        form.message.data or "", seen=form.seen.data or None)
        db.session.commit()
    except (DecisionRefused, StaleDataError) as exc:
        db.session.rollback()
        status = exc.status if isinstance(exc, DecisionRefused) else 409
        flash(str(exc) if isinstance(exc, DecisionRefused)
              else "Someone decided on this revision at the same moment. Nothing was changed.",
              "error")
        return _review_page(db.session.get(Submission, revision.submission_id), status,
                            revision_form=form)
    flash("Update published." if revision.status is RevisionStatus.APPROVED
          else "Update refused; the public version is unchanged.", "success")
    return redirect(url_for(".review", submission_id=revision.submission_id))


@bp.route("/exceptions", methods=["GET", "POST"])
@moderator_required
def exceptions() -> Page:
    """List deadline exceptions and grant new ones."""
    form = ExceptionForm()
    status = 200
    if form.validate_on_submit():
        user = find_user(form.email.data)
        until = form.until.data.replace(tzinfo=clock().zone) if form.until.data else None
        if user is None:
            form.email.errors.append("No account has this e-mail.")
        elif until is not None:
            try:
                grant_exception(user, until, form.reason.data or "", current_user)
                db.session.commit()
            except DecisionRefused as refused:
                db.session.rollback()
                form.until.errors.append(str(refused))
            else:
                flash(f"{user.email} may submit until {clock().format(until)}.", "success")
                return redirect(url_for(".exceptions"))
    if form.errors:
        status = 422
    return render_template("moderation/exceptions.html", form=form,
                           exceptions=queries.exceptions()), status


@bp.route("/exceptions/<id:exception_id>/revoke", methods=["POST"])
@moderator_required
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
@moderator_required
def audit_csv() -> Response:
    """The whole audit trail as CSV (admins only)."""
    if current_user.role is not Role.ADMIN:
        abort(404)

    def rows() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "when_utc", "actor", "action", "submission_id", "account",
                         "from_status", "to_status", "message"])
        stmt = (select(AuditEvent).order_by(AuditEvent.id)
                .execution_options(yield_per=500))
        for event in db.session.scalars(stmt):
            when = clock().local(event.created_at).astimezone(UTC)
            writer.writerow([event.id, when.isoformat(timespec="seconds"),
                             event.actor.email if event.actor else "system", event.action.value,
                             event.submission_id or "",
                             event.subject_user.email if event.subject_user else "",
                             event.from_status or "", event.to_status or "",
                             csv_safe(event.message)])
            yield out.getvalue()
            out.seek(0)
            out.truncate()

    return Response(stream_with_context(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit.csv"})


def csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas in user-written text (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.route("/dashboard")
@moderator_required
def dashboard() -> str:
    """Counts per status and kind, submissions per day, median time to decision."""
    figures = queries.figures(clock().local(clock().now()).date())
    charts = {
        "status": bar_chart("Submissions per status", figures.by_status),
        "kind": bar_chart("Submitted per kind", [(KINDS.get(k, k), n)
                                                 for k, n in figures.by_kind]),
        "days": column_chart("Submissions per day, last 30 days",
                             [(d.isoformat(), n) for d, n in figures.per_day]),
    }
    return render_template("moderation/dashboard.html", figures=figures, charts=charts)
