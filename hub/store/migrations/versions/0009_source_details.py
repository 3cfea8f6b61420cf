"""a complaint's source copy keeps what the source says beyond the national fields

Revision ID: 0009_source_details
Revises: 0008_notifications
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_source_details"
down_revision = "0008_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_sources") as batch:
        batch.add_column(sa.Column("details", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint_sources") as batch:
        batch.drop_column("details")
