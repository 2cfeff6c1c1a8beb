"""The search engine: analysis, ranking, query safety, and keeping the index in step."""

from __future__ import annotations

import os
import re

import pytest
from whoosh.index import LockError

from hub.auth.models import User
from hub.extensions import db
from hub.search.analysis import WORDS, word_analyzer
from hub.search.languages import stem, words_of
from hub.search.listing import ListingQuery, find
from hub.search.models import IndexTask
from hub.search.query import MAX_EXPANSIONS
from hub.submissions.models import Status, Submission


def titles(app, q: str, **kw) -> list[str]:
    with app.test_request_context():
        return [s.title for s in find(ListingQuery(q=q, **kw)).items]


def listing(app, q: str, **kw):
    with app.test_request_context():
        return find(ListingQuery(q=q, **kw))


@pytest.fixture
def owner(create_user):
    return create_user()


@pytest.fixture
def moderator(create_user):
    return create_user(role="moderator")


@pytest.fixture
def index(app):
    return app.extensions["hub_search"]


def test_word_fields_hold_words_as_written():
    """The exact-form fields are indexed from words_of(); the highlighter uses
    word_analyzer(): both must give the same words."""
    text = (
        "L'IA d’Éthique : GOVERNANCE, développement & the children's plans; "
        "aujourd'hui qu’elle e-gov 2026_plan"
    )
    assert words_of(text) == [t.text for t in word_analyzer()(text)]
    assert words_of(text) == [
        "ia",
        "ethique",
        "governance",
        "developpement",
        "children's",
        "plans",
        "aujourd'hui",
        "gov",
        "2026_plan",
    ]


def test_snowball_stems_are_tagged_with_their_language():
    """Snowball's stem, with what it cut less the inflection: inflected forms meet, words
    that only share a stem do not."""
    assert [stem(w, "en") for w in ("running", "run", "policies", "policy")] == [
        "en:run+",
        "en:run+",
        "en:polic+y",
        "en:polic+y",
    ]
    assert {stem(w, "fr") for w in ("gouvernements", "gouvernement")} == {"fr:gouvern+em"}
    assert stem("igualdades", "es") == stem("igualdad", "es")


@pytest.mark.parametrize(
    "query, title",
    [
        ("developpement", "Développement des écoles numériques"),  # accents folded
        ("ÉCOLE", "Développement des écoles numériques"),  # case, accent, French plural
        ("enseignant", "Développement des écoles numériques"),  # French plural in summary
        ("formé", "Développement des écoles numériques"),  # French verb form (former)
        ("policy", "Running AI safety policies"),  # English plural
        ("run", "Running AI safety policies"),  # English verb form
        ("evaluation", "Running AI safety policies"),  # evaluations, the plural
        ("gouvernance de l'IA", "Gouvernance de l’IA : une charte"),  # elision, either apostrophe
        ("intelligence artificielle", "Développement des écoles numériques"),  # "l'intelligence"
        ('"intelligence artificielle"', "Développement des écoles numériques"),  # phrase after l'
        ("ethique", "Gouvernance de l’IA : une charte"),  # "d'éthique", unaccented
        ("formées", "Développement des écoles numériques"),  # feminine participle → former
        ("formee", "Développement des écoles numériques"),  # the same typed without accents
        ("créer", "Gouvernance de l’IA : une charte"),  # → "créée"
        ("child", "Running AI safety policies"),  # irregular plural: children
        ("women", "Running AI safety policies"),  # … and woman
    ],
)
def test_accents_plurals_and_verb_forms(app, owner, create_submission_for, query, title):
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Développement des écoles numériques",
        summary="Les gouvernements former des enseignants.",
        description="Programme national de l'intelligence artificielle.",
    )
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Running AI safety policies",
        summary="Evaluations of models.",
        description="Shared tests for children and a woman.",
    )
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Gouvernance de l’IA : une charte",
        summary="Une charte d'éthique créée par des villes.",
        description="Texte.",
    )
    # The words typed only: "intelligence artificielle" is also AI and IA in the glossary.
    result = listing(app, query, typed_only=True)
    assert [s.title for s in result.items] == [title] and not result.partial


def test_elided_word_is_highlighted_without_its_article(app, owner, create_submission_for):
    create_submission_for(
        owner, Status.APPROVED, title="Charte de l'IA", summary="Pour l'éthique.", description="x"
    )
    result = listing(app, "IA")
    assert re.fullmatch(
        r'Charte de l\'<mark class="hit t\d">IA</mark>', str(result.titles[result.items[0].id])
    )
    snippet = str(listing(app, "ethique").snippets[result.items[0].id])
    assert re.search(r'Pour l\'<mark class="hit t\d">éthique</mark>', snippet), snippet


@pytest.mark.parametrize(
    ("word", "title", "query"),
    [
        ("mangrove", "Mangrove restoration", "mangrove"),
        # "governanc*" is longer than the stem: only the unstemmed fields can answer it.
        ("governance", "Governance charter", "governanc*"),
    ],
    ids=["word", "word-beginning"],
)
def test_field_boosts_title_before_description(
    app, owner, create_submission_for, word, title, query
):
    """Title > summary > organisations > description, for a word and a word's beginning."""
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Other things",
        summary="Unrelated",
        description=f"{word} " * 3,
    )
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Summary item",
        summary=f"{word.capitalize()} work",
        description="none",
    )
    create_submission_for(owner, Status.APPROVED, title=title, summary="Coasts", description="none")
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Org item",
        summary="x",
        lead_organisation=f"{word.capitalize()} Trust",
        description="none",
    )
    assert titles(app, query) == [title, "Summary item", "Org item", "Other things"]


def test_phrase_query(app, owner, create_submission_for):
    create_submission_for(
        owner, Status.APPROVED, title="Open data for health", summary="x", description="y"
    )
    create_submission_for(
        owner, Status.APPROVED, title="Data that is open", summary="x", description="y"
    )
    assert titles(app, '"open data"') == ["Open data for health"]
    assert sorted(titles(app, "open data")) == ["Data that is open", "Open data for health"]


def test_a_phrase_does_not_run_from_one_text_into_the_next(app, owner, create_submission_for):
    """The texts share one field: a phrase must not join a title's last word to the
    summary's first, nor a summary's last to the description's first."""
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Cities that are open",
        summary="Data we collect in markets",
        description="Health ministries",
    )
    create_submission_for(
        owner, Status.APPROVED, title="Portal", summary="We publish open data", description="z"
    )
    assert titles(app, '"open data"') == ["Portal"]
    assert titles(app, '"markets health"') == []
    assert titles(app, '"open cities"') == []


def test_and_by_default_with_partial_fallback(app, owner, create_submission_for):
    create_submission_for(
        owner, Status.APPROVED, title="Solar grids", summary="Energy", description="z"
    )
    create_submission_for(
        owner, Status.APPROVED, title="Solar schools", summary="Education", description="z"
    )
    assert titles(app, "solar schools") == ["Solar schools"]
    result = listing(app, "solar unicorns")
    assert result.partial and result.total == 2


@pytest.mark.parametrize(
    "q",
    [
        "title:(",
        '"',
        '"unbalanced',
        "*",
        "**",
        "?",
        "(((",
        ")",
        "AND",
        "OR OR",
        "NOT",
        "a" * 5000,
        "word " * 400,
        "\x00\x01",
        "*ing",
        "a*",
        "[a TO z]",
        "title:x^9",
        "*:*",
        "'",
        "\\",
        "%",
        "ü*",
        "😀",
        "<script>",
    ],
)
def test_malformed_queries_never_fail(client, app, owner, create_submission_for, q):
    create_submission_for(owner, Status.APPROVED)
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    api = client.get("/api/v1/submissions", query_string={"q": q})
    # The API answers JSON: results, or a 400 saying what is wrong (over 200 characters).
    assert api.status_code == (200 if len(q) <= 200 else 400)
    assert "items" in api.get_json() or "200 characters" in api.get_json()["message"]


def test_long_query_is_shortened_with_a_note(app, owner, create_submission_for):
    create_submission_for(owner, Status.APPROVED)
    assert any("shortened" in n for n in listing(app, "skills " * 100).notes)


def test_wildcards_are_bounded(app, owner, create_submission_for):
    words = " ".join(f"zebra{i:03d}" for i in range(200))
    create_submission_for(owner, Status.APPROVED, title="Zebra list", description=words)
    assert titles(app, "zebra0*") == ["Zebra list"]
    result = listing(app, "*ebra")
    assert result.total == 0 and any("Wildcards need" in n for n in result.notes)
    with app.test_request_context():
        from hub.search.query import parse

        with app.extensions["hub_search"].searcher() as s:
            parsed = parse("zebra*", s.schema, s.reader())
            per_field = {}
            for field, _ in parsed.query.iter_all_terms():
                per_field[field] = per_field.get(field, 0) + 1
    assert per_field and max(per_field.values()) == MAX_EXPANSIONS == 40
    assert set(per_field) == {WORDS}  # the words as written, not stems
    assert any("more than 40 words" in n for n in listing(app, "zebra*").notes)
    assert not any("more than" in n for n in listing(app, "zebra19*").notes)
    assert titles(app, "zebra19*") == ["Zebra list"]


def test_a_prefix_that_matches_nothing_says_so(app, client, owner, create_submission_for):
    create_submission_for(owner, Status.APPROVED, title="Solar grids")
    alone = listing(app, "zzq*")
    assert alone.total == 0
    assert alone.notes == ["No word in the published contributions begins like “zzq*”."]
    body = client.get("/api/v1/submissions", query_string={"q": "zzq*"}).get_json()
    assert body["total"] == 0
    assert body["notes"] == ["No word in the published contributions begins like “zzq*”."]
    mixed = listing(app, "solar zzq*")
    assert [s.title for s in mixed.items] == ["Solar grids"]
    assert any("“zzq*”; it was left out" in n for n in mixed.notes)


GOVERNANCE = "Governance of development programmes"
DEVELOPPEMENT = "Développement des écoles numériques"


@pytest.fixture
def two_languages(owner, create_submission_for) -> None:
    """The reviewer's English item and a French one; no other word begins like theirs."""
    create_submission_for(
        owner,
        Status.APPROVED,
        title=GOVERNANCE,
        language="en",
        summary="Public funds for digital skills.",
        description="Workshops in three regions.",
        themes=["climate"],
    )
    create_submission_for(
        owner,
        Status.APPROVED,
        title=DEVELOPPEMENT,
        language="fr",
        summary="La gouvernance de l’IA dans les écoles.",
        description="Une charte d'éthique pour les enseignants.",
        themes=["education"],
    )


@pytest.mark.parametrize(
    "q, found",
    [
        ("governa*", [GOVERNANCE]),  # longer than the stem ("govern")
        ("governanc*", [GOVERNANCE]),
        ("GOVERNA*", [GOVERNANCE]),
        ("developm*", [GOVERNANCE]),
        ("development*", [GOVERNANCE]),  # a whole word with a *
        ("programm*", [GOVERNANCE]),
        ("gov?rnance", [GOVERNANCE]),  # ? stands for one letter
        ("develop*", [DEVELOPPEMENT, GOVERNANCE]),
        ("développ*", [DEVELOPPEMENT]),
        ("developp*", [DEVELOPPEMENT]),  # typed without accents
        ("DÉVELOPPEM*", [DEVELOPPEMENT]),
        ("gouvernanc*", [DEVELOPPEMENT]),  # French, in the summary
        ("numériq*", [DEVELOPPEMENT]),
        ("d'éthi*", [DEVELOPPEMENT]),  # elision typed, as in the text
        ("ethiq*", [DEVELOPPEMENT]),
        ("enseignan*", [DEVELOPPEMENT]),  # French plural, longer than the stem
        ("governa* worksh*", [GOVERNANCE]),  # two beginnings, both must match
        ("governa* skills", [GOVERNANCE]),  # a beginning and a word
    ],
)
def test_any_beginning_of_a_public_word_finds_it(app, client, two_languages, q, found):
    """The search box promises "a trailing * for word beginnings": the beginning of a word
    as written, however much longer than the stem the index holds."""
    result = listing(app, q)
    assert sorted(s.title for s in result.items) == found and result.notes == []
    body = client.get("/api/v1/submissions", query_string={"q": q}).get_json()
    assert sorted(i["title"] for i in body["items"]) == found and "notes" not in body


def test_word_beginnings_of_organisation_names(app, owner, create_submission_for):
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Coastal survey",
        lead_organisation="Northbridge University, Centre for AI Policy",
        partners="Société Générale des Eaux\nUNESCO",
    )
    create_submission_for(owner, Status.APPROVED, title="Solar grids")
    for q in (
        "northbr*",
        "Universi*",
        "sociét*",
        "societe*",
        "génér*",
        "unesc*",
        "northbridg* coast*",
    ):
        result = listing(app, q)
        assert [s.title for s in result.items] == ["Coastal survey"], q
        assert result.notes == [], q


def test_wildcard_notes_quote_only_what_was_typed(app, two_languages):
    """A note never names a word the user did not type, and says "left out" only when the
    rest of the query was searched without it."""
    one = listing(app, "governa* zzq*")
    assert [s.title for s in one.items] == [GOVERNANCE]
    assert one.notes == [
        "No word in the published contributions begins like “zzq*”; it was left out of the search."
    ]
    two = listing(app, "governa* yyx* zzq*")
    assert two.notes == [
        "No word in the published contributions begins like “yyx*”, "
        "“zzq*”; they were left out of the search."
    ]
    alone = listing(app, "zzq* gov?rnz")
    assert alone.total == 0
    assert alone.notes == [
        "No word in the published contributions begins like “zzq*” or matches “gov?rnz”."
    ]
    short = listing(app, "governa* l'é*")
    assert short.total == 1
    assert short.notes == ["Wildcards need 2 letters before the * or ?; “l'é*” was ignored."]


def test_word_beginnings_are_highlighted_with_the_words(app, owner, create_submission_for):
    s = create_submission_for(
        owner,
        Status.APPROVED,
        title=GOVERNANCE,
        summary="Public funds for the governance of digital skills.",
        description="Workshops.",
    )
    result = listing(app, "governa* programmes")
    title = str(result.titles[s.id])
    assert re.fullmatch(
        r'<mark class="hit t\d">Governance</mark> of development '
        r'<mark class="hit t\d">programmes</mark>',
        title,
    ), title
    assert re.search(
        r'the <mark class="hit t\d">governance</mark> of digital', str(result.snippets[s.id])
    )


def test_facets_count_what_a_word_beginning_finds(app, two_languages):
    result = listing(app, "develop*")
    assert {f.value: f.count for f in result.facets["theme"]} == {"climate": 1, "education": 1}
    result = listing(app, "develop*", filters={"theme": ("education",)})
    assert [s.title for s in result.items] == [DEVELOPPEMENT]
    assert {f.value: f.count for f in result.facets["theme"]} == {"climate": 1, "education": 1}


def test_did_you_mean_keeps_a_word_beginning_as_typed(app, owner, create_submission_for):
    create_submission_for(owner, Status.APPROVED, title="Governance of unicorn programmes")
    result = listing(app, "governa* unicrn")
    assert result.partial and result.suggestion == "governa* unicorn"


def test_a_word_only_non_public_text_holds_begins_nothing(app, owner, index, create_submission_for):
    """Whoosh keeps a withdrawn item's words until a merge, and an item whose removal is
    queued is still in the index: neither makes a beginning match or changes the note."""
    from hub.submissions.operations import withdraw_submission

    create_submission_for(owner, Status.APPROVED, title="Climate adaptation")
    gone = create_submission_for(owner, Status.APPROVED, title="Zorblaxian forestry")
    queued = create_submission_for(owner, Status.APPROVED, title="Quixotical reef")
    with app.app_context():
        index.rebuild()  # one segment: the withdrawal only marks the document deleted
        withdraw_submission(db.session.get(Submission, gone.id), db.session.get(User, owner.id))
        db.session.commit()
        index._open()
        blocker = index._ix.writer()  # the writer is busy: this removal stays queued
    try:
        with app.app_context():
            withdraw_submission(
                db.session.get(Submission, queued.id), db.session.get(User, owner.id)
            )
            db.session.commit()
        for q in ("zorbla*", "quixot*", "zzq*"):
            result = listing(app, q)
            assert result.total == 0, q
            assert result.notes == [f"No word in the published contributions begins like “{q}”."], q
        assert titles(app, "clim* OR zorbla*") == ["Climate adaptation"]
    finally:
        blocker.cancel()


def test_facets_count_the_result_set(app, owner, create_submission_for):
    create_submission_for(
        owner, Status.APPROVED, title="Water one", kind="coalition", themes=["climate"]
    )
    create_submission_for(
        owner, Status.APPROVED, title="Water two", kind="initiative", themes=["climate", "health"]
    )
    create_submission_for(
        owner, Status.APPROVED, title="Fire three", kind="initiative", themes=["health"]
    )
    result = listing(app, "water")
    counts = {f.value: f.count for f in result.facets["theme"]}
    assert counts == {"climate": 2, "health": 1}
    result = listing(app, "water", filters={"kind": ("initiative",)})
    assert result.total == 1
    assert {f.value: f.count for f in result.facets["kind"]} == {"coalition": 1, "initiative": 1}


def test_did_you_mean_uses_public_words_only(app, owner, create_submission_for):
    create_submission_for(
        owner, Status.APPROVED, title="Biodiversity monitoring", summary="x", description="y"
    )
    create_submission_for(
        owner,
        Status.SUBMITTED,
        title="Biodiversidad secretword",
        summary="secretwords",
        description="secretwordz",
    )
    assert listing(app, "biodiversty").suggestion == "biodiversity"
    assert listing(app, "secretwrd").suggestion is None


def test_flushed_then_committed_is_indexed(app, owner, moderator, index):
    """A submission flushed (to get its id) and approved in the same transaction is indexed."""
    from hub.moderation.operations import approve_submission
    from hub.submissions.operations import create_submission

    from helpers import full_content

    with app.app_context():
        index.rebuild()  # the index exists: only the queue can bring the new item into it
    with app.test_request_context():
        user = db.session.get(User, owner.id)
        content = full_content(title="Flushed kiwi", start_date=None, end_date=None)
        s = create_submission(user, "initiative", content, submit=True)
        db.session.flush()
        approve_submission(s, db.session.get(User, moderator.id))
        db.session.commit()
    with app.app_context():
        assert s.id in index.indexed_ids()
    assert titles(app, "kiwi") == ["Flushed kiwi"]


def test_rollback_drops_collected_changes(app, owner, moderator, create_submission_for):
    from hub.moderation.operations import approve_submission

    s = create_submission_for(owner, Status.SUBMITTED, title="Rolled back walrus")
    with app.test_request_context():
        approve_submission(db.session.get(Submission, s.id), db.session.get(User, moderator.id))
        db.session.flush()
        db.session.rollback()
        assert db.session.query(IndexTask).count() == 0
    assert titles(app, "walrus") == []


def test_withdrawal_removes_the_document(app, owner, create_submission_for):
    from hub.submissions.operations import withdraw_submission

    s = create_submission_for(owner, Status.APPROVED, title="Withdrawn narwhal")
    assert titles(app, "narwhal") == ["Withdrawn narwhal"]
    with app.test_request_context():
        withdraw_submission(db.session.get(Submission, s.id), db.session.get(User, owner.id))
        db.session.commit()
    assert titles(app, "narwhal") == []
    assert listing(app, "").total == 0


def test_pending_revision_is_not_indexed_until_approved(
    app, owner, moderator, create_submission_for
):
    from hub.moderation.operations import decide_revision
    from hub.submissions.operations import pending_revision, update_submission

    from helpers import full_content

    s = create_submission_for(owner, Status.APPROVED, title="Original okapi")
    with app.test_request_context():
        update_submission(
            db.session.get(Submission, s.id),
            full_content(title="Revised okapi platypus", start_date=None, end_date=None),
            submit=True,
            actor=db.session.get(User, owner.id),
        )
        db.session.commit()
    assert titles(app, "platypus") == []
    assert titles(app, "okapi") == ["Original okapi"]
    with app.test_request_context():
        revision = pending_revision(db.session.get(Submission, s.id))
        decide_revision(revision, db.session.get(User, moderator.id), approve=True)
        db.session.commit()
    assert titles(app, "platypus") == ["Revised okapi platypus"]


def test_writer_lock_never_fails_the_request_and_queue_is_drained_later(
    app, client, owner, create_submission_for, index
):
    create_submission_for(owner, Status.APPROVED, title="First ibis")
    with app.app_context():
        index._open()
        blocker = index._ix.writer()
    try:
        s = create_submission_for(owner, Status.APPROVED, title="Locked out heron")
        with app.app_context():
            assert db.session.query(IndexTask).count() == 1
        with pytest.raises(LockError):
            index._ix.writer(timeout=0)
    finally:
        blocker.cancel()
    # A later drain (by any process: here a fresh index object) applies what was queued.
    from hub.search.engine import SearchIndex

    with app.app_context():
        other = SearchIndex(app, index.source)
        assert other.drain() == 1
        other.close()
    assert titles(app, "heron") == ["Locked out heron"]
    assert client.get(f"/s/{s.slug}").status_code == 200


def test_one_searcher_per_process_refreshed(app, owner, create_submission_for, index):
    create_submission_for(owner, Status.APPROVED, title="Searcher one")
    with app.app_context(), index.searcher() as first:
        pass
    with app.app_context(), index.searcher() as again:
        assert again is first
    create_submission_for(owner, Status.APPROVED, title="Searcher two")
    with app.app_context(), index.searcher() as refreshed:
        assert refreshed is not first and refreshed.doc_count() == 2


def test_reindex_swaps_atomically_and_check_index(app, owner, create_submission_for, index):
    create_submission_for(owner, Status.APPROVED, title="Reindexed lemur")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1" in result.output
    first = os.readlink(index.link)
    runner.invoke(args=["reindex"])
    runner.invoke(args=["reindex"])
    assert os.readlink(index.link) != first
    generations = [p for p in index.link.parent.glob(f"{index.link.name}.*") if p.is_dir()]
    assert len(generations) <= 2
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 0 and "Missing from the index: 0" in result.output
    # Remove a document behind the hub's back: check-index reports it missing.
    with app.app_context():
        index._open()
        writer = index._ix.writer()
        writer.delete_by_term("id", "1")
        writer.commit()
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1 and "Missing from the index: 1 [1]" in result.output
    assert titles(app, "lemur") == []
    runner.invoke(args=["reindex"])
    assert titles(app, "lemur") == ["Reindexed lemur"]


def test_missing_or_unreadable_index_is_rebuilt(app, owner, create_submission_for, index):
    create_submission_for(owner, Status.APPROVED, title="Rebuilt tapir")
    target = os.path.realpath(index.link)
    with app.app_context():
        index.close()
    for name in os.listdir(target):
        with open(os.path.join(target, name), "wb") as fh:
            fh.write(b"garbage")
    assert titles(app, "tapir") == ["Rebuilt tapir"]
    with app.app_context():
        index.close()
    index.link.unlink()
    assert titles(app, "tapir") == ["Rebuilt tapir"]


def test_browse_serves_from_sql_while_a_big_index_builds(app, owner, create_submission_for, index):
    create_submission_for(owner, Status.APPROVED, title="Patient sloth")
    with app.app_context():
        index.close()
    index.link.unlink()
    index.sync_build_max = 0  # pretend the index is big: build it in the background
    first = listing(app, "sloth")
    assert [s.title for s in first.items] == ["Patient sloth"]
    index._building.join(10)
    second = listing(app, "sloth")
    assert not second.from_sql and second.total == 1


def test_similar_to_text(app, owner, create_submission_for):
    from hub.search import similar_to_text

    a = create_submission_for(
        owner,
        Status.APPROVED,
        title="Mangrove carbon credits",
        summary="Blue carbon in mangrove forests",
        description="mangrove carbon coastal",
    )
    create_submission_for(
        owner,
        Status.APPROVED,
        title="Coastal mangrove mapping",
        summary="Mapping mangrove forests",
        description="mangrove coastal",
    )
    create_submission_for(
        owner, Status.APPROVED, title="Unrelated tax policy", summary="Taxes", description="fiscal"
    )
    create_submission_for(
        owner,
        Status.SUBMITTED,
        title="Mangrove secret pending",
        summary="mangrove",
        description="mangrove coastal carbon",
    )
    with app.test_request_context():
        found = similar_to_text("Mangroves", "carbon in coastal mangrove forests", exclude_id=a.id)
    assert [s.title for s in found] == ["Coastal mangrove mapping"]


def test_similar_looks_at_the_published_summaries_too(app, owner, create_submission_for):
    """A published text whose summary (not its title or description) is about what is being
    written is found similar."""
    from hub.search import similar_to_text

    create_submission_for(
        owner,
        Status.APPROVED,
        title="Coastal observatory",
        summary="Satellite mapping of mangrove carbon stocks",
        description="A network of stations.",
    )
    create_submission_for(
        owner, Status.APPROVED, title="Unrelated tax policy", summary="Taxes", description="fiscal"
    )
    with app.test_request_context():
        found = similar_to_text("Quantum zebra logistics", "Carbon stocks of coastal mangroves.")
        unrelated = similar_to_text("Quantum zebra logistics", "Spreadsheets for freight.")
    assert [s.title for s in found] == ["Coastal observatory"]
    assert unrelated == []


def test_did_you_mean_never_offers_words_of_a_withdrawn_item(
    app, owner, create_submission_for, index
):
    """Whoosh keeps a deleted document's words in its segment until a merge: a suggestion
    must come from a document the public can still see."""
    from hub.submissions.operations import withdraw_submission

    for n in range(3):
        create_submission_for(owner, Status.APPROVED, title=f"Climate adaptation {n}")
    gone = create_submission_for(owner, Status.APPROVED, title="Zorblaxian forestry")
    with app.app_context():
        index.rebuild()  # one segment holding both, so the withdrawal only marks a deletion
        withdraw_submission(db.session.get(Submission, gone.id), db.session.get(User, owner.id))
        db.session.commit()
    result = listing(app, "zorblaxien OR climatte")
    assert result.suggestion == "zorblaxien OR climate"
    assert listing(app, "zorblaxien").suggestion is None
    assert listing(app, "climatte").suggestion == "climate"


def test_counts_leave_out_an_item_whose_removal_is_still_queued(
    app, client, owner, create_submission_for, index
):
    """While another worker holds the index writer, a withdrawn item is still in the index:
    totals, facet counts and statistics follow SQL, not the stale index."""
    from hub.submissions.operations import withdraw_submission

    create_submission_for(owner, Status.APPROVED, title="Reef survey", countries=["KE"])
    gone = create_submission_for(
        owner,
        Status.APPROVED,
        title="Reef restoration",
        countries=["FJ"],
        stakeholder_group="individual",
    )
    with app.app_context():
        index._open()
        blocker = index._ix.writer()  # the writer is busy: the removal stays queued
    try:
        with app.app_context():
            withdraw_submission(db.session.get(Submission, gone.id), db.session.get(User, owner.id))
            db.session.commit()
            assert db.session.query(IndexTask).count() == 1
        result = listing(app, "reef")
        assert [s.title for s in result.items] == ["Reef survey"]
        assert result.total == 1
        countries = {f.value: f.count for f in result.facets["country"]}
        assert countries == {"KE": 1}
        groups = {f.value for f in listing(app, "").facets["stakeholder"]}
        assert "individual" not in groups
        api = client.get("/api/v1/submissions?q=reef").get_json()
        assert api["total"] == 1 and len(api["items"]) == 1
        assert "Individual" not in client.get("/stats").get_data(as_text=True)
    finally:
        blocker.cancel()


def test_sdg_facet_ties_are_in_goal_order(app, owner, create_submission_for):
    create_submission_for(owner, Status.APPROVED, sdgs=[17, 4, 9])
    assert [f.value for f in listing(app, "").facets["sdg"]] == ["4", "9", "17"]


def test_an_index_built_by_an_older_analysis_is_reported_and_rebuilt(
    app, owner, index, create_submission_for
):
    """Words analysed one way at indexing and another at query time would silently never be
    found: such an index is rebuilt, and check-index says why it is not usable."""
    from hub.search.store import STAMP

    create_submission_for(owner, Status.APPROVED, title="Charte de l'IA")
    assert titles(app, "ia") == ["Charte de l'IA"]
    with app.app_context():
        index.close()
    stamp = index.link / STAMP
    stamp.write_text("1\n")  # as left by the analysis before elisions were dropped
    result = app.test_cli_runner().invoke(args=["check-index"])
    assert result.exit_code == 1
    assert "built by an older analysis (1; this hub uses" in result.output
    assert titles(app, "ia") == ["Charte de l'IA"]  # rebuilt on first use
    assert (index.link / STAMP).read_text().strip() != "1"
    assert app.test_cli_runner().invoke(args=["check-index"]).exit_code == 0


def test_an_index_of_an_older_analysis_is_rebuilt_at_first_use(
    app, owner, index, create_submission_for
):
    """An index built by the analysis before (one field per text) holds no words in the
    fields searched now: it is rebuilt, not read with a schema that would find nothing."""
    import shutil

    from whoosh import fields
    from whoosh import index as whoosh_index

    from hub.search.analysis import ANALYSIS_VERSION
    from hub.search.languages import words_of
    from hub.search.store import STAMP

    s = create_submission_for(owner, Status.APPROVED, title=GOVERNANCE)
    with app.app_context():
        index.close()
        old = fields.Schema(
            id=fields.ID(unique=True, stored=True), title=fields.TEXT(analyzer=word_analyzer())
        )
        target = os.path.realpath(index.link)
        shutil.rmtree(target)
        os.mkdir(target)
        ix = whoosh_index.create_in(target, old)
        writer = ix.writer()
        writer.add_document(id=str(s.id), title=words_of(GOVERNANCE))
        writer.commit()
        ix.close()
    (index.link / STAMP).write_text("5\n")  # as the analysis of one field per text left it
    assert titles(app, "governa*") == [GOVERNANCE]
    assert (index.link / STAMP).read_text().strip() == str(ANALYSIS_VERSION)


def test_check_index_reports_a_missing_index_without_building_it(
    app, owner, index, create_submission_for
):
    create_submission_for(owner, Status.APPROVED, title="Unindexed quokka")
    with app.app_context():
        index.close()
    index.link.unlink()
    result = app.test_cli_runner().invoke(args=["check-index"])
    assert result.exit_code == 1 and "is missing: run `flask --app hub reindex`" in result.output
    assert not index.link.exists()


def test_check_index_reports_a_document_that_should_not_be_there(
    app, owner, index, create_submission_for
):
    s = create_submission_for(owner, Status.APPROVED, title="Quietly pulled gecko")
    with app.app_context():
        db.session.execute(
            Submission.__table__.update()
            .where(Submission.id == s.id)
            .values(status=Status.REJECTED, decision_message="Spam.")
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["check-index"])
    assert result.exit_code == 1
    assert f"Extra in the index (not public): 1 [{s.id}]" in result.output


def test_a_row_changed_behind_the_hubs_back_is_healed_and_never_counted(
    app, client, owner, index, create_submission_for
):
    """The database decides: an index document whose row is no longer approved (a manual
    UPDATE) is never shown, and the periodic comparison queues it out of the counts too."""
    kept = create_submission_for(owner, Status.APPROVED, title="Reef survey", countries=["KE"])
    pulled = create_submission_for(owner, Status.APPROVED, title="Reef pulled", countries=["FJ"])
    with app.app_context():
        db.session.execute(
            Submission.__table__.update()
            .where(Submission.id == pulled.id)
            .values(status=Status.REJECTED, decision_message="Spam.")
        )
        db.session.commit()
    api = client.get("/api/v1/submissions?q=reef").get_json()
    assert [i["title"] for i in api["items"]] == ["Reef survey"]  # reloaded from SQL
    with app.app_context():
        assert index.reconcile() == 1
        index.drain()
        assert index.indexed_ids() == {kept.id}
        assert index.reconcile() == 0
    api = client.get("/api/v1/submissions?q=reef").get_json()
    assert api["total"] == 1
    assert {f["value"]: f["count"] for f in api["facets"]["country"]} == {"KE": 1}


def test_similar_panels_show_at_most_five(app, client, owner, create_submission_for):
    from hub.search import similar_to_text

    for n in range(8):
        create_submission_for(
            owner,
            Status.APPROVED,
            title=f"Mangrove carbon project {n}",
            summary="Mangrove carbon",
            description="mangrove carbon coast",
        )
    with app.test_request_context():
        found = similar_to_text("Mangrove carbon", "mangrove carbon coast")
    assert len(found) == 5
    first = db_first_slug(app)
    page = client.get(f"/s/{first}").get_data(as_text=True)
    panel = page.split('id="similar-title"', 1)[1]
    assert panel.count("Mangrove carbon project") == 5


def db_first_slug(app) -> str:
    with app.app_context():
        return db.session.scalars(
            Submission.__table__.select()
            .with_only_columns(Submission.slug)
            .where(Submission.status == Status.APPROVED)
        ).first()


def test_the_server_start_rebuilds_a_missing_index_in_the_background(
    app, owner, index, create_submission_for
):
    """wsgi.py calls warm_up(): the server answers at once and the index appears."""
    create_submission_for(owner, Status.APPROVED, title="Started capybara")
    with app.app_context():
        index.close()
    index.link.unlink()
    index.warm_up()
    index._building.join(30)
    assert index.problem() is None
    assert titles(app, "capybara") == ["Started capybara"]


def test_index_task_ids_are_never_reused(app, owner, index, create_submission_for):
    """The page cache keys on the newest task id: an emptied queue must not hand out the
    same id again (SQLite would without AUTOINCREMENT)."""
    create_submission_for(owner, Status.APPROVED, title="First")
    with app.app_context():
        first = db.session.scalar(Submission.__table__.select().with_only_columns(Submission.id))
        db.session.add(IndexTask(submission_id=first))
        db.session.commit()
        used = db.session.scalar(IndexTask.__table__.select().with_only_columns(IndexTask.id))
        db.session.rollback()  # end the read: the drain deletes in a session of its own
        index.drain()
        assert db.session.query(IndexTask).count() == 0
        db.session.add(IndexTask(submission_id=first))
        db.session.commit()
        again = db.session.scalar(IndexTask.__table__.select().with_only_columns(IndexTask.id))
    assert again > used


def test_a_commit_that_merges_segments_while_the_searcher_refreshes_is_not_an_error(
    app, owner, index, create_submission_for, caplog
):
    """A writer (another worker's approval) may commit, merge segments and delete their
    files between a reader's reading of the table of contents and its opening of those
    segments: the reader reads the newer table instead of failing or logging an error."""
    import logging

    for n in range(3):
        create_submission_for(owner, Status.APPROVED, title=f"Segment {n} pelican")
    with app.app_context(), index.searcher():
        pass  # the process's searcher sees the three one-document segments
    create_submission_for(owner, Status.APPROVED, title="Newest pelican")  # a new generation
    ix = index._ix
    real_read_toc = ix._read_toc
    merged = []

    def read_toc_then_a_merging_commit():
        toc = real_read_toc()
        if not merged:
            merged.append(True)
            writer = ix.writer()
            writer.commit(optimize=True)  # one segment: the others' files are deleted
        return toc

    ix._read_toc = read_toc_then_a_merging_commit
    try:
        with caplog.at_level(logging.WARNING, logger="hub.search"):
            assert len(titles(app, "pelican")) == 4
    finally:
        ix._read_toc = real_read_toc
    assert merged and not [r for r in caplog.records if r.levelno >= logging.ERROR]
