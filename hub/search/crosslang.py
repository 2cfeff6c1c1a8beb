"""From the parsed words to the index query, across languages: each typed word or phrase also
searches its glossary equivalents in the other languages, weighted below the typed words,
and the page says which ones were added."""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq
from whoosh.reading import IndexReader

from hub.search.analysis import WORDS
from hub.search.glossary import Glossary, Term, load
from hub.search.words import (
    TIE,
    BestOf,
    Form,
    forms_of,
    indexed,
    phrase_query,
    words_query,
)

FIELD = "text"  # the parser's one field: what was typed, before analysis
# An equivalent counts this much of a typed word: the typed language ranks first, and below
# the typed word's own inflections (STEM_WEIGHT), so "дезинформации" in a Russian title is
# a better answer to "дезинформация" than "disinformation" in an English one.
EXPANSION_WEIGHT = 0.2
MAX_PER_SPAN = 10  # equivalents one typed word or phrase may add
MAX_ADDED = 24  # equivalents one query may add: 20 words never make hundreds of terms


@dataclass(frozen=True)
class Added:
    """An equivalent searched besides the typed words, as the glossary writes it."""

    text: str
    lang: str


class _Build:
    """One query's conversion: its typed words, and the equivalents added so far."""

    def __init__(
        self,
        reader: IndexReader,
        glossary: Glossary | None,
        hidden: frozenset[int],
        held: dict | None = None,
    ) -> None:
        """Convert against `reader`; no glossary: only the words typed. `hidden`: documents
        whose words must not be announced; `held`: which terms visible documents hold, as
        far as known (filled in; valid for this reader and `hidden` only)."""
        self.reader = reader
        self.hidden = hidden
        self.held: dict[tuple[str, str], bool] = {} if held is None else held
        self.glossary = glossary
        self.added: list[Added] = []
        self.forms: list[Form] = []  # every word searched, typed or added (to highlight)

    def words(self, text: str, langs: tuple[str, ...] | None = None) -> list[Form]:
        """forms_of(text), recorded."""
        forms = forms_of(text, langs)
        self.forms += forms
        return forms

    def convert(self, node: wq.Query) -> wq.Query:
        """The index query of a parsed node (compound nodes: each child converted)."""
        if isinstance(node, wq.Term) and node.fieldname == FIELD:
            return words_query(self.words(node.text), node.boost)
        if isinstance(node, wq.Phrase) and node.fieldname == FIELD:
            return phrase_query(self.words(" ".join(node.words)), node.boost)
        if isinstance(node, wq.Prefix | wq.Wildcard) and node.fieldname == FIELD:
            # bound_wildcards() expands it into the words as written that it stands for.
            return type(node)(WORDS, node.text, boost=node.boost)
        if isinstance(node, wq.And | wq.Or) and self.glossary is not None:
            return type(node)(self.expand(node.subqueries), boost=node.boost)
        return node.apply(self.convert) if node.is_leaf() is False else node

    def expand(self, children: list[wq.Query]) -> list[wq.Query]:
        """Children converted; runs of plain words matched against the glossary, longest
        span first (up to its longest term), each match searched with its equivalents."""
        out: list[wq.Query] = []
        i = 0
        while i < len(children):
            node = children[i]
            if isinstance(node, wq.Phrase) and node.fieldname == FIELD:
                forms = self.words(" ".join(node.words))
                out.append(self.with_equivalents(forms, phrase_query(forms, node.boost)))
                i += 1
                continue
            run = self.plain_run(children, i)
            if not run:
                out.append(self.convert(node))
                i += 1
                continue
            for size in range(len(run), 0, -1):
                if not run[size - 1]:
                    continue  # a span neither ends on a stop word
                forms = [f for forms_ in run[:size] for f in forms_]
                concepts = self.glossary.lookup(forms) if self.glossary else set()
                if concepts or size == 1:
                    self.forms += forms
                    out.append(self.with_equivalents(forms, words_query(forms), concepts))
                    i += size
                    break
        return out

    def plain_run(self, children: list[wq.Query], start: int) -> list[list[Form]]:
        """The forms of the plain typed words from `start` on (at most the glossary's longest
        term), stopping at anything else. A stop word inside the run has no forms ("igualdad
        de género" is a term); the run never begins with one."""
        run: list[list[Form]] = []
        longest = self.glossary.longest if self.glossary else 1
        for node in children[start : start + longest]:
            if not (isinstance(node, wq.Term) and node.fieldname == FIELD and node.boost == 1):
                break
            forms = forms_of(node.text)
            if not forms and not run:
                break
            run.append(forms)
        return run

    def with_equivalents(
        self, forms: list[Form], typed: wq.Query, concepts: set[str] | None = None
    ) -> wq.Query:
        """`typed`, or any of the glossary equivalents of its words the index holds."""
        if self.glossary is None or not forms:
            return typed
        if concepts is None:
            concepts = self.glossary.lookup(forms)
        key = tuple(f.exact for f in forms)
        alternatives = [typed]
        taken = 0
        for concept in sorted(concepts):
            for term in self.glossary.concepts[concept]:
                if taken == MAX_PER_SPAN or len(self.added) == MAX_ADDED:
                    break
                if term.key == key or any(a.text == term.text for a in self.added):
                    continue
                if not self.is_held(term):
                    continue  # no published text has it: nothing to add or to announce
                # A phrase scores the sum of its words: weighed per word of the typed span,
                # so a two-word equivalent of one typed word does not count twice.
                weight = EXPANSION_WEIGHT * len(forms) / len(term.forms)
                alternatives.append(phrase_query(list(term.forms), weight, exact=False))
                self.forms += term.forms
                self.added.append(Added(term.text, term.lang))
                taken += 1
        # The best alternative scores, not their sum: a text holding three synonyms of the
        # word is no better an answer than one holding the typed word (or one synonym).
        return typed if len(alternatives) == 1 else BestOf(alternatives, tiebreak=TIE)

    def is_held(self, term: Term) -> bool:
        """Whether a visible document holds the glossary term (each term looked up once per
        index version: most queries share their concepts' terms)."""
        key = (term.lang, term.text)
        if key not in self.held:
            self.held[key] = indexed(self.reader, list(term.forms), term.lang, self.hidden)
        return self.held[key]


def to_index_query(
    tree: wq.Query,
    reader: IndexReader,
    across: bool = True,
    hidden: frozenset[int] = frozenset(),
    held: dict | None = None,
) -> tuple[wq.Query, list[Added], list[Form]]:
    """The index query of a parsed tree, with the glossary equivalents that visible documents
    hold unless `across` is off; the equivalents added, and every word searched. `held`:
    see _Build."""
    build = _Build(reader, load() if across else None, hidden, held)
    if isinstance(tree, wq.Term | wq.Phrase) and tree.fieldname == FIELD:
        converted = build.expand([tree])[0] if across else build.convert(tree)
    else:
        converted = build.convert(tree)
    return converted, build.added, build.forms
