"""Claims: the conditional write that keeps every host within inventory × ratio."""

import threading

import pytest
import sqlalchemy as sa

from minova import exception
from minova.db import claims, instances, models
from tests.unit.db.helpers import make_instance, make_node

TINY = {"vcpus": 1, "memory_mb": 512, "disk_gb": 1}


def _node_row(engine, node_id):
    with engine.connect() as conn:
        return conn.execute(sa.select(models.compute_nodes).where(
            models.compute_nodes.c.id == node_id)).first()


def test_claim_sets_host_and_counts_usage(sqlite_db, ctxt_factory):
    node = make_node(vcpus=2)
    inst = make_instance(ctxt_factory())
    claimed = claims.claim(inst["uuid"], node["id"], "host1", "host1", TINY)
    assert claimed["host"] == "host1" and claimed["node"] == "host1"
    assert claimed["availability_zone"] == "nova"  # the host's zone, as Nova shows it
    row = _node_row(sqlite_db, node["id"])
    assert (row.vcpus_used, row.memory_mb_used, row.local_gb_used, row.running_vms) == (
        1, 512, 1, 1)
    assert row.generation == node["generation"] + 1


def test_claim_refuses_beyond_capacity_and_changes_nothing(sqlite_db, ctxt_factory):
    node = make_node(vcpus=1, memory_mb=4096)
    first, second = make_instance(ctxt_factory()), make_instance(ctxt_factory())
    claims.claim(first["uuid"], node["id"], "host1", "host1", TINY)
    with pytest.raises(exception.ClaimFailed):
        claims.claim(second["uuid"], node["id"], "host1", "host1", TINY)
    assert instances.get(ctxt_factory(), second["uuid"])["host"] is None
    assert len(claims.get_for_node(node["id"])) == 1


def test_claim_honours_ratio_and_reserved_memory(sqlite_db, ctxt_factory):
    # (1024 - 512 reserved) * 1.5 = 768 MiB allocatable: one 512 fits, two do not.
    node = make_node(vcpus=8, memory_mb=1024, reserved_mb=512, ram_ratio=1.5)
    a, b = make_instance(ctxt_factory()), make_instance(ctxt_factory())
    claims.claim(a["uuid"], node["id"], "host1", "host1", TINY)
    with pytest.raises(exception.ClaimFailed):
        claims.claim(b["uuid"], node["id"], "host1", "host1", TINY)


def test_claim_rolls_back_when_instance_was_deleted(sqlite_db, ctxt_factory):
    node = make_node()
    inst = make_instance(ctxt_factory())
    instances.update(inst["uuid"], {"task_state": "deleting"})
    with pytest.raises(exception.UnexpectedTaskStateError):
        claims.claim(inst["uuid"], node["id"], "host1", "host1", TINY)
    row = _node_row(sqlite_db, node["id"])
    assert row.vcpus_used == 0 and claims.get_for_node(node["id"]) == []


def test_release_frees_usage_once(sqlite_db, ctxt_factory):
    node = make_node()
    inst = make_instance(ctxt_factory())
    claims.claim(inst["uuid"], node["id"], "host1", "host1", TINY)
    assert claims.release(inst["uuid"]) is True
    assert claims.release(inst["uuid"]) is False
    row = _node_row(sqlite_db, node["id"])
    assert (row.vcpus_used, row.memory_mb_used, row.running_vms) == (0, 0, 0)


def test_concurrent_claims_never_overcommit(sqlite_db, ctxt_factory):
    node = make_node(vcpus=5, memory_mb=100000, local_gb=1000)
    pending = [make_instance(ctxt_factory(), name=f"vm{i}") for i in range(20)]
    won, lost = [], []

    def claim(inst):
        try:
            claims.claim(inst["uuid"], node["id"], "host1", "host1", TINY)
            won.append(inst["uuid"])
        except exception.ClaimFailed:
            lost.append(inst["uuid"])

    threads = [threading.Thread(target=claim, args=(i,)) for i in pending]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 5 and len(lost) == 15
    assert _node_row(sqlite_db, node["id"]).vcpus_used == 5
