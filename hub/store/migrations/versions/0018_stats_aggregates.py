"""statistics aggregates kept by triggers in the same transaction as every complaint write

Revision ID: 0018_stats_aggregates
Revises: 0015_escalation

Each *tally* sums the complaints (merged duplicates excluded) that share a few
dimensions and a WIB creation day or month: counts, completed, rated, rating
sum, settled follow-ups and the deadlines missed for good (settled late). Its
``_open`` companion counts the deadlines still open by UTC due day, so a
question sums the days already past and reads only today's live
(:mod:`hub.store.stats_tally`). Triggers keep both in step with every write
to ``complaints``: on PostgreSQL statement-level triggers with transition
tables (a bulk upsert or COPY of 500 rows is one aggregate update per tally),
on SQLite row triggers. The upgrade fills them from the existing complaints.

The SQL is written here once, frozen: a later change to the tallies is a new
migration. The query side mirrors the table shapes in ``hub.store.stats_tally``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_stats_aggregates"
down_revision = "0017_search_words"
branch_labels = None
depends_on = None

# name, dimensions, creation grain ("day" or "month"); kept in step with hub.store.stats_tally.TALLIES
TALLIES = (
    ("stats_region_month", ("region_code", "privacy"), "month"),
    ("stats_province_day", ("province", "privacy"), "day"),
    ("stats_province_status_month", ("province", "privacy", "status"), "month"),
    ("stats_province_channel_month", ("province", "privacy", "channel"), "month"),
    ("stats_province_category_month", ("province", "privacy", "category_code"), "month"),
    ("stats_province_agency_month", ("province", "privacy", "agency_id"), "month"),
)
MEASURES = ("total", "completed", "rated", "rating_sum", "follow_up_settled", "follow_up_late", "verify_late",
            "resolve_late")
DEADLINES = ("verify", "follow_up", "resolve")
TRIGGERED = ("region_code", "privacy", "status", "channel", "category_code", "agency_id", "created_at",
             "verified_at", "first_follow_up_at", "resolved_at", "closed_at", "verify_due", "follow_up_due",
             "resolve_due", "rating", "merged_into_id")


def _dimension(name: str, r: str, pg: bool) -> str:
    return {
        "region_code": f"{r}.region_code",
        "province": f"substr({r}.region_code, 1, 2)",
        "privacy": f"{r}.privacy",
        "status": f"{r}.status",
        "channel": f"{r}.channel",
        "category_code": f"coalesce({r}.category_code, '')",
        "agency_id": f"coalesce({r}.agency_id, 0)",
    }[name]


def _created_on(grain: str, r: str, pg: bool) -> str:
    """The WIB (UTC+7) day, or first day of the month, of the complaint's creation."""
    if pg:
        day = f"({r}.created_at + interval '7 hours')"
        return f"date_trunc('month', {day})::date" if grain == "month" else f"{day}::date"
    return f"date({r}.created_at, '+7 hours', 'start of month')" if grain == "month" else \
        f"date({r}.created_at, '+7 hours')"


def _measure(name: str, r: str) -> str:
    """One complaint's contribution; the deadline figures restate hub.store.deadlines for settled moments."""
    def flag(condition: str) -> str:
        return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    running = f"{r}.status <> 'POSTPONED'"
    follow_up_done = f"coalesce({r}.first_follow_up_at, {r}.resolved_at, {r}.closed_at)"
    return {
        "total": "1",
        "completed": flag(f"{r}.status IN ('RESOLVED', 'CLOSED')"),
        "rated": flag(f"{r}.rating IS NOT NULL"),
        "rating_sum": f"coalesce({r}.rating, 0)",
        "follow_up_settled": flag(f"{r}.follow_up_due IS NOT NULL AND {follow_up_done} IS NOT NULL"),
        "follow_up_late": flag(f"{running} AND {r}.follow_up_due < {follow_up_done}"),
        "verify_late": flag(f"{running} AND {r}.verify_due < coalesce({r}.verified_at, {r}.closed_at)"),
        "resolve_late": flag(f"{running} AND {r}.resolve_due < coalesce({r}.resolved_at, {r}.closed_at)"),
    }[name]


def _open(deadline: str, r: str) -> tuple[str, str]:
    """(the deadline is still open, its due column)."""
    return {
        "verify": (f"{r}.verified_at IS NULL AND {r}.closed_at IS NULL", f"{r}.verify_due"),
        "follow_up": (f"{r}.follow_up_due IS NOT NULL AND {r}.first_follow_up_at IS NULL AND {r}.resolved_at IS NULL "
                      f"AND {r}.closed_at IS NULL", f"{r}.follow_up_due"),
        "resolve": (f"{r}.resolved_at IS NULL AND {r}.closed_at IS NULL", f"{r}.resolve_due"),
    }[deadline]


def _due_on(due: str, pg: bool) -> str:
    return f"{due}::date" if pg else f"date({due})"


def _keys(dimensions: tuple[str, ...]) -> list[str]:
    return [*dimensions, "created_on"]


def _create_tables() -> None:
    for name, dimensions, _ in TALLIES:
        columns = [sa.Column(d, sa.Integer if d == "agency_id" else sa.String(32), nullable=False) for d in dimensions]
        op.create_table(
            name, *columns, sa.Column("created_on", sa.Date, nullable=False),
            *[sa.Column(m, sa.BigInteger, nullable=False, server_default="0") for m in MEASURES],
            sa.PrimaryKeyConstraint(*_keys(dimensions), name=f"pk_{name}"),
        )
        open_columns = [sa.Column(d, sa.Integer if d == "agency_id" else sa.String(32), nullable=False)
                        for d in dimensions]
        op.create_table(
            f"{name}_open", *open_columns, sa.Column("created_on", sa.Date, nullable=False),
            sa.Column("deadline", sa.String(16), nullable=False), sa.Column("paused", sa.Integer, nullable=False),
            sa.Column("due_on", sa.Date, nullable=False), sa.Column("n", sa.BigInteger, nullable=False),
            sa.PrimaryKeyConstraint(*_keys(dimensions), "deadline", "paused", "due_on", name=f"pk_{name}_open"),
        )


def _ordinals(columns: list[str]) -> str:
    """``1, 2, ...``: the grouped columns by position (one of them may be a constant)."""
    return ", ".join(str(i) for i in range(1, len(columns) + 1))


def _tally_select(name: str, dimensions: tuple[str, ...], grain: str, r: str, pg: bool, sign: str,
                  grouped: bool) -> str:
    keys = [_dimension(d, r, pg) for d in dimensions] + [_created_on(grain, r, pg)]
    if grouped:
        sums = [f"sum({sign} * {_measure(m, r)})" for m in MEASURES]
        having = " OR ".join(f"{s} <> 0" for s in sums)
        return (f"SELECT {', '.join(keys)}, {', '.join(sums)} FROM {{rows}} WHERE {r}.merged_into_id IS NULL "
                f"GROUP BY {_ordinals(keys)} HAVING {having} ORDER BY {_ordinals(keys)}")
    values = [f"{sign} * {_measure(m, r)}" for m in MEASURES]
    return f"SELECT {', '.join(keys)}, {', '.join(values)} WHERE {r}.merged_into_id IS NULL"


def _open_select(dimensions: tuple[str, ...], grain: str, r: str, pg: bool, sign: str, grouped: bool) -> list[str]:
    keys = [_dimension(d, r, pg) for d in dimensions] + [_created_on(grain, r, pg)]
    paused = f"(CASE WHEN {r}.status = 'POSTPONED' THEN 1 ELSE 0 END)"
    if grouped and pg:  # one pass for the three deadlines
        kinds = ", ".join(f"('{deadline}', {_open(deadline, r)[1]}, {_open(deadline, r)[0]})" for deadline in DEADLINES)
        row = [*keys, "k.deadline", paused, _due_on("k.due", pg)]
        return [f"SELECT {', '.join(row)}, sum({sign}) FROM {{rows}} CROSS JOIN LATERAL (VALUES {kinds}) "
                f"AS k(deadline, due, is_open) WHERE {r}.merged_into_id IS NULL AND k.is_open "
                f"GROUP BY {_ordinals(row)} HAVING sum({sign}) <> 0 ORDER BY {_ordinals(row)}"]
    selects = []
    for deadline in DEADLINES:
        is_open, due = _open(deadline, r)
        row = [*keys, f"'{deadline}'", paused, _due_on(due, pg)]
        if grouped:
            selects.append(f"SELECT {', '.join(row)}, sum({sign}) FROM {{rows}} WHERE {r}.merged_into_id IS NULL "
                           f"AND {is_open} GROUP BY {_ordinals(row)} HAVING sum({sign}) <> 0 "
                           f"ORDER BY {_ordinals(row)}")
        else:
            selects.append(f"SELECT {', '.join(row)}, {sign} WHERE {r}.merged_into_id IS NULL AND {is_open}")
    return selects


def _upserts(pg: bool, *, rows: str | None, r: str, sign: str) -> list[str]:
    """Statements adding ``sign`` times the complaints of ``rows`` (PostgreSQL) or row ``r`` (SQLite)."""
    grouped = rows is not None
    statements = []
    for name, dimensions, grain in TALLIES:
        keys = ", ".join(_keys(dimensions))
        target = f"INSERT INTO {name} ({keys}, {', '.join(MEASURES)}) "
        held = f"{name}." if pg else ""  # SQLite names the row being updated by its bare columns
        add = ", ".join(f"{m} = {held}{m} + excluded.{m}" for m in MEASURES)
        select = _tally_select(name, dimensions, grain, r, pg, sign, grouped).replace("{rows}", rows or "")
        statements.append(f"{target}{select} ON CONFLICT ({keys}) DO UPDATE SET {add}")
        open_keys = f"{keys}, deadline, paused, due_on"
        for select in _open_select(dimensions, grain, r, pg, sign, grouped):
            held = f"{name}_open." if pg else ""
            statements.append(f"INSERT INTO {name}_open ({open_keys}, n) {select.replace('{rows}', rows or '')} "
                              f"ON CONFLICT ({open_keys}) DO UPDATE SET n = {held}n + excluded.n")
    return statements


def _postgres_triggers() -> None:
    union = {
        "insert": "(SELECT 1 AS sign, n.* FROM new_rows n) AS r",
        "delete": "(SELECT -1 AS sign, o.* FROM old_rows o) AS r",
        "update": "(SELECT 1 AS sign, n.* FROM new_rows n UNION ALL SELECT -1 AS sign, o.* FROM old_rows o) AS r",
    }
    referencing = {"insert": "NEW TABLE AS new_rows", "delete": "OLD TABLE AS old_rows",
                   "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows"}
    for event, rows in union.items():
        body = ";\n".join(_upserts(True, rows=rows, r="r", sign="r.sign"))
        op.execute(f"CREATE FUNCTION stats_tally_{event}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                   f"BEGIN\n{body};\nRETURN NULL;\nEND $$")
        op.execute(f"CREATE TRIGGER complaints_stats_{event} AFTER {event.upper()} ON complaints "
                   f"REFERENCING {referencing[event]} FOR EACH STATEMENT EXECUTE FUNCTION stats_tally_{event}()")
    # DELETE, not TRUNCATE: the statement that truncated the complaints may be truncating the tallies too
    emptied = "".join(f"DELETE FROM {name};\nDELETE FROM {name}_open;\n" for name, _, _ in TALLIES)
    op.execute(f"CREATE FUNCTION stats_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$\n"
               f"BEGIN\n{emptied}RETURN NULL;\nEND $$")
    op.execute("CREATE TRIGGER complaints_stats_truncate AFTER TRUNCATE ON complaints "
               "FOR EACH STATEMENT EXECUTE FUNCTION stats_tally_truncate()")


def _sqlite_triggers() -> None:
    def trigger(name: str, event: str, statements: list[str]) -> None:
        body = ";\n".join(statements)
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON complaints BEGIN\n{body};\nEND")

    trigger("complaints_stats_insert", "INSERT", _upserts(False, rows=None, r="new", sign="1"))
    trigger("complaints_stats_delete", "DELETE", _upserts(False, rows=None, r="old", sign="-1"))
    trigger("complaints_stats_update", f"UPDATE OF {', '.join(TRIGGERED)}",
            _upserts(False, rows=None, r="old", sign="-1") + _upserts(False, rows=None, r="new", sign="1"))


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    _create_tables()
    # fill from the existing record (before the triggers exist, so nothing counts twice)
    for statement in _upserts(pg, rows="(SELECT 1 AS sign, c.* FROM complaints c) AS r", r="r", sign="r.sign"):
        op.execute(statement)
    if pg:
        _postgres_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    for event in ("insert", "update", "delete", "truncate"):
        op.execute(f"DROP TRIGGER IF EXISTS complaints_stats_{event}" + (" ON complaints" if pg else ""))
        if pg:
            op.execute(f"DROP FUNCTION IF EXISTS stats_tally_{event}()")
    for name, _, _ in TALLIES:
        op.drop_table(f"{name}_open")
        op.drop_table(name)
