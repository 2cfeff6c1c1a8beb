"""The fixed vocabularies: kinds, stakeholder groups, themes, regions, countries, SDGs.

Labels are English data (the API, the exports and the search index use them as they are),
marked for the catalogues (N_) and translated where they are shown: label(), translated().
Country and language names come from CLDR in the page's language (country_name(),
language_name()); a submission's own text is marked with its language (text_lang()).
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from flask_babel import gettext, npgettext, pgettext
from markupsafe import Markup

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

REGIONS: dict[str, str] = {
    "africa": N_("Africa"),
    "americas": N_("Americas"),
    "arab_states": N_("Arab States"),
    "asia_pacific": N_("Asia and the Pacific"),
    "cis": N_("Commonwealth of Independent States"),
    "europe": N_("Europe"),
    "global": N_("Global"),
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

GLOBAL = "global"


GLOBAL_LABEL = N_("Global (all countries)")


@cache
def _iso_countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → English name (pycountry): the codes the hub accepts."""
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


@cache
def _cldr(language: str) -> Locale:
    """The CLDR locale names are written in (English for a code Babel does not know)."""
    try:
        return Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT)


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in `language` (the page's by default): CLDR's ("Côte d’Ivoire",
    "科特迪瓦"), ISO's English one for a code CLDR does not name. Every country name the hub
    shows comes from here, so another list (the UN's M49 names, issue 16) is one change."""
    if code == GLOBAL:
        return gettext(GLOBAL_LABEL)
    names = _cldr(language or current_language()).territories
    return names.get(code) or _iso_countries().get(code, code)


def country_codes() -> list[str]:
    """Every country code a submission may name, 'global' first (for validation)."""
    return [GLOBAL, *_iso_countries()]


@cache
def _sorted_countries(language: str) -> dict[str, str]:
    """Code → name in `language`, sorted as a reader of it looks names up."""
    names = {code: country_name(code, language) for code in _iso_countries()}
    return dict(sorted(names.items(), key=lambda item: sort_key(item[1])))


def countries() -> dict[str, str]:
    """Code → country name in the page's language, 'global' first, the rest by name."""
    return {GLOBAL: gettext(GLOBAL_LABEL), **_sorted_countries(current_language())}


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
    text = vocabulary.get(key)
    return gettext(text) if isinstance(text, str) else str(key)


def translated(vocabulary: dict) -> dict:
    """A vocabulary with its labels in the page's language (for forms and listings)."""
    return {key: label(vocabulary, key) for key in vocabulary}


# Countries by continent (the UN's M49 regions), to group the countries of the submission
# form: a person looks for "Kenya" under Africa rather than among 250 names.
CONTINENTS: dict[str, str] = {
    "Africa": "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR "
    "LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN "
    "TZ UG YT ZA ZM ZW",
    "Americas": "AG AI AR AW BB BL BM BO BQ BR BS BV BZ CA CL CO CR CU CW DM DO EC FK GD GF GL "
    "GP GS GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US "
    "UY VC VE VG VI",
    "Asia": "AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB "
    "LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
    "Europe": "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT "
    "JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA",
    "Oceania": "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU "
    "WF WS",
    "Antarctica": "AQ",
}


CONTINENT_NAMES = {
    "Africa": N_("Africa"),
    "Americas": N_("Americas"),
    "Asia": N_("Asia"),
    "Europe": N_("Europe"),
    "Oceania": N_("Oceania"),
    "Antarctica": N_("Antarctica"),
}


def continent_label(name: str) -> str:
    """A group of the countries list in the page's language."""
    return pgettext("countries", "Other") if name == "Other" else gettext(name)


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
    """The countries (without 'global') by continent in the page's language, each sorted by
    name; a code the table above does not place (a new ISO country) is listed under "Other"
    rather than lost."""
    return _country_groups(current_language())


@cache
def _country_groups(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """country_groups() in `language`."""
    names = _sorted_countries(language)
    groups = [
        (
            CONTINENT_NAMES[continent],
            [(code, names[code]) for code in codes.split() if code in names],
        )
        for continent, codes in CONTINENTS.items()
    ]
    placed = {code for _, members in groups for code, _ in members}
    groups.append(
        (
            "Other",
            [(code, name) for code, name in names.items() if code not in placed],
        )
    )
    return [
        (continent, sorted(members, key=lambda item: sort_key(item[1])))
        for continent, members in groups
        if members
    ]


def sort_key(name: str) -> str:
    """How a name sorts in a list, in any script: Åland with the A's, Côte d'Ivoire with the
    C's, Éthiopie with the E's (marks dropped, case folded); Arabic and Cyrillic in alphabet
    order, Chinese by radical and stroke count (Unicode's order; no ICU collation here)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).casefold()
