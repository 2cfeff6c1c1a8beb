"""The UN M49 list of countries and areas, and its regions, in the six UN languages.

Read once from hub/data/m49.tsv and hub/data/m49_regions.tsv (reviewed data files; see
docs/countries.md). Countries are keyed by ISO 3166-1 alpha-2 code, as submissions store them;
regions by a stable key ("africa") that submissions, filters and exports use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")

# Codes the hub stored before it used M49 (ISO 3166-1 codes M49 does not list) → what an
# existing submission holds instead (migration 0018_m49). UN statistics name Taiwan
# "China, Taiwan Province of China" and M49 has no entry for it: the hub records China.
RETIRED_COUNTRIES: dict[str, str] = {"TW": "CN"}

# Region keys of the hand-ticked list the hub had before (ITU-style regions) → the M49
# regions that cover them, so that old links (/browse?region=cis) keep finding something.
RETIRED_REGIONS: dict[str, tuple[str, ...]] = {
    "arab_states": ("africa", "asia"),
    "asia_pacific": ("asia", "oceania"),
    "cis": ("europe", "asia"),
}


@dataclass(frozen=True)
class Area:
    """One country or area of M49."""

    m49: str
    alpha2: str
    alpha3: str
    region: str  # M49 code of its region ("002"), "" for none (Antarctica)
    subregion: str
    intermediate: str
    names: dict[str, str]  # language → the UN's name
    check: tuple[str, ...]  # languages whose name awaits a reviewer's check


@dataclass(frozen=True)
class Region:
    """An M49 region, sub-region or intermediate region."""

    code: str
    parent: str
    key: str  # stable key of a region ("africa"); "" for sub-regions
    names: dict[str, str]
    check: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a tab-separated data file, '#' comment lines skipped."""
    lines = [
        line.rstrip("\n")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


@cache
def areas() -> tuple[Area, ...]:
    """Every row of m49.tsv, in the file's order (by region and sub-region)."""
    return tuple(
        Area(
            m49=row["m49"],
            alpha2=row["alpha2"],
            alpha3=row["alpha3"],
            region=row["region"],
            subregion=row["subregion"],
            intermediate=row["intermediate"],
            names={lang: row[lang] for lang in LANGUAGES},
            check=tuple(row["check"].split()),
        )
        for row in _rows("m49.tsv")
    )


@cache
def by_code() -> dict[str, Area]:
    """The areas a submission can name, by ISO alpha-2 code (Sark has none)."""
    return {area.alpha2: area for area in areas() if area.alpha2}


@cache
def regions() -> dict[str, Region]:
    """Every region, sub-region and intermediate region of m49_regions.tsv, by M49 code."""
    return {
        row["code"]: Region(
            code=row["code"],
            parent=row["parent"],
            key=row["key"],
            names={lang: row[lang] for lang in LANGUAGES},
            check=tuple(row["check"].split()),
        )
        for row in _rows("m49_regions.tsv")
    }


@cache
def region_keys() -> dict[str, str]:
    """Region key → M49 code of the five regions ("africa" → "002"), in the file's order."""
    return {r.key: r.code for r in regions().values() if r.key}


def region_of(code: str) -> str:
    """The key of the M49 region a country code lies in, "" when none (Antarctica, unknown)."""
    area = by_code().get(code)
    if area is None or not area.region:
        return ""
    return regions()[area.region].key


def name(code: str, language: str) -> str:
    """The UN's name of a country or area in `language` (English when not one of the six)."""
    area = by_code()[code]
    return area.names.get(language) or area.names["en"]
