"""The conductor's aggregate endpoints as other services reach them, and their effects."""

import pytest

from minova import exception
from minova.conductor import aggregates, manager
from minova.db import flavors as db_flavors
from tests.unit.conductor.test_host_states import incremental
from tests.unit.db.helpers import make_node


@pytest.fixture
def aggs():
    return aggregates.AggregateManager("c")


def test_incremental_refresh_sends_the_hosts_an_aggregate_change_touched(
        sqlite_db, ctxt_factory, aggs):
    cond = manager.ConductorManager("c")
    ctxt = ctxt_factory(admin=True)
    make_node("h1")
    make_node("h2")
    hosts = cond.get_host_states(ctxt)["hosts"]
    agg = aggs.aggregate_create(ctxt, "a1", "az1")
    assert incremental(cond, ctxt, hosts)["hosts"] == []  # no hosts yet: nothing to send
    aggs.aggregate_add_host(ctxt, agg["id"], "h2")
    answer = incremental(cond, ctxt, hosts)
    [changed] = answer["hosts"]
    assert changed["host"] == "h2" and changed["availability_zone"] == "az1"
    assert changed["aggregates"][0]["name"] == "a1"
    assert answer["generation_sum"] == sum(h["generation"] for h in hosts) + 1
    hosts = [hosts[0], changed]
    aggs.aggregate_set_metadata(ctxt, agg["id"], {"availability_zone": "az2"})
    [changed] = incremental(cond, ctxt, hosts)["hosts"]
    assert changed["availability_zone"] == "az2"


def test_service_zone_comes_from_the_aggregate(sqlite_db, ctxt_factory, aggs):
    cond = manager.ConductorManager("c")
    ctxt = ctxt_factory(admin=True)
    make_node("h1")
    agg = aggs.aggregate_create(ctxt, "a1", "az1")
    aggs.aggregate_add_host(ctxt, agg["id"], "h1")
    [svc] = cond.service_get_all(ctxt)
    assert svc["zone"] == "az1"
    [node] = cond.compute_node_get_all(ctxt)
    assert node["availability_zone"] == "az1"


def test_endpoints_pass_errors_through(sqlite_db, ctxt_factory, aggs):
    ctxt = ctxt_factory(admin=True)
    agg = aggs.aggregate_create(ctxt, "a1")
    with pytest.raises(exception.ComputeHostNotFound):
        aggs.aggregate_add_host(ctxt, agg["id"], "ghost")
    with pytest.raises(exception.AggregateNotFound):
        aggs.aggregate_get(ctxt, agg["id"] + 10)
    assert [a["id"] for a in aggs.aggregate_get_all(ctxt)] == [agg["id"]]
    aggs.aggregate_update(ctxt, agg["id"], {"name": "a2"})
    assert aggs.aggregate_get(ctxt, agg["id"])["name"] == "a2"
    aggs.aggregate_delete(ctxt, agg["id"])
    assert aggs.aggregate_get_all(ctxt) == []


def test_flavor_extra_specs_endpoints(sqlite_db, ctxt_factory, aggs):
    db_flavors.bootstrap()
    ctxt = ctxt_factory(admin=True)
    assert aggs.flavor_extra_specs_update(ctxt, "1", {"ssd": "true"}) == {"ssd": "true"}
    aggs.flavor_extra_specs_delete(ctxt, "1", "ssd")
    assert db_flavors.flavor_get("1")["extra_specs"] == {}
