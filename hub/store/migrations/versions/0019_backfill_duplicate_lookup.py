"""indexes for duplicate detection on pulled pages

Revision ID: 0019_backfill_duplicate_lookup
Revises: 0018_stats_aggregates

Duplicate detection (:func:`hub.store.duplicate_flags.flag_duplicates`) finds
earlier complaints by their reporter's phone or case-folded e-mail; without
an index on ``lower(email)`` each page of a backfill read every reporter, so
pages got slower as the record grew. The flags of a page's complaints are
looked up from both sides of the pair, so ``duplicate_of_id`` is indexed too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_backfill_duplicate_lookup"
down_revision = "0018_stats_aggregates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reporters_email_lower", "reporters", [sa.text("lower(email)")])
    op.create_index("ix_duplicate_flags_duplicate_of_id", "duplicate_flags", ["duplicate_of_id"])


def downgrade() -> None:
    op.drop_index("ix_duplicate_flags_duplicate_of_id", table_name="duplicate_flags")
    op.drop_index("ix_reporters_email_lower", table_name="reporters")
