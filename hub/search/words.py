"""What one typed word or phrase searches: its exact form above its stems, in every language
its script allows, one score per document (the best of them counts, not their sum)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.reading import IndexReader

from hub.search.analysis import STEMS, TIE, WORDS
from hub.search.languages import bigrams, script_langs, stem, tokens

# A stem-only match ("governments" for governance) weighs this much of an exact one: a
# title that only shares the stem stays below a description with the very word.
STEM_WEIGHT = 0.3


class _BestMatcher(Matcher):
    """The union of several matchers, scoring a document with the best of those on it plus
    TIE of the others' sum (DisjunctionMax). One flat node rather than Whoosh's binary tree
    of unions: the documents of a word's exact form, stems and equivalents are walked with
    one loop over their current ids instead of a recursive min() per call."""

    def __init__(self, subs: list[Any], tiebreak: float = 0.0) -> None:
        """The union of the active matchers of `subs`."""
        self.subs = [m for m in subs if m.is_active()]
        self.tiebreak = tiebreak
        self._ids = [m.id() for m in self.subs]
        self._id = min(self._ids) if self._ids else -1

    def _advance(self, target: int | None) -> None:
        """Move the matchers on the current document (`target` None) or before `target`
        on; drop those exhausted; find the next document."""
        subs, ids = self.subs, self._ids
        current = self._id
        dropped = False
        for k, i in enumerate(ids):
            if (i == current) if target is None else (i < target):
                m = subs[k]
                if target is None:
                    m.next()
                else:
                    m.skip_to(target)
                if m.is_active():
                    ids[k] = m.id()
                else:
                    dropped = True
        if dropped:
            kept = [k for k, m in enumerate(subs) if m.is_active()]
            self.subs, self._ids = [subs[k] for k in kept], [ids[k] for k in kept]
        self._id = min(self._ids) if self._ids else -1

    def is_active(self) -> bool:
        """Whether any matcher has documents left."""
        return bool(self.subs)

    def id(self) -> int:
        """The current document: the lowest of the matchers' current ones."""
        return self._id

    def next(self) -> bool:
        """Move every matcher on the current document to its next one."""
        self._advance(None)
        return False

    def skip_to(self, target: int) -> bool:
        """Move every matcher to `target` or the first document after it."""
        if target > self._id:
            self._advance(target)
        return False

    def score(self) -> float:
        """The best score of the matchers on the current document, plus TIE of the rest."""
        current = self._id
        scores = [m.score() for m, i in zip(self.subs, self._ids, strict=True) if i == current]
        best = max(scores)
        return float(best + self.tiebreak * (sum(scores) - best))

    def copy(self) -> _BestMatcher:
        """An independent copy."""
        return self.__class__([m.copy() for m in self.subs], self.tiebreak)

    def replace(self, minquality: float = 0) -> Any:
        """The one matcher left, once the others are exhausted."""
        subs = [m.replace() for m in self.subs if m.is_active()]
        subs = [m for m in subs if m.is_active()]
        if not subs:
            return NullMatcher()
        if len(subs) == 1:
            return subs[0]
        return self.__class__(subs, self.tiebreak)

    def children(self) -> list[Any]:
        """The matchers of the union."""
        return list(self.subs)

    def depth(self) -> int:
        """How deep the tree of matchers goes."""
        return 1 + max((m.depth() for m in self.subs), default=0)

    def max_quality(self) -> float:
        """The highest score any document may get (an enclosing And asks when it simplifies)."""
        qualities = [m.max_quality() for m in self.subs]
        best = max(qualities, default=0.0)
        return float(best + self.tiebreak * (sum(qualities) - best))

    def supports_block_quality(self) -> bool:
        """No block-quality skipping (the listing collects every match anyway)."""
        return False

    def supports(self, astype: str) -> bool:
        """Whether every matcher supports the value type."""
        return all(m.supports(astype) for m in self.subs)

    def spans(self) -> list[Any]:
        """The spans of the matchers on the current document."""
        current = self._id
        return sorted(
            {
                s
                for m, i in zip(self.subs, self._ids, strict=True)
                if i == current
                for s in m.spans()
            }
        )


class BestOf(wq.DisjunctionMax):
    """Any of the subqueries; a document scores the best of them plus TIE of the others
    (DisjunctionMax, fixed: Whoosh's scores a document with a matcher's posting of another
    document, and drops the tiebreak)."""

    def _matcher(self, subs: list[wq.Query], searcher: Any, context: Any) -> Any:
        """One flat union of the subqueries' matchers."""
        m: Any = _BestMatcher([q.matcher(searcher, context) for q in subs], self.tiebreak)
        if not m.is_active():
            return NullMatcher()
        if self.boost != 1.0:
            m = WrappingMatcher(m, self.boost)
        return m


@dataclass(frozen=True)
class Form:
    """One analysed query word: its exact form, and its stems per language (a Chinese word
    stems to the sequence of its bigrams)."""

    exact: str
    stems: tuple[tuple[str, ...], ...]

    def stem_in(self, lang: str) -> tuple[str, ...] | None:
        """The stem tokens of this word in `lang`, if its script allows that language."""
        for alt in self.stems:
            if alt[0].startswith(lang + ":"):
                return alt
        return None


def forms_of(text: str, langs: tuple[str, ...] | None = None) -> list[Form]:
    """The query forms of `text`: each word stemmed for every language its script allows
    (only `langs` when the language is known, e.g. a glossary term)."""
    out = []
    for word, _start, _end, run in tokens(text):
        if run:
            out.append(Form(word, (tuple("zh:" + b for b in bigrams(word)),)))
            continue
        allowed = script_langs(word)
        if langs:
            allowed = tuple(lang for lang in allowed if lang in langs) or allowed
        out.append(Form(word, tuple((s,) for s in dict.fromkeys(stem(word, a) for a in allowed))))
    return out


def _sequence(field: str, words: list[str], boost: float) -> wq.Query:
    """A term, or a phrase of several."""
    if len(words) == 1:
        return wq.Term(field, words[0], boost=boost)
    return wq.Phrase(field, words, boost=boost)


def word_query(form: Form, weight: float = 1.0) -> wq.Query:
    """One word: its exact form, or lower its stem in any language; the best scores."""
    subs: list[wq.Query] = [wq.Term(WORDS, form.exact, boost=weight)]
    subs += [_sequence(STEMS, list(alt), weight * STEM_WEIGHT) for alt in form.stems]
    return BestOf(subs, tiebreak=TIE)


def phrase_query(forms: list[Form], weight: float = 1.0, exact: bool = True) -> wq.Query:
    """Words next to each other, as exact forms or (lower) as stems of one language; without
    `exact`, as stems only, at the full weight (a glossary equivalent: one phrase to match
    by its positions instead of two, and its inflections count alike)."""
    if not forms:
        return wq.NullQuery
    if len(forms) == 1:
        return word_query(forms[0], weight)
    typed = [f.exact for f in forms]
    subs: list[wq.Query] = [wq.Phrase(WORDS, typed, boost=weight)] if exact else []
    stem_weight = weight * STEM_WEIGHT if exact else weight
    for lang in sorted({alt[0].split(":", 1)[0] for alt in forms[0].stems}):
        alts = [f.stem_in(lang) for f in forms]
        if any(a is None for a in alts):
            continue
        if lang == "zh":  # the bigrams of the words run together, as in the text
            seq = ["zh:" + b for b in bigrams("".join(typed))]
        else:
            seq = [t for a in alts if a for t in a]
        # A phrase scores the sum of its terms: without the exact phrase, as many Chinese
        # bigrams weigh what its words would have.
        subs.append(_sequence(STEMS, seq, stem_weight * (1 if exact else len(forms) / len(seq))))
    if not subs:  # no language stems every word: the forms as written
        subs = [wq.Phrase(WORDS, typed, boost=weight)]
    return BestOf(subs, tiebreak=TIE)


def words_query(forms: list[Form], weight: float = 1.0) -> wq.Query:
    """Every word, anywhere (the words of one typed token such as "covid-19" or a Chinese
    run)."""
    if len(forms) == 1:
        return word_query(forms[0], weight)
    return wq.And([word_query(f, weight) for f in forms]) if forms else wq.NullQuery


def prune(q: wq.Query, reader: IndexReader) -> wq.Query:
    """`q` without the alternatives of a word the index does not hold (most of a word's
    language variants): a much smaller tree to build and run. A word none of
    whose alternatives is held keeps one, which matches nothing (AND stays AND)."""

    def held(node: wq.Query) -> bool:
        """Whether the index holds what the node needs: every term of a term, phrase or
        And, one alternative of a BestOf or Or."""
        if isinstance(node, wq.Term):
            return bool(reader.doc_frequency(node.fieldname, node.text))
        if isinstance(node, wq.Phrase):
            return all(reader.doc_frequency(node.fieldname, w) for w in node.words)
        if isinstance(node, BestOf | wq.Or):
            return any(held(s) for s in node.subqueries)
        if isinstance(node, wq.And):
            return all(held(s) for s in node.subqueries)
        return True

    def visit(node: wq.Query) -> wq.Query:
        """The node, a BestOf's alternatives pruned."""
        if isinstance(node, BestOf):
            subs = [visit(s) for s in node.subqueries if held(s)] or node.subqueries[:1]
            return BestOf(subs, boost=node.boost, tiebreak=node.tiebreak)
        return node.apply(visit) if not node.is_leaf() else node

    return visit(q)


def indexed(
    reader: IndexReader, forms: list[Form], lang: str, hidden: frozenset[int] = frozenset()
) -> bool:
    """Whether a document the public sees holds every word of `forms`, exactly or by its
    stem in `lang` (the index keeps the words of withdrawn documents for a while, and of
    those whose removal is queued: `hidden`)."""

    def has(field: str, text: str) -> bool:
        """Whether the field holds the term in a visible document."""
        return bool(reader.doc_frequency(field, text)) and any(
            d not in hidden for d in reader.postings(field, text).all_ids()
        )

    for form in forms:
        if has(WORDS, form.exact):
            continue
        alt = form.stem_in(lang)
        if alt is None or not all(has(STEMS, t) for t in alt):
            return False
    return True
