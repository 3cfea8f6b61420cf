"""indexes on the due dates, for the deadline job

Revision ID: 0014_deadline_indexes
Revises: 0013_source_status

The deadline job looks only at complaints whose due date passed since its
last run (:mod:`hub.sync.deadline_watch`): one index range scan per due date,
empty on an idle hub, instead of reading every complaint every minute.
"""

from __future__ import annotations

from alembic import op

revision = "0014_deadline_indexes"
down_revision = "0013_source_status"
branch_labels = None
depends_on = None

DUE_DATES = ("verify_due", "follow_up_due", "resolve_due", "answer_due")


def upgrade() -> None:
    for column in DUE_DATES:
        op.create_index(f"ix_complaints_{column}", "complaints", [column])


def downgrade() -> None:
    for column in DUE_DATES:
        op.drop_index(f"ix_complaints_{column}", table_name="complaints")
