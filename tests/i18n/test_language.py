"""Which language a page is in, how people choose it, and what stays when they switch."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hub.auth.models import User
from hub.extensions import db

from helpers import expect, field_value, form_data, form_token, outbox, row


def lang_of(page: str) -> tuple[str, str]:
    """The page's <html lang dir>."""
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page)
    assert found, page[:200]
    return found.group(1), found.group(2)


def test_english_is_the_default(client):
    page = expect(client.get("/"), 200).text
    assert lang_of(page) == ("en", "ltr")
    assert "Partnerships Hub" in page and "Browse" in page


def test_accept_language_french_gives_a_french_page(client):
    page = expect(client.get("/browse", headers={"Accept-Language": "fr-CH, fr;q=0.9"}), 200)
    assert lang_of(page.text) == ("fr", "ltr")
    assert "Parcourir les contributions approuvées" in page.text
    assert "Accept-Language" in page.headers["Vary"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CA", "fr"),  # the closest supported language
        ("es-419,es;q=0.8", "es"),
        ("zh-TW", "zh-Hans"),  # Traditional Chinese readers get the Simplified version
        ("zh-Hant-HK", "zh-Hans"),
        ("ar-EG", "ar"),
        ("de-DE, en;q=0.5", "en"),
        ("xx", "en"),
        ("*", "en"),
        (";;;q=abc,,=", "en"),  # malformed: English, never an error
        ("fr;q=nope", "en"),
        ("é" * 300, "en"),
    ],
)
def test_accept_language_finds_the_closest_language_or_english(client, header, expected):
    page = expect(client.get("/", headers={"Accept-Language": header}), 200).text
    assert lang_of(page)[0] == expected


def test_arabic_pages_are_right_to_left(client):
    assert lang_of(expect(client.get("/ar/"), 200).text) == ("ar", "rtl")


@pytest.mark.parametrize("path", ["/fr/", "/fr/browse", "/fr/search?q=ocean", "/fr/stats"])
def test_the_prefix_gives_a_french_page_with_links_under_it(client, path):
    page = expect(client.get(path), 200).text
    assert lang_of(page)[0] == "fr"
    assert 'href="/fr/browse"' in page  # every url_for stays under /fr/


def test_the_cookie_wins_over_accept_language_and_the_prefix_over_the_cookie(client):
    client.set_cookie("hub_lang", "fr")
    assert lang_of(client.get("/", headers={"Accept-Language": "es"}).text)[0] == "fr"
    assert lang_of(client.get("/es/").text)[0] == "es"
    assert lang_of(client.get("/en/").text)[0] == "en"  # an English link beats the cookie


@pytest.mark.parametrize("value", ["xx", "", "fr" * 40, "../../etc", "\u00e9\u00e9", "FR"])
def test_an_unknown_or_odd_cookie_falls_back(client, value):
    client.set_cookie("hub_lang", value)
    page = expect(client.get("/", headers={"Accept-Language": "ru"}), 200).text
    assert lang_of(page)[0] == ("fr" if value == "FR" else "ru")


@pytest.mark.parametrize("path", ["/xx/browse", "/de/", "/fr-CA/browse", "/FR/browse"])
def test_an_unknown_prefix_is_an_english_404_not_an_error(client, path):
    response = expect(client.get(path), 404)
    assert lang_of(response.text)[0] == "en"


def test_the_switcher_works_without_script_and_remembers_the_choice(client):
    response = expect(
        client.post("/language", data={"hub_lang": "fr", "hub_next": "/browse?q=ocean"}), 302
    )
    assert response.location == "/fr/browse?q=ocean"
    cookie = response.headers["Set-Cookie"]
    assert "hub_lang=fr" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie and "Max-Age=31536000" in cookie
    assert lang_of(client.get("/").text)[0] == "fr"  # unprefixed addresses follow it

    back = client.post("/fr/language", data={"hub_lang": "en", "hub_next": "/browse"})
    assert back.location == "/browse"
    assert lang_of(client.get("/").text)[0] == "en"


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "\\\\evil", "/a\r\nX: y", None]
)
def test_the_switcher_only_goes_back_to_the_hub(client, target):
    data = {"hub_lang": "ru"} if target is None else {"hub_lang": "ru", "hub_next": target}
    response = expect(client.post("/language", data=data), 302)
    assert response.location == "/ru/"


def test_an_unknown_language_in_the_switcher_means_english(client):
    response = expect(client.post("/language", data={"hub_lang": "tlh", "hub_next": "/"}), 302)
    assert response.location == "/" and "hub_lang=en" in response.headers["Set-Cookie"]


def test_every_page_offers_the_switcher_in_each_language(client):
    page = client.get("/fr/stats").text
    for code, name in (("ar", "العربية"), ("zh", "中文"), ("en", "English"), ("ru", "Русский")):
        assert f'name="hub_lang" value="{code}" lang="{code}"' in page and name in page
    assert 'name="hub_next" value="/stats"' in page


def test_switching_language_keeps_what_was_typed_in_the_submission_form(app, client, owner, auth):
    auth.login(owner)
    page = expect(client.get("/submit/initiative", follow_redirects=True), 200)
    address = page.request.path + "?" + page.request.query_string.decode()
    # The switcher's buttons belong to the form (HTML form/formaction): the post carries it.
    assert 'form="submission-form" formaction="/language?hub_next=' in page.text
    typed = form_data(title="Des rivières propres", summary="Texte à garder")
    typed["form_token"] = form_token(page.text)
    response = expect(
        client.post(f"/language?hub_next={address}", data={**typed, "hub_lang": "fr"}), 302
    )
    assert response.location.startswith("/fr/submit/initiative?")
    again = expect(client.get(response.location), 200).text
    assert lang_of(again)[0] == "fr"
    assert field_value(again, "title") == "Des rivières propres"
    assert field_value(again, "summary") == "Texte à garder"
    assert "ce que vous avez saisi est conservé" in again
    with app.app_context():  # nothing was saved: only kept for the page
        assert db.session.get(User, owner.id).language == "fr"


def test_the_account_language_is_stored_at_registration_and_used(app, client):
    response = client.post(
        "/fr/account/register",
        data={
            "email": "amelie@example.org",
            "display_name": "Amélie",
            "organisation": "",
            "password": "a-long-enough-password",
            "confirm": "a-long-enough-password",
        },
    )
    expect(response, 302)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "amelie@example.org"))
        assert user.language == "fr"
    client.delete_cookie("hub_lang")
    # Registering does not log in (the address is confirmed by mail): log in to see it.
    client.post(
        "/account/login",
        data={"email": "amelie@example.org", "password": "a-long-enough-password"},
    )
    page = client.get("/my/", headers={"Accept-Language": "es"}).text
    assert lang_of(page)[0] == "fr"  # the account's choice beats the browser's header


def test_a_french_account_gets_its_receipt_in_french(app, client, owner, auth):
    with app.app_context():
        db.session.get(User, owner.id).language = "fr"
        db.session.commit()
    auth.login(owner)
    page = expect(client.get("/submit/initiative", follow_redirects=True), 200)
    data = {**form_data(title="Eau potable"), "form_token": form_token(page.text)}
    response = expect(client.post(page.request.full_path, data=data), 302)
    [mail] = [m for m in outbox(app) if m.kind == "receipt"]
    assert mail.subject == "Reçue : Eau potable"  # the outbox makes header blanks plain spaces
    assert "Nous avons reçu votre contribution (Initiative)" in mail.body
    assert "heure de Genève" in mail.body
    assert re.search(r"Soumise le \d+ \w+ 20\d\d à \d\d:\d\d", mail.body)
    assert row(app, int(response.location.rsplit("/", 1)[1])).title == "Eau potable"


def test_the_page_cache_serves_each_visitor_their_language(
    app, client, owner, create_submission_for
):
    app.config["HUB_PAGE_CACHE"] = 32
    create_submission_for(owner, "approved", title="Cached heron")
    english = client.get("/browse").text
    french = client.get("/browse", headers={"Accept-Language": "fr"}).text
    prefixed = client.get("/fr/browse").text
    again = client.get("/browse").text
    assert lang_of(english)[0] == "en" and lang_of(again)[0] == "en" and english == again
    assert lang_of(french)[0] == "fr" and lang_of(prefixed)[0] == "fr"
    assert "Cached heron" in french and 'href="/fr/browse"' in prefixed


def test_public_pages_name_their_address_in_every_language(client):
    # On HUB_BASE_URL (the default http://127.0.0.1:5000), whatever Host the request names.
    page = client.get("/fr/browse?kind=coalition", headers={"Host": "evil.example"}).text
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert links == {
        "ar": "http://127.0.0.1:5000/ar/browse?kind=coalition",
        "zh-Hans": "http://127.0.0.1:5000/zh/browse?kind=coalition",
        "en": "http://127.0.0.1:5000/en/browse?kind=coalition",
        "fr": "http://127.0.0.1:5000/fr/browse?kind=coalition",
        "ru": "http://127.0.0.1:5000/ru/browse?kind=coalition",
        "es": "http://127.0.0.1:5000/es/browse?kind=coalition",
        "x-default": "http://127.0.0.1:5000/browse?kind=coalition",
    }


def test_the_api_and_open_data_stay_in_english(client, owner, create_submission_for):
    create_submission_for(owner, "approved", kind="partnership", title="Data pact")
    body = client.get("/api/v1/submissions", headers={"Accept-Language": "fr"}).get_json()
    assert body["items"][0]["kind_label"] == "Partnership"
    assert client.get("/fr/api/v1/submissions").get_json()["items"][0]["kind_label"] == (
        "Partnership"
    )


def test_french_dates_are_written_the_french_way(client, owner, create_submission_for):
    create_submission_for(owner, "approved", title="Date check")
    page = client.get("/fr/browse").text
    assert re.search(r"publiée le <time datetime=\"[^\"]+\">\d+ \w+ 20\d\d</time>", page)
