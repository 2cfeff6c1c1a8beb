"""How text is analysed and what one index document holds (public text only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from whoosh import fields
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

# Field weights: title > summary > organisation/partners > description. Each text is held
# twice: its exact word forms (FIELDS), and its stems in the document's language (STEM_BOOSTS,
# weighted lower, see hub.search.words): no field repeats another's text.
BOOSTS = {"title": 5.0, "summary": 2.5, "orgs": 1.6, "description": 1.0}
TEXT_FIELDS = tuple(BOOSTS)
# Stems are the lower tier: the title's, and the rest's in one field (fewer postings to read
# per query word than one stem field per text, docs/search-quality.md).
STEM_BOOSTS = {"title_stem": 5.0, "text_stem": 2.0}

# What the analysis does; stored with every index generation, so an index built by an older
# analysis is rebuilt instead of silently missing words (bump on any change below).
# 3: the unstemmed word fields. 4: exact forms + language-tagged stems per field, the six
# UN languages analysed (hub.search.languages), no all_fr, a language field, spell words
# tagged with their language. 5: the facet record holds the language of the text (facet
# "language").
ANALYSIS_VERSION = 5


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


def make_schema() -> fields.Schema:
    """Exact-form and stem fields (weighted at query time), the text's language, the
    language-tagged spelling vocabulary, facets."""
    exact = {name: fields.TEXT(analyzer=word_analyzer()) for name in TEXT_FIELDS}
    stems = {name: fields.TEXT(analyzer=word_analyzer()) for name in STEM_BOOSTS}
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        language=fields.ID(),
        spell=fields.KEYWORD(lowercase=False, commas=False),
        **exact,
        **stems,
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
    text plainly reads otherwise), and handed to Whoosh as lists of words (Whoosh takes a
    list as already analysed). "Did you mean" draws its words from the titles, summaries and
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
    for name, text in texts.items():
        doc[name] = words_of(text)
    doc["title_stem"] = stems_of(title, lang)
    doc["text_stem"] = [s for t in (summary, orgs, description) for s in stems_of(t, lang)]
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
