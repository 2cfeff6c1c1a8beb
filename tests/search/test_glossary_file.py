"""The search glossary (hub/search/glossary.tsv): a reviewed data file search expands queries
with, so a broken line or a term in the wrong script would quietly add wrong words to searches."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "hub" / "search" / "glossary.tsv"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")
HEADER = "concept\t" + "\t".join(LANGS)
CONCEPT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def read_glossary() -> tuple[list[str], list[tuple[int, str, dict[str, list[str]]]]]:
    """The non-comment lines: the header line's fields, then (line number, concept, terms by
    language) for every concept."""
    header: list[str] = []
    rows = []
    for number, line in enumerate(GLOSSARY.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header:
            header = fields
            continue
        assert len(fields) == 7, f"line {number}: {len(fields)} fields, not 7: {line[:80]}"
        concept, cells = fields[0], fields[1:]
        terms = {lang: cell.split(" | ") for lang, cell in zip(LANGS, cells, strict=True)}
        rows.append((number, concept, terms))
    return header, rows


@pytest.fixture(scope="module")
def glossary() -> list[tuple[int, str, dict[str, list[str]]]]:
    """The parsed concepts."""
    header, rows = read_glossary()
    assert "\t".join(header) == HEADER
    return rows


def _script(char: str) -> str:
    """'ar', 'zh', 'ru' or 'latin' for a letter, '' for anything else."""
    if not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    if name.startswith("ARABIC"):
        return "ar"
    if name.startswith("CJK"):
        return "zh"
    if name.startswith("CYRILLIC"):
        return "ru"
    return "latin" if name.startswith("LATIN") else name.split()[0].lower()


def test_the_header_comes_first_so_any_tsv_reader_finds_it() -> None:
    first = GLOSSARY.read_text(encoding="utf-8").splitlines()[0]
    assert first == HEADER


def test_at_least_300_concepts_with_unique_ids(glossary) -> None:
    ids = [concept for _, concept, _ in glossary]
    assert len(ids) >= 300
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    badly_named = [i for i in ids if not CONCEPT_ID.fullmatch(i)]
    assert not badly_named


def test_every_cell_has_terms_in_all_six_languages(glossary) -> None:
    for number, concept, cells in glossary:
        for lang, terms in cells.items():
            assert terms and all(terms), f"line {number} {concept}: empty {lang} cell or term"
            for term in terms:
                assert term == term.strip() and "  " not in term, f"line {number}: {term!r}"
                assert "|" not in term, f"line {number} {concept} {lang}: separator without spaces"
            assert len(terms) == len(set(terms)), f"line {number} {concept}: a {lang} term twice"


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_terms_are_written_in_their_language_s_script(glossary, lang) -> None:
    """Arabic in Arabic script, Chinese in Han characters, Russian in Cyrillic; Latin capitals
    only in an acronym or code (ITU-T, 5G), and never as the preferred first term."""
    wrong = []
    for number, concept, cells in glossary:
        terms = cells[lang]
        if not any(_script(c) == lang for c in terms[0]):
            wrong.append(f"line {number} {concept}: first {lang} term {terms[0]!r}")
        for term in terms:
            scripts = {_script(c) for c in term} - {""}
            # Latin capitals may stand in an acronym or code: ITU-T, МСЭ-D, X光, COVID-19.
            latin = [c for c in term if _script(c) == "latin"]
            if scripts - {lang, "latin"} or any(c.islower() for c in latin):
                wrong.append(f"line {number} {concept}: {lang} term {term!r} mixes {scripts}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_latin_script_languages_hold_no_other_script(glossary, lang) -> None:
    wrong = [
        f"line {number} {concept}: {term!r}"
        for number, concept, cells in glossary
        for term in cells[lang]
        if {_script(c) for c in term} - {"", "latin"}
    ]
    assert not wrong, "\n".join(wrong)


def test_the_concepts_the_issue_names_are_there_in_un_usage(glossary) -> None:
    by_id = {concept: cells for _, concept, cells in glossary}
    expected = {
        "artificial-intelligence": ("AI", "IA", "IA", "ИИ", "الذكاء الاصطناعي", "人工智能"),
        "health": ("health", "santé", "salud", "здравоохранение", "الصحة", "卫生"),
        "member-states": (
            "Member States",
            "États Membres",
            "Estados Miembros",
            "государства-члены",
            "الدول الأعضاء",
            "会员国",
        ),
        "civil-society": (
            "civil society",
            "société civile",
            "sociedad civil",
            "гражданское общество",
            "المجتمع المدني",
            "民间社会",
        ),
        "itu": ("ITU", "UIT", "UIT", "МСЭ", "الاتحاد الدولي للاتصالات", "国际电联"),
    }
    for concept, terms in expected.items():
        for lang, term in zip(LANGS, terms, strict=True):
            assert term in by_id[concept][lang], f"{concept}: {term!r} not in {lang}"
    for concept in (
        "data",
        "governance",
        "gender-equality",
        "education",
        "climate",
        "digital-inclusion",
        "capacity-building",
        "unesco",
    ):
        assert concept in by_id


def test_each_sdg_has_its_number_and_the_hub_s_short_name_in_every_language(glossary) -> None:
    """The short names are those of the hub's reviewed interface glossary (docs/glossary.json),
    so search and the SDG facet speak alike."""
    by_id = {concept: cells for _, concept, cells in glossary}
    reviewed = json.loads((ROOT / "docs" / "glossary.json").read_text(encoding="utf-8"))
    short = {t["id"]: t for t in reviewed["terms"] if t["id"].startswith("sdg.")}
    numbered = {"en": "SDG {n}", "fr": "ODD {n}", "es": "ODS {n}", "ru": "ЦУР {n}"}
    for n in range(1, 18):
        cells = by_id[f"sdg-{n}"]
        for lang in LANGS:
            # The interface's French keeps its no-break spaces (« zéro »); search text does not.
            name = re.sub(r"[\u00a0\u202f]", " ", short[f"sdg.{n}"][lang])
            assert name in cells[lang], f"SDG {n} {lang}: {name!r}"
            assert len(cells[lang]) >= 3, f"SDG {n} {lang}: number, short and official name"
        for lang, pattern in numbered.items():
            assert cells[lang][0] == pattern.format(n=n)
        assert cells["zh"][0] == f"可持续发展目标{n}"
