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
    normalize_arabic,
    script_langs,
    stem,
    word_set,
)
from hub.search.words import Form

_FORMATTER = HtmlFormatter(tagname="mark", classname="hit", termclass="t", between=" … ")
_WORD_ANALYZER = word_analyzer()
_SENTENCES = re.compile(r"(?<=[.!?;:。！？])\s*|\n+")
_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=50_000)
def _stems(word: str) -> frozenset[str]:
    """Every stem a text word may have (its language is not known here)."""
    langs = script_langs(word)
    if langs == ("zh",):
        return frozenset("zh:" + b for b in bigrams(word))
    return frozenset(stem(word, lang) for lang in (LATIN if langs is LATIN else langs))


@lru_cache(maxsize=256)
def _text_words(text: str) -> frozenset[str]:
    """The exact forms of a text (the same few texts are highlighted query after query)."""
    return word_set(text)


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
    sentences = [s for s in _SENTENCES.split(text) if s.strip()]
    if len(sentences) <= most or not words:
        return text
    pattern = re.compile(
        "|".join(
            re.escape(t) if _HAN.match(t) else r"\b" + re.escape(t) + r"\b"
            for t in sorted(words, key=len, reverse=True)
        )
    )
    scored = []
    for i, sentence in enumerate(sentences):
        found = set(pattern.findall(normalize_arabic(fold(sentence))))
        if found:
            scored.append((-len(found), i))
    if not scored:
        return text[:1500]
    chosen = sorted(i for _score, i in sorted(scored)[:most])
    return " … ".join(sentences[i].strip() for i in chosen)


def snippet(text: str, forms: list[Form] | None, whole: bool = False, limit: int = 260) -> Markup:
    """The best passages of `text` with the query's words marked; all text is HTML-escaped."""
    if forms and text:
        marked = marked_words(_text_words(text), forms)
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
