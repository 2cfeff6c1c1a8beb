"""Did you mean: a respelling of the query from words of published contributions, in the
language the query looks written in first ("goverance" → "governance" for an English query,
not the French "gouvernance")."""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.searching import Searcher

from hub.search.languages import LANGS, LATIN, STOPWORDS, script_langs

_QUERY_WORD = re.compile(r"[\w*?]+")  # a word, or a wildcard with its * and ?
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
FIELD = "spell"  # "en:governance": whole lowercased words, tagged with their language


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from `a` to `b`."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def query_languages(searcher: Searcher, words: list[str], preferred: str) -> list[str]:
    """Languages in the order the query looks written in: the languages whose published
    words or function words it uses most, then the visitor's, then English."""
    reader = searcher.reader()
    score = dict.fromkeys(LANGS, 0)
    for word in words:
        for lang in script_langs(word):
            if reader.doc_frequency(FIELD, f"{lang}:{word}"):
                score[lang] += 2
            elif word in STOPWORDS and _is_stopword(word, lang):
                score[lang] += 1
    order = [preferred, "en", *LATIN]
    return sorted(LANGS, key=lambda lang: (-score[lang], order.index(lang) if lang in order else 9))


def _is_stopword(word: str, lang: str) -> bool:
    """Whether `word` is a function word of `lang`."""
    from whoosh.lang import stopwords_for_language

    try:
        return word in stopwords_for_language(lang)
    except Exception:  # no list for that language
        return False


def suggest(
    searcher: Searcher,
    text: str,
    hidden: frozenset[int] = frozenset(),
    preferred: str = "en",
) -> str | None:
    """A corrected query from words of documents the public can see, or None.

    The spelling vocabulary also holds terms of documents deleted from the index (until their
    segment is merged away) and of documents whose removal is still queued (`hidden`
    docnums): a replacement word must occur in a visible document. Of the closest words, one
    in the query's language wins; a long word may be three edits away ("metavile").
    """
    typed = _QUERY_WORD.findall(text)
    langs = query_languages(searcher, [w.lower() for w in typed], preferred)
    changed = False
    out = []
    for word in typed:
        lower = word.lower()
        # A wildcard is a word beginning, not a misspelt word: it is kept as typed, * and all.
        if (
            word in _OPERATORS
            or len(lower) < 3
            or "*" in word
            or "?" in word
            or any(_visible(searcher, f"{lang}:{lower}", hidden) for lang in script_langs(lower))
        ):
            out.append(word)
            continue
        best = _closest(searcher, lower, langs, hidden)
        if best is not None:
            out.append(best)
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def _closest(searcher: Searcher, word: str, langs: list[str], hidden: frozenset[int]) -> str | None:
    """The visible word closest to `word`: fewest edits, then the query's language first,
    then the most used."""
    maxdist = 3 if len(word) >= 8 else 2 if len(word) >= 4 else 1
    reader = searcher.reader()
    candidates = []
    for rank, lang in enumerate(langs):
        if lang not in script_langs(word):
            continue
        tag = f"{lang}:"
        # The first letter is kept (prefix): far fewer words to compare, and people rarely
        # mistype it; three edits only from the third letter on.
        prefix = len(tag) + (3 if maxdist == 3 else 1)
        for option in searcher.suggest(FIELD, tag + word, limit=8, maxdist=maxdist, prefix=prefix):
            found = option[len(tag) :]
            if not _visible(searcher, option, hidden):
                continue
            freq = reader.doc_frequency(FIELD, option)
            candidates.append((distance(word, found), rank, -freq, found))
    return min(candidates)[3] if candidates else None


def _visible(searcher: Searcher, term: str, hidden: frozenset[int]) -> bool:
    """Whether a live, visible document holds the spelling term ("en:word")."""
    if not searcher.reader().doc_frequency(FIELD, term):
        return False
    return any(d not in hidden for d in searcher.docs_for_query(wq.Term(FIELD, term)))
