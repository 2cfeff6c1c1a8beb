"""How text is analysed and what one index document holds (public text only)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from whoosh import fields
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

# "AI" and "IA" are what this hub is about; French "ai" (j'ai) must not be dropped as noise.
KEEP = {"ai", "ia"}
STOPWORDS = frozenset((stopwords_for_language("en") | stopwords_for_language("fr")) - KEEP)

# Field boosts: title > summary > organisation/partners > description.
BOOSTS = {"title": 4.0, "summary": 2.5, "orgs": 1.6, "description": 1.0, "all_fr": 0.9}
TEXT_FIELDS = tuple(BOOSTS)
# Unstemmed twins of the English fields, where word beginnings ("governa*") are looked up:
# the stemmed fields hold "govern" for "governance", so a beginning longer than the stem
# found nothing there. One twin per boosted field (not one field for all) keeps a title hit
# above a description hit at the same indexing cost (docs/performance.md); all_fr needs no
# twin, it holds the same words as the four together.
WORD_FIELDS = {
    "title": "title_words",
    "summary": "summary_words",
    "orgs": "orgs_words",
    "description": "description_words",
}


# What the analysis does; stored with every index generation, so an index built by an older
# analysis is rebuilt instead of silently missing words (bump on any change below).
# 3: the unstemmed word fields (WORD_FIELDS).
# 4: the facet record holds the language of the text (facet "language").
ANALYSIS_VERSION = 4

# French elision: "l'IA", "d'éthique", "qu'elle", "jusqu'à" are the word after the apostrophe.
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
# A word, with the apostrophes inside it ("l'IA", "aujourd’hui"): elisions are dropped later.
_TOKEN = r"\w+(?:['’]\w+)*"
_WORDS = re.compile(_TOKEN)
# English plurals Snowball leaves alone; the words people write about here.
_IRREGULAR_EN = {
    "children": "child",
    "women": "woman",
    "men": "man",
    "analyses": "analysis",
    "criteria": "criterion",
    "phenomena": "phenomenon",
}


class ElisionFilter(Filter):
    """Drop French elided articles and pronouns ("l'", "d'", "qu'") from the word after them,
    with either apostrophe, so "l'IA" is indexed and found as "ia"."""

    def __call__(self, tokens):
        """Yield each token without its elided prefix."""
        for t in tokens:
            text = t.text.replace("’", "'")
            m = _ELISION.match(text)
            if m:
                text = text[m.end() :]
                if getattr(t, "startchar", None) is not None:
                    t.startchar += m.end()  # highlight the word, not its article
            t.text = text
            yield t


class EnglishIrregularFilter(Filter):
    """Map irregular English plurals to their singular (children → child) before stemming."""

    is_morph = True

    def __call__(self, tokens):
        """Yield each token, irregular plurals replaced."""
        for t in tokens:
            t.text = _IRREGULAR_EN.get(t.text, t.text)
            yield t


class FrenchFeminineFilter(Filter):
    """Once accents are folded, "formée(s)" reads "formee(s)", which French Snowball does not
    recognise as a participle: fold it to "formé(s)" ("forme(s)") so it stems like "former"."""

    is_morph = True

    def __call__(self, tokens):
        """Yield each token, a folded feminine participle ending shortened."""
        for t in tokens:
            text = t.text
            if len(text) > 4 and text.endswith("ee"):
                t.text = text[:-1]
            elif len(text) > 5 and text.endswith("ees"):
                t.text = text[:-2] + "s"
            yield t


def word_analyzer() -> Analyzer:
    """Words, lowercased and accent-folded, elisions and stop words dropped: not stemmed."""
    return (
        RegexTokenizer(_TOKEN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | ElisionFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
    )


def text_analyzer(lang: str) -> Analyzer:
    """The words of word_analyzer(), Snowball-stemmed for `lang`.

    Folding before stemming means 'developpement' and 'développement' share one stem, so a
    query typed without accents finds accented text and the other way round.
    """
    chain = word_analyzer()
    chain = chain | (EnglishIrregularFilter() if lang == "en" else FrenchFeminineFilter())
    return chain | StemFilter(lang=lang, cachesize=50000)


def fold_word(word: str) -> str:
    """One word (or word beginning) as word_analyzer() gives it: lowercased, accent-folded,
    without its French elision."""
    word = word.lower().translate(accent_map).replace("’", "'")
    m = _ELISION.match(word)
    return word[m.end() :] if m else word


def words_of(text: str) -> list[str]:
    """The words word_analyzer() finds in `text`, in order.

    The same analysis without Whoosh's token objects, at a third of the cost: the word
    fields are indexed from these lists (Whoosh takes a list as already analysed), the
    highlighter uses word_analyzer() for the character offsets it needs.
    """
    return [w for w in map(fold_word, _WORDS.findall(text)) if w not in STOPWORDS]


def spell_analyzer() -> Analyzer:
    """Whole lowercased words as written: the vocabulary "did you mean" draws from."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | StopFilter(stoplist=STOPWORDS, minsize=3)


def make_schema() -> fields.Schema:
    """English-stemmed fields (boosted at query time), a French-stemmed one, their unstemmed
    twins for word beginnings, facets."""
    english = text_analyzer("en")
    # No positions in the twins: a word beginning is never part of a phrase.
    words = {
        name: fields.TEXT(analyzer=word_analyzer(), phrase=False) for name in WORD_FIELDS.values()
    }
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=english),
        summary=fields.TEXT(analyzer=english),
        orgs=fields.TEXT(analyzer=english),
        description=fields.TEXT(analyzer=english),
        all_fr=fields.TEXT(analyzer=text_analyzer("fr")),
        spell=fields.TEXT(analyzer=spell_analyzer(), phrase=False),
        **words,
        # Everything the listing needs to filter, count and sort, read per segment at once.
        facets=fields.COLUMN(),
    )


_FR_WORDS = re.compile(
    r"\b(?:le|la|les|des|du|et|une|pour|dans|est|sur|avec|aux|par|au)\b", re.IGNORECASE
)
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|in|for|with|is|on|by|a|an)\b", re.IGNORECASE)


def looks_french(text: str) -> bool:
    """Whether a text reads as French (its language field may say otherwise): French
    function words at least as common as English ones in its first 3,000 characters."""
    head = text[:3000]
    return len(_FR_WORDS.findall(head)) >= max(1, len(_EN_WORDS.findall(head)))


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

    Whoosh analyses every field in Python, and the texts are long: a text that is English
    (declared so and reading so) is not analysed a second time for French, and "did you
    mean" draws its words from the titles, summaries and organisation names only (the words
    people search for).
    """
    everything = "\n".join((title, summary, orgs, description))
    doc: dict[str, Any] = {
        "id": str(item_id),
        "title": title,
        "summary": summary,
        "orgs": orgs,
        "description": description,
        "all_fr": "" if language == "en" and not looks_french(everything) else everything,
        "spell": "\n".join((title, summary, orgs)),
        "facets": json.dumps(facets, separators=(",", ":")).encode(),
    }
    for name, twin in WORD_FIELDS.items():
        doc[twin] = words_of(doc[name])  # the same public text, unstemmed
    return doc
