"""Schema migrations with alembic: ``minova-manage db sync`` and ``db version``."""

import os

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

_MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", _MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def db_sync(engine: sa.Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``; a no-op when it is there already."""
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def db_version(engine: sa.Engine) -> str | None:
    """The revision the database is at, or None before the first sync."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(_config(None)).get_current_head()
