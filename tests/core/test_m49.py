"""The UN M49 list (hub/data/m49.tsv, m49_regions.tsv): well-formed, complete, the UN's names."""

from __future__ import annotations

import unicodedata

import pytest

from hub import m49, vocab

SIX = ("en", "fr", "es", "ru", "ar", "zh")


def straight(text: str) -> str:
    """Apostrophes compared alike (the UN writes ’, people type ')."""
    return unicodedata.normalize("NFC", text).replace("’", "'")


def test_every_code_is_unique_and_well_formed():
    rows = m49.areas()
    numeric = [a.m49 for a in rows]
    alpha2 = [a.alpha2 for a in rows if a.alpha2]
    alpha3 = [a.alpha3 for a in rows if a.alpha3]
    assert len(set(numeric)) == len(numeric) and all(len(c) == 3 and c.isdigit() for c in numeric)
    assert len(set(alpha2)) == len(alpha2) and all(len(c) == 2 and c.isupper() for c in alpha2)
    assert len(set(alpha3)) == len(alpha3) and all(len(c) == 3 and c.isupper() for c in alpha3)
    assert len(alpha2) == 248  # ISO 3166-1's 249 codes but Taiwan


def test_every_country_has_a_region_and_six_names():
    regions = m49.regions()
    for area in m49.areas():
        assert all(area.names[lang].strip() == area.names[lang] != "" for lang in SIX), area
        assert set(area.check) <= set(SIX), area
        if area.alpha2 == "AQ":  # Antarctica: in M49, in no region
            assert area.region == area.subregion == ""
            continue
        assert regions[area.region].key, area  # a region (one of the five)
        assert regions[area.subregion].parent == area.region, area
        if area.intermediate:
            assert regions[area.intermediate].parent == area.subregion, area


def test_regions_have_six_names_and_the_five_keys():
    for region in m49.regions().values():
        assert all(region.names[lang] for lang in SIX), region
        assert region.parent == "" or region.parent in m49.regions(), region
    assert list(m49.region_keys()) == ["africa", "americas", "asia", "europe", "oceania"]
    assert list(vocab.REGIONS) == [*m49.region_keys(), "global"]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("IR", "Iran (Islamic Republic of)"),
        ("KP", "Democratic People's Republic of Korea"),
        ("SY", "Syrian Arab Republic"),
        ("TR", "Türkiye"),
        ("BO", "Bolivia (Plurinational State of)"),
        ("VE", "Venezuela (Bolivarian Republic of)"),
        ("KR", "Republic of Korea"),
        ("MD", "Republic of Moldova"),
        ("TZ", "United Republic of Tanzania"),
        ("LA", "Lao People's Democratic Republic"),
        ("PS", "State of Palestine"),
        ("VA", "Holy See"),
        ("VN", "Viet Nam"),
        ("CI", "Côte d'Ivoire"),
        ("CZ", "Czechia"),
        ("RU", "Russian Federation"),
        ("GB", "United Kingdom of Great Britain and Northern Ireland"),
        ("HK", "China, Hong Kong Special Administrative Region"),
    ],
)
def test_the_un_names_its_countries_as_the_un_does(code, name):
    assert straight(vocab.country_name(code, "en")) == name


def test_names_in_the_other_five_languages():
    assert vocab.country_name("IR", "fr") == "Iran (République islamique d’)"
    assert vocab.country_name("SY", "es") == "República Árabe Siria"
    assert vocab.country_name("KP", "ru") == "Корейская Народно-Демократическая Республика"
    assert vocab.country_name("PS", "ar") == "دولة فلسطين"
    assert vocab.country_name("TZ", "zh") == "坦桑尼亚联合共和国"
    assert vocab.region_name("africa", "fr") == "Afrique"
    assert vocab.region_name("asia", "zh") == "亚洲"


def test_taiwan_is_not_a_choice_and_no_iso_common_name_is_left():
    assert "TW" not in vocab.country_codes()
    english = set(vocab._sorted_countries("en").values())
    for common in ("Iran", "North Korea", "South Korea", "Syria", "Turkey", "Russia", "Taiwan"):
        assert common not in english


def test_countries_sort_by_name_in_each_language():
    french = list(vocab._sorted_countries("fr").values())
    assert french == sorted(french, key=vocab.sort_key)
    assert french.index("Égypte") < french.index("Équateur") < french.index("Érythrée")


def test_the_picker_groups_countries_by_m49_region_in_the_page_language():
    groups = dict(vocab._country_groups("ar"))
    assert list(groups) == ["أفريقيا", "الأمريكتان", "آسيا", "أوروبا", "أوقيانوسيا", "أنتاركتيكا"]
    assert ("KE", "كينيا") in groups["أفريقيا"]
    assert sum(len(members) for members in groups.values()) == 248
