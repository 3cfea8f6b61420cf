"""complaint sources remember the status their system said last

Revision ID: 0013_source_status
Revises: 0012_source_details
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_source_status"
down_revision = "0012_source_details"
branch_labels = None
depends_on = None

STATUSES = ("SUBMITTED", "POSTPONED", "VERIFIED", "REJECTED", "DISPOSITIONED", "IN_PROGRESS", "RESOLVED", "CLOSED",
            "WITHDRAWN", "ARCHIVED")


def upgrade() -> None:
    with op.batch_alter_table("complaint_sources") as batch:
        batch.add_column(sa.Column("source_status", sa.Enum(*STATUSES, name="status", native_enum=False, length=32),
                                   nullable=True))
    # Until now the region's status was taken whenever it came, so the complaint's status is
    # the best knowledge of what each of its systems said last.
    op.execute("UPDATE complaint_sources SET source_status = (SELECT complaints.status FROM complaints "
               "WHERE complaints.id = complaint_sources.complaint_id)")


def downgrade() -> None:
    with op.batch_alter_table("complaint_sources") as batch:
        batch.drop_column("source_status")
