"""searchrank weights: the title's words weigh more than the body's in PostgreSQL's search vector

``search_vector`` becomes ``setweight(title, 'A') || setweight(body, 'B')``,
so ``ts_rank_cd`` can rank a title match above a body match from the stored
vector alone (:func:`hub.store.search.relevance`). Matching is unchanged: a
query without weights matches lexemes of any weight. A generated column's
expression cannot be altered, so the column (and its GIN index) is dropped and
added again, which rewrites the table. SQLite: nothing to do (FTS5 keeps
title and body as columns; bm25 weighs them at query time).

Revision ID: 0016_searchrank_weights
Revises: 0015_escalation
"""

from __future__ import annotations

from alembic import op

revision = "0016_searchrank_weights"
down_revision = "0015_escalation"
branch_labels = None
depends_on = None

WEIGHTED = ("setweight(to_tsvector('simple'::regconfig, hub_search_text(title, NULL)), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, hub_search_text(NULL, body)), 'B')")
PLAIN = "to_tsvector('simple'::regconfig, hub_search_text(title, body))"  # as 0009_search made it


def _vector(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_complaints_search")
    op.execute("ALTER TABLE complaints DROP COLUMN IF EXISTS search_vector")
    op.execute(f"ALTER TABLE complaints ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED")
    op.execute("CREATE INDEX ix_complaints_search ON complaints USING gin (search_vector)")


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        _vector(WEIGHTED)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        _vector(PLAIN)
