"""Words of every language the hub is written in: the exact forms and the stems of a text.

Every word gets an *exact form* (lowercased, accents folded, French elision dropped, Arabic
normalised; Chinese runs segmented into words) and a *stem* tagged with the language that
stemmed it ("en:govern", "fr:gouvern", "zh:卫生"): stems of different languages never meet,
and an exact form always outranks a stem-only match (see hub.search.words).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache

from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

# Languages whose words are written in the Latin script and stemmed with Snowball.
LATIN = ("en", "fr", "es", "pt", "de")
LANGS = (*LATIN, "ru", "ar", "zh")
# Words that look like noise in one language but are what people look for here: "AI",
# French "IA", "WHO", "UN" ("un" is a French article).
KEEP = {"ai", "ia", "who", "un"}
_ZH_STOP = {"的", "了", "和", "与", "及", "或", "是", "在", "之", "其", "等", "对", "为"}
STOPWORDS = frozenset(
    set().union(*(stopwords_for_language(lang) for lang in ("en", "fr", "es", "ru"))) - KEEP
) | frozenset(_ZH_STOP)

# A word: letters, digits, combining marks (decomposed accents, Arabic vowel signs), the
# Arabic tatweel, and apostrophes inside it ("l'IA", "aujourd’hui").
_CHARS = r"(?:\w|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640])+"
TOKEN = re.compile(_CHARS + r"(?:['’]" + _CHARS + r")*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
IRREGULAR_EN = {
    "children": "child",
    "women": "woman",
    "men": "man",
    "analyses": "analysis",
    "criteria": "criterion",
    "phenomena": "phenomenon",
}

# -- Arabic ----------------------------------------------------------------------------
_AR_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")  # tashkeel, tatweel
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def normalize_arabic(word: str) -> str:
    """Arabic spelling variants made one: hamza/madda alef → ا, ى → ي, ة → ه, without
    vowel signs (tashkeel) or tatweel."""
    return _AR_MARKS.sub("", word).translate(_AR_LETTERS)


def strip_marks(word: str) -> str:
    """An Arabic word without its vowel signs and tatweel (letters as written)."""
    return _AR_MARKS.sub("", word)


def stem_arabic(word: str) -> str:
    """A light stem (after Larkey's light10): the conjunction و, the article with its
    prepositions (ال, بال, لل…) and common suffixes (ات, ون, ين, ها…) removed, keeping at
    least two letters."""
    if len(word) > 3 and word.startswith("و"):
        word = word[1:]
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


# -- Chinese ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _jieba() -> object:
    """jieba, its bundled dictionary loaded once (no network; ~1 s at first use)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment_chinese(run: str) -> list[tuple[str, int]]:
    """The words of a run of Chinese characters and where each starts (jieba's dictionary,
    without its guessing model, so a word is cut the same way in a query and in a text)."""
    if len(run) == 1:
        return [(run, 0)]
    return [(w, start) for w, start, _end in _jieba().tokenize(run, HMM=False)]  # type: ignore[attr-defined]


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a Chinese run (a lone character stands for itself):
    what finds a word jieba kept inside a longer one ("卫生" in "医疗卫生")."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


# -- Latin and Cyrillic ----------------------------------------------------------------
def fold(word: str) -> str:
    """Lowercased, accents folded, without a French elided article ("L’Éthique" → "ethique")."""
    return _unelided(word)[0]


def _unelided(word: str) -> tuple[str, int]:
    """fold(word), and how many characters of `word` its elided article took."""
    lowered = word.lower().replace("’", "'")
    m = _ELISION.match(lowered)
    cut = m.end() if m else 0
    return lowered[cut:].translate(accent_map), cut


@lru_cache(maxsize=100_000)
def stem(word: str, lang: str) -> str:
    """The stem of one exact form in `lang`, tagged with the language ("fr:gouvern")."""
    if lang == "ar":
        return "ar:" + stem_arabic(word)
    if lang == "zh":
        return "zh:" + word
    if lang == "en":
        word = IRREGULAR_EN.get(word, word)
        if len(word) > 4 and word.endswith("ies"):  # policies → policy (Snowball: "polici")
            word = word[:-3] + "y"
    elif lang in ("es", "pt") and len(word) > 4 and word.endswith("s"):
        # Plurals first: Snowball cuts "igualdad" to "iguald" but "igualdades" to "igualdad".
        word = word[:-2] if word.endswith("es") and word[-3] not in "aeiou" else word[:-1]
    elif lang == "fr":
        # Folded feminine participles ("formee(s)") stem like "former" once shortened.
        if len(word) > 4 and word.endswith("ee"):
            word = word[:-1]
        elif len(word) > 5 and word.endswith("ees"):
            word = word[:-2] + "s"
    snowball = stemmer_for_language(lang)(word)
    if lang == "ru":
        return "ru:" + snowball
    # Snowball also cuts derivational endings ("governance" and "governments" → "govern"):
    # keep what it cut, less the inflection, so only inflected forms of one word meet.
    k = 0
    while k < min(len(word), len(snowball)) and word[k] == snowball[k]:
        k += 1
    return f"{lang}:{word[:k]}+{_derivation(word[k:], lang, word[:k])}"


# Inflectional endings (plural, gender, verb forms) per language, longest first.
_PLURAL = {"en": ("'s", "s'", "s"), "fr": ("s", "x"), "es": ("es", "s"), "pt": ("s",), "de": ()}
_INFLECTION = {
    "en": ("ing", "ed", "e"),
    "fr": (
        "aient",
        "ait",
        "ant",
        "ent",
        "ons",
        "ez",
        "er",
        "ir",
        "ee",
        "ai",
        "it",
        "is",
        "e",
        "a",
        "i",
    ),
    "es": ("iendo", "ando", "ado", "ada", "ido", "ida", "ar", "er", "ir", "o", "a", "e"),
    "pt": ("ando", "endo", "ado", "ada", "ido", "ida", "ar", "er", "ir", "o", "a", "e"),
    "de": ("en", "er", "es", "e", "n", "s"),
}


def _derivation(tail: str, lang: str, base: str) -> str:
    """What Snowball cut from a word, less its inflection: "" for "governed", "ment" for
    "governments", "ance" for "governance"."""
    for ending in _PLURAL.get(lang, ()):
        if tail.endswith(ending):
            tail = tail[: -len(ending)]
            break
    if lang == "en" and tail.endswith("ie"):  # policies → policy
        tail = tail[:-2] + "y"
    for ending in _INFLECTION.get(lang, ()):
        if tail.endswith(ending):
            tail = tail[: -len(ending)]
            break
    if len(tail) == 1 and base.endswith(tail):  # running → run
        tail = ""
    return tail


def script_langs(word: str) -> tuple[str, ...]:
    """The languages a word may be in, from its script."""
    if _HAN.match(word):
        return ("zh",)
    if _ARABIC.search(word):
        return ("ar",)
    if _CYRILLIC.search(word):
        return ("ru",)
    return LATIN


# -- Texts -----------------------------------------------------------------------------
Token = tuple[str, int, int, str]  # (exact form, start, end, raw Chinese run or "")


def tokens(text: str, stops: bool = False) -> Iterator[Token]:
    """The words of `text` as exact forms with their character offsets, stop words left out
    (with `stops`, kept with an empty form: the highlighter's context). A Chinese run is
    cut into words; the run itself rides along for its bigrams."""
    for m in TOKEN.finditer(text):
        raw, start = m.group(), m.start()
        pos = 0
        for han in _HAN.finditer(raw):
            if han.start() > pos:
                yield from _plain(raw[pos : han.start()], start + pos, stops)
            run, at = han.group(), start + han.start()
            for w, offset in segment_chinese(run):
                if w not in STOPWORDS:
                    yield w, at + offset, at + offset + len(w), run
                elif stops:
                    yield "", at + offset, at + offset + len(w), run
            pos = han.end()
        if pos < len(raw):
            yield from _plain(raw[pos:], start + pos, stops)


def _plain(piece: str, start: int, stops: bool = False) -> Iterator[Token]:
    """One non-Chinese word as an exact form (nothing if it is a stop word)."""
    cut = 0
    if _ARABIC.search(piece):
        word = normalize_arabic(piece)
    else:
        word, cut = _unelided(piece)
        if _CYRILLIC.search(word):
            word = word.replace("ё", "е")
    if word and word not in STOPWORDS:
        yield word, start + cut, start + len(piece), ""
    elif stops:
        yield "", start, start + len(piece), ""


def words_of(text: str) -> list[str]:
    """The exact forms of `text`, in order."""
    return [t[0] for t in tokens(text)]


def lowered(text: str) -> str:
    """`text` lowercased, apostrophes made one (what fold() does before the elision)."""
    return text.lower().replace("’", "'")


def fold_lowered(lowered_text: str) -> str:
    """fold() of a lowered() text, elisions left in (accent_map maps one letter to one)."""
    return lowered_text.translate(accent_map)


def unelided_at(lowered_text: str) -> int:
    """How many characters of a lowered() text its leading elided article takes."""
    m = _ELISION.match(lowered_text)
    return m.end() if m else 0


def word_set(text: str, folded: str | None = None) -> frozenset[str]:
    """set(words_of(text)), each distinct word of a text without Chinese analysed once
    (`folded`: fold_lowered(lowered(text)) if the caller has it)."""
    if _HAN.search(text) or _ARABIC.search(text):
        return frozenset(words_of(text))
    # Lowercased and folded at once (what _unelided does word by word), then each
    # distinct word: its elided article dropped, Cyrillic ё read as е, no stop words.
    if folded is None:
        folded = fold_lowered(lowered(text))
    words = {_ELISION.sub("", w, count=1) if "'" in w else w for w in set(TOKEN.findall(folded))}
    if "ё" in folded:  # only a Cyrillic word has it
        words = {w.replace("ё", "е") for w in words}
    words -= STOPWORDS
    words.discard("")
    return frozenset(words)


def stems_of(text: str, lang: str) -> list[str]:
    """The stems of `text` for a document in `lang` (a word of another script is stemmed
    for that script's language; a Chinese run gives its bigrams)."""
    latin = lang if lang in LATIN else "en"
    out: list[str] = []
    last_run = None
    for word, _start, _end, run in tokens(text):
        if run:
            if run is not last_run:  # once per run, not per word of it
                out.extend("zh:" + b for b in bigrams(run))
                last_run = run
            continue
        langs = script_langs(word)
        out.append(stem(word, latin if langs is LATIN else langs[0]))
    return out


_FR_WORDS = re.compile(
    r"\b(?:le|la|les|des|du|et|une|pour|dans|est|sur|avec|aux|par|au)\b", re.IGNORECASE
)
_ES_WORDS = re.compile(r"\b(?:el|los|las|del|y|una|para|con|por|en|es|que|se)\b", re.IGNORECASE)
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|in|for|with|is|on|by|a|an)\b", re.IGNORECASE)


def guess_language(text: str, declared: str | None) -> str:
    """The language a text is analysed in: the declared one, unless it says English (or
    nothing usable) and the text reads as French or Spanish; a script decides the rest."""
    head = text[:3000]
    if declared in LANGS and declared != "en":
        return declared
    if _HAN.search(head) and len(_HAN.findall(head)) * 2 > len(head.split()):
        return "zh"
    for lang, pattern in (("ar", _ARABIC), ("ru", _CYRILLIC)):
        if len(pattern.findall(head)) > len(head) // 3:
            return lang
    english = len(_EN_WORDS.findall(head))
    french, spanish = len(_FR_WORDS.findall(head)), len(_ES_WORDS.findall(head))
    if french >= max(1, english) and french >= spanish:
        return "fr"
    if spanish > max(1, english):
        return "es"
    return "en"
