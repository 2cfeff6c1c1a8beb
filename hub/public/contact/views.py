"""Writing to the people behind a published submission.

URL map:  /s/<slug>/contact (the form)  ·  /s/<slug>/contact/sent|check-inbox (after it)
          /contact/confirm/<token> (a visitor's link: "Send my message")
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from hub.extensions import db
from hub.forms import csrf_failed, expired_form_notice
from hub.i18n import current_language
from hub.public.contact import operations
from hub.public.contact.forms import ConfirmForm, ContactForm, VisitorContactForm
from hub.public.contact.models import HOLD_HOURS
from hub.ratelimit import throttled
from hub.submissions.models import Status, Submission

bp = Blueprint("contact", __name__)

Page = str | tuple[str, int] | Response


def _reachable(slug: str) -> Submission:
    """The published submission with a contact address, or a 404 (withdrawn, unpublished
    or without an address: nobody to write to)."""
    submission = db.session.scalar(
        select(Submission).where(Submission.slug == slug, Submission.status == Status.APPROVED)
    )
    if submission is None or not submission.contact_email.strip():
        abort(404)
    return submission


def _confirmed_account() -> bool:
    """Whether the writer is logged in with a confirmed address (their message goes at once)."""
    return bool(current_user.is_authenticated and current_user.email_confirmed_at is not None)


@bp.route("/s/<slug:slug>/contact", methods=["GET", "POST"], endpoint="write")
def write(slug: str) -> Page:
    """The form: a confirmed account's message is relayed at once, anyone else's is held
    until they follow the link mailed to them."""
    submission = _reachable(slug)
    account = _confirmed_account()
    form = ContactForm() if account else VisitorContactForm()
    if (throttle := throttled()) is not None:
        return _form_page(submission, form, throttle.message, 429)
    if form.is_submitted() and form.website.data:  # the honeypot: a bot; nothing is sent
        return redirect(url_for("contact.done", slug=slug, step="sent" if account else "check"))
    if form.validate_on_submit():
        if account:
            message = operations.Message(
                current_user.display_name,
                current_user.email,
                form.message.data,
                current_user.language or current_language(),
            )
            operations.relay(submission, message, current_user)
        else:
            assert isinstance(form, VisitorContactForm)
            message = operations.Message(
                form.name.data,
                form.email.data.strip().lower(),
                form.message.data,
                current_language(),
            )
            operations.purge_expired()
            operations.hold(submission, message)
        db.session.commit()
        return redirect(url_for("contact.done", slug=slug, step="sent" if account else "check"))
    notice = expired_form_notice() if csrf_failed(form) else None
    return _form_page(submission, form, notice, 400 if notice else 422 if form.errors else 200)


def _form_page(submission: Submission, form: ContactForm, notice: str | None, status: int) -> Page:
    """The contact form, with what was typed and why it was not sent."""
    return render_template(
        "public/contact.html", s=submission, form=form, notice=notice, hours=HOLD_HOURS
    ), status


@bp.route("/s/<slug:slug>/contact/<any(sent, check):step>", endpoint="done")
def done(slug: str, step: str) -> Page:
    """After the form: sent, or a link to follow in the inbox."""
    return render_template(
        "public/contact_done.html", s=_reachable(slug), step=step, hours=HOLD_HOURS
    )


@bp.route("/contact/confirm/<token>", methods=["GET", "POST"], endpoint="confirm")
def confirm(token: str) -> Page:
    """A visitor's link: the held message and a "Send my message" button (the post relays)."""
    held = operations.read_link(token)
    if isinstance(held, operations.LinkProblem):
        expired = held is operations.LinkProblem.EXPIRED
        return render_template(
            "public/contact_problem.html", expired=expired, hours=HOLD_HOURS
        ), 400 if expired else 404
    submission = held.submission
    if submission.status is not Status.APPROVED or not submission.contact_email.strip():
        abort(404)  # withdrawn since: nobody to write to (the message expires unsent)
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.release(held)
        db.session.commit()
        return redirect(url_for("contact.done", slug=submission.slug, step="sent"))
    notice = expired_form_notice() if csrf_failed(form) else None
    return render_template(
        "public/contact_confirm.html", s=submission, held=held, form=form, notice=notice
    ), 400 if notice else 200
