"""The multilingual glossary of the hub's concepts (glossary.tsv), loaded once: which terms
of the other languages a typed word or phrase stands for."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from hub.search.languages import LANGS, tokens
from hub.search.words import Form, forms_of

PATH = Path(__file__).with_name("glossary.tsv")
COLUMNS = ("en", "fr", "es", "ru", "ar", "zh")


@dataclass(frozen=True)
class Term:
    """One term of a concept, as written in the file, with its language and query forms."""

    text: str
    lang: str
    forms: tuple[Form, ...]

    @property
    def key(self) -> tuple[str, ...]:
        """Its exact forms: what a typed span must read to be this term."""
        return tuple(f.exact for f in self.forms)


@dataclass
class Glossary:
    """Concepts and their terms, looked up by exact forms or by stems of one language."""

    concepts: dict[str, list[Term]] = field(default_factory=dict)
    by_exact: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    by_stem: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    # Terms whose analysis drops a word at an edge ("e-santé" reads "santé", "ITU-T" reads
    # "ITU", "Afrique de l'Est" reads "Afrique"): found only when no whole term matches, or
    # "santé" would stand for digital health too and add its terms.
    cut_exact: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    cut_stem: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    longest: int = 1

    def add(self, concept: str, lang: str, text: str) -> None:
        """Record one term of `concept`."""
        forms = tuple(forms_of(text, (lang,)))
        if not forms:
            return
        term = Term(text, lang, forms)
        self.concepts.setdefault(concept, []).append(term)
        words = [t[0] for t in tokens(text, stops=True)]
        cut = not (words[0] and words[-1])
        (self.cut_exact if cut else self.by_exact)[term.key].add(concept)
        stems = _stem_key(forms, lang)
        if stems is not None:
            (self.cut_stem if cut else self.by_stem)[stems].add(concept)
        # A typed span may hold the stop words inside a term ("igualdad de género").
        self.longest = max(self.longest, len(words))

    def lookup(self, forms: list[Form]) -> set[str]:
        """The concepts a typed span is a term of: same exact forms, else same stems in one
        language ("healthcare" is a term; "equalities" finds "equality"); a whole term before
        one cut at an edge."""
        exact = tuple(f.exact for f in forms)
        for by_exact, by_stem in ((self.by_exact, self.by_stem), (self.cut_exact, self.cut_stem)):
            found = set(by_exact.get(exact, ()))
            if found:
                return found
            for lang in LANGS:
                key = _stem_key(tuple(forms), lang)
                if key is not None:
                    found |= by_stem.get(key, set())
            if found:
                return found
        return set()


def _stem_key(forms: tuple[Form, ...], lang: str) -> tuple[str, ...] | None:
    """The forms' stems in `lang` (None if a word cannot be in it; Chinese has none)."""
    if lang == "zh":
        return None
    out: list[str] = []
    for f in forms:
        alt = f.stem_in(lang)
        if alt is None:
            return None
        out.extend(alt)
    return tuple(out)


def parse(lines: list[str]) -> Glossary:
    """A glossary from the lines of a TSV file (header `concept<TAB>en<TAB>fr…`, `#`
    comments, terms of one language separated by ` | `)."""
    glossary = Glossary()
    header: list[str] | None = None
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            continue
        concept = cells[0].strip()
        for lang, cell in zip(header[1:], cells[1:], strict=False):
            if lang not in COLUMNS:
                continue
            for text in cell.split("|"):
                if text.strip():
                    glossary.add(concept, lang, text.strip())
    return glossary


@lru_cache(maxsize=4)
def load(path: Path = PATH) -> Glossary:
    """The glossary at `path`, read once per process."""
    return parse(path.read_text(encoding="utf-8").splitlines())
