"""The fixed vocabularies: kinds, stakeholder groups, themes, regions, countries, SDGs."""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry

KINDS: dict[str, str] = {
    "initiative": "Initiative",
    "coalition": "Coalition",
    "partnership": "Partnership",
    "concrete_action": "Concrete action",
}

STAKEHOLDER_GROUPS: dict[str, str] = {
    "member_state": "Member State",
    "sector_member": "Sector Member",
    "associate": "Associate",
    "academia": "Academia",
    "civil_society": "Civil society",
    "private_sector": "Private sector",
    "un_intergovernmental": "UN / intergovernmental",
    "individual": "Individual",
}

# AI-governance themes: the one list the forms, facets and API all use.
THEMES: dict[str, str] = {
    "standards": "Technical standards",
    "safety": "AI safety and risk management",
    "ethics": "Ethics and human rights",
    "capacity_building": "Capacity building and skills",
    "digital_divide": "Closing the digital divide",
    "data_governance": "Data governance and privacy",
    "health": "AI for health",
    "climate": "AI for climate and environment",
    "education": "AI in education",
    "public_sector": "AI in the public sector",
    "infrastructure": "Compute and digital infrastructure",
    "gender": "Gender equality and inclusion",
    "disinformation": "Information integrity",
    "open_source": "Open source and open science",
    "regulation": "Policy and regulation",
}

REGIONS: dict[str, str] = {
    "africa": "Africa",
    "americas": "Americas",
    "arab_states": "Arab States",
    "asia_pacific": "Asia and the Pacific",
    "cis": "Commonwealth of Independent States",
    "europe": "Europe",
    "global": "Global",
}

SDGS: dict[int, str] = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
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


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → English name, plus 'global', sorted by name."""
    names = {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}
    ordered = dict(sorted(names.items(), key=lambda item: item[1]))
    return {GLOBAL: "Global (all countries)", **ordered}


def label(vocabulary: dict, key: object) -> str:
    """The human label of a key, or the key itself when unknown."""
    return str(vocabulary.get(key, key))


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


@cache
def country_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The countries (without 'global') by continent, each sorted by name; a code the table
    above does not place (a new ISO country) is listed under "Other" rather than lost."""
    names = {code: name for code, name in countries().items() if code != GLOBAL}
    groups = [
        (continent, [(code, names[code]) for code in codes.split() if code in names])
        for continent, codes in CONTINENTS.items()
    ]
    placed = {code for _, members in groups for code, _ in members}
    groups.append(("Other", [(code, name) for code, name in names.items() if code not in placed]))
    return [
        (continent, sorted(members, key=lambda item: _sort_key(item[1])))
        for continent, members in groups
        if members
    ]


def _sort_key(name: str) -> str:
    """Åland sorts with the A's, Côte d'Ivoire with the C's."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
