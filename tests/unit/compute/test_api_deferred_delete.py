"""Nova's deferred delete in the compute API facade and the REST layer:
DELETE soft-deletes with ``[DEFAULT] reclaim_instance_interval`` > 0 (a
server never launched is deleted at once), restore and forceDelete with
Nova's state rules, lock check and policies.

The conductor is the in-memory stand-in of test_api_lock.py; the real
endpoints are tested in tests/unit/conductor/test_soft_delete.py and the
functional tests.
"""

import pytest
from oslo_config import cfg

from minova.api import app as api_app
from minova.api import facades
from minova.objects import states
from tests.unit.compute.test_api import UUID, RecordingCompute
from tests.unit.compute.test_api_lock import ADMIN, LockingConductor, _action, _call


class DeferringConductor(LockingConductor):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.instance.update(launched_at="2026-12-07T10:00:00.000000", vcpus=1,
                             memory_mb=512)
        self.soft_deleted = False

    def soft_delete_instance(self, ctxt, uuid):
        self.soft_deleted = True

    # The project's quota as the conductor counts it (the soft-deleted server
    # included): room for one more unless a test lowers the limit.
    limits = {"instances": 10, "cores": 20, "ram": 51200}

    def quota_get(self, ctxt, project_id, usages=False):
        return {"limits": dict(self.limits),
                "in_use": {"instances": 1, "cores": 1, "ram": 512}}


def _rest(**state):
    conductor = DeferringConductor(**state)
    apis = facades.build(conductor, RecordingCompute(), compute_task_api=conductor)
    return api_app.make_app(apis), apis.compute, conductor


@pytest.fixture
def deferred():
    cfg.CONF.set_override("reclaim_instance_interval", 3600)
    yield
    cfg.CONF.clear_override("reclaim_instance_interval")


def test_delete_soft_deletes_with_an_interval(deferred):
    app, _api, conductor = _rest()
    assert _call(app, "DELETE", f"/v2.1/servers/{UUID}")[0] == 204
    assert conductor.soft_deleted and not conductor.deleted


def test_delete_of_a_server_never_launched_is_for_good(deferred):
    app, _api, conductor = _rest(vm_state="error")
    conductor.instance["launched_at"] = None
    assert _call(app, "DELETE", f"/v2.1/servers/{UUID}")[0] == 204
    assert conductor.deleted and not conductor.soft_deleted


def test_delete_is_for_good_without_an_interval():
    app, _api, conductor = _rest()
    assert _call(app, "DELETE", f"/v2.1/servers/{UUID}")[0] == 204
    assert conductor.deleted and not conductor.soft_deleted


def test_delete_of_a_locked_server_is_409_either_way(deferred):
    app, _api, conductor = _rest()
    conductor.instance.update(locked=True, locked_by="owner")
    status, reply = _call(app, "DELETE", f"/v2.1/servers/{UUID}")
    assert status == 409 and "is locked" in reply["conflictingRequest"]["message"]
    assert not conductor.deleted and not conductor.soft_deleted


def test_restore_a_soft_deleted_server():
    app, api, conductor = _rest(vm_state=states.SOFT_DELETED)
    assert _action(app, {"restore": None}) == (202, None)
    assert conductor.instance["task_state"] == states.RESTORING
    assert api.compute_rpc.casts[0][:2] == ("restore_instance", "c1")
    assert conductor.actions == ["restore"]


@pytest.mark.parametrize("vm_state, task_state", [
    (states.ACTIVE, None), (states.STOPPED, None), (states.SOFT_DELETED, states.RESTORING)])
def test_restore_of_anything_else_is_409(vm_state, task_state):
    app, api, conductor = _rest(vm_state=vm_state, task_state=task_state)
    status, reply = _action(app, {"restore": None})
    assert status == 409
    assert "Cannot 'restore' instance" in reply["conflictingRequest"]["message"]
    assert api.compute_rpc.casts == [] and conductor.actions == []


def test_force_delete_any_idle_server():
    for vm_state in (states.SOFT_DELETED, states.ACTIVE, states.ERROR):
        app, _api, conductor = _rest(vm_state=vm_state)
        assert _action(app, {"forceDelete": None}) == (202, None)
        assert conductor.deleted


def test_force_delete_of_a_busy_server_is_409():
    app, _api, conductor = _rest(vm_state=states.SOFT_DELETED, task_state=states.RESTORING)
    status, reply = _action(app, {"forceDelete": None})
    assert status == 409 and "task_state restoring" in reply["conflictingRequest"]["message"]
    assert not conductor.deleted


def test_restore_and_force_delete_honour_the_lock():
    app, _api, conductor = _rest(vm_state=states.SOFT_DELETED)
    conductor.instance.update(locked=True, locked_by="owner")
    for body in ({"restore": None}, {"forceDelete": None}):
        status, reply = _action(app, body)
        assert status == 409 and "is locked" in reply["conflictingRequest"]["message"]
    assert _action(app, {"forceDelete": None}, **ADMIN)[0] == 202
    assert conductor.deleted


def test_policies_scoping_and_bodies():
    app, _api, conductor = _rest(vm_state=states.SOFT_DELETED)
    for body in ({"restore": None}, {"forceDelete": None}):
        assert _action(app, body, token="bob:other")[0] == 404
        assert _action(app, body, roles="reader")[0] == 403
    assert _action(app, {"restore": None, "x": 1})[0] == 400
    assert conductor.actions == [] and not conductor.deleted


def test_restore_needs_room_for_one_more_as_in_nova():
    app, api, conductor = _rest(vm_state=states.SOFT_DELETED)
    conductor.limits = {"instances": 1, "cores": 20, "ram": 51200}
    status, reply = _action(app, {"restore": None})
    assert status == 403
    assert reply["forbidden"]["message"] == (
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances")
    assert api.compute_rpc.casts == [] and conductor.actions == []


def test_restore_checks_the_state_before_the_quota():
    app, _api, conductor = _rest(vm_state=states.ACTIVE)
    conductor.limits = {"instances": 1, "cores": 20, "ram": 51200}
    assert _action(app, {"restore": None})[0] == 409
