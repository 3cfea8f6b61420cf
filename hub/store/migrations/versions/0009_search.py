"""search: full-text search over complaint titles and bodies

PostgreSQL: a generated ``search_vector`` (``simple`` configuration over
unaccented text) with a GIN index, and a trigram index for misspelt words
(extensions ``unaccent`` and ``pg_trgm``; creating them needs a role that
may, see docs/deploy notes in README). SQLite: an external-content FTS5
table kept in step by triggers.

Revision ID: 0009_search
Revises: 0008_notifications
"""

from __future__ import annotations

from alembic import op

revision = "0009_search"
down_revision = "0008_notifications"
branch_labels = None
depends_on = None

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes it safe to index
    """CREATE OR REPLACE FUNCTION hub_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT unaccent('unaccent'::regdictionary, $1) $$""",
    """CREATE OR REPLACE FUNCTION hub_search_text(title text, body text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT lower(hub_unaccent(coalesce(title, '') || ' ' || coalesce(body, ''))) $$""",
    """ALTER TABLE complaints ADD COLUMN search_vector tsvector
       GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, hub_search_text(title, body))) STORED""",
    "CREATE INDEX ix_complaints_search ON complaints USING gin (search_vector)",
    "CREATE INDEX ix_complaints_search_trgm ON complaints USING gin (hub_search_text(title, body) gin_trgm_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_complaints_search_trgm",
    "DROP INDEX IF EXISTS ix_complaints_search",
    "ALTER TABLE complaints DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS hub_search_text(text, text)",
    "DROP FUNCTION IF EXISTS hub_unaccent(text)",
]
SQLITE_UP = [
    """CREATE VIRTUAL TABLE complaints_fts USING fts5(
       title, body, content='complaints', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER complaints_fts_insert AFTER INSERT ON complaints BEGIN
       INSERT INTO complaints_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    """CREATE TRIGGER complaints_fts_delete AFTER DELETE ON complaints BEGIN
       INSERT INTO complaints_fts(complaints_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END""",
    """CREATE TRIGGER complaints_fts_update AFTER UPDATE OF title, body ON complaints BEGIN
       INSERT INTO complaints_fts(complaints_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
       INSERT INTO complaints_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    "INSERT INTO complaints_fts(complaints_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS complaints_fts_update",
    "DROP TRIGGER IF EXISTS complaints_fts_delete",
    "DROP TRIGGER IF EXISTS complaints_fts_insert",
    "DROP TABLE IF EXISTS complaints_fts",
]


def upgrade() -> None:
    for statement in POSTGRES_UP if op.get_context().dialect.name == "postgresql" else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRES_DOWN if op.get_context().dialect.name == "postgresql" else SQLITE_DOWN:
        op.execute(statement)
