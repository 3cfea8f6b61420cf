"""outbox rows remember the regional event a delivered change became

Revision ID: 0007_outbox_regional_event
Revises: 0006_stats_cache
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_outbox_regional_event"
down_revision = "0006_stats_cache"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("regional_event_id", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("regional_event_id")
