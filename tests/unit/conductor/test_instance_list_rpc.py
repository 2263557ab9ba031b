"""instance_get_all over the fake:// bus: from RPC 1.16 the list crosses
packed (objects.packed_rows) and the client unpacks it; capped below, the
conductor sends the dicts. Either way the caller gets what the database
layer returned."""

import pytest
from oslo_config import cfg

from minova.conductor import manager as conductor_manager
from minova.conductor import rpcapi
from minova.db import instances as db_instances
from tests import fake_bus
from tests.unit.db.helpers import make_instance

COLUMNS = ["display_name", "vm_state", "created_at", "metadata", "flavor.flavorid", "fault",
           "tags"]


class RecordingManager(conductor_manager.ConductorManager):
    """The real endpoint, noting whether each list was asked for packed."""

    asked: list = []

    def instance_get_all(self, ctxt, filters, *args, **kwargs):
        self.asked.append(kwargs.get("packed", False))
        return super().instance_get_all(ctxt, filters, *args, **kwargs)


@pytest.fixture(scope="module")
def bus():
    with fake_bus.rpc_server(rpcapi.TOPIC, "list-test", [RecordingManager("list-test")]):
        yield


@pytest.fixture
def servers(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory("p1")
    for name in ("a", "b", "c"):
        make_instance(ctxt, name=name)
    return ctxt


@pytest.mark.parametrize("cap, packed", [(None, True), ("1.15", False)])
def test_the_list_is_what_the_database_layer_returns(bus, servers, cap, packed):
    if cap:
        cfg.CONF.set_override("conductor", cap, group="upgrade_levels")
    RecordingManager.asked.clear()
    try:
        found = rpcapi.ConductorAPI().instance_get_all(servers, {}, limit=2,
                                                       columns=COLUMNS)
    finally:
        cfg.CONF.clear_override("conductor", group="upgrade_levels")
    assert RecordingManager.asked == [packed]
    assert found == db_instances.get_all(servers, {}, limit=2, columns=COLUMNS)
    assert [i["display_name"] for i in found] == ["c", "b"]


def test_without_columns_the_list_is_not_packed(bus, servers):
    RecordingManager.asked.clear()
    found = rpcapi.ConductorAPI().instance_get_all(servers, {})
    assert RecordingManager.asked == [False]
    assert [i["display_name"] for i in found] == ["c", "b", "a"]
    assert "flavor" in found[0] and "tags" in found[0]


def test_an_empty_list_unpacks_to_nothing(bus, sqlite_db, ctxt_factory):
    assert rpcapi.ConductorAPI().instance_get_all(ctxt_factory("nobody"), {},
                                                  columns=COLUMNS) == []
