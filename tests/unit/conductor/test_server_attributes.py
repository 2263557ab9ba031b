"""ConductorAPI's server name/metadata/tag methods (1.4) reach ServerAttributesManager over fake://."""

import pytest

from minova import exception
from minova.conductor import rpcapi, server_attributes
from minova.db import instances
from tests import fake_bus
from tests.unit.db.helpers import make_instance


@pytest.fixture(scope="module")
def conductor_api():
    with fake_bus.rpc_server(rpcapi.TOPIC, "attrs-test",
                             [server_attributes.ServerAttributesManager("attrs-test")]):
        yield rpcapi.ConductorAPI()


def test_calls_round_trip(conductor_api, sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt, vm_state="active", task_state=None)["uuid"]
    updated = conductor_api.server_update(ctxt, uuid, {"display_name": "n", "description": "d"})
    assert (updated["display_name"], updated["description"]) == ("n", "d")
    assert conductor_api.server_metadata_update(ctxt, uuid, {"a": "1"}) == {"a": "1"}
    assert conductor_api.server_metadata_update(ctxt, uuid, {"b": "2"}, delete=True) == {
        "b": "2"}
    conductor_api.server_metadata_delete(ctxt, uuid, "b")
    assert conductor_api.server_tag_add(ctxt, uuid, "x") is True
    assert conductor_api.server_tag_add(ctxt, uuid, "x") is False
    assert conductor_api.server_tags_set(ctxt, uuid, ["z", "y"]) == ["y", "z"]
    conductor_api.server_tag_delete(ctxt, uuid, "y")
    assert instances.get(ctxt, uuid)["tags"] == ["z"]
    conductor_api.server_tags_delete_all(ctxt, uuid)
    after = instances.get(ctxt, uuid)
    assert (after["metadata"], after["tags"]) == ({}, [])


def test_errors_cross_as_themselves(conductor_api, sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt)["uuid"]  # building
    with pytest.raises(exception.InstanceInvalidState):
        conductor_api.server_tag_add(ctxt, uuid, "x")
    with pytest.raises(exception.InstanceNotFound):
        conductor_api.server_metadata_update(ctxt_factory(project="p2"), uuid, {"a": "1"})
    with pytest.raises(exception.MetadataItemNotFound):
        conductor_api.server_metadata_delete(ctxt, uuid, "nope")
