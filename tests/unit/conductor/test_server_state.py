"""ConductorAPI's server lock and state reset (1.14) reach ServerStateManager
over fake://, and write what Nova writes: the lock's owner, its reason, the
instance action and its event."""

import pytest

from minova import exception
from minova.conductor import rpcapi, server_state
from minova.db import actions as db_actions
from minova.db import instances
from tests import fake_bus
from tests.unit.db.helpers import make_instance


@pytest.fixture(scope="module")
def conductor_api():
    with fake_bus.rpc_server(rpcapi.TOPIC, "state-test",
                             [server_state.ServerStateManager("state-test")]):
        yield rpcapi.ConductorAPI()


def _actions(uuid):
    return [a["action"] for a in db_actions.actions_get(uuid)]


def test_owner_lock_and_unlock(conductor_api, sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt, vm_state="active", task_state=None)["uuid"]
    locked = conductor_api.server_lock(ctxt, uuid, reason="maintenance")
    assert (locked["locked"], locked["locked_by"], locked["locked_reason"]) == (
        True, "owner", "maintenance")
    action = db_actions.action_get_by_request_id(uuid, ctxt.request_id)
    assert action["action"] == "lock" and action["finish_time"] is not None
    assert [(e["event"], e["result"]) for e in action["events"]] == [("api_lock", "Success")]
    unlocked = conductor_api.server_unlock(ctxt, uuid)
    assert (unlocked["locked"], unlocked["locked_by"], unlocked["locked_reason"]) == (
        False, None, None)
    assert [e["event"] for e in db_actions.action_get_by_request_id(
        uuid, ctxt.request_id)["events"]] == ["api_unlock"]


def test_owner_relock_records_nothing(conductor_api, sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt, vm_state="active", task_state=None)["uuid"]
    conductor_api.server_lock(ctxt, uuid)
    again = conductor_api.server_lock(ctxt_factory(), uuid, reason="ignored")
    assert again["locked_reason"] is None
    assert _actions(uuid) == ["lock", "create"]


def test_admin_lock_takes_the_lock_over(conductor_api, sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt, vm_state="active", task_state=None)["uuid"]
    conductor_api.server_lock(ctxt, uuid, reason="mine")
    admin = ctxt_factory(project="admin-project", admin=True)
    locked = conductor_api.server_lock(admin, uuid)
    # Taken over by the admin; the owner's reason stays (no new one given).
    assert (locked["locked_by"], locked["locked_reason"]) == ("admin", "mine")


def test_reset_state_clears_the_task(conductor_api, sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt, vm_state="active", task_state="powering-off")["uuid"]
    admin = ctxt_factory(project="admin-project", admin=True)
    reset = conductor_api.server_reset_state(admin, uuid, "error")
    assert (reset["vm_state"], reset["task_state"]) == ("error", None)
    action = db_actions.action_get_by_request_id(uuid, admin.request_id)
    assert (action["action"], action["events"]) == ("resetState", [])
    assert action["finish_time"] is not None
    assert conductor_api.server_reset_state(admin, uuid, "active")["vm_state"] == "active"


def test_another_projects_server_is_not_found(conductor_api, sqlite_db, ctxt_factory):
    uuid = make_instance(ctxt_factory(), vm_state="active", task_state=None)["uuid"]
    other = ctxt_factory(project="p2")
    for call in (lambda: conductor_api.server_lock(other, uuid),
                 lambda: conductor_api.server_unlock(other, uuid),
                 lambda: conductor_api.server_reset_state(other, uuid, "active")):
        with pytest.raises(exception.InstanceNotFound):
            call()
    assert instances.get(ctxt_factory(), uuid)["locked"] is False


def test_locked_filter_and_metadata_lock(conductor_api, sqlite_db, ctxt_factory):
    from minova.db import server_attributes
    ctxt = ctxt_factory()
    locked = make_instance(ctxt, name="a", vm_state="active", task_state=None)["uuid"]
    free = make_instance(ctxt, name="b", vm_state="active", task_state=None)["uuid"]
    conductor_api.server_lock(ctxt, locked)
    assert [i["uuid"] for i in instances.get_all(ctxt, {"locked": True})] == [locked]
    assert [i["uuid"] for i in instances.get_all(ctxt, {"locked": False})] == [free]
    # Nova's check_instance_lock on metadata changes: the project gets 409,
    # an admin goes through.
    with pytest.raises(exception.InstanceIsLocked):
        server_attributes.update_metadata(ctxt, locked, {"k": "v"})
    assert server_attributes.update_metadata(ctxt_factory(admin=True), locked,
                                             {"k": "v"}) == {"k": "v"}
    with pytest.raises(exception.InstanceIsLocked):
        server_attributes.delete_metadata_item(ctxt, locked, "k")
    server_attributes.update_metadata(ctxt, free, {"k": "v"})
