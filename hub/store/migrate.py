"""Schema migrations (Alembic) and the start-up check that the schema is current.

Migrations live in ``hub/store/migrations``; they are applied by ``hub
migrate``. The server refuses a database whose schema is behind, except the
embedded SQLite default in dev, which migrates itself on first start.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine


class SchemaBehind(RuntimeError):
    """The database's schema is older than this code expects."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("hub.store").joinpath("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    def _read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(_read)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` on ``engine``'s database."""
    url = engine.url.render_as_string(hide_password=False)

    def _run(connection: Connection) -> None:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_run)


async def ensure_current(engine: AsyncEngine, *, auto_migrate: bool) -> None:
    """Raise :class:`SchemaBehind` unless the schema is at head (or migrate it)."""
    url = engine.url.render_as_string(hide_password=False)
    current, head = await current_revision(engine), head_revision(url)
    if current == head:
        return
    if auto_migrate:
        await upgrade(engine)
        return
    raise SchemaBehind(
        f"the database schema is at {current or 'nothing (empty database)'} but this hub needs {head}; "
        "run `hub migrate` to bring it up to date"
    )
