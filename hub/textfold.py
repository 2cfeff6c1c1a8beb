"""Case- and accent-insensitive text matching in SQL, the same on SQLite and PostgreSQL.

SQLite's lower() and LIKE fold ASCII only ("NUMÉRIQUE" would not match "numérique"), and
PostgreSQL's lower() depends on the database's locale. Both backends compare `fold(column)`
with `fold(needle)`: lower-cased, then Latin letters with diacritics mapped one to one to
their base letter (é → e, Ø → o), so "education" finds "Éducation" as well.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import String, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def _accent_table() -> tuple[str, str]:
    """Latin letters with diacritics (lower-cased) and the base letter of each."""
    source, target = [], []
    for code in range(0xC0, 0x250):
        char = chr(code).lower()
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if (
            len(char) == 1
            and len(base) == 1
            and base.isascii()
            and base != char
            and char not in source
        ):
            source.append(char)
            target.append(base)
    for char, base in (("ø", "o"), ("đ", "d"), ("ħ", "h"), ("ł", "l"), ("ŧ", "t")):
        if char not in source:  # no decomposition, but read as their base letter
            source.append(char)
            target.append(base)
    return "".join(source), "".join(target)


FOLD_FROM, FOLD_TO = _accent_table()
_BASE = dict(zip(FOLD_FROM, FOLD_TO, strict=True))
# A regular expression finds the few letters to replace faster than str.translate walks a
# dict for every character (SQLite calls fold() once per row the queue filter scans).
_ACCENTED = re.compile(f"[{re.escape(FOLD_FROM)}]")


def fold(text: str | None) -> str | None:
    """`text` lower-cased and without diacritics on Latin letters (None stays None)."""
    if text is None:
        return None
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return _ACCENTED.sub(lambda found: _BASE[found.group()], lowered)


class folded(FunctionElement[str]):  # noqa: N801 - used like a SQL function
    """`fold(column)` in SQL: a Python function on SQLite, translate(lower()) elsewhere."""

    type = String()
    inherit_cache = True
    name = "hub_fold"


@compiles(folded)
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    # The SQLite connection registers hub_fold = fold (hub.extensions.make_engine).
    return f"hub_fold({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: Any, **kw: Any) -> str:
    [argument] = element.clauses.clauses
    return compiler.process(func.translate(func.lower(argument), FOLD_FROM, FOLD_TO), **kw)
