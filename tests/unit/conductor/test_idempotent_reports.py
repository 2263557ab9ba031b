"""A compute host sends its reports again until they are answered: the conductor's
handlers answer a second delivery of a report that already committed as done,
and never apply it twice."""

import pytest
import sqlalchemy as sa

from minova import exception
from minova.conductor import manager
from minova.db import instances, models
from minova.db.engine import get_engine
from tests.unit.conductor import fakes
from tests.unit.conductor.test_build_failure_counts import _build, _failed_builds
from tests.unit.db.helpers import make_node


def _count(table, **where) -> int:
    with get_engine().connect() as conn:
        query = sa.select(sa.func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        return conn.execute(query).scalar_one()


def _build_events(uuid: str) -> list:
    events, actions = models.instance_actions_events, models.instance_actions
    with get_engine().connect() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(events.c.event, events.c.result)
            .join(actions, actions.c.id == events.c.action_id)
            .where(actions.c.instance_uuid == uuid,
                   events.c.event == "compute__do_build_and_run_instance"))]


def test_build_finished_delivered_twice_is_answered_and_recorded_once(conductor,
                                                                      ctxt_factory):
    ctxt = ctxt_factory()
    uuid, _, _ = _build(conductor, ctxt, [make_node("h1")])
    conductor.build_finished(ctxt, uuid, "h1", 1)
    conductor.build_finished(ctxt, uuid, "h1", 1)  # the answer to the first was lost
    assert instances.get(ctxt, uuid)["vm_state"] == "active"
    assert _build_events(uuid) == [("compute__do_build_and_run_instance", "Success")]


def test_build_finished_from_another_host_is_still_refused(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, _, _ = _build(conductor, ctxt, [make_node("h1")])
    conductor.build_finished(ctxt, uuid, "h1", 1)
    with pytest.raises(exception.UnexpectedTaskStateError):
        conductor.build_finished(ctxt, uuid, "h2", 1)


def test_build_finished_after_the_build_timed_out_is_still_refused(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, _, _ = _build(conductor, ctxt, [make_node("h1")])
    instances.update(uuid, {"vm_state": "error", "task_state": None})
    with pytest.raises(exception.UnexpectedTaskStateError):
        conductor.build_finished(ctxt, uuid, "h1", 1)


def test_build_failed_delivered_twice_does_not_free_the_new_hosts_claim(conductor,
                                                                        ctxt_factory):
    ctxt = ctxt_factory()
    uuid, spec, alternates = _build(conductor, ctxt, [make_node("h1"), make_node("h2")])
    conductor.build_failed(ctxt, uuid, "h1", "h1", "boom", "tb", spec, alternates, True)
    # rescheduled: claimed on h2 and cast there
    assert conductor.compute_api.builds[-1][0] == "h2"
    assert instances.get(ctxt, uuid)["host"] == "h2"
    conductor.build_failed(ctxt, uuid, "h1", "h1", "boom", "tb", spec, alternates, True)
    assert instances.get(ctxt, uuid)["host"] == "h2"
    assert instances.get(ctxt, uuid)["task_state"] == "spawning"
    assert _count(models.allocations, instance_uuid=uuid) == 1
    assert (_failed_builds("h1"), _failed_builds("h2")) == (1, 0)
    assert len(conductor.compute_api.builds) == 2  # no second reschedule


def test_build_failed_after_it_went_to_error_is_answered_as_done(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, spec, _ = _build(conductor, ctxt, [make_node("h1")])
    conductor.build_failed(ctxt, uuid, "h1", "h1", "bad image", "tb", spec, [], False)
    conductor.build_failed(ctxt, uuid, "h1", "h1", "bad image", "tb", spec, [], False)
    assert instances.get(ctxt, uuid)["vm_state"] == "error"
    assert _count(models.instance_faults, instance_uuid=uuid) == 1
    assert _failed_builds("h1") == 1


def test_build_failed_that_cannot_read_the_database_fails_the_call(conductor, ctxt_factory,
                                                                   monkeypatch):
    """So the compute, which calls it, sends it again rather than losing it."""
    ctxt = ctxt_factory()
    uuid, spec, _ = _build(conductor, ctxt, [make_node("h1")])

    def database_down(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT", {}, Exception("(2003) Can't connect"))

    monkeypatch.setattr(instances, "get", database_down)
    with pytest.raises(sa.exc.OperationalError):
        conductor.build_failed(ctxt, uuid, "h1", "h1", "boom", "tb", spec, [], True)
    monkeypatch.undo()
    assert instances.get(ctxt, uuid)["task_state"] == "spawning"  # nothing done yet


@pytest.fixture
def db_door(conductor):
    """The ConductorManager (instance_action_finish, instance_destroy) on the same database."""
    return manager.ConductorManager("cond1", scheduler_api=fakes.FakeScheduler())


@pytest.mark.parametrize("updates, error", [
    ({"vm_state": "stopped", "task_state": None, "power_state": 4}, None),
    ({"task_state": None, "power_state": 1}, "the guest would not stop"),
])
def test_an_action_result_delivered_twice_is_answered_and_recorded_once(
        conductor, db_door, ctxt_factory, updates, error):
    ctxt = ctxt_factory()
    uuid, _, _ = _build(conductor, ctxt, [make_node("h1")])
    conductor.build_finished(ctxt, uuid, "h1", 1)
    instances.update(uuid, {"task_state": "powering-off"})
    for _ in range(2):
        db_door.instance_action_finish(ctxt, uuid, "compute_stop_instance", "h1", updates,
                                       ["powering-off"], error=error)
    instance = instances.get(ctxt, uuid)
    assert (instance["vm_state"], instance["task_state"]) == (
        updates.get("vm_state", "active"), None)
    assert _count(models.instance_faults, instance_uuid=uuid) == (1 if error else 0)


def test_an_action_result_for_an_instance_busy_with_another_action_is_refused(
        conductor, db_door, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, _, _ = _build(conductor, ctxt, [make_node("h1")])
    conductor.build_finished(ctxt, uuid, "h1", 1)
    instances.update(uuid, {"task_state": "rebooting"})
    with pytest.raises(exception.UnexpectedTaskStateError):
        db_door.instance_action_finish(ctxt, uuid, "compute_stop_instance", "h1",
                                       {"vm_state": "stopped", "task_state": None},
                                       ["powering-off"])


def test_instance_destroy_delivered_twice_is_fine(conductor, db_door, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, _, _ = _build(conductor, ctxt, [make_node("h1")])
    conductor.build_finished(ctxt, uuid, "h1", 1)
    db_door.instance_destroy(ctxt, uuid, "h1")
    db_door.instance_destroy(ctxt, uuid, "h1")
    assert instances.get(ctxt, uuid, read_deleted=True)["vm_state"] == "deleted"
    assert _count(models.allocations, instance_uuid=uuid) == 0
    with get_engine().connect() as conn:
        used = conn.execute(sa.select(models.compute_nodes.c.vcpus_used)
                            .where(models.compute_nodes.c.host == "h1")).scalar_one()
    assert used == 0  # released once, not twice
