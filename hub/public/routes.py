"""Public pages: home, browse/search, a submission's permanent page, statistics, health.

URL map:  /  ·  /about  ·  /browse  ·  /search?q=  ·  /s/<slug>  ·  /stats  ·  /similar  ·  /healthz
(open data lives in hub/api: /api/v1/…, /export.csv, /export.json, /feed.atom)
"""

from __future__ import annotations

import hmac
from bisect import bisect_left
from datetime import datetime, tzinfo

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, select, text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from hub import vocab
from hub.admin.call import load_call
from hub.auth.twofactor import staff_must_enrol
from hub.clock import clock
from hub.extensions import db
from hub.forms import clean_text
from hub.i18n import current_language
from hub.public.cache import cached_page
from hub.public.links import facet_list, listing_url
from hub.routing import parse_id
from hub.search import similar_to_text
from hub.search.listing import (
    FACET_TITLES,
    SORTS,
    ListingQuery,
    find,
    listing_query_from_args,
    published_times,
)
from hub.submissions.editors import public_contacts
from hub.submissions.models import Status, Submission

bp = Blueprint("public", __name__)

LATEST = 6


def _public() -> Select[Submission]:
    return select(Submission).where(Submission.status == Status.APPROVED)


@bp.route("/")
@cached_page
def home() -> str:
    """What the hub is, the cutoff, counts per kind, the latest approved, a search box."""
    # The index's listing: counted from its facet masks, not by scanning the table.
    listing = find(ListingQuery(sort="newest", per_page=LATEST))
    per_kind = {f.value: f.count for f in listing.facets["kind"]}
    return render_template(
        "public/home.html",
        per_kind=per_kind,
        latest=listing.items,
        total=listing.total,
        call=load_call(current_language()),
    )


@bp.route("/about")
@cached_page
def about() -> str:
    """The call in full: event, dates, organiser, documents, who may submit, FAQ, contact."""
    return render_template("public/about.html", call=load_call(current_language()))


@bp.route("/browse")
@bp.route("/search", endpoint="search")
@cached_page
def browse() -> str:
    """Approved submissions: words, facets (combinable), sort and pages, all in the URL."""
    req = listing_query_from_args(request.args)
    listing = find(req)
    return render_template(
        "public/browse.html",
        listing=listing,
        req=req,
        facet_titles=FACET_TITLES,
        sorts=SORTS,
        listing_url=listing_url,
        facet_list=facet_list,
        searching=request.endpoint == "public.search" or bool(req.q),
    )


@bp.route("/s/<slug:slug>")
@cached_page
def detail(slug: str) -> str:
    """The permanent public page of an approved submission (never the private e-mail)."""
    submission = db.session.scalar(_public().where(Submission.slug == slug))
    if submission is None:
        abort(404)
    similar = similar_to_text(
        submission.title,
        f"{submission.summary}\n{submission.description}",
        exclude_id=submission.id,
        limit=5,
        cache=True,
    )
    return render_template(
        "public/detail.html",
        s=submission,
        similar=similar,
        published=submission.first_published_at,
        contacts=public_contacts(submission),
        updated=submission.published_at or submission.updated_at,
    )


CHART_TITLES = {
    "kind": _l("Approved submissions by kind"),
    "stakeholder": _l("Approved submissions by stakeholder group"),
    "region": _l("Approved submissions by region"),
    "theme": _l("Approved submissions by theme"),
}


@bp.route("/stats")
@cached_page
def stats() -> str:
    """Public statistics: tables of figures drawn as server-rendered SVG bar charts."""
    listing = find(ListingQuery(per_page=1))
    charts_ = [
        (
            CHART_TITLES[name],
            [(f.label, f.count) for f in listing.facets[name]],
        )
        for name in ("kind", "stakeholder", "region", "theme")
    ]
    return render_template(
        "public/stats.html",
        total=listing.total,
        charts=charts_,
        over_time=per_month(published_times(), clock().zone),
        vocab=vocab,
    )


def per_month(times: list[float], zone: tzinfo) -> list[tuple[str, int]]:
    """('2026-05', n) for every month in `zone` from the first to the last of the sorted
    `times`, empty months included (a gap in a time series is information too)."""
    if not times:
        return []
    first = datetime.fromtimestamp(times[0], zone)
    last = datetime.fromtimestamp(times[-1], zone)
    out = []
    year, month = first.year, first.month
    start = 0
    while (year, month) <= (last.year, last.month):
        year_after, month_after = (year + 1, 1) if month == 12 else (year, month + 1)
        boundary = datetime(year_after, month_after, 1, tzinfo=zone).timestamp()
        end = bisect_left(times, boundary, lo=start)
        out.append((f"{year:04d}-{month:02d}", end - start))
        year, month, start = year_after, month_after, end
    return out


@bp.route("/similar")
def similar() -> Response:
    """Approved submissions like a title and text being written, as JSON: the submission
    form's live "similar" panel (a GET, so a writer's typing never takes a write lock)."""
    title = clean_text(request.args.get("title", ""))[:300]
    words = clean_text(request.args.get("text", ""))[:2000]
    found = similar_to_text(title, words, exclude_id=parse_id(request.args.get("exclude")), limit=5)
    response = jsonify(
        items=[
            {
                "title": s.title,
                "url": url_for("public.detail", slug=s.slug),
                "lead_organisation": s.lead_organisation,
                "kind": s.kind_label,
            }
            for s in found
        ]
    )
    response.cache_control.no_store = True
    return response


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """Liveness and database reachability, as JSON; the backend and schema revision only for
    moderators and admins, or a caller with HUB_HEALTH_TOKEN (what runs where helps an
    attacker, not a load balancer)."""
    try:
        db.session.execute(text("SELECT 1"))
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="error", database="unreachable", detail=type(exc).__name__), 503
    if not _may_see_health_details():
        return jsonify(status="ok", database="ok"), 200
    return jsonify(
        status="ok", database="ok", backend=db.engine.dialect.name, schema_revision=revision
    ), 200


def _may_see_health_details() -> bool:
    """A logged-in moderator or admin, or `Authorization: Bearer <HUB_HEALTH_TOKEN>`
    (compared in constant time; an empty setting opens nothing)."""
    token = str(current_app.config.get("HUB_HEALTH_TOKEN") or "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # Bytes: compare_digest refuses str with non-ASCII characters.
    if (
        token
        and scheme.lower() == "bearer"
        and hmac.compare_digest(_bytes(given.strip()), _bytes(token))
    ):
        return True
    # Staff who owe a second factor (HUB_STAFF_2FA=required) see no more than anyone.
    return bool(
        current_user.is_authenticated
        and current_user.is_moderator
        and not staff_must_enrol(current_user)
    )


def _bytes(text: str) -> bytes:
    """`text` as bytes, whatever it holds (a header is Latin-1, the environment may hold
    undecodable bytes)."""
    return text.encode("utf-8", "surrogateescape")
