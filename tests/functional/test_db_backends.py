"""The schema and the atomic claim on the real MariaDB and PostgreSQL servers."""

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from minova import context, exception
from minova.db import claims, engine, migration, models
from tests.functional.deployment import Database
from tests.unit.db.helpers import make_instance, make_node


@pytest.fixture(params=["mysql", "postgresql"])
def real_db(request, tmp_path):
    database = Database(request.param, tmp_path)
    database.create()
    db_engine = engine.create_engine(database.url, pool_size=30)
    migration.db_sync(db_engine)
    engine.set_engine(db_engine)
    yield db_engine
    engine.set_engine(None)
    database.drop()


def test_migrations_match_models(real_db):
    with real_db.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), models.metadata) == []
    assert migration.db_version(real_db) == migration.head_revision()


def test_timestamps_keep_microseconds(real_db):
    ctxt = context.RequestContext(user_id="u", project_id="p")
    inst = make_instance(ctxt)
    assert "." in inst["created_at"]  # not truncated to whole seconds


def test_racing_claims_never_overcommit(real_db):
    node = make_node(vcpus=7, memory_mb=10 ** 6, local_gb=10 ** 4)
    ctxt = context.RequestContext(user_id="u", project_id="p")
    pending = [make_instance(ctxt, name=f"vm{i}") for i in range(40)]
    won, lost, start = [], [], threading.Barrier(20)

    def worker(batch):
        start.wait()
        for inst in batch:
            try:
                claims.claim(inst["uuid"], node["id"], "host1", "host1",
                             {"vcpus": 1, "memory_mb": 1, "disk_gb": 1})
                won.append(inst["uuid"])
            except exception.ClaimFailed:
                lost.append(inst["uuid"])

    threads = [threading.Thread(target=worker, args=(pending[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 7 and len(lost) == 33
    with real_db.connect() as conn:
        used = conn.execute(models.compute_nodes.select()).first().vcpus_used
        allocs = conn.execute(models.allocations.select()).all()
    assert used == 7 and len(allocs) == 7
