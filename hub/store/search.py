"""Full-text search over complaint titles and bodies, one clause for both databases.

``text_matches(text)`` is true for a complaint whose title or body holds every
word of ``text``, in any order, each word also matching as a prefix
("jalan rusak" finds "Jalan-jalan di sini rusak parah"), accents and case
ignored. On PostgreSQL it reads the generated ``search_vector`` (``simple``
configuration over unaccented text, GIN-indexed) and, for misspelt words,
``pg_trgm`` word similarity against the same text (also GIN-indexed); on
SQLite it reads the FTS5 table ``complaints_fts``. Both are made by migration
0009_search. :func:`text_rank` orders matches by relevance on PostgreSQL
(``ts_rank`` plus trigram similarity) and by FTS5's bm25 on SQLite.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Boolean, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from hub.store.models import Complaint

MAX_WORDS = 12
MIN_FUZZY = 4  # shorter words would be "similar" to too much; they match as written (or as a beginning)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The words a search looks for (letters and digits; punctuation separates)."""
    return _WORD.findall(text.lower())[:MAX_WORDS]


class _TextSearch(ColumnElement[bool]):
    inherit_cache = False  # the words are part of the SQL text of SQLite's MATCH
    type = Boolean()

    def __init__(self, words: list[str]) -> None:
        self.words = words


def text_matches(text: str) -> ColumnElement[bool] | None:
    """The clause, or ``None`` when ``text`` holds no word."""
    found = words_of(text)
    return _TextSearch(found) if found else None


def _table(compiler: Any, **kw: Any) -> str:
    return compiler.process(Complaint.__table__.c.id, **kw).rsplit(".", 1)[0]


@compiles(_TextSearch, "postgresql")
def _postgresql(element: _TextSearch, compiler: Any, **kw: Any) -> str:
    """Each word: a word of the text beginning with it, or (misspelt) one similar enough to it."""
    table = _table(compiler, **kw)
    text = f"hub_search_text({table}.title, {table}.body)"
    each = []
    for word in element.words:
        prefix = compiler.process(literal(f"{word}:*"), **kw)
        exact = f"{table}.search_vector @@ to_tsquery('simple', hub_unaccent({prefix}))"
        if len(word) < MIN_FUZZY:
            each.append(exact)
            continue
        plain = compiler.process(literal(word), **kw)  # a bound parameter, so only made when used
        each.append(f"({exact} OR hub_unaccent({plain}) <% {text})")
    return "(" + " AND ".join(each) + ")"


@compiles(_TextSearch, "sqlite")
def _sqlite(element: _TextSearch, compiler: Any, **kw: Any) -> str:
    table = _table(compiler, **kw)
    match = compiler.process(literal(" ".join(f'"{word}"*' for word in element.words)), **kw)
    return f"{table}.id IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH {match})"
