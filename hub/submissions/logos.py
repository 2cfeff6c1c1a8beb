"""Logos of submissions: storing a re-encoded upload, choosing it (through a pending revision
once the submission is public), and serving it to those who may see it.

A logo is public exactly when it is the logo of an approved submission; a pending revision's
logo is seen by the submission's editors and the moderators only, like its text.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, request
from flask_login import current_user
from sqlalchemy import select

from hub.extensions import db
from hub.submissions.editors import can_edit
from hub.submissions.images import LOGO_MAX_BYTES, CleanImage
from hub.submissions.models import Logo, Status, Submission
from hub.submissions.revisions import Revision, RevisionStatus

# A revision's content says which logo it proposes under this key (None: no logo); without
# the key it leaves the logo as it is.
LOGO_KEY = "logo_id"
# What a submission form may carry on top of the usual request limit: a logo, and a photo
# up to five times too large still gets its message by the field instead of a 413 page.
UPLOAD_ALLOWANCE = 5 * LOGO_MAX_BYTES
# Where a submission form posts: its own handlers, and the language switcher (which the
# form's language buttons send it to, the chosen file with it).
UPLOADING = ("submissions.new", "submissions.edit", "language.switch")
# Public logos are cached for a day: their address changes with their bytes, and a logo
# whose submission is withdrawn leaves shared caches within that day.
PUBLIC_CACHE = "public, max-age=86400, immutable"


def store_logo(submission: Submission, image: CleanImage) -> Logo:
    """The submission's logo row for these bytes (the same upload twice is stored once)."""
    digest = image.sha256
    logo = db.session.scalar(
        select(Logo).where(Logo.submission_id == submission.id, Logo.sha256 == digest)
    )
    if logo is None:
        logo = Logo(
            submission_id=submission.id,
            sha256=digest,
            mime_type=image.mime_type,
            width=image.width,
            height=image.height,
            data=image.data,
        )
        db.session.add(logo)
        db.session.flush()
    return logo


def change_logo(
    submission: Submission, saved: Submission | Revision, choice: CleanImage | None
) -> None:
    """Apply the form's logo choice (an image, or None to remove it) to what was saved: the
    submission itself, or the pending revision of an approved one (the public keeps the
    approved logo until a moderator publishes the update)."""
    logo_id = store_logo(submission, choice).id if choice is not None else None
    if isinstance(saved, Revision):
        saved.content = {**saved.content, LOGO_KEY: logo_id}
    else:
        submission.logo_id = logo_id
    db.session.flush()
    prune_logos(submission)


def keep_logo_choice(previous: dict[str, Any] | None, content: dict[str, Any]) -> dict[str, Any]:
    """A revision's new content with the logo its earlier version proposed (an edit of the
    text must not drop a logo waiting for review)."""
    if previous is not None and LOGO_KEY in previous and LOGO_KEY not in content:
        return {**content, LOGO_KEY: previous[LOGO_KEY]}
    return content


def apply_logo(submission: Submission, content: dict[str, Any]) -> None:
    """Publish the logo of an approved revision's content, if it proposes one."""
    if LOGO_KEY in content:
        submission.logo_id = content[LOGO_KEY]
        db.session.flush()
        prune_logos(submission)


def prune_logos(submission: Submission) -> None:
    """Delete the submission's logos that neither it nor its pending revision shows."""
    kept = {submission.logo_id}
    pending = db.session.scalars(
        select(Revision.content).where(
            Revision.submission_id == submission.id, Revision.status == RevisionStatus.PENDING
        )
    )
    kept.update(content.get(LOGO_KEY) for content in pending if isinstance(content, dict))
    for logo in db.session.scalars(select(Logo).where(Logo.submission_id == submission.id)):
        if logo.id not in kept:
            db.session.delete(logo)
    db.session.flush()


def proposed_logo(submission: Submission, revision: Revision | None) -> tuple[bool, Logo | None]:
    """Whether the pending revision changes the logo, and to which (None: removed)."""
    if revision is None or LOGO_KEY not in revision.content:
        return False, None
    logo_id = revision.content[LOGO_KEY]
    if logo_id == submission.logo_id:
        return False, None
    return True, db.session.get(Logo, logo_id) if logo_id is not None else None


def editing_logo(submission: Submission | None, revision: Revision | None) -> Logo | None:
    """The logo the edit form shows as current: a pending revision's choice, else the
    submission's own."""
    if submission is None:
        return None
    changed, logo = proposed_logo(submission, revision)
    return logo if changed else submission.logo


def _may_see(logo: Logo) -> bool:
    """Public logos for everyone; any other one for the submission's editors and moderators."""
    submission = db.session.get(Submission, logo.submission_id)
    if submission is None:
        return False
    if submission.status is Status.APPROVED and submission.logo_id == logo.id:
        return True
    if not current_user.is_authenticated:
        return False
    return bool(current_user.is_moderator) or can_edit(current_user, submission)


def logo_response(logo_id: int, sha256: str) -> Response:
    """Serve a logo's bytes, or 404 when it does not exist or is not the reader's to see."""
    logo = db.session.get(Logo, logo_id)
    if logo is None or logo.sha256 != sha256 or not _may_see(logo):
        abort(404)
    public = db.session.get(Submission, logo.submission_id)
    shared = public is not None and public.status is Status.APPROVED and public.logo_id == logo.id
    etag = f'"{logo.sha256}"'
    headers = {
        "ETag": etag,
        "Cache-Control": PUBLIC_CACHE if shared else "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline",
        # An image opened on its own runs nothing, whatever a browser makes of it.
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if etag in request.headers.get("If-None-Match", ""):
        return Response(status=304, headers=headers)
    return Response(logo.data, mimetype=logo.mime_type, headers=headers)


def allow_logo_upload() -> None:
    """Before any handler reads the form: a submission form may be larger than other posts
    by a logo (see UPLOAD_ALLOWANCE). Its text fields stay bounded by their own limits and
    by Flask's MAX_FORM_MEMORY_SIZE per field."""
    # Only a multipart post can carry a file: any other keeps the usual limit.
    multipart = request.mimetype == "multipart/form-data"
    if request.endpoint in UPLOADING and request.method == "POST" and multipart:
        request.max_content_length = current_app.config["MAX_CONTENT_LENGTH"] + UPLOAD_ALLOWANCE
