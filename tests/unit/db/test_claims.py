"""Claims: the conditional write that keeps every host within inventory × ratio."""

import datetime
import threading

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from minova import exception
from minova.db import claims, engine, instances, models, server_groups
from minova.db.rows import utcnow
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


# --- hard server group policies, enforced by the claim itself


def _group_members(ctxt, policy, count, rules=None):
    group = server_groups.create(ctxt, "g", policy, rules)
    members = [make_instance(ctxt, name=f"m{i}") for i in range(count)]
    with engine.transaction() as conn:
        server_groups.add_members_for_build(conn, ctxt, group["uuid"],
                                            [m["uuid"] for m in members])
    return group, members


@pytest.mark.parametrize("named", [True, False], ids=["group-named", "group-looked-up"])
def test_anti_affinity_claim_refuses_a_second_member_on_a_host(sqlite_db, ctxt_factory,
                                                               named):
    h1, h2 = make_node("h1"), make_node("h2")
    group, (a, b, c) = _group_members(ctxt_factory(), "anti-affinity", 3)
    kwargs = {"group_uuid": group["uuid"]} if named else {}
    claims.claim(a["uuid"], h1["id"], "h1", "h1", TINY, **kwargs)
    with pytest.raises(exception.ClaimFailed, match="anti-affinity"):
        claims.claim(b["uuid"], h1["id"], "h1", "h1", TINY, **kwargs)
    # the refused claim changed nothing
    assert instances.get(ctxt_factory(), b["uuid"])["host"] is None
    assert _node_row(sqlite_db, h1["id"]).vcpus_used == 1
    assert len(claims.get_for_node(h1["id"])) == 1
    assert claims.claim(b["uuid"], h2["id"], "h2", "h2", TINY, **kwargs)["host"] == "h2"
    with pytest.raises(exception.ClaimFailed):
        claims.claim(c["uuid"], h2["id"], "h2", "h2", TINY, **kwargs)


def test_a_group_the_instance_is_not_in_is_not_its_policy(sqlite_db, ctxt_factory):
    h1 = make_node("h1")
    group, (a,) = _group_members(ctxt_factory(), "anti-affinity", 1)
    claims.claim(a["uuid"], h1["id"], "h1", "h1", TINY)
    outsider = make_instance(ctxt_factory())
    claimed = claims.claim(outsider["uuid"], h1["id"], "h1", "h1", TINY,
                           group_uuid=group["uuid"])
    assert claimed["host"] == "h1"


def test_anti_affinity_max_server_per_host_and_deleted_members(sqlite_db, ctxt_factory):
    h1 = make_node("h1")
    _, (a, b, c) = _group_members(ctxt_factory(), "anti-affinity", 3,
                                  {"max_server_per_host": 2})
    claims.claim(a["uuid"], h1["id"], "h1", "h1", TINY)
    claims.claim(b["uuid"], h1["id"], "h1", "h1", TINY)
    with pytest.raises(exception.ClaimFailed, match="at most 2"):
        claims.claim(c["uuid"], h1["id"], "h1", "h1", TINY)
    with engine.transaction() as conn:  # a deleted member no longer counts
        claims.release(a["uuid"], conn=conn)
        instances.soft_delete(a["uuid"], conn)
    assert claims.claim(c["uuid"], h1["id"], "h1", "h1", TINY)["host"] == "h1"


def test_affinity_claim_follows_the_first_member(sqlite_db, ctxt_factory):
    h1, h2 = make_node("h1"), make_node("h2")
    group, (a, b, c) = _group_members(ctxt_factory(), "affinity", 3)
    claims.claim(a["uuid"], h2["id"], "h2", "h2", TINY)  # the first member picks
    with pytest.raises(exception.ClaimFailed, match="affinity"):
        claims.claim(b["uuid"], h1["id"], "h1", "h1", TINY, group_uuid=group["uuid"])
    assert claims.claim(b["uuid"], h2["id"], "h2", "h2", TINY)["host"] == "h2"
    assert claims.claim(c["uuid"], h2["id"], "h2", "h2", TINY)["host"] == "h2"


@pytest.mark.parametrize("policy", ["soft-anti-affinity", "soft-affinity"])
def test_soft_policies_never_refuse_a_claim(sqlite_db, ctxt_factory, policy):
    h1, h2 = make_node("h1"), make_node("h2")
    _, (a, b, c) = _group_members(ctxt_factory(), policy, 3)
    claims.claim(a["uuid"], h1["id"], "h1", "h1", TINY)
    assert claims.claim(b["uuid"], h1["id"], "h1", "h1", TINY)["host"] == "h1"
    assert claims.claim(c["uuid"], h2["id"], "h2", "h2", TINY)["host"] == "h2"


def test_racing_anti_affinity_claims_put_one_member_per_host(sqlite_db, ctxt_factory):
    cfg.CONF.set_override("server_group_members", 12, group="quota")
    nodes = [make_node(f"h{i}", vcpus=16, memory_mb=100000) for i in range(3)]
    group, members = _group_members(ctxt_factory(), "anti-affinity", 12)
    won, lost = [], []

    def claim(inst, node):
        try:
            claims.claim(inst["uuid"], node["id"], node["host"], node["host"], TINY,
                         group_uuid=group["uuid"])
            won.append(node["host"])
        except exception.ClaimFailed:
            lost.append(inst["uuid"])

    threads = [threading.Thread(target=claim, args=(inst, nodes[i % 3]))
               for i, inst in enumerate(members)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == ["h0", "h1", "h2"] and len(lost) == 9


def _set_service(host, **values):
    with engine.transaction() as conn:
        conn.execute(sa.update(models.services).where(models.services.c.host == host)
                     .values(**values))


@pytest.mark.parametrize("values", [
    {"last_seen_up": datetime.datetime(2000, 1, 1)},  # stopped reporting
    {"forced_down": True},
])
def test_claim_refuses_a_node_whose_service_is_down(sqlite_db, ctxt_factory, values):
    # The scheduler's view is a refresh old; the claim has the last word.
    node = make_node()
    inst = make_instance(ctxt_factory())
    alive_since = utcnow() - datetime.timedelta(seconds=60)
    _set_service("host1", last_seen_up=utcnow())
    _set_service("host1", **values)
    with pytest.raises(exception.ClaimFailed, match="service is down"):
        claims.claim(inst["uuid"], node["id"], "host1", "host1", TINY,
                     alive_since=alive_since)
    assert _node_row(sqlite_db, node["id"]).vcpus_used == 0
    assert instances.get(ctxt_factory(), inst["uuid"])["host"] is None


def test_claim_takes_a_node_whose_service_reported_lately(sqlite_db, ctxt_factory):
    node = make_node()
    inst = make_instance(ctxt_factory())
    _set_service("host1", last_seen_up=utcnow())
    claimed = claims.claim(inst["uuid"], node["id"], "host1", "host1", TINY,
                           alive_since=utcnow() - datetime.timedelta(seconds=60))
    assert claimed["host"] == "host1"
