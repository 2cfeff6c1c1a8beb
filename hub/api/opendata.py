"""Bulk open data: every approved submission as CSV or JSON (streamed), and an Atom feed.

URL map:  /export.csv  ·  /export.json  ·  /feed.atom

The CSV is for spreadsheets (hence the BOM), so a cell that a spreadsheet would run as a
formula (=, +, -, @, tab, CR first: "CSV injection") gets a leading apostrophe, which makes
it plain text there. The JSON export and the API keep every text exactly as written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, stream_with_context, url_for
from sqlalchemy import select

from hub.api.serialize import LIST_FIELDS, PUBLIC_FIELDS, public_record, utc
from hub.extensions import db
from hub.submissions.models import Status, Submission

bp = Blueprint("opendata", __name__)
FEED_SIZE = 50
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 forbids: C0 controls but tab/LF/CR, surrogates, U+FFFE and U+FFFF. The forms
# let U+FFFE/U+FFFF through, and one such character would break the feed for every reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows instead of running (CSV injection)."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _xml(text: str) -> str:
    """Text for an XML element: forbidden characters dropped, markup escaped."""
    return escape(_NOT_XML.sub("", text))


def _xml_attr(text: str) -> str:
    """A quoted XML attribute value, forbidden characters dropped."""
    return quoteattr(_NOT_XML.sub("", text))


def _approved() -> Iterator[Submission]:
    """Every approved submission, oldest first, fetched in batches."""
    stmt = (select(Submission).where(Submission.status == Status.APPROVED)
            .order_by(Submission.id).execution_options(yield_per=500))
    yield from db.session.scalars(stmt)


@bp.route("/export.csv")
def export_csv() -> Response:
    """All approved submissions as UTF-8 CSV (lists joined with '; '), stable column order,
    formulas neutralised."""

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        writer.writerow([*PUBLIC_FIELDS, "url"])
        for s in _approved():
            record = public_record(s)
            writer.writerow([spreadsheet_safe("; ".join(map(str, record[f])) if f in LIST_FIELDS
                                              else "" if record[f] is None else str(record[f]))
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
        when = utc(s.published_at or s.updated_at)  # the public version's last change
        first = utc(s.first_published_at) or when
        parts.append(
            f"<entry><title>{_xml(s.title)}</title><id>{_xml(link)}</id>"
            f"<link href={_xml_attr(link)}/><published>{first}</published>"
            f"<updated>{when}</updated>"
            f"<author><name>{_xml(s.lead_organisation or 'Partnerships Hub')}</name></author>"
            f"<category term={_xml_attr(s.kind)} label={_xml_attr(s.kind_label)}/>"
            f'<summary type="text">{_xml(s.summary)}</summary></entry>')
    parts.append("</feed>\n")
    return Response("\n".join(parts), content_type="application/atom+xml; charset=utf-8")
