"""Bulk open data: every approved submission as CSV or JSON (streamed), and an Atom feed.

URL map:  /export.csv  ·  /export.json  ·  /feed.atom
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, stream_with_context, url_for
from sqlalchemy import select

from hub.api.serialize import LIST_FIELDS, PUBLIC_FIELDS, public_record, utc
from hub.extensions import db
from hub.submissions.models import Status, Submission

bp = Blueprint("opendata", __name__)
FEED_SIZE = 50


def _approved() -> Iterator[Submission]:
    """Every approved submission, oldest first, fetched in batches."""
    stmt = (select(Submission).where(Submission.status == Status.APPROVED)
            .order_by(Submission.id).execution_options(yield_per=500))
    yield from db.session.scalars(stmt)


@bp.route("/export.csv")
def export_csv() -> Response:
    """All approved submissions as UTF-8 CSV (lists joined with '; '), stable column order."""

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        writer.writerow([*PUBLIC_FIELDS, "url"])
        for s in _approved():
            record = public_record(s)
            writer.writerow([("; ".join(map(str, record[f])) if f in LIST_FIELDS
                              else record[f] if record[f] is not None else "")
                             for f in (*PUBLIC_FIELDS, "url")])
            if buffer.tell() > 16384:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=submissions.csv"},
                    content_type="text/csv; charset=utf-8")


@bp.route("/export.json")
def export_json() -> Response:
    """All approved submissions as one UTF-8 JSON array, streamed."""

    def chunks() -> Iterator[str]:
        yield "["
        for i, s in enumerate(_approved()):
            yield ("," if i else "") + "\n" + json.dumps(public_record(s), ensure_ascii=False)
        yield "\n]\n"

    return Response(stream_with_context(chunks()), content_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": "inline; filename=submissions.json"})


@bp.route("/feed.atom")
def feed() -> Response:
    """The latest approved submissions as an Atom 1.0 feed."""
    latest = db.session.scalars(
        select(Submission).where(Submission.status == Status.APPROVED)
        .order_by(Submission.published_at.desc(), Submission.id.desc()).limit(FEED_SIZE)).all()
    self_url = url_for("opendata.feed", _external=True)
    home = url_for("public.home", _external=True)
    updated = max((utc(s.published_at or s.updated_at) or "" for s in latest),
                  default="1970-01-01T00:00:00Z")
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
             "<title>Partnerships Hub: latest approved contributions</title>",
             f"<id>{escape(self_url)}</id>", f"<updated>{updated}</updated>",
             f'<link rel="self" href={quoteattr(self_url)}/>',
             f"<link href={quoteattr(home)}/>", "<author><name>Partnerships Hub</name></author>"]
    for s in latest:
        link = url_for("public.detail", slug=s.slug, _external=True)
        when = utc(s.published_at or s.updated_at)
        parts.append(
            f"<entry><title>{escape(s.title)}</title><id>{escape(link)}</id>"
            f"<link href={quoteattr(link)}/><updated>{when}</updated>"
            f"<author><name>{escape(s.lead_organisation or 'Partnerships Hub')}</name></author>"
            f'<category term={quoteattr(s.kind)} label={quoteattr(s.kind_label)}/>'
            f'<summary type="text">{escape(s.summary)}</summary></entry>')
    parts.append("</feed>\n")
    return Response("\n".join(parts), content_type="application/atom+xml; charset=utf-8")
