"""The fixed vocabularies: kinds, stakeholder groups, themes, regions, countries, SDGs.

Labels are English data (the API, the exports and the search index use them as they are),
marked for the catalogues (N_) and translated where they are shown: label(), translated().
Countries and regions are the UN's M49 list with the UN's names in the six languages
(hub/m49.py, hub/data/m49.tsv: country_name(), region_name()); a submission's regions follow
from its countries (regions_for()). Language names come from CLDR (language_name()); a
submission's own text is marked with its language (text_lang()).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from flask_babel import gettext, npgettext, pgettext
from markupsafe import Markup

from hub import m49
from hub.i18n import DEFAULT, N_, TAGS, current_language

KINDS: dict[str, str] = {
    "initiative": N_("Initiative"),
    "coalition": N_("Coalition"),
    "partnership": N_("Partnership"),
    "concrete_action": N_("Concrete action"),
}

STAKEHOLDER_GROUPS: dict[str, str] = {
    "member_state": N_("Member State"),
    "sector_member": N_("Sector Member"),
    "associate": N_("Associate"),
    "academia": N_("Academia"),
    "civil_society": N_("Civil society"),
    "private_sector": N_("Private sector"),
    "un_intergovernmental": N_("UN / intergovernmental"),
    "individual": N_("Individual"),
}

# AI-governance themes: the one list the forms, facets and API all use.
THEMES: dict[str, str] = {
    "standards": N_("Technical standards"),
    "safety": N_("AI safety and risk management"),
    "ethics": N_("Ethics and human rights"),
    "capacity_building": N_("Capacity building and skills"),
    "digital_divide": N_("Closing the digital divide"),
    "data_governance": N_("Data governance and privacy"),
    "health": N_("AI for health"),
    "climate": N_("AI for climate and environment"),
    "education": N_("AI in education"),
    "public_sector": N_("AI in the public sector"),
    "infrastructure": N_("Compute and digital infrastructure"),
    "gender": N_("Gender equality and inclusion"),
    "disinformation": N_("Information integrity"),
    "open_source": N_("Open source and open science"),
    "regulation": N_("Policy and regulation"),
}

GLOBAL = "global"

# The five M49 regions (key → English name, as the API and exports give them), then "global"
# for a submission that ticked "Global (all countries)". Names in the page's language:
# region_name() (from hub/data/m49_regions.tsv, not the catalogues).
REGIONS: dict[str, str] = {
    **{key: m49.regions()[code].names["en"] for key, code in m49.region_keys().items()},
    GLOBAL: N_("Global"),
}

SDGS: dict[int, str] = {
    1: N_("No poverty"),
    2: N_("Zero hunger"),
    3: N_("Good health and well-being"),
    4: N_("Quality education"),
    5: N_("Gender equality"),
    6: N_("Clean water and sanitation"),
    7: N_("Affordable and clean energy"),
    8: N_("Decent work and economic growth"),
    9: N_("Industry, innovation and infrastructure"),
    10: N_("Reduced inequalities"),
    11: N_("Sustainable cities and communities"),
    12: N_("Responsible consumption and production"),
    13: N_("Climate action"),
    14: N_("Life below water"),
    15: N_("Life on land"),
    16: N_("Peace, justice and strong institutions"),
    17: N_("Partnerships for the goals"),
}

LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
    "pt": "Português",
    "de": "Deutsch",
    "other": "Other",
}

GLOBAL_LABEL = N_("Global (all countries)")


@cache
def _cldr(language: str) -> Locale:
    """The CLDR locale language names are written in (English for a code Babel does not know)."""
    try:
        return Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT)


def country_name(code: str, language: str | None = None) -> str:
    """A country's or area's name in `language` (the page's by default) as the UN writes it
    ("Iran (Islamic Republic of)", "Côte d’Ivoire", "科特迪瓦"); the code itself when M49
    does not list it. Every country name the hub shows comes from here."""
    if code == GLOBAL:
        return gettext(GLOBAL_LABEL)
    if code not in m49.by_code():
        return code
    return m49.name(code, language or current_language())


def country_codes() -> list[str]:
    """Every country code a submission may name, 'global' first (for validation)."""
    return [GLOBAL, *m49.by_code()]


@cache
def _sorted_countries(language: str) -> dict[str, str]:
    """Code → name in `language`, sorted as a reader of it looks names up."""
    names = {code: m49.name(code, language) for code in m49.by_code()}
    return dict(sorted(names.items(), key=lambda item: sort_key(item[1])))


def countries() -> dict[str, str]:
    """Code → country name in the page's language, 'global' first, the rest by name."""
    return {GLOBAL: gettext(GLOBAL_LABEL), **_sorted_countries(current_language())}


def region_name(key: str, language: str | None = None) -> str:
    """An M49 region's name in `language` (the page's by default), "Global" for 'global',
    the key itself when unknown."""
    if key == GLOBAL:
        return gettext(REGIONS[GLOBAL])
    code = m49.region_keys().get(key)
    if code is None:
        return key
    names = m49.regions()[code].names
    return names.get(language or current_language()) or names["en"]


def regions_for(codes: object) -> list[str]:
    """The regions a list of country codes lies in, in REGIONS' order, 'global' last when
    "Global (all countries)" is among them: a submission never picks its regions itself."""
    chosen = set(codes) if isinstance(codes, list | tuple | set) else set()
    found = {m49.region_of(code) for code in chosen if isinstance(code, str)}
    if GLOBAL in chosen:
        found.add(GLOBAL)
    return [key for key in REGIONS if key in found]


def language_name(code: str, language: str | None = None) -> str:
    """The name of a text's language (LANGUAGES) in `language` (the page's by default),
    from CLDR: "French" on an English page, "французский" → "Французский" on a Russian one."""
    if code == "other":
        return pgettext("language", "Other")
    name = _cldr(language or current_language()).languages.get(code)
    if not name:
        return LANGUAGES.get(code, code)
    return name[:1].upper() + name[1:]  # a label, not a word inside a sentence


def text_tag(code: object) -> str:
    """The BCP 47 tag of a text's language ("zh-Hans" for "zh"), "" when unknown ("other")."""
    if not isinstance(code, str) or code not in LANGUAGES or code == "other":
        return ""
    return TAGS.get(code, code)


@cache
def _text_marks(code: str) -> Markup:
    """The lang and dir attributes of a text written in `code`."""
    tag = text_tag(code)
    if not tag:  # the language is unknown ("other"): the browser guesses the direction
        return Markup(' lang="" dir="auto"')
    rtl = _cldr(code).character_order == "right-to-left"
    return Markup(f' lang="{tag}" dir="{"rtl" if rtl else "ltr"}"')


def text_lang(code: object) -> Markup:
    """' lang="ar" dir="rtl"': the attributes that mark a submitter's text with its own
    language, whatever the page's (screen readers, fonts, hyphenation and bidi follow it).
    Any right-to-left language CLDR knows (Arabic, Persian, Hebrew, Urdu…) gets dir="rtl"."""
    return _text_marks(code if isinstance(code, str) and code in LANGUAGES else "other")


def label(vocabulary: dict, key: object) -> str:
    """The human label of a key in the page's language, or the key itself when unknown."""
    if vocabulary is LANGUAGES:
        return language_name(str(key))
    if vocabulary is REGIONS:
        return region_name(str(key))
    text = vocabulary.get(key)
    return gettext(text) if isinstance(text, str) else str(key)


def translated(vocabulary: dict) -> dict:
    """A vocabulary with its labels in the page's language (for forms and listings)."""
    return {key: label(vocabulary, key) for key in vocabulary}


def continent_label(name: str) -> str:
    """A group heading of the countries list: country_groups() gives region names already in
    the page's language; "Other" (the areas of no M49 region: Antarctica) is translated here."""
    return pgettext("countries", "Other") if name == "Other" else name


def kind_count_label(kind: str, count: int) -> str:
    """A kind's name after a count ("3 Initiatives"): plural forms differ per language."""
    forms = {
        "initiative": npgettext("count", "Initiative", "Initiatives", count),
        "coalition": npgettext("count", "Coalition", "Coalitions", count),
        "partnership": npgettext("count", "Partnership", "Partnerships", count),
        "concrete_action": npgettext("count", "Concrete action", "Concrete actions", count),
    }
    return forms.get(kind, kind)


def country_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The countries (without 'global') by M49 region in the page's language, each sorted by
    name; the areas of no region (Antarctica) come last."""
    return _country_groups(current_language())


@cache
def _country_groups(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """country_groups() in `language`."""
    names = _sorted_countries(language)
    members: dict[str, list[tuple[str, str]]] = {key: [] for key in m49.region_keys()}
    members["Other"] = []
    for code, name in names.items():  # already sorted by name
        members[m49.region_of(code) or "Other"].append((code, name))
    # The areas of no region (Antarctica alone today) are headed by their own name.
    alone = members["Other"][0][1] if len(members["Other"]) == 1 else "Other"
    return [
        (alone if key == "Other" else region_name(key, language), found)
        for key, found in members.items()
        if found
    ]


def sort_key(name: str) -> str:
    """How a name sorts in a list, in any script: Åland with the A's, Côte d'Ivoire with the
    C's, Éthiopie with the E's (marks dropped, case folded); Arabic and Cyrillic in alphabet
    order, Chinese by radical and stroke count (Unicode's order; no ICU collation here)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).casefold()
