"""search words: the lexemes complaints hold, so a misspelt word is matched through the search vector's index

PostgreSQL only (SQLite's FTS5 has no typo tolerance). ``search_words`` holds
every lexeme of every complaint's ``search_vector`` (filled from the existing
complaints here, then by triggers: statement-level on INSERT, row-level when
a title or body changes; words are never removed, a word no complaint holds
any more matches nothing), with a trigram index. ``hub_search_query(words,
min_fuzzy, every)`` turns a search's words into one ``tsquery``: each word as
a beginning (``word:*``) OR-ed, for words of at least ``min_fuzzy`` letters,
with up to :data:`SIMILAR_LEXEMES` known lexemes similar to it (pg_trgm
``<%``, the session's ``pg_trgm.word_similarity_threshold``); the words
AND-ed when ``every``, OR-ed otherwise (for ranking). Matching is then
``search_vector @@ hub_search_query(...)``: the GIN index of the vector
alone, never trigram similarity against complaint text
(:mod:`hub.store.search`).

The function reads a table yet is declared IMMUTABLE so that the planner
evaluates it once, while planning, with the search's words: the statement
then holds a constant tsquery, whose selectivity PostgreSQL estimates from the
vector's statistics (a STABLE call would be estimated at a fixed 0.5 % and
could be evaluated per row). The words table only grows, so a value computed
at planning is at worst missing a word added in the same instant. Its COST
is set high so that a generic plan, where it could not be folded, is never
preferred to a custom one. The trigram index made by 0009_search over the
complaints' text is dropped: nothing reads it any more.

Revision ID: 0017_search_words
Revises: 0016_searchrank_weights
"""

from __future__ import annotations

from alembic import op

revision = "0017_search_words"
down_revision = "0016_searchrank_weights"
branch_labels = None
depends_on = None

SIMILAR_LEXEMES = 16

POSTGRES_UP = [
    'CREATE TABLE search_words (word text COLLATE "C" PRIMARY KEY)',
    "CREATE INDEX ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops)",
    """INSERT INTO search_words (word)
       SELECT word FROM ts_stat('SELECT search_vector FROM complaints') ORDER BY word ON CONFLICT DO NOTHING""",
    # ordered, so that two writers adding the same new words wait for each other instead of deadlocking
    """CREATE FUNCTION hub_search_words_added() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO search_words (word)
         SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM added ORDER BY 1 ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE FUNCTION hub_search_words_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO search_words (word)
         SELECT DISTINCT unnest(tsvector_to_array(NEW.search_vector)) ORDER BY 1 ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER search_words_insert AFTER INSERT ON complaints
       REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION hub_search_words_added()""",
    """CREATE TRIGGER search_words_update AFTER UPDATE OF title, body ON complaints
       FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector)
       EXECUTE FUNCTION hub_search_words_changed()""",
    f"""CREATE FUNCTION hub_search_query(words text[], min_fuzzy integer, every boolean) RETURNS tsquery
       LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT COST 100000 AS $$
       DECLARE
         typed text;
         term text;
         lexeme text;
         each tsquery;
         result tsquery;
       BEGIN
         FOREACH typed IN ARRAY words LOOP
           term := lower(hub_unaccent(typed));
           -- quoted, so that a letter unaccent turns into punctuation (ŉ is 'n) is text, not tsquery syntax
           each := to_tsquery('simple', '''' || replace(replace(term, '\\', '\\\\'), '''', '''''') || ''':*');
           IF length(term) >= min_fuzzy THEN
             FOR lexeme IN
               SELECT known.word FROM search_words AS known
               WHERE term <% known.word AND NOT starts_with(known.word, term)
               ORDER BY term <<-> known.word, known.word LIMIT {SIMILAR_LEXEMES}
             LOOP
               each := each || ('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery;
             END LOOP;
           END IF;
           IF result IS NULL THEN
             result := each;
           ELSIF every THEN
             result := result && each;
           ELSE
             result := result || each;
           END IF;
         END LOOP;
         RETURN result;  -- NULL without words: matches nothing
       END $$""",
    "DROP INDEX IF EXISTS ix_complaints_search_trgm",
]
POSTGRES_DOWN = [
    "CREATE INDEX IF NOT EXISTS ix_complaints_search_trgm ON complaints "
    "USING gin (hub_search_text(title, body) gin_trgm_ops)",
    "DROP FUNCTION IF EXISTS hub_search_query(text[], integer, boolean)",
    "DROP TRIGGER IF EXISTS search_words_update ON complaints",
    "DROP TRIGGER IF EXISTS search_words_insert ON complaints",
    "DROP FUNCTION IF EXISTS hub_search_words_changed()",
    "DROP FUNCTION IF EXISTS hub_search_words_added()",
    "DROP TABLE IF EXISTS search_words",
]


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for statement in POSTGRES_DOWN:
            op.execute(statement)
