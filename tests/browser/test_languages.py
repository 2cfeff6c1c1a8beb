"""The hub in other languages in a real browser: the switcher with and without script keeps
what was typed, right-to-left Arabic, and screenshots of French pages to look at."""

from __future__ import annotations

from typing import Any

import pytest

from browser_steps import OUTPUT, click_and_wait, login

SHOTS = OUTPUT / "screenshots" / "languages"


def shoot(page: Any, name: str) -> None:
    """A full-page screenshot under tests/output/…/screenshots/languages/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_french_public_pages(new_context, published, expect):
    page = new_context().new_page()
    page.goto("/")
    click_and_wait(page, "button[name=hub_lang][value=fr]")
    assert page.url.endswith("/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Plateforme des partenariats")
    shoot(page, "fr-home")
    page.goto("/fr/browse")
    expect(page.locator("#results-title")).to_contain_text("résultats")
    shoot(page, "fr-browse")
    page.goto(f"/fr/s/{published[0]['slug']}")
    expect(page.locator("#facts-title")).to_have_text("Informations")
    shoot(page, "fr-detail")
    page.goto("/fr/stats")
    shoot(page, "fr-stats")
    page.goto("/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shoot(page, "ar-home")


@pytest.mark.parametrize("script", [False, True], ids=["without-js", "with-js"])
def test_switching_language_keeps_the_typed_submission(hub, new_context, expect, script):
    email = hub.create_user(email=f"switch-{script}@example.org")
    page = new_context(java_script_enabled=script).new_page()
    login(page, email)
    page.goto("/submit/initiative")
    page.fill("#title", "Des rivières propres pour tous")
    page.fill("#summary", "Un résumé à ne pas perdre.")
    click_and_wait(page, "button[name=hub_lang][value=fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#title")).to_have_value("Des rivières propres pour tous")
    expect(page.locator("#summary")).to_have_value("Un résumé à ne pas perdre.")
    expect(page.locator("h1")).to_have_text("Nouvelle initiative")
    shoot(page, f"fr-submission-form-{'js' if script else 'nojs'}")


# What the stylesheets name for each script (static/hub.css, --fonts-arabic and
# --fonts-chinese) among the fonts a Debian machine can have.
SCRIPT_FONTS = {
    "ar": {"Noto Sans Arabic UI", "Noto Sans Arabic"},
    "zh": {"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC"},
}


@pytest.mark.parametrize("language", ["ar", "zh"])
def test_arabic_and_chinese_are_drawn_in_fonts_made_for_them(
    script_fonts, published, page, language
):
    """The home page's heading and the switcher's own name of the language are drawn in a
    font of the stylesheets' stack made for the script (no empty boxes, no fallback)."""
    page.goto(f"/{language}/")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for selector in ("h1", "button[aria-current=true]"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        drawn = {font["familyName"] for font in fonts if font["glyphCount"]}
        assert drawn and drawn <= SCRIPT_FONTS[language], (selector, fonts, script_fonts)
