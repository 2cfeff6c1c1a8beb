"""Search snippets: the best passages of a text, with the words that matched best marked."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup, escape
from whoosh.highlight import ContextFragmenter, HtmlFormatter, WholeFragmenter, highlight

from hub.search.analysis import word_analyzer
from hub.search.languages import (
    IRREGULAR_EN,
    LATIN,
    bigrams,
    fold,
    fold_lowered,
    lowered,
    normalize_arabic,
    script_langs,
    stem,
    unelided_at,
    word_set,
)
from hub.search.words import Form

_FORMATTER = HtmlFormatter(tagname="mark", classname="hit", termclass="t", between=" … ")
_WORD_ANALYZER = word_analyzer()
_SENTENCES = re.compile(r"(?<=[.!?;:。！？])\s*|\n+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@lru_cache(maxsize=50_000)
def _stems(word: str) -> frozenset[str]:
    """Every stem a text word may have (its language is not known here)."""
    langs = script_langs(word)
    if langs == ("zh",):
        return frozenset("zh:" + b for b in bigrams(word))
    return frozenset(stem(word, lang) for lang in (LATIN if langs is LATIN else langs))


@lru_cache(maxsize=256)
def _analysed(text: str) -> tuple[frozenset[str], str | None, str | None]:
    """The exact forms of a text, and the text lowercased and folded when both keep its
    length (the passages read the folded sentences from them); cached, the same few texts
    are highlighted query after query."""
    low = lowered(text)
    if len(low) != len(text):  # "İ" lowercases to two characters
        return word_set(text), None, None
    folded = fold_lowered(low)
    return word_set(text, folded), low, folded


@lru_cache(maxsize=1024)
def _candidates(wanted: frozenset[str]) -> tuple[str, ...] | None:
    """Word beginnings that every word stemming to one of `wanted` has, or None when some
    stem does not tell (Arabic drops prefixes, a Chinese bigram may start anywhere).

    A Latin-script stem is "lang:base+derivation" where base is the common beginning of
    the word (after the plural rules: "policies" became "policy") and Snowball's stem;
    a Russian stem is the word less a suffix. All but the last letter of the base is then
    the beginning of the word itself, except for the few irregular English plurals."""
    out = set()
    for tagged in wanted:
        lang, _, body = tagged.partition(":")
        if lang in LATIN:
            out.add(body.partition("+")[0][:-1])
        elif lang == "ru":
            out.add(body[:-1])
        else:
            return None
    return tuple(sorted(out))


def marked_words(text_words: Iterable[str], forms: Iterable[Form]) -> set[str]:
    """The words of a text to mark: a query word's exact form where the text has it, else
    the words sharing its stem ("governance" marks "governance", not "governments" beside
    it; alone, "governments" is marked as the best the text offers)."""
    present = text_words if isinstance(text_words, frozenset | set) else set(text_words)
    marked: set[str] = set()
    wanted: set[str] = set()  # stems of the query words the text lacks as typed
    for form in forms:
        if form.exact in present:
            marked.add(form.exact)
        elif _HAN.match(form.exact):  # a Chinese word inside a longer one ("卫生" in "医疗卫生")
            marked |= {w for w in present if form.exact in w}
        else:
            wanted |= {t for alt in form.stems for t in alt if len(alt) == 1}
    if wanted:  # each word of the text that may match stemmed once, whatever the query
        starts = _candidates(frozenset(wanted))
        maybe = (
            present
            if starts is None
            else [w for w in present if w.startswith(starts) or w in IRREGULAR_EN]
        )
        marked |= {w for w in maybe if not _stems(w).isdisjoint(wanted)}
    return marked


def passages(text: str, words: set[str], most: int = 3) -> str:
    """The few sentences of `text` where marked words occur, in their order.

    Whoosh's highlighter analyses every word it is given: on whole descriptions it cost
    more than the search itself. Sentences are chosen first with a regular expression on
    folded text, and only those go to it.
    """
    spans = []  # _SENTENCES.split(text), as (start, end) of each sentence kept
    start = 0
    for m in _SENTENCES.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    if len(spans) <= most or not words:
        return text
    pattern = _pattern(frozenset(words))
    _words, low, folded = _analysed(text)
    arabic = _ARABIC.search(text) is not None
    scored = []
    for i, (a, b) in enumerate(spans):
        if low is None or folded is None:
            plain = fold(text[a:b])
        else:  # fold() of the sentence: its folded characters, less a leading elision
            plain = folded[a + unelided_at(low[a:b]) : b]
        found = set(pattern.findall(normalize_arabic(plain) if arabic else plain))
        if found:
            scored.append((-len(found), i))
    if not scored:
        return text[:1500]
    chosen = sorted(i for _score, i in sorted(scored)[:most])
    return " … ".join(text[spans[i][0] : spans[i][1]].strip() for i in chosen)


@lru_cache(maxsize=1024)
def _pattern(words: frozenset[str]) -> re.Pattern[str]:
    """The marked words as one expression, longest first (cached: one set per query)."""
    return re.compile(
        "|".join(
            re.escape(t) if _HAN.match(t) else r"\b" + re.escape(t) + r"\b"
            for t in sorted(words, key=len, reverse=True)
        )
    )


def snippet(text: str, forms: list[Form] | None, whole: bool = False, limit: int = 260) -> Markup:
    """The best passages of `text` with the query's words marked; all text is HTML-escaped."""
    if forms and text:
        marked = marked_words(_analysed(text)[0], forms)
        if marked:
            fragmenter = (
                WholeFragmenter() if whole else ContextFragmenter(maxchars=limit, surround=60)
            )
            source = text if whole else passages(text, marked)
            out = highlight(source, marked, _WORD_ANALYZER, fragmenter, _FORMATTER, top=2)
            if out and "<mark" in out:
                return Markup(out)  # noqa: S704 - whoosh escaped the text (htmlescape)
    if whole or len(text) <= limit:
        return escape(text)
    return escape(text[:limit].rsplit(" ", 1)[0] + " …")
