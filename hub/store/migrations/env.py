"""Alembic environment: runs on a connection handed in by hub.store.migrate."""

from __future__ import annotations

from alembic import context

from hub.store import notify_models, outbox_models, privacy_models, sync_models  # noqa: F401  (registers their tables)
from hub.store.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `hub migrate` (hub.store.migrate.upgrade)")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
