"""How text is analysed and what one index document holds (public text only)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from whoosh import fields, scoring
from whoosh.analysis import Analyzer, Token, Tokenizer
from whoosh.support.charset import accent_map

from hub.search.languages import (
    LATIN,
    STOPWORDS,
    TOKEN,
    guess_language,
    script_langs,
    stems_of,
    strip_marks,
    tokens,
    words_of,
)

# What each text of a submission weighs: title > summary > organisation/partners >
# description. The texts are held in two fields, their exact word forms (WORDS) and their
# stems in the document's language (STEMS, weighted lower at query time, see
# hub.search.words): one posting list per word (and per language of its stem), not one per
# text, so a query word reads two or three lists instead of a dozen.
WEIGHTS = {"title": 5.0, "summary": 2.5, "orgs": 1.6, "description": 1.0}
# A stem weighs less than the exact form (STEM_WEIGHT, hub.search.words) and the texts
# other than the title weigh alike: a stem in a description is nearly as good a sign as
# one in a summary (measured: bench/relevance.py, docs/search-quality.md).
STEM_WEIGHTS = {"title": 5.0, "summary": 2.0, "orgs": 2.0, "description": 2.0}
WORDS, STEMS = "words", "stems"
# Each posting's weight is the word's score in the document, computed when the document is
# indexed (an "impact"): BM25 of its count in each text, normalised by that text's length
# against a typical length, times the text's weight; the best text counts in full, the
# others TIE of theirs (DisjunctionMax: a word repeated in the summary and the description
# does not outscore a title that is about it). The query multiplies it by the word's idf.
# Typical lengths in words (a fixed yardstick, so that adding a document never changes the
# others' scores): the demo's and the benchmark corpus's texts.
TYPICAL_LENGTH = {"title": 8, "summary": 40, "orgs": 12, "description": 250}
K1, B = 1.2, 0.75  # Whoosh's BM25F defaults
TIE = 0.1
# Positions left between two texts of a field: a phrase never runs from one into the next.
GAP = 100


def weighting() -> scoring.WeightingModel:
    """How the hub's searchers score a match: the posting's weight (its impact) × idf."""
    return scoring.TF_IDF()


def impacts(
    texts: Iterable[tuple[str, list[str]]], weights: dict[str, float] = WEIGHTS
) -> dict[str, float]:
    """The impact of each word of a document's texts (see WEIGHTS)."""
    per_word: dict[str, list[float]] = {}
    for name, words in texts:
        if not words:
            continue
        norm = K1 * (1 - B + B * len(words) / TYPICAL_LENGTH[name])
        for word, count in Counter(words).items():
            score = weights[name] * count * (K1 + 1) / (count + norm)
            per_word.setdefault(word, []).append(score)
    return {w: max(s) + TIE * (sum(s) - max(s)) for w, s in per_word.items()}


# What the analysis does; stored with every index generation, so an index built by an older
# analysis is rebuilt instead of silently missing words (bump on any change below).
# 3: the unstemmed word fields. 4: exact forms + language-tagged stems per field, the six
# UN languages analysed (hub.search.languages), no all_fr, a language field, spell words
# tagged with their language. 5: the facet record holds the language of the text (facet
# "language"). 6: one field of exact forms and one of stems, the words' scores computed at
# index time (impacts) from their texts' weights and lengths.
ANALYSIS_VERSION = 6


class WordTokenizer(Tokenizer):
    """hub.search.languages.tokens() as Whoosh tokens: the exact forms of a text, with
    positions and character offsets (the highlighter and "similar items" analyse with it)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Any:
        """Yield one token per exact form."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for word, start, end, _run in tokens(value, stops=not removestops):
            t.text = t.original = word
            t.boost = 1.0
            t.stopped = not word
            if positions:
                t.pos = pos
            pos += bool(word)
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def word_analyzer() -> Analyzer:
    """The exact forms of a text as a Whoosh analyzer."""
    return WordTokenizer()


class Texts(tuple):
    """A document's analysed texts for one field: (text name, words) pairs."""


class WeightedText(fields.TEXT):
    """A TEXT field indexed from Texts: a posting's weight is the word's impact in the
    document (see WEIGHTS), and GAP positions separate the texts. A plain string is analysed
    as usual (what "similar items" does with key_terms_from_text)."""

    def __init__(self, weights: dict[str, float], **kwargs: Any) -> None:
        """A field whose texts weigh `weights`."""
        super().__init__(**kwargs)
        self.weights = weights

    def index(self, value: Any, **kwargs: Any) -> Any:
        """(word bytes, frequency, weight, encoded positions) of each distinct word."""
        if not isinstance(value, Texts):
            yield from super().index(value, **kwargs)
            return
        positions: dict[str, list[int]] = {}
        pos = 0
        for _name, words in value:
            for word in words:
                positions.setdefault(word, []).append(pos)
                pos += 1
            pos += GAP
        scores = impacts(value, self.weights)
        for word, at in positions.items():
            yield word.encode(), len(at), scores[word], self.format.encode(at)


def make_schema() -> fields.Schema:
    """The exact-form and stem fields (texts weighted at index time), the text's language,
    the language-tagged spelling vocabulary, facets."""
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        language=fields.ID(),
        spell=fields.KEYWORD(lowercase=False, commas=False),
        **{WORDS: WeightedText(WEIGHTS, analyzer=word_analyzer())},
        **{STEMS: WeightedText(STEM_WEIGHTS, analyzer=word_analyzer())},
        # Everything the listing needs to filter, count and sort, read per segment at once.
        facets=fields.COLUMN(),
    )


def timestamp(instant: datetime | None) -> float:
    """Seconds since the epoch (SQLite hands back naive UTC)."""
    if instant is None:
        return 0.0
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.timestamp()


def sort_title(title: str) -> str:
    """A title key that sorts 'Écoles' with 'ecoles'."""
    return title.casefold().translate(accent_map).strip()


def make_document(
    item_id: int,
    *,
    title: str,
    summary: str,
    orgs: str,
    description: str,
    language: str | None,
    facets: dict[str, Any],
) -> dict[str, Any]:
    """The index document of one public item, from its public texts and facet record.

    Every text is analysed once, in the document's language (the declared one unless the
    text plainly reads otherwise), and handed to Whoosh as weighted lists of words (see
    WeightedText). "Did you mean" draws its words from the titles, summaries and
    organisation names only (the words people search for), tagged with their language.
    """
    texts = {"title": title, "summary": summary, "orgs": orgs, "description": description}
    lang = guess_language("\n".join((title, summary, description[:2000])), language)
    doc: dict[str, Any] = {
        "id": str(item_id),
        "language": lang,
        "spell": spell_words("\n".join((title, summary, orgs)), lang),
        "facets": json.dumps(facets, separators=(",", ":")).encode(),
    }
    doc[WORDS] = Texts((name, words_of(text)) for name, text in texts.items())
    doc[STEMS] = Texts((name, stems_of(text, lang)) for name, text in texts.items())
    return doc


def spell_words(text: str, lang: str) -> list[str]:
    """Whole lowercased words as written, tagged with their language ("en:governance"): the
    vocabulary "did you mean" draws from (a Latin-script word takes the text's language)."""
    out = set()
    for m in TOKEN.finditer(text):
        word = strip_marks(m.group().lower())
        if len(word) < 3 or word in STOPWORDS or not word.isalpha():
            continue
        langs = script_langs(word)
        out.add(f"{lang if langs is LATIN and lang in LATIN else langs[0]}:{word}")
    return sorted(out)
