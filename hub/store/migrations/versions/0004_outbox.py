"""push outbox

Revision ID: 0004_outbox
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hub.store.types

revision = "0004_outbox"
down_revision = "0003"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STATUSES = ("PENDING", "DELIVERED", "DEAD", "MANUAL", "DONE")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", Id, nullable=False),
        sa.Column("complaint_id", Id, nullable=False),
        sa.Column("region_code", sa.String(length=8), nullable=False),
        sa.Column("source_system", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("status", sa.Enum(*STATUSES, name="outboxstatus", native_enum=False, length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.Column("delivered_at", hub.store.types.UTCDateTime(), nullable=True),
        sa.Column("handled_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], name=op.f("fk_outbox_complaint_id_complaints")),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_outbox_region_code_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_idempotency_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_status_next", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_outbox_complaint", ["complaint_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_region_code"), ["region_code"], unique=False)


def downgrade() -> None:
    op.drop_table("outbox")
