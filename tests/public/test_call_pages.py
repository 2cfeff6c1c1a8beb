"""The call on the home and about pages: texts per language with English fallback, the
cutoff in the display zone, Markdown rendered inert, and the page cache kept fresh."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from hub.admin.call import FIELD_NAMES
from hub.admin.calledit import save_call
from hub.admin.markup import render_markdown
from hub.auth.models import User
from hub.extensions import db

from helpers import expect


def _save(app, admin_id: int, language: str, **values: str) -> None:
    with app.test_request_context():
        fields = {name: values.get(name, "") for name in FIELD_NAMES}
        save_call(language, fields, db.session.get(User, admin_id))
        db.session.commit()


ENGLISH = {
    "call_name": "Call for contributions 2027",
    "event_name": "AI for Good Global Summit",
    "dates": "7–10 July 2027",
    "venue": "Palexpo, Geneva",
    "organiser": "International Telecommunication Union",
    "summary": "Share your **initiative**.",
    "documents": "Circular letter | https://www.itu.int/circular.pdf",
    "eligibility": "Member States, Sector Members, Associates and academia.",
    "after_submission": "Moderators review each contribution.",
    "faq": "## May I submit twice?\n\nYes.",
    "contact_email": "call@example.org",
}


# --- With no call saved ---------------------------------------------------------------------


def test_with_no_call_saved_the_home_and_about_pages_read_well(client):
    home = expect(client.get("/"), 200).text
    assert "<h1>Partnerships Hub</h1>" in home and "share their initiatives" in home
    about = expect(client.get("/about"), 200).text
    assert "<h1>About the call</h1>" in about and "share their initiatives" in about
    assert "Fill in the call" not in home + about


def test_admins_see_a_hint_to_fill_in_the_call_until_it_is_saved(app, client, auth, admin):
    auth.login(admin)
    assert 'href="/admin/call"' in client.get("/").text
    assert "Fill in the call" in client.get("/about").text
    _save(app, admin.id, "en", **ENGLISH)
    assert "Fill in the call" not in client.get("/").text


def test_every_page_links_to_the_about_page_in_every_language(client):
    for prefix in ("", "/fr", "/ar", "/zh", "/ru", "/es"):
        assert 'href="' + prefix + '/about"' in client.get(prefix + "/browse").text


# --- With a call ----------------------------------------------------------------------------


def test_the_call_is_shown_on_the_home_and_about_pages_with_the_cutoff(app, client, clock, admin):
    clock.close_at = datetime(2027, 3, 31, 21, 59, tzinfo=UTC)  # 23:59 in Geneva (CEST)
    _save(app, admin.id, "en", **ENGLISH)
    home = client.get("/").text
    for text in ("Call for contributions 2027", "AI for Good Global Summit", "Palexpo, Geneva"):
        assert text in home
    assert "Share your <strong>initiative</strong>." in home
    assert 'href="https://www.itu.int/circular.pdf"' in home and "Circular letter" in home
    assert "31 March 2027" in home and "23:59" in home and "Geneva time" in home
    about = client.get("/about").text
    assert "Member States, Sector Members, Associates and academia." in about
    assert "Moderators review each contribution." in about
    assert "<h3>May I submit twice?</h3>" in about
    assert 'href="mailto:call@example.org"' in about


def test_an_empty_field_in_a_language_shows_the_english_text_marked_as_english(app, client, admin):
    _save(app, admin.id, "en", **ENGLISH)
    _save(app, admin.id, "fr", call_name="Appel à contributions 2027", venue="Palexpo, Genève")
    about = client.get("/fr/about").text
    assert "<h1>Appel à contributions 2027</h1>" in about
    assert "<dd>Palexpo, Genève</dd>" in about
    # Not written in French: the English text, with its language said.
    assert '<dd lang="en" dir="ltr">AI for Good Global Summit</dd>' in about
    assert 'lang="en" dir="ltr"><p>Member States' in about
    arabic = client.get("/ar/about").text
    assert '<h1 lang="en" dir="ltr">Call for contributions 2027</h1>' in arabic
    # English readers never see the French text.
    assert "Genève" not in client.get("/en/about").text


# --- Markdown rendered inert ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        '<a href="javascript:alert(1)">x</a>',
        "[x](<javascript:alert(1)>)",
        "![x](javascript:alert(1))",
    ],
)
def test_markdown_with_html_or_script_links_renders_inert(text):
    elements = _elements(str(render_markdown(text)))
    # What was typed is shown as text in a paragraph: no script, image, handler or link.
    assert elements == [("p", [])], elements


def _elements(html: str) -> list[tuple[str, list]]:
    """The (tag, attributes) of every element in a piece of HTML, as a browser parses it."""
    found: list[tuple[str, list]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            found.append((tag, attrs))

    Parser().feed(html)
    return found


def test_markdown_links_keep_http_and_mailto_with_nofollow_noopener():
    html = str(render_markdown("[ITU](https://www.itu.int) and [us](mailto:call@example.org)"))
    assert '<a href="https://www.itu.int" rel="nofollow noopener">ITU</a>' in html
    assert '<a href="mailto:call@example.org" rel="nofollow noopener">us</a>' in html


def test_a_malicious_faq_saved_by_an_admin_is_inert_on_the_about_page(app, client, admin):
    _save(app, admin.id, "en", faq="<script>alert(1)</script> [x](javascript:alert(1))")
    about = client.get("/about").text
    assert "<script>alert(1)" not in about and 'href="javascript' not in about
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in about


def test_a_document_link_written_behind_the_forms_back_is_only_ever_http(app, client, admin):
    _save(app, admin.id, "en", documents="Bad | javascript:alert(1)\nGood | https://example.org/c")
    home = client.get("/").text
    assert 'href="javascript' not in home and 'href="https://example.org/c"' in home


# --- The page cache -------------------------------------------------------------------------


def test_saving_the_call_shows_on_cached_home_and_about_pages_at_once(app, client, auth, admin):
    app.config["HUB_PAGE_CACHE"] = 32
    _save(app, admin.id, "en", call_name="First call")
    _save(app, admin.id, "fr", call_name="Premier appel")
    for path in ("/", "/about", "/fr/", "/fr/about"):
        client.get(path)
    assert "First call" in client.get("/").text
    assert "Premier appel" in client.get("/fr/about").text
    auth.login(admin)
    expect(
        client.post(
            "/admin/call?language=fr",
            data={name: "Deuxième appel" if name == "call_name" else "" for name in FIELD_NAMES},
        ),
        303,
    )
    auth.logout()
    assert "Deuxième appel" in client.get("/fr/").text
    assert "Deuxième appel" in client.get("/fr/about").text
    assert "First call" in client.get("/about").text  # the English text did not change


# --- The demo -------------------------------------------------------------------------------


def test_seed_demo_gives_a_realistic_call_in_english_and_french(app, client, admin):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--count", "3"])
    assert result.exit_code == 0, result.output
    assert "Global Digital Cooperation Summit 2027" in client.get("/").text
    about = client.get("/fr/about").text
    assert "Sommet mondial sur la coopération numérique 2027" in about
    assert "Questions fréquentes" in about or "Puis-je modifier ma contribution" in about
    # A call an admin wrote is never replaced by the demo's.
    _save(app, admin.id, "en", call_name="The call the admins wrote")
    app.test_cli_runner().invoke(args=["seed-demo", "--count", "1"])
    assert "The call the admins wrote" in client.get("/").text
