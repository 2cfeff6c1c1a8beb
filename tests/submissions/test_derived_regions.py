"""A submission's regions follow from its countries on every save; nobody ticks them."""

from __future__ import annotations

from typing import Any

import pytest

from hub.auth.models import User
from hub.extensions import db
from hub.submissions.models import Submission
from hub.submissions.operations import create_submission, update_submission
from hub.vocab import regions_for

from helpers import content, expect, form_data, row, rows


@pytest.fixture
def owner(create_user: Any, auth: Any) -> User:
    """A logged-in submitter."""
    user = create_user(name="Olga Owner")
    expect(auth.login(user), 302)
    return user


@pytest.mark.parametrize(
    ("countries", "regions"),
    [
        (["KE", "SN"], ["africa"]),
        (["FR", "KE", "BR"], ["africa", "americas", "europe"]),
        (["FJ", "JP"], ["asia", "oceania"]),
        (["global"], ["global"]),
        (["global", "CH"], ["europe", "global"]),
        (["AQ"], []),  # Antarctica lies in no M49 region
        ([], []),
    ],
)
def test_regions_are_the_m49_regions_of_the_countries(countries, regions):
    assert regions_for(countries) == regions


def test_the_form_has_no_region_field_but_keeps_global(client, owner):
    page = expect(client.get("/submit/initiative", follow_redirects=True), 200).text
    assert 'name="regions"' not in page
    assert 'value="global"' in page and "Global (all countries)" in page


def test_posted_regions_are_ignored_and_derived_from_the_countries(app, client, owner):
    data = form_data(countries=["JP", "KE"], regions=["europe", "cis"])
    expect(client.post("/submit/initiative", data=data), 302)
    (saved,) = rows(app)
    assert saved.countries == ["JP", "KE"]
    assert saved.regions == ["africa", "asia"]


def test_an_edit_recomputes_the_regions(app, owner):
    with app.app_context():
        user = db.session.get(User, owner.id)
        sub = create_submission(user, "initiative", content(countries=["FR"]), submit=False)
        db.session.commit()
        assert sub.regions == ["europe"]
        update_submission(sub, content(countries=["global", "PE"]), submit=False, actor=user)
        db.session.commit()
        sub_id = sub.id
    assert row(app, sub_id).regions == ["americas", "global"]


def test_a_revision_of_an_approved_item_carries_derived_regions(app, owner, create_submission_for):
    from hub.submissions.operations import pending_revision

    item = create_submission_for(owner, "approved", countries=["CH"])
    with app.app_context():
        user = db.session.get(User, owner.id)
        sub = db.session.get(Submission, item.id)
        update_submission(sub, content(countries=["NZ"]), submit=True, actor=user)
        db.session.commit()
        revision = pending_revision(sub)
        assert revision is not None
        assert revision.content["countries"] == ["NZ"]
        assert revision.content["regions"] == ["oceania"]
        assert sub.regions == ["europe"]  # the public text waits for the review


def test_links_with_the_old_region_keys_still_find_their_submissions(
    client, owner, create_submission_for
):
    create_submission_for(owner, "approved", title="Steppe data commons", countries=["KZ"])
    create_submission_for(owner, "approved", title="Andes sensors", countries=["PE"])

    page = expect(client.get("/browse?region=cis"), 200).text
    assert "Steppe data commons" in page and "Andes sensors" not in page
    titles = [s["title"] for s in client.get("/api/v1/submissions?region=cis").json["items"]]
    assert titles == ["Steppe data commons"]
    legacy = expect(client.get("/browse?country=TW"), 200).text  # Taiwan's items now name China
    assert "China" in legacy


def test_detail_and_browse_name_countries_and_regions_in_the_page_language(
    client, owner, create_submission_for
):
    item = create_submission_for(owner, "approved", title="Reef map", countries=["IR", "FJ"])
    page = expect(client.get("/fr/browse?q=Reef"), 200).text
    assert "Iran (République islamique d’)" in page
    assert "Océanie" in page and "Asie" in page  # the region facet, named in French
    assert item.regions == ["asia", "oceania"]
