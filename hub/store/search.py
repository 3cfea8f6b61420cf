"""Full-text search over complaint titles and bodies, one clause for both databases.

``text_matches(text)`` is true for a complaint whose title or body holds every
word of ``text``, in any order, each word also matching as a prefix
("jalan rusak" finds "Jalan-jalan di sini rusak parah"), accents and case
ignored. On PostgreSQL it reads the generated ``search_vector`` (``simple``
configuration over unaccented text, GIN-indexed, migration 0009_search) and
nothing else: a word of at least :data:`MIN_FUZZY` letters also matches the
known lexemes similar to it (a misspelling, pg_trgm word similarity), looked
up in the small ``search_words`` table of every lexeme complaints hold, with
its own trigram index (migration 0017_search_words, ``hub_search_query``),
so a search is one ``@@`` against the vector's GIN index whatever its words;
trigram similarity is never computed over complaint text. On SQLite it reads
the FTS5 table ``complaints_fts`` (0009_search).

:func:`relevance` scores the matches, higher for a better match, so lists can
be ranked (``ComplaintOrder.RELEVANCE``):

- PostgreSQL: ``ts_rank_cd`` (cover density) of the words, each as a
  beginning or as the lexemes similar to it, against the stored
  ``search_vector``, whose title words carry weight A (1.0) and body words
  weight B (0.4) (migration 0016_searchrank_weights), so the complaint whose
  title holds a misspelt word's lexeme ranks above one holding it in its body.
  The words are OR-ed for ranking (matching still needs them all), so a
  complaint holding more of them, or holding them in its title, ranks higher.
  A score reads the complaint's stored vector alone. It depends on the
  complaint and the words, and on the known lexemes a misspelt word maps to:
  a new complaint bringing a new similar word can add a lexeme between two
  page requests (the keyset still never repeats a complaint).
- SQLite: FTS5's ``bm25`` with the title weighted :data:`SQLITE_TITLE_WEIGHT`
  times the body, negated. bm25 reads corpus statistics (how many complaints
  hold a word), so a write between two page requests can move scores a little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, Boolean, Float, Integer, Text, cast, literal, literal_column, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, Subquery

from hub.store.models import Complaint

MAX_WORDS = 12
# a ranked page scores at most this many matches, the newest (hub.store.complaint_reads._ranked_ids)
RANKED_MATCHES = 5_000
MIN_FUZZY = 4  # shorter words would be "similar" to too much; they match as written (or as a beginning)
SQLITE_TITLE_WEIGHT = 2.5
# PostgreSQL: ts_rank_cd's weights of D, C, B (body) and A (title): a title word counts 2.5 times a body word,
# as SQLITE_TITLE_WEIGHT makes it on SQLite
WEIGHTS = "{0.1,0.2,0.4,1.0}"
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


def _query(compiler: Any, words: list[str], *, every: bool, **kw: Any) -> str:
    """``hub_search_query`` of the words (migration 0017_search_words): each word as a beginning or, misspelt,
    as the known lexemes similar to it; all of them (``every``) or any."""
    bound = compiler.process(literal(words, ARRAY(Text)), **kw)
    return f"hub_search_query({bound}, {MIN_FUZZY}, {'true' if every else 'false'})"


@compiles(_TextSearch, "postgresql")
def _postgresql(element: _TextSearch, compiler: Any, **kw: Any) -> str:
    """Every word, as a beginning or as a known lexeme similar to it: the vector's GIN index alone."""
    return f"{_table(compiler, **kw)}.search_vector @@ {_query(compiler, element.words, every=True, **kw)}"


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
    # a scalar subquery: the query is made once per statement, whatever the plan
    any_word = _query(compiler, element.words, every=False, **kw)
    return (f"CAST(ts_rank_cd('{WEIGHTS}'::float4[], {_table(compiler, **kw)}.search_vector, (SELECT {any_word}))"
            " AS DOUBLE PRECISION)")
