"""HUB_STAFF_2FA=required: a moderator or admin without a second factor reaches nothing of
the moderation and admin areas (every endpoint of the URL map, posts and exports included)
until enrolled; with it, or with the default setting, everything opens as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask, url_for

from hub.auth.models import Role

from helpers import Browser, count, events, expect, log_in_with_code, outbox, page_text

STAFF_AREAS = ("moderation.", "admin.")
T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)


def staff_requests(app: Flask) -> Iterator[tuple[str, str]]:
    """(method, address) of every endpoint of the staff areas, read from the URL map (a new
    view is covered without being listed here); ids are 1, which exist in these tests."""
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if rule.endpoint.startswith(STAFF_AREAS):
                address = url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1))
                for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                    yield method, address


@pytest.fixture
def required(make_app) -> Flask:
    """A hub that requires a second factor of its staff."""
    return make_app(HUB_STAFF_2FA="required")


def test_the_url_map_has_the_staff_areas(required):
    found = list(staff_requests(required))
    assert ("GET", "/moderation/audit.csv") in found
    assert ("POST", "/moderation/1/decide") in found
    assert ("POST", "/admin/accounts/1/role") in found
    assert len(found) >= 14


def test_staff_without_a_second_factor_reach_nothing_of_the_staff_areas(
    required, create_user, create_submission_for
):
    admin = create_user(role=Role.ADMIN)  # id 1: the account the admin addresses point at
    item = create_submission_for(create_user(), status="submitted")
    assert item.id == 1
    before = (len(events(required)), len(outbox(required)), count(required))
    browser = Browser(required, admin)
    refused = []
    for method, address in staff_requests(required):
        with required.app_context():
            answer = browser.client.open(address, method=method, data={"role": "submitter"})
        if answer.status_code != 303 or not answer.location.endswith("/account/two-factor"):
            refused.append(f"{method} {address} -> {answer.status_code} {answer.location}")
    assert not refused, refused
    assert (len(events(required)), len(outbox(required)), count(required)) == before
    page = browser.get("/account/two-factor")
    assert "must use two-factor authentication" in page_text(expect(page, 200).text)


def test_a_moderator_without_a_second_factor_is_sent_to_enrolment(required, create_user):
    moderator = create_user(role=Role.MODERATOR)
    browser = Browser(required, moderator)
    assert browser.get("/moderation/").location.endswith("/account/two-factor")
    expect(browser.get("/my/"), 200)  # the rest of the hub stays open


def test_enrolled_staff_reach_every_page_of_the_staff_areas(
    required, create_user, create_submission_for, enrol
):
    admin = create_user(role=Role.ADMIN)
    create_submission_for(create_user(), status="submitted")
    with required.app_context():  # a standard reason #1 for /admin/reasons/1
        from hub.extensions import db
        from hub.submissions.reasons import StandardReason

        db.session.add(StandardReason(label="Out of scope", text="Outside the call."))
        db.session.commit()
    secret = enrol(admin)
    required.extensions["hub_clock"].freeze(T0)
    browser = Browser(required)
    with required.app_context():
        expect(log_in_with_code(browser.client, admin.email, secret, T0), 302)
    for method, address in staff_requests(required):
        if method == "GET":
            answer = browser.get(address)
            assert answer.status_code == 200, (address, answer.status_code, answer.location)


def test_by_default_staff_need_no_second_factor(app, create_user):
    assert app.config["HUB_STAFF_2FA"] == "optional"
    browser = Browser(app, create_user(role=Role.MODERATOR))
    expect(browser.get("/moderation/"), 200)


def test_submitters_still_get_404_in_the_moderation_area(required, create_user):
    browser = Browser(required, create_user())
    expect(browser.get("/moderation/"), 404)


@pytest.mark.parametrize("value", ["yes", "", "Required!"])
def test_a_wrong_setting_stops_the_hub(make_app, value):
    with pytest.raises(ValueError, match="HUB_STAFF_2FA"):
        make_app(HUB_STAFF_2FA=value)


def test_the_setting_ignores_case(make_app):
    assert make_app(HUB_STAFF_2FA=" Required ").config["HUB_STAFF_2FA"] == "required"


def test_health_details_need_the_second_factor_too(required, create_user, enrol):
    plain = Browser(required, create_user(role=Role.MODERATOR))
    assert "backend" not in expect(plain.get("/healthz"), 200).json
    admin = create_user(role=Role.ADMIN)
    secret = enrol(admin)
    browser = Browser(required)
    with required.app_context():
        log_in_with_code(browser.client, admin.email, secret)
    assert "backend" in expect(browser.get("/healthz"), 200).json
