"""The catalogues are complete, and no text of a page bypasses gettext."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from babel import Locale
from sqlalchemy import select

from hub import m49, vocab
from hub.extensions import db
from hub.i18n import LANGUAGES
from hub.mail.models import OutboxMail

from helpers import (
    PSEUDO_LOCALE,
    TRANSLATIONS,
    expect,
    form_token,
    full_content,
    po_entries,
    write_pseudo_catalogue,
)

# The languages whose catalogue is complete; each later phase adds its own.
COMPLETE_LANGUAGES = ["fr", "ar", "zh", "ru", "es"]


def test_every_language_has_a_catalogue_of_the_template_messages():
    template = {(m.context, m.id) for m in po_entries_of_template()}
    for language in LANGUAGES:
        if language == "en":
            continue
        entries = {(m.context, m.id) for m in po_entries(language)}
        assert entries == template, f"{language}: run make i18n-update"


def po_entries_of_template():
    """The messages of messages.pot."""
    from babel.messages.pofile import read_po

    with (TRANSLATIONS / "messages.pot").open("rb") as source:
        return [m for m in read_po(source) if m.id]


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_the_catalogue_is_complete_with_no_fuzzy_entry(language):
    problems = []
    for message in po_entries(language):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"{language}: {len(problems)} untranslated or fuzzy: {problems[:10]}"


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for message in po_entries(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[-1])) - {"%(num)d"}
        for text in strings:
            assert wanted <= set(re.findall(r"%\(\w+\)[sd]", text)), (message.id, text)


def test_french_uses_french_typography():
    for message in po_entries("fr"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert not re.search(r" [:;?!»]|« ", text), text  # non-breaking spaces there
            assert "'" not in re.sub(r'="[^"]*"|\w+="', "", text), text  # typographic ’


# --- The pseudo-locale run: every text of every page type goes through gettext -----------


def _two_factor_pages(app, client, user, allowed: set[str]) -> dict[str, set[str]]:
    """Words outside gettext on the two-factor pages: enrolment (QR code and key), the
    recovery codes, the page once it is on, and the code asked at login. The random key and
    codes are not words to translate."""
    import pyotp

    from hub.auth.models import User
    from hub.extensions import db

    found = {}
    client.post("/account/two-factor/setup")
    with app.app_context():
        secret = db.session.get(User, user.id).totp_secret
    allowed = allowed | set(re.findall(r"[^\W\d_]+", secret))
    found["two-factor: enrol"] = untranslated(client.get("/account/two-factor").text, allowed)
    shown = client.post("/account/two-factor/enable", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", expect(shown, 200).text)
    allowed |= {w for code in codes for w in re.findall(r"[^\W\d_]+", code)}
    found["two-factor: recovery codes"] = untranslated(shown.text, allowed)
    found["two-factor: on"] = untranslated(client.get("/account/two-factor").text, allowed)
    client.post("/account/logout")
    client.post("/account/login", data={"email": user.email, "password": "a-long-enough-password"})
    found["login: code"] = untranslated(client.get("/account/login/code").text, allowed)
    client.post("/account/login/code", data={"code": codes[0]})
    return found


USER_WORDS = " ".join(str(v) for v in full_content().values() if v) + (
    " Test User Test Org Test Secretariat Factory Moderator Pseudo Checker example org Rivers"
)


def allowed_words() -> set[str]:
    """Words a page may show outside ⟦⟧: user content, country and language names, dates."""
    words = set(re.findall(r"[^\W\d_]+", USER_WORDS))
    # Country and region names come from hub/data (the UN's M49 names), not the catalogues.
    for name in [vocab.country_name(code, "en") for code in m49.by_code()] + [
        vocab.region_name(key, "en") for key in vocab.REGIONS if key != vocab.GLOBAL
    ]:
        words |= set(re.findall(r"[^\W\d_]+", name))
    # Endonyms (the switcher, by design) and CLDR's names of the texts' languages.
    cldr = [vocab.language_name(code, "en") for code in vocab.LANGUAGES if code != "other"]
    for name in [*LANGUAGES.values(), *vocab.LANGUAGES.values(), *cldr]:
        words |= set(re.findall(r"[^\W\d_]+", name))
    english = Locale.parse("en_GB")
    for table in (english.months, english.days):
        for width in table["format"].values():
            words |= {w for name in width.values() for w in re.findall(r"[^\W\d_]+", name)}
    words |= {"Sept", "CEST", "CET", "UTC", "GMT", "Europe", "Zurich", "Hub", "Partnerships"}
    return words


def untranslated(page: str, allowed: set[str]) -> set[str]:
    """Words of the page's visible text (and its labels) outside ⟦…⟧."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    attrs = " ".join(
        re.findall(r'(?:aria-label|placeholder|title|data-confirm(?:-reject)?)="([^"]*)"', page)
    )
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attrs)
    while "⟦" in text:  # innermost first: a translated sentence may hold translated words
        text, found = re.subn(r"⟦[^⟦⟧]*⟧", " ", text)
        if not found:
            break
    text = re.sub(r"\S+@\S+|https?://\S+", " ", text)
    return {w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in allowed}


@pytest.fixture
def pseudo_app(make_app, tmp_path):
    """A hub whose pages are all in the pseudo-locale."""
    write_pseudo_catalogue(tmp_path)
    application = make_app(BABEL_TRANSLATION_DIRECTORIES=f"translations;{tmp_path}")
    application.extensions["babel"].locale_selector = lambda: PSEUDO_LOCALE
    return application


def test_no_page_shows_text_that_bypasses_gettext(pseudo_app, create_user):
    from hub.auth.models import Role
    from hub.clock import clock_from_config

    app = pseudo_app
    # A cutoff ahead, so the countdown banner shows too.
    app.extensions["hub_clock"] = clock_from_config(
        {
            "HUB_SUBMISSIONS_CLOSE_AT": (date.today() + timedelta(days=30)).isoformat()
            + "T23:59:00+02:00"
        }
    )
    client = app.test_client()
    owner = create_user(name="Pseudo Checker")
    # An admin (a moderator too): the admin pages are visited as well.
    moderator = create_user(Role.ADMIN, name="Test User")
    client.post("/account/login", data={"email": owner.email, "password": "a-long-enough-password"})
    page = expect(client.get("/submit/initiative", follow_redirects=True), 200)
    data = {
        k: v for k, v in full_content().items() if v is not None and k != "member_organisations"
    }
    data = {k: [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in data.items()}
    for number in (1, 2):
        page = expect(client.get("/submit/initiative", follow_redirects=True), 200)
        posted = {**data, "title": f"Rivers {number}", "action": "submit"}
        expect(
            client.post(
                page.request.full_path, data={**posted, "form_token": form_token(page.text)}
            ),
            302,
        )
    client.post("/account/logout")
    client.post(
        "/account/login", data={"email": moderator.email, "password": "a-long-enough-password"}
    )
    review = expect(client.get("/moderation/1"), 200)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', review.text).group(1)
    expect(
        client.post(
            "/moderation/1/decide", data={"action": "approve", "message": "", "version": version}
        ),
        302,
    )
    slug = re.search(r'href="(/s/[^"]+)"', client.get("/browse").text).group(1)

    moderator_pages = [
        "/moderation/",
        "/moderation/2",
        "/moderation/dashboard",
        "/moderation/exceptions",
        "/admin/accounts",
        f"/admin/accounts/{owner.id}",
        "/account/two-factor",
    ]
    allowed = allowed_words()
    found: dict[str, set[str]] = {}
    for path in moderator_pages:
        found[path] = untranslated(expect(client.get(path), 200).text, allowed)
    found.update(_two_factor_pages(app, client, moderator, allowed))
    client.post("/account/logout")
    client.post("/account/login", data={"email": owner.email, "password": "a-long-enough-password"})
    # A pending invitation to co-edit: listed on /my/1, its link opened below.
    expect(client.post("/my/1/invite", data={"email": "guest@example.org"}), 302)
    with app.app_context():
        mailed = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "invitation"))
        invitation = re.search(r"(/invitation/\S+)", mailed.one().body).group(1)
    owner_pages = ["/my/", "/my/1", "/my/2/edit", "/submit/", "/submit/partnership"]
    for path in [*owner_pages, "/account/settings", "/account/export", "/account/delete"]:
        found[path] = untranslated(
            expect(client.get(path, follow_redirects=True), 200).text, allowed
        )
    client.post("/account/logout")
    for path, status in [
        ("/", 200),
        ("/browse", 200),
        ("/search?q=rivers", 200),
        ("/search?q=zzzzqqq", 200),
        ("/browse?language=en&language=42", 200),  # the language facet, an unknown value
        (slug, 200),
        ("/stats", 200),
        ("/account/login", 200),
        ("/account/register", 200),
        ("/account/forgot", 200),
        ("/account/reset/not-a-token", 400),
        ("/account/email/not-a-token", 400),
        ("/privacy", 200),
        ("/no/such/page", 404),
        (invitation, 200),
        ("/invitation/not-a-token", 400),
    ]:
        found[path] = untranslated(expect(client.get(path), status).text, allowed)
    leaks = {path: words for path, words in found.items() if words}
    assert not leaks, f"text outside gettext: {leaks}"
