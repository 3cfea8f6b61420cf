"""privacy: the access log, reporters' secret codes and the attempts to open them

Revision ID: 0011_privacy
Revises: 0010_lifecycle_clocks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hub.store.types

revision = "0011_privacy"
down_revision = "0010_lifecycle_clocks"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ROLES = ("PUBLIC", "REPORTER", "AGENCY_OFFICER", "REGION_ADMIN", "NATIONAL_ADMIN")


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", Id, nullable=False),
        sa.Column("viewer", sa.String(length=200), nullable=False),
        sa.Column("viewer_role", sa.Enum(*ROLES, name="role", native_enum=False, length=32), nullable=False),
        sa.Column("complaint_id", Id, nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("read_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    with op.batch_alter_table("access_log") as batch:
        batch.create_index("ix_access_log_complaint", ["complaint_id", "id"], unique=False)
        batch.create_index("ix_access_log_viewer", ["viewer", "id"], unique=False)
        batch.create_index("ix_access_log_read_at", ["read_at"], unique=False)

    op.create_table(
        "reporter_codes",
        sa.Column("complaint_id", Id, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], name=op.f("fk_reporter_codes_complaint_id_complaints")),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_reporter_codes")),
    )

    op.create_table(
        "code_attempts",
        sa.Column("id", Id, nullable=False),
        sa.Column("tracking_id", sa.String(length=40), nullable=False),
        sa.Column("attempted_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_attempts")),
    )
    with op.batch_alter_table("code_attempts") as batch:
        batch.create_index("ix_code_attempts_tracking", ["tracking_id", "attempted_at"], unique=False)


def downgrade() -> None:
    op.drop_table("code_attempts")
    op.drop_table("reporter_codes")
    op.drop_table("access_log")
