"""get_host_states: the full answer and the changes since a scheduler's summary."""

import datetime

import pytest
import sqlalchemy as sa

from minova.conductor import manager
from minova.db import claims, models
from minova.db import host_states as db_host_states
from tests.unit.db.helpers import make_instance, make_node

REQ = {"vcpus": 1, "memory_mb": 512, "disk_gb": 1}


@pytest.fixture
def cond():
    return manager.ConductorManager("c")


def summary(hosts: list[dict]) -> dict:
    """What a scheduler holding exactly ``hosts`` sends (all written just now: all recent)."""
    ids = sorted(h["compute_node_id"] for h in hosts)
    ranges: list[list[int]] = []
    for i in ids:
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    return {"ids": ranges, "generation_sum": sum(h["generation"] for h in hosts),
            "max_updated": max(h["updated_at"] for h in hosts),
            "recent": [[h["compute_node_id"], h["generation"]] for h in hosts]}


def incremental(cond, ctxt, hosts):
    return cond.get_host_states(ctxt, since_generations=summary(hosts))


def set_service(sqlite_db, host, **values):
    with sqlite_db.begin() as conn:
        conn.execute(sa.update(models.services).where(models.services.c.host == host)
                     .values(**values))


def test_full_answer_when_the_scheduler_has_nothing(sqlite_db, ctxt_factory, cond):
    make_node("h1")
    make_node("h2")
    answer = cond.get_host_states(ctxt_factory())
    assert answer["full"] is True and answer["removed"] == []
    assert [h["host"] for h in answer["hosts"]] == ["h1", "h2"]
    assert answer["count"] == 2 and answer["generation_sum"] == 2
    assert set(answer["hosts"][0]) == {
        "compute_node_id", "uuid", "host", "nodename", "vcpus", "vcpus_used", "memory_mb",
        "memory_mb_used", "local_gb", "local_gb_used", "cpu_allocation_ratio",
        "ram_allocation_ratio", "disk_allocation_ratio", "reserved_host_memory_mb",
        "reserved_host_disk_mb", "reserved_host_cpus", "running_vms", "availability_zone",
        "generation", "updated_at", "service_disabled", "service_disabled_reason",
        "service_up", "capability_set"}
    assert answer["hosts"][0]["capability_set"] == answer["hosts"][1]["capability_set"] == 0
    assert answer["capability_sets"] == [{
        "hypervisor_type": "fake", "hypervisor_version": 1, "cpu_info": {},
        "supported_instances": []}]


@pytest.mark.parametrize("since", [{}, {"ids": "junk"}, {"unknown": 1}, "x"])
def test_a_summary_it_does_not_understand_gets_the_full_answer(sqlite_db, ctxt_factory,
                                                                cond, since):
    make_node("h1")
    answer = cond.get_host_states(ctxt_factory(), since_generations=since)
    assert answer["full"] is True and len(answer["hosts"]) == 1


def test_nothing_changed_sends_no_host(sqlite_db, ctxt_factory, cond):
    make_node("h1")
    make_node("h2")
    hosts = cond.get_host_states(ctxt_factory())["hosts"]
    answer = incremental(cond, ctxt_factory(), hosts)
    assert answer["full"] is False
    assert answer["hosts"] == [] and answer["removed"] == []
    assert answer["services"] == {"down": [], "disabled": []}
    assert (answer["count"], answer["generation_sum"]) == (2, 2)


def test_inventory_change_sends_exactly_that_node(sqlite_db, ctxt_factory, cond):
    make_node("h1")
    make_node("h2", vcpus=4)
    make_node("h3")
    hosts = cond.get_host_states(ctxt_factory())["hosts"]
    make_node("h2", vcpus=8)
    answer = incremental(cond, ctxt_factory(), hosts)
    assert [(h["host"], h["vcpus"], h["generation"]) for h in answer["hosts"]] == [
        ("h2", 8, 2)]
    assert answer["generation_sum"] == 4


def test_claim_then_release_each_send_the_node(sqlite_db, ctxt_factory, cond):
    node = make_node("h1")
    make_node("h2")
    hosts = cond.get_host_states(ctxt_factory())["hosts"]
    inst = make_instance(ctxt_factory())
    claims.claim(inst["uuid"], node["id"], "h1", "h1", REQ)
    answer = incremental(cond, ctxt_factory(), hosts)
    assert [(h["host"], h["vcpus_used"], h["generation"]) for h in answer["hosts"]] == [
        ("h1", 1, 2)]
    hosts = [answer["hosts"][0], hosts[1]]
    assert incremental(cond, ctxt_factory(), hosts)["hosts"] == []
    claims.release(inst["uuid"])
    answer = incremental(cond, ctxt_factory(), hosts)
    assert [(h["host"], h["vcpus_used"], h["generation"]) for h in answer["hosts"]] == [
        ("h1", 0, 3)]


def test_nodes_written_long_before_the_scheduler_newest_are_not_sent(sqlite_db, ctxt_factory,
                                                                     cond):
    make_node("h1")
    make_node("h2")
    old = datetime.datetime.utcnow() - datetime.timedelta(hours=1)
    with sqlite_db.begin() as conn:
        conn.execute(sa.update(models.compute_nodes).where(models.compute_nodes.c.host == "h1")
                     .values(updated_at=old))
    hosts = cond.get_host_states(ctxt_factory())["hosts"]
    since = summary(hosts)
    since["recent"] = []  # h2 not listed: sent again; h1 is too old to be looked at
    make_node("h2", vcpus=16)
    answer = cond.get_host_states(ctxt_factory(), since_generations=since)
    assert [h["host"] for h in answer["hosts"]] == ["h2"]


def test_new_and_removed_nodes(sqlite_db, ctxt_factory, cond):
    make_node("h1")
    gone = make_node("h2")
    make_node("h3")
    hosts = cond.get_host_states(ctxt_factory())["hosts"]
    with sqlite_db.begin() as conn:
        conn.execute(sa.delete(models.compute_nodes).where(
            models.compute_nodes.c.id == gone["id"]))
    added = make_node("h4")
    answer = incremental(cond, ctxt_factory(), hosts)
    assert answer["removed"] == [gone["id"]]
    assert [h["compute_node_id"] for h in answer["hosts"]] == [added["id"]]
    assert answer["count"] == 3


def test_new_node_with_an_old_timestamp_is_still_sent(sqlite_db, ctxt_factory, cond):
    make_node("h1")
    hosts = cond.get_host_states(ctxt_factory())["hosts"]
    added = make_node("h2")
    with sqlite_db.begin() as conn:
        conn.execute(sa.update(models.compute_nodes).where(
            models.compute_nodes.c.id == added["id"]).values(updated_at=datetime.datetime(2020,
                                                                                         1, 1)))
    answer = incremental(cond, ctxt_factory(), hosts)
    assert [h["host"] for h in answer["hosts"]] == ["h2"]


def test_service_down_or_disabled_shows_without_a_node_write(sqlite_db, ctxt_factory, cond):
    n1 = make_node("h1")
    n2 = make_node("h2")
    make_node("h3")
    hosts = cond.get_host_states(ctxt_factory())["hosts"]
    old = datetime.datetime.utcnow() - datetime.timedelta(hours=1)
    set_service(sqlite_db, "h1", last_seen_up=old)
    set_service(sqlite_db, "h2", disabled=True, disabled_reason="drain")
    answer = incremental(cond, ctxt_factory(), hosts)
    assert answer["hosts"] == []  # no compute_nodes row changed
    assert answer["services"] == {"down": [n1["id"]], "disabled": [[n2["id"], "drain"]]}
    set_service(sqlite_db, "h1", last_seen_up=datetime.datetime.utcnow(), forced_down=True)
    answer = incremental(cond, ctxt_factory(), hosts)
    assert answer["services"]["down"] == [n1["id"]]


def test_service_up_follows_the_clock(sqlite_db, ctxt_factory):
    node = make_node("h1")
    now = datetime.datetime.utcnow()
    later = now + datetime.timedelta(seconds=3600)
    assert db_host_states.host_states(None, 60, now=now)["hosts"][0]["service_up"] is True
    answer = db_host_states.host_states(None, 60, now=later)
    assert answer["hosts"][0]["service_up"] is False
    since = summary(db_host_states.host_states(None, 60, now=now)["hosts"])
    assert db_host_states.host_states(since, 60, now=later)["services"]["down"] == [node["id"]]


def test_scheduler_fed_by_the_real_conductor_stays_in_step(sqlite_db, ctxt_factory, cond):
    from minova.scheduler.host_manager import HostManager

    node = make_node("h1")
    make_node("h2")
    host_manager = HostManager(cond)
    ctxt = ctxt_factory()
    with host_manager.host_states(ctxt) as hosts:
        hosts[0].consume(REQ)
    inst = make_instance(ctxt)
    claims.claim(inst["uuid"], node["id"], "h1", "h1", REQ)
    make_node("h3")
    with host_manager.host_states(ctxt, fresh=True) as hosts:
        assert [(h.host, h.vcpus_used) for h in hosts] == [("h1", 1), ("h2", 0), ("h3", 0)]
    assert (host_manager.full_refreshes, host_manager.incremental_refreshes) == (1, 1)
