"""Turning what people type into a safe, bounded Whoosh query; snippets; "did you mean"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from itertools import islice

from markupsafe import Markup, escape
from whoosh import query as wq
from whoosh.highlight import ContextFragmenter, HtmlFormatter, WholeFragmenter, highlight
from whoosh.qparser import (
    AndGroup,
    BoostPlugin,
    EveryPlugin,
    FieldsPlugin,
    MultifieldPlugin,
    OrGroup,
    QueryParser,
    RangePlugin,
)
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

from hub.search.analysis import (
    BOOSTS,
    TEXT_FIELDS,
    WORD_FIELDS,
    fold_word,
    text_analyzer,
    word_analyzer,
    words_of,
)

MAX_QUERY_CHARS = 200
MAX_WORDS = 24
MIN_PREFIX = 2  # letters before a * or ?
MAX_EXPANSIONS = 40  # terms one wildcard may stand for, per field
MAX_SCANNED = 5000  # index terms a wildcard may look at, per field
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WORD = re.compile(r"\w+", re.UNICODE)
_QUERY_WORD = re.compile(r"[\w*?]+")  # a word, or a wildcard with its * and ?
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}

_EN = text_analyzer("en")
_FR = text_analyzer("fr")
_WORD_ANALYZER = word_analyzer()


@dataclass
class ParsedQuery:
    """A user's query, cleaned and parsed; `notes` explain what was changed and why."""

    text: str
    query: wq.Query | None
    notes: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """The plain words typed, without operators."""
        return [w for w in _WORD.findall(self.text) if w not in _OPERATORS]


def clean(raw: str) -> tuple[str, list[str]]:
    """Strip control characters and bound the length of the query."""
    notes = []
    text = _CONTROL.sub(" ", raw or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        notes.append(f"Your search was shortened to its first {MAX_QUERY_CHARS} characters.")
    words = text.split()
    if len(words) > MAX_WORDS:
        text = " ".join(words[:MAX_WORDS])
        notes.append(f"Only the first {MAX_WORDS} words were searched for.")
    return text, notes


class _Parser(QueryParser):
    """Words go to the stemmed fields; wildcards, as typed, to their unstemmed twins."""

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> wq.Query | None:
        """The query of one word or wildcard in one field (None: not searched there)."""
        if termclass not in (wq.Wildcard, wq.Prefix):
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        # Whoosh would stem the wildcard's text like a word ("governa" → French "govern"):
        # keep it as typed, for bound_wildcards() to fold and to quote in its notes. all_fr
        # has no twin: the four twins hold its words.
        twin = WORD_FIELDS.get(fieldname)
        return termclass(twin, text, boost=boost) if twin else None


def _parser(schema: object, any_word: bool) -> QueryParser:
    """A query parser on the boosted fields (all words required unless `any_word`)."""
    group = OrGroup.factory(0.9) if any_word else AndGroup
    parser = _Parser(None, schema, group=group)  # whoosh's MultifieldParser(), our class
    parser.add_plugin(MultifieldPlugin(list(TEXT_FIELDS), fieldboosts=BOOSTS))
    # No field:value, ranges, boosts or *:* from the public: words, "phrases", operators, ().
    for plugin in (FieldsPlugin, RangePlugin, BoostPlugin, EveryPlugin):
        parser.remove_plugin_class(plugin)
    return parser


def parse(
    raw: str,
    schema: object,
    reader: IndexReader,
    any_word: bool = False,
    hidden: frozenset[int] = frozenset(),
) -> ParsedQuery:
    """Parse with the query syntax; anything the parser chokes on is searched as plain words.
    `hidden`: document numbers the public must not see (their removal is queued)."""
    text, notes = clean(raw)
    if not text:
        return ParsedQuery(text, None, notes)
    try:
        q = _parser(schema, any_word).parse(text)
        q = bound_wildcards(q, reader, notes, hidden)
    except Exception:  # whoosh raises assorted errors on odd syntax: fall back to words
        words = " ".join(w for w in _WORD.findall(text) if w not in _OPERATORS)
        notes.append(
            "Search operators in your query could not be read; it was searched as plain words."
        )
        try:
            q = _parser(schema, any_word).parse(words) if words else wq.NullQuery
        except Exception:
            q = wq.NullQuery
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__) or not list(q.all_terms()):
        if not notes or _WORD.search(text) is None:
            notes.append("Type at least one word (of two or more letters before any *) to search.")
        return ParsedQuery(text, None, notes)
    return ParsedQuery(text, q, notes)


def bound_wildcards(
    q: wq.Query, reader: IndexReader, notes: list[str], hidden: frozenset[int] = frozenset()
) -> wq.Query:
    """Replace each prefix/wildcard with at most MAX_EXPANSIONS words of visible documents;
    drop leading or too-short wildcards (they would scan the whole vocabulary). Notes quote
    wildcards as typed."""
    missing: dict[str, bool] = {}  # typed wildcards that matched nothing: is it a prefix?
    found: set[str] = set()

    def visit(node: wq.Query) -> wq.Query:
        """The node, a word beginning replaced by the words it stands for (MAX_EXPANSIONS)."""
        if isinstance(node, wq.Every):  # a lone "*"
            node = wq.Wildcard(node.fieldname, "*", boost=node.boost)
        if not isinstance(node, wq.Prefix | wq.Wildcard):
            return node
        is_prefix = isinstance(node, wq.Prefix)
        typed = node.text + ("*" if is_prefix else "")
        pattern = fold_word(typed)
        literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
        if len(literal) < MIN_PREFIX:
            _note(
                notes,
                f"Wildcards need {MIN_PREFIX} letters before the * or ?; “{typed}” was ignored.",
            )
            return wq.NullQuery
        terms: list[wq.Query] = []
        for word in _expand(reader, node.fieldname, literal, pattern, hidden):
            if len(terms) == MAX_EXPANSIONS:
                _note(
                    notes,
                    f"“{typed}” stands for more than {MAX_EXPANSIONS} words; only "
                    f"the first {MAX_EXPANSIONS} were searched. Type more letters to "
                    "narrow it.",
                )
                break
            terms.append(wq.Term(node.fieldname, word, boost=node.boost))
        if terms:
            found.add(typed)
        else:
            missing[typed] = is_prefix
        return wq.Or(terms) if terms else wq.NullQuery

    bounded = q.accept(visit).normalize()
    unmatched = {typed: is_prefix for typed, is_prefix in missing.items() if typed not in found}
    if unmatched:
        # "Left out" only when something else was searched: alone, it found nothing.
        rest = (
            ""
            if bounded is wq.NullQuery or not list(bounded.all_terms())
            else (
                "; it was left out of the search"
                if len(unmatched) == 1
                else "; they were left out of the search"
            )
        )
        parts = []
        for verb, is_prefix in (("begins like", True), ("matches", False)):  # gov?rnz "matches"
            typed = sorted(t for t, prefix in unmatched.items() if prefix is is_prefix)
            if typed:
                parts.append(f"{verb} " + ", ".join(f"“{t}”" for t in typed))
        notes.append(f"No word in the published contributions {' or '.join(parts)}{rest}.")
    return bounded


def _expand(
    reader: IndexReader, fieldname: str, literal: str, pattern: str, hidden: frozenset[int]
) -> Iterator[str]:
    """Words of `fieldname` beginning with `literal` that match `pattern` and occur in a
    document the public sees.

    Whoosh keeps the words of a deleted document (a withdrawal) until its segment is merged
    away, and a document whose removal is queued is still in the index: a word only they
    hold must neither be searched nor spare the "no word begins like" note.
    """
    for term in islice(reader.expand_prefix(fieldname, literal), MAX_SCANNED):
        word = term.decode() if isinstance(term, bytes) else term
        if fnmatchcase(word, pattern) and any(
            d not in hidden for d in reader.postings(fieldname, word).all_ids()
        ):
            yield word


def _note(notes: list[str], message: str) -> None:
    """Add a note once (every field's copy of a wildcard would add it again)."""
    if message not in notes:
        notes.append(message)


def terms_of(q: wq.Query, fields: tuple[str, ...]) -> set[str]:
    """The term texts of a query in the given fields (to mark in snippets)."""
    out = set()
    for fieldname, text in q.iter_all_terms():
        if fieldname in fields:
            out.add(text.decode() if isinstance(text, bytes) else text)
    return out


_FORMATTER = HtmlFormatter(tagname="mark", classname="hit", termclass="t", between=" … ")


_SENTENCES = re.compile(r"(?<=[.!?;:])\s+|\n+")


def passages(text: str, terms: set[str], most: int = 3) -> str:
    """The few sentences of `text` where query terms occur, in their order.

    Whoosh's highlighter analyses (and stems) every word it is given: on whole descriptions
    it cost more than the search itself. Sentences are chosen first with a regular
    expression on accent-folded text (stems are word beginnings), and only those go to it.
    """
    sentences = [s for s in _SENTENCES.split(text) if s.strip()]
    if len(sentences) <= most:
        return text
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + ")"
    )
    scored = []
    for i, sentence in enumerate(sentences):
        found = set(pattern.findall(sentence.lower().translate(accent_map)))
        if found:
            scored.append((-len(found), i))
    if not scored:
        return text[:1500]
    chosen = sorted(i for _score, i in sorted(scored)[:most])
    return " … ".join(sentences[i].strip() for i in chosen)


def snippet(text: str, q: wq.Query | None, whole: bool = False, limit: int = 260) -> Markup:
    """The best passages of `text` with query terms marked; all text is HTML-escaped."""
    if q is not None and text:
        english = terms_of(q, ("title", "summary", "orgs", "description"))
        french = terms_of(q, ("all_fr",))
        words = terms_of(q, tuple(WORD_FIELDS.values()))
        if english or french or words:
            fragmenter = (
                WholeFragmenter() if whole else ContextFragmenter(maxchars=limit, surround=60)
            )
            source = text if whole else passages(text, english | french | words)
            # Every word a term matches, stemmed or not ("solar gouvern*" marks both), is
            # marked in one pass of the unstemmed analysis.
            marked = {
                w
                for w in set(words_of(source))
                if w in words
                or english.intersection(_stems(w, "en"))
                or french.intersection(_stems(w, "fr"))
            }
            if marked:
                out = highlight(source, marked, _WORD_ANALYZER, fragmenter, _FORMATTER, top=2)
                if out and "<mark" in out:
                    return Markup(out)  # noqa: S704 - whoosh escaped the text (htmlescape)
    if whole or len(text) <= limit:
        return escape(text)
    return escape(text[:limit].rsplit(" ", 1)[0] + " …")


@lru_cache(maxsize=50_000)
def _stems(word: str, lang: str) -> tuple[str, ...]:
    """What the stemmed analysis of `lang` makes of one word of words_of() (cached: the same
    few thousand words come back in every snippet)."""
    return tuple(t.text for t in (_EN if lang == "en" else _FR)(word, mode="query"))


def suggest(
    searcher: Searcher, parsed: ParsedQuery, hidden: frozenset[int] = frozenset()
) -> str | None:
    """A corrected query from words of documents the public can see, or None.

    The spelling vocabulary also holds terms of documents deleted from the index (until their
    segment is merged away) and of documents whose removal is still queued (`hidden`
    docnums): a replacement word must occur in a visible document.
    """
    changed = False
    out = []
    for word in _QUERY_WORD.findall(parsed.text):
        lower = word.lower()
        # A wildcard is a word beginning, not a misspelt word: it is kept as typed, * and all.
        if (
            word in _OPERATORS
            or len(lower) < 3
            or "*" in word
            or "?" in word
            or _visible(searcher, lower, hidden)
        ):
            out.append(word)
            continue
        options = [
            o
            for o in searcher.suggest("spell", lower, limit=5, maxdist=2, prefix=1)
            if _visible(searcher, o, hidden)
        ]
        if options:
            out.append(options[0])
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def _visible(searcher: Searcher, word: str, hidden: frozenset[int]) -> bool:
    """Whether a live, visible document contains `word`."""
    if not searcher.reader().doc_frequency("spell", word):
        return False
    return any(d not in hidden for d in searcher.docs_for_query(wq.Term("spell", word)))
