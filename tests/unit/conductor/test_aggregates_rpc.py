"""ConductorAPI's aggregate and extra spec methods reach AggregateManager over fake://."""

import pytest

import minova.conf
from minova import exception
from minova.conductor import aggregates, rpcapi
from minova.db import flavors as db_flavors
from tests import fake_bus
from tests.unit.db.helpers import make_node

CONF = minova.conf.CONF


@pytest.fixture(scope="module")
def conductor_api():
    with fake_bus.rpc_server(rpcapi.TOPIC, "agg-test", [aggregates.AggregateManager("agg-test")]):
        yield rpcapi.ConductorAPI()


def test_aggregate_calls_round_trip(conductor_api, sqlite_db, ctxt_factory):
    ctxt = ctxt_factory(admin=True)
    make_node("h1")
    agg = conductor_api.aggregate_create(ctxt, "a1", "az1")
    assert conductor_api.aggregate_add_host(ctxt, agg["id"], "h1")["hosts"] == ["h1"]
    with pytest.raises(exception.AggregateHostExists):
        conductor_api.aggregate_add_host(ctxt, agg["id"], "h1")
    agg = conductor_api.aggregate_set_metadata(ctxt, agg["id"], {"ssd": "true"})
    assert agg["metadata"] == {"availability_zone": "az1", "ssd": "true"}
    assert conductor_api.aggregate_update(ctxt, agg["id"], {"name": "a2"})["name"] == "a2"
    with pytest.raises(exception.InvalidAggregateActionDelete):
        conductor_api.aggregate_delete(ctxt, agg["id"])
    conductor_api.aggregate_remove_host(ctxt, agg["id"], "h1")
    conductor_api.aggregate_delete(ctxt, agg["id"])
    assert conductor_api.aggregate_get_all(ctxt) == []
    with pytest.raises(exception.AggregateNotFound):
        conductor_api.aggregate_get(ctxt, agg["id"])


def test_extra_specs_calls_round_trip(conductor_api, sqlite_db, ctxt_factory):
    db_flavors.bootstrap()
    ctxt = ctxt_factory(admin=True)
    assert conductor_api.flavor_extra_specs_update(ctxt, "1", {"k": "v"}) == {"k": "v"}
    with pytest.raises(exception.FlavorExtraSpecsNotFound):
        conductor_api.flavor_extra_specs_delete(ctxt, "1", "nope")
    conductor_api.flavor_extra_specs_delete(ctxt, "1", "k")
    assert db_flavors.flavor_get("1")["extra_specs"] == {}
