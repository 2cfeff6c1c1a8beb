"""Bulk open data: every approved submission as CSV or JSON (streamed), and an Atom feed.

URL map:  /export.csv  ·  /export.json  ·  /feed.atom

The CSV is for spreadsheets (hub/csvexport.py: BOM, formulas neutralised); the JSON export
and the API keep every text exactly as written.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Generator, Iterator
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, stream_with_context
from sqlalchemy import select

from hub.api.serialize import LIST_FIELDS, PUBLIC_FIELDS, public_record, utc
from hub.csvexport import csv_download
from hub.extensions import db
from hub.routing import public_url
from hub.submissions.editors import listed_contacts
from hub.submissions.models import Status, Submission
from hub.vocab import text_tag

bp = Blueprint("opendata", __name__)
FEED_SIZE = 50
# What XML 1.0 forbids: C0 controls but tab/LF/CR, surrogates, U+FFFE and U+FFFF. The forms
# let U+FFFE/U+FFFF through, and one such character would break the feed for every reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text for an XML element: forbidden characters dropped, markup escaped."""
    return escape(_NOT_XML.sub("", text))


def _xml_attr(text: str) -> str:
    """A quoted XML attribute value, forbidden characters dropped."""
    return quoteattr(_NOT_XML.sub("", text))


def _approved() -> Generator[Submission, None, None]:
    """Every approved submission, oldest first, fetched in batches."""
    stmt = (
        select(Submission)
        .where(Submission.status == Status.APPROVED)
        .order_by(Submission.id)
        .execution_options(yield_per=500)
    )
    result = db.session.scalars(stmt)
    try:
        yield from result
    finally:  # a download stopped half-way closes PostgreSQL's server-side cursor now
        result.close()


@bp.route("/export.csv")
def export_csv() -> Response:
    """All approved submissions as UTF-8 CSV (lists joined with '; '), stable column order,
    formulas neutralised."""

    columns = [*PUBLIC_FIELDS, "url"]

    def rows() -> Iterator[list[str]]:
        # Read while the file streams (the session is the request's, kept by the stream).
        for record in map(public_record, _approved()):
            yield [_csv_cell(field, record[field]) for field in columns]

    return csv_download(columns, rows(), "submissions.csv")


def _csv_cell(field: str, value: Any) -> str:
    """A list joined with '; ', nothing as an empty cell."""
    if field in LIST_FIELDS:
        return "; ".join(map(str, value))
    return "" if value is None else str(value)


@bp.route("/export.json")
def export_json() -> Response:
    """All approved submissions as one UTF-8 JSON array, streamed."""

    def chunks() -> Iterator[str]:
        yield "["
        written = 0
        records = _approved()
        try:
            # The few co-editors listed as contacts, read before the stream's cursor opens
            # (inside the try: the database may be lost here too, after "[" has gone).
            contacts = listed_contacts(None)
            for s in records:
                record = json.dumps(public_record(s, contacts.get(s.id, [])), ensure_ascii=False)
                yield ("," if written else "") + "\n" + record
                written += 1
        except Exception:
            # The status (200) has gone: end the body as no JSON parser accepts (the array
            # never closed) with a line that says why (docs/deployment.md, "Exports").
            logging.getLogger(__name__).exception("JSON export failed after %d records", written)
            yield f"\nEXPORT FAILED after {written} records: the server lost its database "
            yield "connection or hit an error. This file is incomplete; download it again.\n"
            return
        finally:
            records.close()  # its cursor, now, not whenever the garbage collector runs
        yield "\n]\n"

    return Response(
        stream_with_context(chunks()),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": "inline; filename=submissions.json"},
    )


@bp.route("/feed.atom")
def feed() -> Response:
    """The latest approved submissions as an Atom 1.0 feed."""
    latest = db.session.scalars(
        select(Submission)
        .where(Submission.status == Status.APPROVED)
        .order_by(Submission.published_at.desc(), Submission.id.desc())
        .limit(FEED_SIZE)
    ).all()
    # Links on HUB_BASE_URL: a feed reader keeps them, whatever Host the request named.
    self_url = public_url("opendata.feed")
    home = public_url("public.home")
    updated = max(
        (utc(s.published_at or s.updated_at) or "" for s in latest), default="1970-01-01T00:00:00Z"
    )
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>Partnerships Hub: latest approved contributions</title>",
        f"<id>{escape(self_url)}</id>",
        f"<updated>{updated}</updated>",
        f'<link rel="self" href={quoteattr(self_url)}/>',
        f"<link href={quoteattr(home)}/>",
        "<author><name>Partnerships Hub</name></author>",
    ]
    for s in latest:
        link = public_url("public.detail", slug=s.slug)
        when = utc(s.published_at or s.updated_at)  # the public version's last change
        first = utc(s.first_published_at) or when
        parts.append(
            f"<entry xml:lang={_xml_attr(text_tag(s.language))}>"
            f"<title>{_xml(s.title)}</title><id>{_xml(link)}</id>"
            f"<link href={_xml_attr(link)}/><published>{first}</published>"
            f"<updated>{when}</updated>"
            f"<author><name>{_xml(s.lead_organisation or 'Partnerships Hub')}</name></author>"
            f"<category term={_xml_attr(s.kind)} label={_xml_attr(s.kind_label)}/>"
            f'<summary type="text">{_xml(s.summary)}</summary></entry>'
        )
    parts.append("</feed>\n")
    return Response("\n".join(parts), content_type="application/atom+xml; charset=utf-8")
