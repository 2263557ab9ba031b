"""Aggregates in the database: rules, and the node generations they bump."""

import pytest

from minova import exception
from minova.db import aggregates as db_aggs
from minova.db import availability_zones as db_azs
from minova.db import compute_nodes as db_compute_nodes
from minova.db import flavors as db_flavors
from minova.db import host_states as db_host_states
from tests.unit.db.helpers import make_node


def _nodes() -> dict[str, dict]:
    return {n["host"]: n for n, _ in db_compute_nodes.compute_nodes_with_services()}


def test_create_get_and_duplicate_name(sqlite_db):
    agg = db_aggs.aggregate_create("agg1", "az1")
    assert agg["name"] == "agg1" and agg["availability_zone"] == "az1"
    assert agg["hosts"] == [] and agg["metadata"] == {"availability_zone": "az1"}
    assert db_aggs.aggregate_get(agg["id"]) == agg
    with pytest.raises(exception.AggregateNameExists):
        db_aggs.aggregate_create("agg1")
    assert [a["name"] for a in db_aggs.aggregate_get_all()] == ["agg1"]
    with pytest.raises(exception.AggregateNotFound):
        db_aggs.aggregate_get(agg["id"] + 1)


def test_add_host_bumps_only_that_hosts_nodes(sqlite_db):
    make_node("h1")
    make_node("h2")
    before = _nodes()
    agg = db_aggs.aggregate_create("agg1")
    agg = db_aggs.aggregate_add_host(agg["id"], "h1")
    after = _nodes()
    assert agg["hosts"] == ["h1"]
    assert after["h1"]["generation"] == before["h1"]["generation"] + 1
    assert after["h1"]["updated_at"] > before["h1"]["updated_at"]
    assert after["h2"]["generation"] == before["h2"]["generation"]


def test_add_unknown_or_present_host_is_refused_without_a_bump(sqlite_db):
    make_node("h1")
    agg = db_aggs.aggregate_create("agg1")
    with pytest.raises(exception.ComputeHostNotFound):
        db_aggs.aggregate_add_host(agg["id"], "nosuch")
    db_aggs.aggregate_add_host(agg["id"], "h1")
    generation = _nodes()["h1"]["generation"]
    with pytest.raises(exception.AggregateHostExists):
        db_aggs.aggregate_add_host(agg["id"], "h1")
    assert _nodes()["h1"]["generation"] == generation


def test_remove_host(sqlite_db):
    make_node("h1")
    agg = db_aggs.aggregate_create("agg1")
    db_aggs.aggregate_add_host(agg["id"], "h1")
    generation = _nodes()["h1"]["generation"]
    assert db_aggs.aggregate_remove_host(agg["id"], "h1")["hosts"] == []
    assert _nodes()["h1"]["generation"] == generation + 1
    with pytest.raises(exception.AggregateHostNotFound):
        db_aggs.aggregate_remove_host(agg["id"], "h1")


def test_set_metadata_null_deletes_and_every_change_bumps(sqlite_db):
    make_node("h1")
    agg = db_aggs.aggregate_create("agg1")
    db_aggs.aggregate_add_host(agg["id"], "h1")
    g0 = _nodes()["h1"]["generation"]
    agg = db_aggs.aggregate_set_metadata(agg["id"], {"ssd": "true", "gpu": "1"})
    assert agg["metadata"] == {"ssd": "true", "gpu": "1"}
    agg = db_aggs.aggregate_set_metadata(agg["id"], {"ssd": None, "gpu": "2",
                                                     "absent": None})
    assert agg["metadata"] == {"gpu": "2"}
    assert _nodes()["h1"]["generation"] == g0 + 2
    db_aggs.aggregate_set_metadata(agg["id"], {"gpu": "2"})  # no change, no bump
    assert _nodes()["h1"]["generation"] == g0 + 2


def test_zone_conflict_on_set_metadata_and_on_add_host(sqlite_db):
    make_node("h1")
    make_node("h2")
    a1 = db_aggs.aggregate_create("a1", "az1")
    a2 = db_aggs.aggregate_create("a2")
    db_aggs.aggregate_add_host(a1["id"], "h1")
    db_aggs.aggregate_add_host(a2["id"], "h1")
    generation = _nodes()["h1"]["generation"]
    with pytest.raises(exception.InvalidAggregateActionUpdateMeta):
        db_aggs.aggregate_set_metadata(a2["id"], {"availability_zone": "az2"})
    with pytest.raises(exception.InvalidAggregateActionUpdate):
        db_aggs.aggregate_update(a2["id"], {"availability_zone": "az2"})
    # the same zone is no conflict
    db_aggs.aggregate_set_metadata(a2["id"], {"availability_zone": "az1"})
    a3 = db_aggs.aggregate_create("a3", "az3")
    with pytest.raises(exception.InvalidAggregateActionAdd):
        db_aggs.aggregate_add_host(a3["id"], "h1")
    assert db_aggs.aggregate_get(a3["id"])["hosts"] == []
    assert db_aggs.aggregate_get(a2["id"])["metadata"] == {"availability_zone": "az1"}
    assert _nodes()["h1"]["generation"] == generation + 1  # only the accepted change


def test_empty_zone_name_is_refused(sqlite_db):
    agg = db_aggs.aggregate_create("a1")
    with pytest.raises(exception.InvalidAggregateActionUpdateMeta):
        db_aggs.aggregate_set_metadata(agg["id"], {"availability_zone": ""})


def test_update_renames_and_rename_to_a_taken_name_fails(sqlite_db):
    make_node("h1")
    agg = db_aggs.aggregate_create("a1")
    db_aggs.aggregate_create("a2")
    db_aggs.aggregate_add_host(agg["id"], "h1")
    generation = _nodes()["h1"]["generation"]
    renamed = db_aggs.aggregate_update(agg["id"], {"name": "a1-new"})
    assert renamed["name"] == "a1-new" and renamed["updated_at"] is not None
    assert _nodes()["h1"]["generation"] == generation + 1
    with pytest.raises(exception.AggregateNameExists):
        db_aggs.aggregate_update(agg["id"], {"name": "a2"})
    assert db_aggs.aggregate_get(agg["id"])["name"] == "a1-new"


def test_delete_refuses_a_non_empty_aggregate(sqlite_db):
    make_node("h1")
    agg = db_aggs.aggregate_create("a1", "az1")
    db_aggs.aggregate_add_host(agg["id"], "h1")
    with pytest.raises(exception.InvalidAggregateActionDelete):
        db_aggs.aggregate_delete(agg["id"])
    db_aggs.aggregate_remove_host(agg["id"], "h1")
    db_aggs.aggregate_delete(agg["id"])
    assert db_aggs.aggregate_get_all() == []
    with pytest.raises(exception.AggregateNotFound):
        db_aggs.aggregate_delete(agg["id"])
    # the name is free again
    assert db_aggs.aggregate_create("a1")["metadata"] == {}


def test_host_states_views_and_zones_follow_aggregates(sqlite_db):
    make_node("h1", az="nova")
    make_node("h2", az="nova")
    agg = db_aggs.aggregate_create("a1", "az1")
    db_aggs.aggregate_add_host(agg["id"], "h2")
    db_aggs.aggregate_set_metadata(agg["id"], {"ssd": "true"})
    states = {s["host"]: s for s in db_host_states.host_states(None, 60)["hosts"]}
    assert states["h1"]["availability_zone"] == "nova"
    assert states["h1"].get("aggregates", []) == []
    assert states["h2"]["availability_zone"] == "az1"
    assert states["h2"]["aggregates"] == [
        {"id": agg["id"], "name": "a1",
         "metadata": {"availability_zone": "az1", "ssd": "true"}}]
    assert db_azs.availability_zones() == {"nova", "az1"}
    assert _nodes()["h2"]["availability_zone"] == "az1"
    db_aggs.aggregate_remove_host(agg["id"], "h2")
    assert db_azs.availability_zones() == {"nova"}


def test_flavor_extra_specs_merge_and_delete(sqlite_db):
    db_flavors.bootstrap()
    assert db_flavors.flavor_extra_specs_update("1", {"a": "1", "b": "2"}) == {"a": "1",
                                                                              "b": "2"}
    db_flavors.flavor_extra_specs_update("1", {"b": "3"})
    db_flavors.flavor_extra_specs_delete("1", "a")
    assert db_flavors.flavor_get("1")["extra_specs"] == {"b": "3"}
    with pytest.raises(exception.FlavorExtraSpecsNotFound):
        db_flavors.flavor_extra_specs_delete("1", "a")
    with pytest.raises(exception.FlavorNotFound):
        db_flavors.flavor_extra_specs_update("nosuch", {"a": "1"})
