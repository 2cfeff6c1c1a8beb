"""The fixed vocabularies: kinds, stakeholder groups, themes, regions, countries, SDGs."""

from __future__ import annotations

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
