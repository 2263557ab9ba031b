"""The schema and the atomic claim on the real MariaDB and PostgreSQL servers."""

import threading

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from oslo_config import cfg

from minova import context, exception
from minova.db import claims, engine, migration, models
from tests.functional.deployment import Database
from tests.unit.db.helpers import make_instance, make_node


@pytest.fixture(autouse=True)
def _groups_without_member_quota():
    """The races below put two dozen members in one group: they test claims,
    not the server_group_members quota (tests/functional/test_quotas.py does)."""
    cfg.CONF.set_override("server_group_members", -1, group="quota")
    yield
    cfg.CONF.clear_override("server_group_members", group="quota")


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


@pytest.mark.parametrize("named", [True, False], ids=["group-named", "group-looked-up"])
@pytest.mark.parametrize("policy", ["anti-affinity", "affinity"])
def test_racing_claims_keep_a_hard_server_group_policy(real_db, policy, named):
    """Members of one group claim at once on three roomy nodes: the group row's
    lock makes them take turns, so the policy holds whatever they race on."""
    from minova.db import server_groups

    ctxt = context.RequestContext(user_id="u", project_id="p")
    nodes = [make_node(f"host{i}", vcpus=100, memory_mb=10 ** 6, local_gb=10 ** 4)
             for i in range(3)]
    group = server_groups.create(ctxt, "g", policy)
    pending = [make_instance(ctxt, name=f"vm{i}") for i in range(24)]
    with engine.transaction() as conn:
        server_groups.add_members_for_build(conn, ctxt, group["uuid"],
                                            [i["uuid"] for i in pending])
    won, lost, start = [], [], threading.Barrier(12)

    def worker(batch):
        start.wait()
        for index, inst in batch:
            node = nodes[index % 3]
            try:
                claims.claim(inst["uuid"], node["id"], node["host"], node["host"],
                             {"vcpus": 1, "memory_mb": 1, "disk_gb": 1},
                             group_uuid=group["uuid"] if named else None)
                won.append(node["host"])
            except exception.ClaimFailed:
                lost.append(inst["uuid"])

    numbered = list(enumerate(pending))
    threads = [threading.Thread(target=worker, args=(numbered[i::12],)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) + len(lost) == 24
    if policy == "anti-affinity":
        assert sorted(won) == ["host0", "host1", "host2"]
    else:
        assert len(set(won)) == 1 and len(won) == 8
    with real_db.connect() as conn:
        placed = conn.execute(sa.select(models.instances.c.host).where(
            models.instances.c.host.is_not(None))).scalars().all()
        allocs = conn.execute(models.allocations.select()).all()
    assert sorted(placed) == sorted(won) and len(allocs) == len(won)


def test_group_claims_race_other_writers_without_deadlocks(real_db):
    """Claims of an anti-affinity group's members race deletes of other members,
    creates that add members, and builds of placed members finishing (their
    instance row, then their node's, as the conductor's build_finished writes
    them): the claim locks no member's row, so none of them deadlocks, and
    the policy holds."""
    from minova.db import instances, server_groups
    from tests.unit.db.helpers import FLAVOR

    ctxt = context.RequestContext(user_id="u", project_id="p")
    nodes = [make_node(f"host{i}", vcpus=100, memory_mb=10 ** 6, local_gb=10 ** 4)
             for i in range(4)]
    group = server_groups.create(ctxt, "g", "anti-affinity", {"max_server_per_host": 2})
    placed = [make_instance(ctxt, name=f"p{i}") for i in range(4)]
    claimers = [make_instance(ctxt, name=f"c{i}") for i in range(16)]
    doomed = [make_instance(ctxt, name=f"d{i}") for i in range(8)]
    with engine.transaction() as conn:
        server_groups.add_members_for_build(conn, ctxt, group["uuid"],
                                            [i["uuid"] for i in placed + claimers + doomed])
    for inst, node in zip(placed, nodes):
        claims.claim(inst["uuid"], node["id"], node["host"], node["host"],
                     {"vcpus": 1, "memory_mb": 1, "disk_gb": 1})
    new_row = {"display_name": "new", "project_id": "p", "user_id": "u", "image_ref": None,
               "flavor": FLAVOR, "vcpus": 1, "memory_mb": 1, "root_gb": 1,
               "ephemeral_gb": 0, "vm_state": "building", "task_state": "scheduling",
               "power_state": 0, "metadata": {}, "config_drive": ""}
    won, errors, start = [], [], threading.Barrier(14)

    def claim(batch):
        start.wait()
        for index, inst in batch:
            node = nodes[index % 4]
            try:
                claims.claim(inst["uuid"], node["id"], node["host"], node["host"],
                             {"vcpus": 1, "memory_mb": 1, "disk_gb": 1},
                             group_uuid=group["uuid"])
                won.append(node["host"])
            except exception.ClaimFailed:
                pass
            except Exception as exc:
                errors.append(exc)

    def delete(batch):
        start.wait()
        for inst in batch:
            try:
                with engine.transaction() as conn:
                    claims.release(inst["uuid"], conn=conn)
                    instances.soft_delete(inst["uuid"], conn)
            except Exception as exc:
                errors.append(exc)

    def create():
        start.wait()
        for _ in range(4):
            try:
                instances.create(ctxt, [dict(new_row), dict(new_row)],
                                 group_uuid=group["uuid"])
            except Exception as exc:
                errors.append(exc)

    def finish_builds(inst, node):
        start.wait()
        for _ in range(10):
            try:
                with engine.transaction() as conn:
                    instances.update(inst["uuid"], {"progress": 0}, conn=conn, reread=False)
                    conn.execute(sa.update(models.compute_nodes)
                                 .where(models.compute_nodes.c.id == node["id"])
                                 .values(failed_builds=0))
            except Exception as exc:
                errors.append(exc)

    numbered = list(enumerate(claimers))
    threads = ([threading.Thread(target=claim, args=(numbered[i::8],)) for i in range(8)]
               + [threading.Thread(target=delete, args=(doomed[i::2],)) for i in range(2)]
               + [threading.Thread(target=create) for _ in range(2)]
               + [threading.Thread(target=finish_builds, args=(placed[i], nodes[i]))
                  for i in range(2)])
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(won) == ["host0", "host1", "host2", "host3"]  # one more each: max 2
    assert len(server_groups.get(ctxt, group["uuid"])["members"]) == 4 + 16 + 16


@pytest.mark.parametrize("named", [True, False], ids=["group-named", "group-looked-up"])
def test_a_group_claim_sees_the_member_placed_while_it_waited(real_db, monkeypatch, named):
    """An affinity member's claim on host1 stops just before it locks the group;
    another member's claim on host0 commits meanwhile. Resumed, the first must
    see host0 (MariaDB's snapshot must not predate the lock) and refuse host1."""
    from minova.db import server_groups

    ctxt = context.RequestContext(user_id="u", project_id="p")
    host0, host1 = make_node("host0"), make_node("host1")
    group = server_groups.create(ctxt, "g", "affinity")
    first, second = make_instance(ctxt, name="first"), make_instance(ctxt, name="second")
    with engine.transaction() as conn:
        server_groups.add_members_for_build(conn, ctxt, group["uuid"],
                                            [first["uuid"], second["uuid"]])
    paused, resume = threading.Event(), threading.Event()
    real_lock = server_groups.lock_for_claim

    def lock_after_the_other(conn, group_uuid, instance_uuid):
        if instance_uuid == second["uuid"]:
            paused.set()
            assert resume.wait(30)
        return real_lock(conn, group_uuid, instance_uuid)

    monkeypatch.setattr(server_groups, "lock_for_claim", lock_after_the_other)
    outcome = []

    def claim_second():
        try:
            claims.claim(second["uuid"], host1["id"], "host1", "host1",
                         {"vcpus": 1, "memory_mb": 1, "disk_gb": 1},
                         group_uuid=group["uuid"] if named else None)
            outcome.append("claimed")
        except exception.ClaimFailed:
            outcome.append("refused")

    thread = threading.Thread(target=claim_second)
    thread.start()
    assert paused.wait(30)
    claims.claim(first["uuid"], host0["id"], "host0", "host0",
                 {"vcpus": 1, "memory_mb": 1, "disk_gb": 1},
                 group_uuid=group["uuid"] if named else None)
    resume.set()
    thread.join()
    assert outcome == ["refused"]
