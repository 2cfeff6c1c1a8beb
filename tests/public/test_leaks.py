"""The leak scan: unique marker words planted in every non-public submission (and in a pending
revision of an approved one) must reach no public response — pages, search, suggestions,
similar panels, facet counts, the API, exports or the feed."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from hub.auth.models import User
from hub.extensions import db
from hub.search.listing import FACETS
from hub.submissions.models import Status, Submission

from helpers import PASSWORD, full_content

KIND_FIELD = {
    "initiative": "objectives",
    "coalition": "member_organisations",
    "partnership": "resources",
    "concrete_action": "timeline",
}
# Every text a submitter writes, with the code its marker word uses.
FIELD_CODES = {
    "title": "ttl",
    "summary": "smry",
    "description": "dscr",
    "lead_organisation": "lead",
    "partners": "prtn",
    "objectives": "objv",
    "member_organisations": "mmbr",
    "resources": "rsrc",
    "timeline": "tmln",
    "contact_name": "cname",
    "contact_email": "email",
    "website": "wsite",
}
PUBLIC_TEXT = (
    "title",
    "summary",
    "description",
    "lead_organisation",
    "partners",
    "contact_name",
    "website",
)

# Facet values only the non-public items use (each must count nowhere) ...
PRIVATE_FACETS = {
    "country": ["NR"],
    "region": ["oceania"],  # Nauru's (regions follow the countries)
    "theme": ["gender"],
    "sdg": ["14"],
    "stakeholder": ["individual"],
    "kind": ["concrete_action"],
}
# ... and the ones only the pending revision brings (public once it is approved).
REVISION_FACETS = {
    "country": ["BT"],
    "region": ["asia"],  # Bhutan's
    "theme": ["health"],
    "sdg": ["3"],
    "stakeholder": ["member_state"],
}
# Words the non-public texts share with the public "bait", so similar panels would show them.
LOOKALIKE = "lagoon mangrove reef seagrass restoration"
NOTE_MARKER = "qznotetext"  # in moderators' internal notes: never outside the moderation area
UNKNOWN_WORD = "qzunheardofword"  # planted nowhere: the page any absent word must give


def marker(tag: str, field: str) -> str:
    return f"qz{tag}{FIELD_CODES[field]}"


def marked_content(tag: str, kind: str) -> dict[str, Any]:
    """Content with a marker word in every text field of this kind."""
    words = {f: marker(tag, f) for f in FIELD_CODES}
    return {
        "title": f"{words['title']} {LOOKALIKE}",
        "summary": f"{words['summary']} seagrass lagoon restoration",
        "description": f"{words['description']} mangrove reef lagoon seagrass monitoring",
        "lead_organisation": f"{words['lead_organisation']} Trust",
        "partners": f"{words['partners']} Foundation\nOther Partner",
        KIND_FIELD[kind]: f"{words[KIND_FIELD[kind]]} lagoon plan",
        "contact_name": f"{words['contact_name']} Person",
        "contact_email": f"{words['contact_email']}@example.org",
        "website": f"https://{words['website']}.example.org/",
        "start_date": None,
        "end_date": None,
    }


def markers_of(tag: str, kind: str, fields: tuple[str, ...] | None = None) -> set[str]:
    own = set(FIELD_CODES) - (set(KIND_FIELD.values()) - {KIND_FIELD[kind]})
    return {marker(tag, f) for f in own if fields is None or f in fields}


# tag → (status, kind) of the non-public submissions; "wdrn" is approved, then withdrawn.
HIDDEN = {
    "draft": (Status.DRAFT, "initiative"),
    "subm": (Status.SUBMITTED, "coalition"),
    "chng": (Status.CHANGES_REQUESTED, "partnership"),
    "rejc": (Status.REJECTED, "concrete_action"),
    "wdrn": (Status.APPROVED, "initiative"),
    "dupl": (Status.SUBMITTED, "coalition"),
}
HIDDEN_FACETS = dict(countries=["NR"], themes=["gender"], sdgs=[14], stakeholder_group="individual")
REVISION = dict(
    countries=["BT"],
    themes=["health"],
    sdgs=[3],
    stakeholder_group="member_state",
)
PRIVATE_MARKERS = {m for tag, (_, kind) in HIDDEN.items() for m in markers_of(tag, kind)}
REVISION_MARKERS = markers_of("revn", "partnership")
REVISION_PUBLIC = markers_of("revn", "partnership", (*PUBLIC_TEXT, "resources"))
SECRET_EMAILS = {"qzbaitmail", "qzorigmail", marker("revn", "contact_email")}
# A request for more time (one declined, one pending): its reason and the moderator's answer
# are between the account and the moderators.
TIME_REQUEST_WORDS = {"qztimereason", "qztimeanswer", "qztimepending"}


def misspelt(word: str) -> str:
    return word[:3] + word[4:]


# Answers that depend only on what is public (no ranking): adding non-public items, a
# withdrawal and a pending revision must leave them byte for byte the same.
SNAPSHOT = (
    "/",
    "/about",
    "/browse",
    "/browse?sort=title&per_page=3&page=2",
    "/stats",
    "/api/v1/submissions?per_page=100",
    "/export.csv",
    "/export.json",
    "/feed.atom",
)


@pytest.fixture
def world(app, client, clock, create_user, create_submission_for):
    """Five approved submissions (one with a pending revision) and one non-public
    submission in every other state, all committed and indexed."""
    from hub.moderation.operations import mark_duplicate
    from hub.moderation.team import add_note
    from hub.moderation.timerequests import decline_request
    from hub.submissions.operations import update_submission, withdraw_submission
    from hub.submissions.timerequests import ask_for_time

    clock.freeze(datetime.now(UTC))  # pages that differ only by the query are equal
    owner = create_user()
    moderator = create_user(role="moderator")
    public = {
        "bait": create_submission_for(
            owner,
            Status.APPROVED,
            kind="initiative",
            title="Lagoon mangrove reef restoration",
            summary="Seagrass and mangrove lagoon reef restoration with fishers.",
            description="Lagoon reef mangrove seagrass restoration and monitoring.",
            contact_email="qzbaitmail@example.org",
            countries=["KE"],
            regions=["africa"],
            themes=["climate"],
            sdgs=[13],
            stakeholder_group="academia",
        ),
        "twin": create_submission_for(
            owner,
            Status.APPROVED,
            kind="coalition",
            title="Mangrove lagoon reef monitoring",
            summary="Monitoring seagrass in lagoon and reef sites.",
            description="Mangrove reef lagoon seagrass monitoring network.",
            countries=["SN"],
            regions=["africa"],
            themes=["climate"],
            sdgs=[13],
            stakeholder_group="civil_society",
        ),
        "revised": create_submission_for(
            owner,
            Status.APPROVED,
            kind="partnership",
            title="Coastal fisheries cooperative",
            summary="Fishers share catch data.",
            description="A cooperative of fishers.",
            contact_email="qzorigmail@example.org",
            countries=["FR"],
            regions=["europe"],
            themes=["education"],
            sdgs=[4],
            stakeholder_group="academia",
        ),
    }
    for n in (1, 2):
        public[f"filler{n}"] = create_submission_for(
            owner,
            Status.APPROVED,
            title=f"Solar school kits {n}",
            countries=["FR"],
            regions=["europe"],
            themes=["education"],
            sdgs=[4],
        )
    before = {url: client.get(url).get_data(as_text=True) for url in SNAPSHOT}
    hidden = {
        tag: create_submission_for(
            owner, status, kind=kind, **marked_content(tag, kind), **HIDDEN_FACETS
        )
        for tag, (status, kind) in HIDDEN.items()
    }
    # One big segment, as in a real index: withdrawing then only marks the document deleted,
    # and its words stay in Whoosh's term list until a merge (see the did-you-mean test).
    assert app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    with app.test_request_context():
        user, mod = db.session.get(User, owner.id), db.session.get(User, moderator.id)
        withdraw_submission(db.session.get(Submission, hidden["wdrn"].id), user)
        mark_duplicate(
            db.session.get(Submission, hidden["dupl"].id),
            mod,
            db.session.get(Submission, public["bait"].id),
        )
        # Moderators' internal notes, on a public item and on a pending one.
        for item in (public["bait"], hidden["subm"], public["revised"]):
            add_note(db.session.get(Submission, item.id), mod, f"{NOTE_MARKER} note on it")
        update_submission(
            db.session.get(Submission, public["revised"].id),
            full_content(**marked_content("revn", "partnership"), **REVISION),
            submit=True,
            actor=user,
        )
        decline_request(ask_for_time(user, "qztimereason", 3), "qztimeanswer", mod)
        ask_for_time(user, "qztimepending", None)
        db.session.commit()
        states = {
            s.status
            for s in db.session.query(Submission)
            if s.id in {h.id for h in hidden.values()}
        }
    assert states == {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.REJECTED,
        Status.WITHDRAWN,
    }
    return {
        "owner": owner,
        "moderator": moderator,
        "public": public,
        "hidden": hidden,
        "before": before,
    }


class Scan:
    """Fetches public responses and records which marker words each one shows."""

    def __init__(self, client, words: set[str]) -> None:
        self.client = client
        self.words = words
        self.found: dict[str, set[str]] = {}
        self.api_bodies: list[tuple[str, dict]] = []

    def get(self, url: str, status: int = 200, scrub: str = "", **params: Any) -> str:
        response = self.client.get(url, query_string=params or None)
        label = f"{url} {params}" if params else url
        assert response.status_code == status, label
        text = response.get_data(as_text=True)
        if response.mimetype == "application/json" and url.startswith("/api/"):
            self.api_bodies.append((label, response.get_json()))
        self.record(label, text.replace(scrub, "") if scrub else text)
        return text

    def record(self, label: str, text: str) -> None:
        lower = text.lower()
        self.found[label] = {w for w in self.words if w in lower}

    def seen(self, word: str) -> set[str]:
        """The responses that showed `word`."""
        return {label for label, words in self.found.items() if word in words}

    def leaks(self, words: set[str]) -> dict[str, set[str]]:
        return {label: found & words for label, found in self.found.items() if found & words}


def run_scan(client, world, words: set[str], searched: set[str]) -> Scan:
    """Request every public response; search for each word of `searched`."""
    scan = Scan(client, words)
    for url in (
        "/",
        "/about",
        "/browse",
        "/browse?sort=title",
        "/search",
        "/stats",
        "/export.csv",
        "/export.json",
        "/feed.atom",
        "/api/v1/openapi.json",
    ):
        scan.get(url)
    scan.get("/api/v1/submissions", per_page=100)
    for s in world["public"].values():
        scan.get(f"/s/{s.slug}")  # with its similar-submissions panel
        scan.get(f"/api/v1/submissions/{s.slug}")
    for s in world["hidden"].values():
        scan.get(f"/s/{s.slug}", status=404, scrub=s.slug)
        scan.get(f"/api/v1/submissions/{s.slug}", status=404, scrub=s.slug)
    for word in sorted(searched):
        for url in ("/search", "/api/v1/submissions"):
            scan.get(url, q=word[:-3] + "*")
            scan.get(url, q=misspelt(word))
    for facet, values in {**PRIVATE_FACETS, **REVISION_FACETS}.items():
        for value in values:
            scan.get("/browse", **{facet: value})
            scan.get("/search", q="lagoon", **{facet: value})
            scan.get("/api/v1/submissions", **{facet: value})
            scan.get("/api/v1/submissions", q="lagoon", **{facet: value})
    return scan


def facet_counts(body: dict) -> dict[str, Counter]:
    return {
        name: Counter({f["value"]: f["count"] for f in items})
        for name, items in body["facets"].items()
    }


def counted(scan: Scan, values: dict[str, list[str]]) -> dict[str, dict]:
    """API answers in which one of `values` has a count above zero."""
    out = {}
    for label, body in scan.api_bodies:
        if "facets" not in body:
            continue
        counts = facet_counts(body)
        bad = {
            (name, v): counts[name][v]
            for name, vs in values.items()
            for v in vs
            if counts[name][v] > 0
        }
        if bad:
            out[label] = bad
    return out


def public_counts(client) -> dict[str, Counter]:
    """Facet counts computed from the public records of the JSON export."""
    counts = {name: Counter() for name in FACETS}
    for r in client.get("/export.json").get_json():
        counts["kind"][r["kind"]] += 1
        if r["stakeholder_group"]:
            counts["stakeholder"][r["stakeholder_group"]] += 1
        if r["language"]:
            counts["language"][r["language"]] += 1
        for name, key in (
            ("country", "countries"),
            ("region", "regions"),
            ("theme", "themes"),
            ("sdg", "sdgs"),
        ):
            counts[name].update(str(v) for v in r[key])
    return counts


def same_page_as_unknown_word(client, url: str, word: str, unknown: str = UNKNOWN_WORD) -> None:
    """Searching `word` gives exactly the answer of a word planted nowhere (`unknown`), the
    query itself aside (a note may quote it)."""

    def answer(q: str) -> str:
        response = client.get(url, query_string={"q": q})
        assert response.status_code == 200
        return response.get_data(as_text=True).replace(q, "QUERY")

    assert answer(word) == answer(unknown), (url, word)


def stranger_similar_check(app, create_user) -> str:
    """Another account's "check for similar" while writing a lookalike submission."""
    stranger = app.test_client()
    stranger.post("/account/login", data={"email": create_user().email, "password": PASSWORD})
    response = stranger.post(
        "/submit/initiative",
        data={
            "title": "Lagoon mangrove reef seagrass",
            "action": "similar",
            "summary": "Restoration of seagrass in a lagoon with mangrove and reef monitoring.",
        },
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


# -- the scans ----------------------------------------------------------------------------


def test_nothing_non_public_reaches_any_public_response(app, client, world, create_user):
    words = PRIVATE_MARKERS | REVISION_MARKERS | SECRET_EMAILS | {NOTE_MARKER} | TIME_REQUEST_WORDS
    searched = PRIVATE_MARKERS | REVISION_MARKERS | {NOTE_MARKER}
    scan = run_scan(client, world, words, searched=searched)
    similar = stranger_similar_check(app, create_user)
    scan.record("similar check while writing", similar)
    assert scan.leaks(words) == {}
    # The similar panels work (they would show the lookalikes if those were public).
    bait, twin = world["public"]["bait"], world["public"]["twin"]
    assert twin.title in similar and bait.title in similar
    detail = client.get(f"/s/{bait.slug}").get_data(as_text=True)
    assert twin.title in detail.split('id="similar-title"', 1)[1]
    # No facet counts a non-public item or the unapproved revision ...
    assert counted(scan, {**PRIVATE_FACETS, **REVISION_FACETS}) == {}
    # ... and the counts are exactly those of the public records.
    body = client.get("/api/v1/submissions").get_json()
    assert body["total"] == 5
    assert facet_counts(body) == public_counts(client)


def test_non_public_items_change_no_public_page_or_count(client, world):
    for url, page in world["before"].items():
        assert client.get(url).get_data(as_text=True) == page, url


def test_searching_a_non_public_word_is_like_searching_nothing(client, world):
    for word in sorted(PRIVATE_MARKERS | REVISION_MARKERS):
        for url in ("/search", "/api/v1/submissions"):
            same_page_as_unknown_word(client, url, word)
            # Its beginning too: the withdrawn item's words are still in Whoosh's term list.
            same_page_as_unknown_word(client, url, word[:-2] + "*", UNKNOWN_WORD[:-2] + "*")


def test_private_facet_filters_look_like_unused_values(client, world):
    def page(url: str, **params: Any) -> str:
        response = client.get(url, query_string=params)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    for code, name in (("NR", "Nauru"), ("BT", "Bhutan")):
        for url, extra in (("/browse", {}), ("/search", {"q": "lagoon"})):
            planted = page(url, country=code, **extra)
            unused = page(url, country="PW", **extra)  # Palau: nobody's country
            assert re.sub(rf"\b{code}\b", "XX", planted).replace(name, "Somewhere") == re.sub(
                r"\bPW\b", "XX", unused
            ).replace("Palau", "Somewhere")


def test_did_you_mean_never_proposes_a_non_public_word(app, client, world):
    withdrawn = marker("wdrn", "title")
    with app.app_context(), app.extensions["hub_search"].searcher() as searcher:
        # The hard case is there: the withdrawn text's words are still in the term list.
        assert ("spell", f"en:{withdrawn}") in searcher.reader()
    for word in sorted(PRIVATE_MARKERS | REVISION_MARKERS):
        body = client.get("/api/v1/submissions", query_string={"q": misspelt(word)}).get_json()
        assert body["total"] == 0 and "suggestion" not in body, word
    # The same misspelling of a public word is corrected (so the check above can fail).
    body = client.get("/api/v1/submissions", query_string={"q": "mangrve"}).get_json()
    assert body.get("suggestion") == "mangrove"


def test_revision_becomes_public_only_when_approved(app, client, world):
    from hub.moderation.operations import decide_revision
    from hub.submissions.operations import pending_revision

    revised = world["public"]["revised"]
    words = PRIVATE_MARKERS | REVISION_MARKERS | SECRET_EMAILS
    before = run_scan(client, world, words, searched=REVISION_MARKERS)
    assert before.leaks(words) == {}
    assert counted(before, REVISION_FACETS) == {}
    assert "Coastal fisheries cooperative" in client.get(f"/s/{revised.slug}").get_data(
        as_text=True
    )

    with app.test_request_context():
        decide_revision(
            pending_revision(db.session.get(Submission, revised.id)),
            db.session.get(User, world["moderator"].id),
            approve=True,
        )
        db.session.commit()

    after = run_scan(client, world, words, searched=REVISION_MARKERS)
    assert after.leaks(PRIVATE_MARKERS | SECRET_EMAILS) == {}
    title, summary = marker("revn", "title"), marker("revn", "summary")
    detail, item = f"/s/{revised.slug}", f"/api/v1/submissions/{revised.slug}"
    for word in REVISION_PUBLIC:  # every public field of the new text, everywhere it belongs
        assert {detail, item, "/export.csv", "/export.json"} <= after.seen(word), word
    for word in (title, summary):
        assert {"/feed.atom", "/browse", "/"} <= after.seen(word), word
    assert f"/search {{'q': '{title[:-3]}*'}}" in after.seen(title)
    assert f"/api/v1/submissions {{'q': '{misspelt(title)}'}}" in after.seen(title)  # did you mean
    assert "Coastal fisheries cooperative" not in client.get(detail).get_data(as_text=True)
    body = client.get("/api/v1/submissions").get_json()
    assert body["total"] == 5 and facet_counts(body) == public_counts(client)
    assert all(facet_counts(body)[name][v] == 1 for name, vs in REVISION_FACETS.items() for v in vs)
    assert counted(after, PRIVATE_FACETS) == {}


def test_nothing_non_public_leaks_while_pages_are_served_from_sql(app, client, world):
    """While a big index is being rebuilt, listings come from SQL: the same scan holds."""
    index = app.extensions["hub_search"]
    with app.app_context():
        index.close()
    index.link.unlink()
    index.sync_build_max = -1  # too big to build during a request ...
    index.warm_up = lambda: None  # ... and its background build is still running
    words = PRIVATE_MARKERS | REVISION_MARKERS | SECRET_EMAILS
    scan = run_scan(client, world, words, searched=PRIVATE_MARKERS | REVISION_MARKERS)
    assert "is being rebuilt" in client.get("/search?q=lagoon").get_data(as_text=True)
    assert scan.leaks(words) == {}
    assert counted(scan, {**PRIVATE_FACETS, **REVISION_FACETS}) == {}
    body = client.get("/api/v1/submissions").get_json()
    assert body["total"] == 5 and facet_counts(body) == public_counts(client)


def test_notes_reach_neither_the_owner_nor_their_export(app, world):
    """The submission's owner sees their pages, its history and their data export: no note
    and no trace of the moderators' work on it (claims, notes)."""
    owner = app.test_client()
    owner.post("/account/login", data={"email": world["owner"].email, "password": PASSWORD})
    scan = Scan(owner, {NOTE_MARKER, "note_added", "note added"})
    scan.get("/my/")
    for item in (*world["public"].values(), *world["hidden"].values()):
        scan.get(f"/my/{item.id}")
    scan.get("/account/export/download")
    assert scan.leaks(scan.words) == {}
    # The moderators read them on the review page.
    moderator = app.test_client()
    moderator.post("/account/login", data={"email": world["moderator"].email, "password": PASSWORD})
    review = moderator.get(f"/moderation/{world['hidden']['subm'].id}").get_data(as_text=True)
    assert NOTE_MARKER in review


def _logo_png(colour: tuple[int, int, int]) -> bytes:
    """A small logo of one colour (each item gets its own bytes, so its own address)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, "PNG")
    return out.getvalue()


def test_no_logo_of_a_non_public_item_or_a_pending_update_is_reachable(app, client, world):
    from hub.submissions.images import clean_logo
    from hub.submissions.logos import change_logo
    from hub.submissions.operations import pending_revision

    paths: set[str] = set()
    with app.test_request_context():
        targets = [db.session.get(Submission, s.id) for s in world["hidden"].values()]
        revised = db.session.get(Submission, world["public"]["revised"].id)
        for n, submission in enumerate([*targets, revised]):
            assert submission is not None
            saved = pending_revision(submission) if submission is revised else submission
            assert saved is not None
            change_logo(submission, saved, clean_logo(_logo_png((n * 30, 10, 200))))
        db.session.commit()
        from hub.submissions.models import Logo

        for logo in db.session.query(Logo):
            paths.add(f"/logos/{logo.id}/{logo.sha256}")
    assert len(paths) == len(world["hidden"]) + 1

    scan = run_scan(client, world, {p.lower() for p in paths}, set())

    assert scan.leaks(paths) == {}
    for path in paths:
        assert client.get(path).status_code == 404, path


def test_contact_messages_and_addresses_reach_no_public_response(app, client, world, create_user):
    """A message held for its sender's confirmation and one relayed from an account: neither
    its words, nor the sender's address, nor the contact's appear in any public response
    (the contact form and its pages included)."""
    from helpers import Browser

    bait = world["public"]["bait"]
    text = "qzmsgmarker: we would like to join your lagoon restoration work."
    visitor = Browser(app).post(
        f"/s/{bait.slug}/contact",
        data={"name": "Vera", "email": "qzsendermail@example.net", "message": text},
    )
    assert visitor.status_code == 302
    writer = create_user(email="qzwritermail@example.org")
    assert (
        Browser(app, writer).post(f"/s/{bait.slug}/contact", data={"message": text}).status_code
        == 302
    )
    words = SECRET_EMAILS | {"qzmsgmarker", "qzsendermail", "qzwritermail"}
    scan = run_scan(client, world, words, searched={"qzmsgmarker"})
    for url in ("", "/contact", "/contact/sent", "/contact/check"):
        scan.get(f"/s/{bait.slug}{url}")
    assert scan.leaks(words) == {}
