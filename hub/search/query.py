"""Turning what people type into a safe, bounded Whoosh query; snippets; "did you mean"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from itertools import islice

from whoosh import fields
from whoosh import query as wq
from whoosh.analysis import RegexTokenizer
from whoosh.qparser import (
    AndGroup,
    BoostPlugin,
    EveryPlugin,
    FieldsPlugin,
    OrGroup,
    QueryParser,
    RangePlugin,
)
from whoosh.reading import IndexReader

from hub.search.analysis import WORDS
from hub.search.crosslang import FIELD, Added, to_index_query
from hub.search.languages import fold
from hub.search.words import Form, prune

MAX_QUERY_CHARS = 200
MAX_WORDS = 24
MIN_PREFIX = 2  # letters before a * or ?
MAX_EXPANSIONS = 40  # words one wildcard may stand for
MAX_SCANNED = 5000  # index words a wildcard may look at
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}

# What the parser sees: one field of words as typed (hub.search.crosslang analyses them).
_TYPED = fields.Schema(**{FIELD: fields.TEXT(analyzer=RegexTokenizer(r"\S+"))})


@dataclass
class ParsedQuery:
    """A user's query, cleaned and parsed; `notes` explain what was changed and why."""

    text: str
    query: wq.Query | None
    notes: list[str] = field(default_factory=list)
    added: list[Added] = field(default_factory=list)  # glossary equivalents searched too
    forms: list[Form] = field(default_factory=list)  # every word searched (to highlight)

    def highlighted(self) -> list[Form]:
        """The words to mark in snippets: those searched, and what wildcards stood for."""
        known = {f.exact for f in self.forms}
        if self.query is None:
            return self.forms
        extra = {
            text.decode() if isinstance(text, bytes) else text
            for fieldname, text in self.query.iter_all_terms()
            if fieldname == WORDS
        }
        return self.forms + [Form(w, ()) for w in sorted(extra - known)]

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
    """Words, phrases and operators of one field of typed words; wildcards kept as typed."""

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> wq.Query | None:
        """The query of one word or wildcard (analysed later, for every language)."""
        if termclass not in (wq.Wildcard, wq.Prefix):
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        # Whoosh would analyse the wildcard's text like a word: keep it as typed, for
        # bound_wildcards() to fold and to quote in its notes.
        return termclass(fieldname, text, boost=boost)


def _parser(any_word: bool) -> QueryParser:
    """A query parser of typed words (all words required unless `any_word`)."""
    group = OrGroup.factory(0.9) if any_word else AndGroup
    parser = _Parser(FIELD, _TYPED, group=group)
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
    across: bool = True,
    held: dict | None = None,
) -> ParsedQuery:
    """Parse with the query syntax; anything the parser chokes on is searched as plain words.
    `hidden`: document numbers the public must not see (their removal is queued); `across`:
    also search the glossary equivalents of the words in the other languages; `held`: which
    equivalents visible documents hold, as learnt by earlier queries on the same index
    version and `hidden` (filled in)."""
    text, notes = clean(raw)
    if not text:
        return ParsedQuery(text, None, notes)
    added: list[Added] = []
    forms: list[Form] = []
    try:
        tree = _parser(any_word).parse(text)
        q, added, forms = to_index_query(tree, reader, across, hidden, held)
        q = bound_wildcards(prune(q, reader), reader, notes, hidden)
    except Exception:  # whoosh raises assorted errors on odd syntax: fall back to words
        words = " ".join(w for w in _WORD.findall(text) if w not in _OPERATORS)
        notes.append(
            "Search operators in your query could not be read; it was searched as plain words."
        )
        try:
            q, added, forms = (
                to_index_query(_parser(any_word).parse(words), reader, across, hidden, held)
                if words
                else (wq.NullQuery, [], [])
            )
        except Exception:
            q = wq.NullQuery
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__) or not list(q.all_terms()):
        if not notes or _WORD.search(text) is None:
            notes.append("Type at least one word (of two or more letters before any *) to search.")
        return ParsedQuery(text, None, notes)
    return ParsedQuery(text, q, notes, added, forms)


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
        pattern = fold(typed)
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
    """Add a note once (a wildcard typed twice would add it again)."""
    if message not in notes:
        notes.append(message)
