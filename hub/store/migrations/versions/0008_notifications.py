"""notifications: notices, webhook subscriptions, outbox targets and attempts, uploaded attachments

Revision ID: 0008_notifications
Revises: 0007_outbox_regional_event
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hub.store.types

revision = "0008_notifications"
down_revision = "0007_outbox_regional_event"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PRIVACY = ("PUBLIC", "ANONYMOUS", "CONFIDENTIAL")
SCOPES = ("NATIONAL", "REGION", "AGENCY")
TARGETS = ("REGION", "EMAIL", "SMS", "WEBHOOK")


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", Id, nullable=False),
        sa.Column("complaint_id", Id, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("region_code", sa.String(length=8), nullable=False),
        sa.Column("privacy", sa.Enum(*PRIVACY, name="privacy", native_enum=False, length=32), nullable=False),
        sa.Column("agency_id", Id, nullable=True),
        sa.Column("reporter_id", Id, nullable=True),
        sa.Column("created_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.Column("fanned_out_at", hub.store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], name=op.f("fk_notices_complaint_id_complaints")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices") as batch:
        batch.create_index("ix_notices_waiting", ["fanned_out_at", "id"], unique=False)
        batch.create_index(batch.f("ix_notices_complaint_id"), ["complaint_id"], unique=False)

    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", Id, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("event_kinds", sa.JSON(), nullable=False),
        sa.Column("scope_kind", sa.Enum(*SCOPES, name="scopekind", native_enum=False, length=32), nullable=False),
        sa.Column("scope_region_code", sa.String(length=8), nullable=True),
        sa.Column("scope_agency_id", Id, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["scope_agency_id"], ["agencies.id"],
                                name=op.f("fk_webhook_subscriptions_scope_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscriptions")),
    )

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("target", sa.Enum(*TARGETS, name="outboxtarget", native_enum=False, length=32),
                                   nullable=False, server_default=sa.text("'REGION'")))
        batch.add_column(sa.Column("subscription_id", Id, nullable=True))
        batch.create_foreign_key(batch.f("fk_outbox_subscription_id_webhook_subscriptions"), "webhook_subscriptions",
                                 ["subscription_id"], ["id"])
        batch.create_index(batch.f("ix_outbox_subscription_id"), ["subscription_id"], unique=False)

    op.create_table(
        "outbox_attempts",
        sa.Column("id", Id, nullable=False),
        sa.Column("outbox_id", Id, nullable=False),
        sa.Column("attempted_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_outbox_attempts_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attempts")),
    )
    with op.batch_alter_table("outbox_attempts") as batch:
        batch.create_index("ix_outbox_attempts_row", ["outbox_id", "id"], unique=False)

    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("storage_key", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("event_id", Id, nullable=True))
        batch.add_column(sa.Column("uploaded_by", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("location_shared", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_foreign_key(batch.f("fk_attachments_event_id_timeline_events"), "timeline_events",
                                 ["event_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_constraint(batch.f("fk_attachments_event_id_timeline_events"), type_="foreignkey")
        for column in ("location_shared", "uploaded_by", "event_id", "sha256", "storage_key"):
            batch.drop_column(column)
    op.drop_table("outbox_attempts")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index(batch.f("ix_outbox_subscription_id"))
        batch.drop_constraint(batch.f("fk_outbox_subscription_id_webhook_subscriptions"), type_="foreignkey")
        batch.drop_column("subscription_id")
        batch.drop_column("target")
    op.drop_table("webhook_subscriptions")
    op.drop_table("notices")
