"""The JSON API: list with the same search, facets and sort as /browse, one item, its spec.

URL map:  /api/v1/submissions  ·  /api/v1/submissions/<slug>  ·  /api/v1/openapi.json
Errors are JSON ({error, message, status}) with 400 or 404 (see hub/errors.py).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from hub.api.openapi import spec
from hub.api.serialize import public_record
from hub.errors import render_error
from hub.extensions import db
from hub.search.listing import BadRequest, find, listing_query_from_args
from hub.submissions.editors import listed_contacts
from hub.submissions.models import Status, Submission

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.route("/submissions")
def list_submissions() -> Response | tuple[Response | str, int]:
    """One page of approved submissions with the total and facet counts."""
    try:
        req = listing_query_from_args(request.args, strict=True)
    except BadRequest as exc:
        return render_error(400, str(exc))
    listing = find(req)
    facets = {
        name: [{"value": f.value, "label": f.label, "count": f.count} for f in items]
        for name, items in listing.facets.items()
    }
    contacts = listed_contacts([s.id for s in listing.items])
    body = {
        "items": [public_record(s, contacts[s.id]) for s in listing.items],
        "total": listing.total,
        "page": req.page,
        "per_page": req.per_page,
        "facets": facets,
    }
    if listing.notes:
        body["notes"] = listing.notes
    if listing.suggestion:
        body["suggestion"] = listing.suggestion
    if listing.also_searched:  # glossary equivalents searched too (only=typed: none)
        body["also_searched"] = [{"term": t, "language": lang} for t, lang in listing.also_searched]
    return jsonify(body)


@bp.route("/submissions/<slug:slug>")
def get_submission(slug: str) -> Response | tuple[Response | str, int]:
    """One approved submission by its permanent slug."""
    submission = db.session.scalar(
        select(Submission).where(Submission.slug == slug, Submission.status == Status.APPROVED)
    )
    if submission is None:
        return render_error(404, "No approved submission has this slug.")
    return jsonify(public_record(submission, listed_contacts([submission.id])[submission.id]))


@bp.route("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(spec())
