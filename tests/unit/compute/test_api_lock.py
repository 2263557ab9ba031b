"""The lock in the compute API facade and the REST layer: lock, unlock
(Nova's owner/admin rule), os-resetState, and the lock check on every
action Nova guards with ``check_instance_lock``.

The conductor is a stand-in keeping one instance in memory (as in
test_api.py); the real endpoints are tested in
tests/unit/conductor/test_server_state.py and the functional tests.
"""

import json

import pytest
import webob

from minova import exception
from minova.api import app as api_app
from minova.api import facades
from minova.objects import states
from tests.unit.compute.test_api import UUID, RecordingCompute, StandInConductor


class LockingConductor(StandInConductor):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.instance.update(locked=False, locked_by=None, locked_reason=None)
        self.deleted = False

    def server_lock(self, ctxt, uuid, reason=None):
        is_owner = ctxt.project_id == self.instance["project_id"]
        if not (self.instance["locked"] and is_owner):
            self.instance.update(locked=True, locked_by="owner" if is_owner else "admin")
            if reason:
                self.instance["locked_reason"] = reason
            self.actions.append("lock")
        return dict(self.instance)

    def server_unlock(self, ctxt, uuid):
        self.instance.update(locked=False, locked_by=None, locked_reason=None)
        self.actions.append("unlock")
        return dict(self.instance)

    def server_reset_state(self, ctxt, uuid, vm_state):
        self.instance.update(vm_state=vm_state, task_state=None)
        self.actions.append("resetState")
        return dict(self.instance)

    def delete_instance(self, ctxt, uuid):
        self.deleted = True

    def rebuild_instance(self, ctxt, uuid, image_ref, changes, preserve_ephemeral=False,
                         files=None):
        self.instance.update(task_state=states.REBUILDING, image_ref=image_ref)
        self.actions.append("rebuild")
        return dict(self.instance)


@pytest.fixture
def rest():
    conductor = LockingConductor()
    apis = facades.build(conductor, RecordingCompute(), compute_task_api=conductor)
    return api_app.make_app(apis), apis.compute, conductor


def _call(app, method, path, body=None, token="alice:demo", version="2.1", roles=None):
    headers = {"X-Auth-Token": token, "Content-Type": "application/json",
               "OpenStack-API-Version": f"compute {version}"}
    if roles:
        headers["X-Roles"] = roles
    req = webob.Request.blank(path, method=method, headers=headers,
                              body=json.dumps(body).encode() if body is not None else b"")
    resp = req.get_response(app)
    return resp.status_int, (json.loads(resp.body) if resp.body else None)


def _action(app, body, **kwargs):
    return _call(app, "POST", f"/v2.1/servers/{UUID}/action", body, **kwargs)


ADMIN = {"token": "admin:admin-project", "roles": "admin,member,reader"}
IMAGE = "155d900f-4e14-4e4c-a73d-069cbf4541e6"


def test_lock_then_guarded_actions_are_409_for_the_project(rest):
    app, api, conductor = rest
    assert _action(app, {"lock": None}) == (202, None)
    assert conductor.instance["locked_by"] == "owner"
    for body in ({"os-stop": None}, {"reboot": {"type": "HARD"}}, {"pause": None},
                 {"suspend": None}):
        status, reply = _action(app, body)
        assert status == 409
        assert reply["conflictingRequest"]["message"] == f"Instance {UUID} is locked"
    status, reply = _call(app, "DELETE", f"/v2.1/servers/{UUID}")
    assert status == 409 and not conductor.deleted
    assert api.compute_rpc.casts == [] and conductor.instance["task_state"] is None


def test_an_admin_acts_on_a_locked_server(rest):
    app, api, conductor = rest
    _action(app, {"lock": None})
    assert _action(app, {"os-stop": None}, **ADMIN) == (202, None)
    assert conductor.instance["task_state"] == states.POWERING_OFF
    assert _call(app, "DELETE", f"/v2.1/servers/{UUID}", **ADMIN)[0] == 204
    assert conductor.deleted


def test_a_locked_server_is_not_rebuilt_by_its_project(rest):
    """Nova's rebuild is guarded by check_instance_lock: 409, nothing recorded."""
    app, _api, conductor = rest
    _action(app, {"lock": None})
    status, reply = _action(app, {"rebuild": {"imageRef": IMAGE}})
    assert status == 409
    assert reply["conflictingRequest"]["message"] == f"Instance {UUID} is locked"
    assert "rebuild" not in conductor.actions
    assert conductor.instance["task_state"] is None


def test_an_admin_rebuilds_a_locked_server(rest, ctxt_factory):
    _app, api, conductor = rest
    conductor.instance.update(locked=True, locked_by="owner")
    with pytest.raises(exception.InstanceIsLocked):
        api.rebuild(ctxt_factory(project="demo"), dict(conductor.instance), IMAGE, {})
    rebuilt = api.rebuild(ctxt_factory(admin=True), dict(conductor.instance), IMAGE, {})
    assert rebuilt["task_state"] == states.REBUILDING
    assert conductor.actions[-1] == "rebuild"


def test_owner_cannot_unlock_what_an_admin_locked(rest):
    app, _api, conductor = rest
    assert _action(app, {"lock": None}, **ADMIN) == (202, None)
    assert conductor.instance["locked_by"] == "admin"
    status, reply = _action(app, {"unlock": None})
    assert status == 403 and "forbidden" in reply
    assert conductor.instance["locked"] is True
    assert _action(app, {"unlock": None}, **ADMIN) == (202, None)
    assert conductor.instance["locked"] is False


def test_admin_may_unlock_what_the_owner_locked(rest):
    app, _api, conductor = rest
    _action(app, {"lock": None})
    assert _action(app, {"unlock": None}, **ADMIN) == (202, None)
    assert conductor.actions[-1] == "unlock"


def test_locked_reason_from_2_73_only(rest):
    app, _api, conductor = rest
    # Below 2.73 the value is not read (Nova's schema leaves it open).
    assert _action(app, {"lock": {"locked_reason": "x"}}, version="2.72")[0] == 202
    assert conductor.instance["locked_reason"] is None
    _action(app, {"unlock": None})
    assert _action(app, {"lock": {"locked_reason": "patching"}}, version="2.73")[0] == 202
    assert conductor.instance["locked_reason"] == "patching"


@pytest.mark.parametrize("body", [
    {"lock": {"locked_reason": ""}},
    {"lock": {"locked_reason": "x" * 256}},
    {"lock": {"reason": "x"}},
    {"lock": "x"},
    {"lock": None, "unlock": None},
])
def test_bad_lock_bodies_at_2_73_are_400(rest, body):
    app, _api, conductor = rest
    status, reply = _action(app, body, version="2.73")
    assert status == 400 and reply["badRequest"]["code"] == 400
    assert conductor.actions == []


def test_lock_policy_and_scoping(rest):
    app, _api, conductor = rest
    assert _action(app, {"lock": None}, token="bob:other")[0] == 404
    # A reader of the project may not lock (Nova: project member or admin).
    assert _action(app, {"lock": None}, roles="reader")[0] == 403
    assert conductor.actions == []


@pytest.mark.parametrize("state, vm_state", [("error", states.ERROR),
                                             ("active", states.ACTIVE)])
def test_reset_state_by_an_admin(state, vm_state):
    conductor = LockingConductor(vm_state="stopped", task_state=states.POWERING_ON)
    apis = facades.build(conductor, RecordingCompute(), compute_task_api=conductor)
    app = api_app.make_app(apis)
    assert _action(app, {"os-resetState": {"state": state}}, **ADMIN) == (202, None)
    assert (conductor.instance["vm_state"], conductor.instance["task_state"]) == (vm_state,
                                                                                 None)
    assert conductor.actions == ["resetState"]


def test_reset_state_is_admin_only_and_checks_its_body(rest):
    app, _api, conductor = rest
    status, reply = _action(app, {"os-resetState": {"state": "error"}})
    assert status == 403 and "forbidden" in reply
    for body in ({"os-resetState": {"state": "stopped"}}, {"os-resetState": {}},
                 {"os-resetState": None}, {"os-resetState": {"state": "error", "x": 1}}):
        assert _action(app, body, **ADMIN)[0] == 400
    assert _action(app, {"os-resetState": {"state": "error"}}, token="bob:other")[0] == 404
    assert conductor.actions == []


def test_facade_lock_check_is_novas(ctxt_factory):
    from minova.compute import api as compute_api
    instance = {"uuid": UUID, "locked": True}
    with pytest.raises(exception.InstanceIsLocked) as err:
        compute_api.check_instance_lock(ctxt_factory(project="demo"), instance)
    assert err.value.code == 409
    compute_api.check_instance_lock(ctxt_factory(admin=True), instance)
    compute_api.check_instance_lock(ctxt_factory(), {"uuid": UUID, "locked": False})
