"""The alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from minova.db import engine, migration, models


def test_migrations_match_models(tmp_path):
    db_engine = engine.create_engine(f"sqlite:///{tmp_path}/m.sqlite")
    migration.db_sync(db_engine)
    with db_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.metadata)
    assert diff == []


def test_version_before_and_after_sync(tmp_path):
    db_engine = engine.create_engine(f"sqlite:///{tmp_path}/v.sqlite")
    assert migration.db_version(db_engine) is None
    migration.db_sync(db_engine)
    migration.db_sync(db_engine)  # idempotent
    assert migration.db_version(db_engine) == migration.head_revision()
