"""Full-text search over complaint titles and bodies, one clause for both databases.

``text_matches(text)`` is true for a complaint whose title or body holds every
word of ``text``, in any order, each word also matching as a prefix
("jalan rusak" finds "Jalan-jalan di sini rusak parah"), accents and case
ignored. On PostgreSQL it reads the generated ``search_vector`` (``simple``
configuration over unaccented text, GIN-indexed) and, for misspelt words,
``pg_trgm`` word similarity against the same text (also GIN-indexed); on
SQLite it reads the FTS5 table ``complaints_fts``. Both are made by migration
0009_search.

:func:`relevance` scores the matches, higher for a better match, so lists can
be ranked (``ComplaintOrder.RELEVANCE``):

- PostgreSQL: ``ts_rank_cd`` (cover density) of the words, each also as a
  beginning, against the stored ``search_vector``, whose title words carry
  weight A (1.0) and body words weight B (0.4) (migration
  0016_searchrank_weights); plus, for each word of at least
  :data:`MIN_FUZZY` letters that the complaint does not hold as written (a
  misspelling), its trigram word similarity to the title (x 0.6) and to the
  whole text (x 0.4), averaged over the words, so the complaint whose title
  nearly holds a misspelt word ranks first. The words are OR-ed for ranking
  (matching still needs them all), so a complaint holding more of them, or
  holding them in its title, ranks higher. Similarity is only computed for
  misspelt words: the search for a common word scores thousands of matches
  from their stored vectors alone. Every term depends only on the complaint
  and the words, so a complaint's score never changes while others are
  written: cursors stay exact.
- SQLite: FTS5's ``bm25`` with the title weighted :data:`SQLITE_TITLE_WEIGHT`
  times the body, negated. bm25 reads corpus statistics (how many complaints
  hold a word), so a write between two page requests can move scores a little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Float, Integer, cast, literal, literal_column, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, Subquery

from hub.store.models import Complaint

MAX_WORDS = 12
MIN_FUZZY = 4  # shorter words would be "similar" to too much; they match as written (or as a beginning)
SQLITE_TITLE_WEIGHT = 2.5
# PostgreSQL: ts_rank_cd's weights of D, C, B (body) and A (title): a title word counts 2.5 times a body word,
# as SQLITE_TITLE_WEIGHT makes it on SQLite; a misspelt word's similarity to the title and to the whole text
WEIGHTS = "{0.1,0.2,0.4,1.0}"
SIMILAR_TITLE, SIMILAR_TEXT = 0.6, 0.4
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


@dataclass(frozen=True, slots=True)
class Relevance:
    """How well each complaint matches a search: ``rank``, higher is better.

    ``matches`` (SQLite only) is the FTS5 matches with their scores, to be joined
    on ``matches.c.id == complaints.id``; the join also does the text filtering,
    so the query then leaves the text out of its filter clauses.
    """

    rank: ColumnElement[float]
    matches: Subquery | None = None


class _TextRank(ColumnElement[float]):
    inherit_cache = False
    type = Float()

    def __init__(self, words: list[str]) -> None:
        self.words = words


def relevance(text_: str | None, dialect: str) -> Relevance:
    """The score of each complaint for ``text_``: every complaint scores 0 when it holds no word."""
    found = words_of(text_ or "")
    if not found:
        return Relevance(cast(literal_column("0"), Float))
    if dialect == "sqlite":
        match = " ".join(f'"{word}"*' for word in found)
        matches = (
            text(f"SELECT rowid AS id, -bm25(complaints_fts, {SQLITE_TITLE_WEIGHT!r}, 1.0) AS rank "
                 "FROM complaints_fts WHERE complaints_fts MATCH :match")
            .bindparams(match=match)
            .columns(id=Integer, rank=Float)
            .subquery("matches")
        )
        return Relevance(matches.c.rank, matches)
    return Relevance(_TextRank(found))


@compiles(_TextRank, "postgresql")
def _postgresql_rank(element: _TextRank, compiler: Any, **kw: Any) -> str:
    table = _table(compiler, **kw)
    any_word = compiler.process(literal(" | ".join(f"{word}:*" for word in element.words)), **kw)
    parts = [f"ts_rank_cd('{WEIGHTS}'::float4[], {table}.search_vector, to_tsquery('simple', hub_unaccent({any_word})))"]
    similar = []
    for word in element.words:
        if len(word) >= MIN_FUZZY:
            prefix = compiler.process(literal(f"{word}:*"), **kw)
            plain = f"hub_unaccent({compiler.process(literal(word), **kw)})"
            similar.append(
                f"CASE WHEN {table}.search_vector @@ to_tsquery('simple', hub_unaccent({prefix})) THEN 0 ELSE "
                f"word_similarity({plain}, hub_search_text({table}.title, NULL)) * {SIMILAR_TITLE} + "
                f"word_similarity({plain}, hub_search_text({table}.title, {table}.body)) * {SIMILAR_TEXT} END")
    if similar:
        parts.append(f"({' + '.join(similar)}) / {len(element.words)}")
    return "CAST(" + " + ".join(parts) + " AS DOUBLE PRECISION)"
