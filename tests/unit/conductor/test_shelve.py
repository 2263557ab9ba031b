"""The conductor's part of shelving: unshelve (checks, the swap into
unshelving, a SHELVED server's cast to its own host, an offloaded one's
scheduling and claim) and the end of an offload (claim freed, host
cleared), on a real SQLite database with the recording fakes of fakes.py."""

import pytest
import sqlalchemy as sa

from minova import exception
from minova.db import actions as db_actions
from minova.db import claims as db_claims
from minova.db import images as db_images
from minova.db import instances as db_instances
from minova.db import models
from minova.db.engine import get_engine
from minova.objects import capacity
from tests.unit.conductor import fakes
from tests.unit.db.helpers import FLAVOR, make_instance, make_node

SNAPSHOT = "33333333-3333-4333-8333-333333333333"


class ShelveCompute(fakes.FakeCompute):
    shelve_allowed = True

    def __init__(self):
        super().__init__()
        self.unshelves = []

    def can_shelve(self):
        return self.shelve_allowed

    def unshelve_instance(self, ctxt, host, instance, image=None, node=None):
        self.unshelves.append((host, instance, image, node))


@pytest.fixture
def compute_api():
    return ShelveCompute()


def _placed(ctxt, node, vm_state="shelved", task_state=None):
    """An instance claimed on ``node``, then moved to the given states."""
    inst = make_instance(ctxt)
    db_claims.claim(inst["uuid"], node["id"], node["host"], node["hypervisor_hostname"],
                    capacity.requested_resources(FLAVOR))
    db_instances.update(inst["uuid"], {
        "vm_state": vm_state, "task_state": task_state, "power_state": 4,
        "system_metadata": {"shelved_image_id": SNAPSHOT, "shelved_host": node["host"]}})
    return db_instances.get(ctxt, inst["uuid"])


def _offloaded(ctxt):
    inst = make_instance(ctxt)
    db_instances.update(inst["uuid"], {
        "vm_state": "shelved_offloaded", "task_state": None,
        "system_metadata": {"shelved_image_id": SNAPSHOT}})
    return db_instances.get(ctxt, inst["uuid"])


def _snapshot(**values):
    record = {"id": SNAPSHOT, "name": "vm-shelved", "status": "active",
              "visibility": "private", "owner": "p1", "disk_format": "qcow2",
              "container_format": "bare", "size": 10}
    record.update(values)
    db_images.image_create(record)


def _faults(uuid):
    with get_engine().connect() as conn:
        return [r.message for r in conn.execute(sa.select(models.instance_faults).where(
            models.instance_faults.c.instance_uuid == uuid))]


def _action(uuid, name="unshelve"):
    return [a for a in db_actions.actions_get(uuid) if a["action"] == name]


def test_unshelve_of_a_shelved_server_casts_the_power_on_to_its_host(
        conductor, compute_api, ctxt_factory):
    ctxt = ctxt_factory()
    node = make_node("h1")
    inst = _placed(ctxt, node)
    after = conductor.unshelve_instance(ctxt, inst["uuid"])
    assert after["task_state"] == "unshelving" and after["vm_state"] == "shelved"
    [(host, cast, image, _node)] = compute_api.unshelves
    assert (host, cast["uuid"], image) == ("h1", inst["uuid"], None)
    assert len(_action(inst["uuid"])) == 1


def test_unshelve_of_an_offloaded_server_schedules_claims_and_spawns_the_snapshot(
        conductor, compute_api, scheduler_api, ctxt_factory):
    ctxt = ctxt_factory()
    _snapshot()
    node = make_node("h2")
    inst = _offloaded(ctxt)
    scheduler_api.answers.append({"selections": [[fakes.selection(node)]], "decisions": []})
    conductor.unshelve_instance(ctxt, inst["uuid"])
    [(spec, uuids)] = scheduler_api.calls
    assert uuids == [inst["uuid"]] and spec["image"]["id"] == SNAPSHOT
    [(host, cast, image, nodename)] = compute_api.unshelves
    assert (host, nodename, image["id"]) == ("h2", "h2", SNAPSHOT)
    current = db_instances.get(ctxt, inst["uuid"])
    assert (current["host"], current["task_state"]) == ("h2", "spawning")
    assert [a["instance_uuid"] for a in db_claims.get_for_node(node["id"])] == [inst["uuid"]]
    events = db_actions.action_get_by_request_id(inst["uuid"], ctxt.request_id)["events"]
    assert [(e["event"], e["result"]) for e in events] == [("schedule_instances", "Success")]


def test_unshelve_with_no_valid_host_stays_offloaded_with_a_fault(
        conductor, compute_api, scheduler_api, ctxt_factory):
    ctxt = ctxt_factory()
    _snapshot()
    inst = _offloaded(ctxt)
    scheduler_api.answers.append(exception.NoValidHost(reason="all full"))
    conductor.unshelve_instance(ctxt, inst["uuid"])
    current = db_instances.get(ctxt, inst["uuid"])
    assert (current["vm_state"], current["task_state"], current["host"]) == (
        "shelved_offloaded", None, None)
    assert any("all full" in m for m in _faults(inst["uuid"]))
    [action] = _action(inst["uuid"])
    assert action["message"] == "Error" and compute_api.unshelves == []


def test_unshelve_whose_snapshot_is_gone_stays_offloaded_with_a_fault(
        conductor, compute_api, scheduler_api, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _offloaded(ctxt)
    conductor.unshelve_instance(ctxt, inst["uuid"])
    current = db_instances.get(ctxt, inst["uuid"])
    assert (current["vm_state"], current["task_state"]) == ("shelved_offloaded", None)
    assert scheduler_api.calls == [] and _faults(inst["uuid"])


@pytest.mark.parametrize("vm_state,task_state", [
    ("active", None), ("stopped", None), ("shelved", "shelving_offloading"),
    ("shelved_offloaded", "unshelving")])
def test_unshelve_in_a_state_nova_refuses_is_409_and_changes_nothing(
        conductor, compute_api, ctxt_factory, vm_state, task_state):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, make_node("h1"), vm_state=vm_state, task_state=task_state)
    with pytest.raises(exception.InstanceInvalidState):
        conductor.unshelve_instance(ctxt, inst["uuid"])
    current = db_instances.get(ctxt, inst["uuid"])
    assert (current["vm_state"], current["task_state"]) == (vm_state, task_state)
    assert _action(inst["uuid"]) == [] and compute_api.unshelves == []


def test_a_zone_or_host_for_a_server_not_offloaded_is_409(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, make_node("h1"))
    with pytest.raises(exception.UnshelveInstanceInvalidState):
        conductor.unshelve_instance(ctxt, inst["uuid"], new_zone={"availability_zone": "nova"})
    with pytest.raises(exception.UnshelveInstanceInvalidState):
        conductor.unshelve_instance(ctxt, inst["uuid"], host="h1")
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] is None


def test_an_unknown_zone_or_host_is_400_and_changes_nothing(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    make_node("h1")
    inst = _offloaded(ctxt)
    with pytest.raises(exception.AvailabilityZoneNotFound):
        conductor.unshelve_instance(ctxt, inst["uuid"], new_zone={"availability_zone": "zz"})
    with pytest.raises(exception.UnshelveHostNotFound):
        conductor.unshelve_instance(ctxt, inst["uuid"], host="nowhere")
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] is None


def test_unshelve_to_a_host_and_zone_asks_for_that_host_and_pins_the_zone(
        conductor, compute_api, scheduler_api, ctxt_factory):
    ctxt = ctxt_factory(admin=True)
    _snapshot()
    node = make_node("h2")
    inst = _offloaded(ctxt)
    scheduler_api.answers.append({"selections": [[fakes.selection(node)]], "decisions": []})
    after = conductor.unshelve_instance(ctxt, inst["uuid"],
                                        new_zone={"availability_zone": "nova"}, host="h2")
    assert after["pinned_availability_zone"] == "nova"
    [(spec, _uuids)] = scheduler_api.calls
    assert spec["requested_destination"] == {"host": "h2"}
    assert spec["availability_zone"] == "nova"


def test_unshelve_refused_when_computes_are_capped_below_1_8(conductor, compute_api,
                                                             ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, make_node("h1"))
    compute_api.shelve_allowed = False
    with pytest.raises(exception.InstanceInvalidState):
        conductor.unshelve_instance(ctxt, inst["uuid"])
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] is None


def test_offload_finish_frees_the_claim_and_clears_the_host_once(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    node = make_node("h1")
    inst = _placed(ctxt, node, task_state="shelving_offloading")
    db_actions.action_start(ctxt, inst["uuid"], "shelveOffload")
    for _ in range(2):  # a retry of a call whose answer was lost is answered as done
        conductor.shelve_offload_finish(ctxt, inst["uuid"], "h1",
                                        "compute_shelve_offload_instance",
                                        ["shelving_offloading"])
    current = db_instances.get(ctxt, inst["uuid"])
    assert (current["vm_state"], current["task_state"], current["host"], current["node"]) == (
        "shelved_offloaded", None, None, None)
    assert db_claims.get_for_node(node["id"]) == []
    [action] = _action(inst["uuid"], "shelveOffload")
    assert action["finish_time"] is not None


def test_a_failed_unshelve_spawn_is_offloaded_again_with_its_fault(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    node = make_node("h2")
    inst = _placed(ctxt, node, vm_state="shelved_offloaded", task_state="spawning")
    db_actions.action_start(ctxt, inst["uuid"], "unshelve")
    conductor.shelve_offload_finish(ctxt, inst["uuid"], "h2", "compute_unshelve_instance",
                                    ["spawning"], error="disk on fire")
    current = db_instances.get(ctxt, inst["uuid"])
    assert (current["vm_state"], current["host"]) == ("shelved_offloaded", None)
    assert db_claims.get_for_node(node["id"]) == []
    assert _faults(inst["uuid"]) == ["disk on fire"]
    assert _action(inst["uuid"])[0]["message"] == "Error"
