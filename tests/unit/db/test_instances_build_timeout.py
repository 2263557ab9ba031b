"""error_timed_out_builds: builds stuck in BUILD past the timeout go to ERROR."""

import datetime

import sqlalchemy as sa

from minova.db import actions, instances, models
from minova.db.engine import get_engine
from minova.db.rows import utcnow
from tests.unit.db.helpers import make_instance

MESSAGE = "Instance build timed out. Set to error state."


def _age(uuid: str, seconds: int) -> None:
    with get_engine().begin() as conn:
        conn.execute(sa.update(models.instances).where(models.instances.c.uuid == uuid)
                     .values(created_at=utcnow() - datetime.timedelta(seconds=seconds)))


def _run(timeout: int = 60) -> list[str]:
    return instances.error_timed_out_builds(
        utcnow() - datetime.timedelta(seconds=timeout), MESSAGE, "conductor1",
        schedule_event="conductor_schedule_and_build_instances",
        build_event="compute__do_build_and_run_instance")


def _create_action(ctxt, uuid: str) -> dict:
    return actions.action_get_by_request_id(uuid, ctxt.request_id)


def test_old_spawning_build_goes_to_error_with_fault_and_error_event(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    inst = make_instance(ctxt, task_state="spawning")
    instances.update(inst["uuid"], {"host": "c1", "node": "c1"})
    actions.event_start(ctxt, inst["uuid"], "compute__do_build_and_run_instance", "c1")
    _age(inst["uuid"], 120)

    assert _run() == [inst["uuid"]]

    shown = instances.get(ctxt, inst["uuid"])
    assert (shown["vm_state"], shown["task_state"]) == ("error", None)
    assert shown["fault"]["message"] == MESSAGE
    assert shown["host"] == "c1"  # kept: its guest may still run there
    action = _create_action(ctxt, inst["uuid"])
    assert action["message"] == "Error" and action["finish_time"] is not None
    [event] = action["events"]
    assert (event["event"], event["result"]) == ("compute__do_build_and_run_instance", "Error")
    assert event["finish_time"] is not None


def test_old_unplaced_build_records_an_error_schedule_event(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    inst = make_instance(ctxt)  # scheduling, no host yet
    _age(inst["uuid"], 120)

    assert _run() == [inst["uuid"]]

    events = _create_action(ctxt, inst["uuid"])["events"]
    assert [(e["event"], e["result"]) for e in events] == [
        ("conductor_schedule_and_build_instances", "Error")]


def test_young_build_is_left_alone(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    inst = make_instance(ctxt, task_state="spawning")
    _age(inst["uuid"], 10)

    assert _run() == []
    assert instances.get(ctxt, inst["uuid"])["vm_state"] == "building"


def test_build_that_finished_or_is_being_deleted_is_left_alone(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    active = make_instance(ctxt, name="active", task_state="spawning")
    instances.update(active["uuid"], {"vm_state": "active", "task_state": None},
                     expected_task_state=["spawning"])
    deleting = make_instance(ctxt, name="deleting", task_state="deleting")
    for uuid in (active["uuid"], deleting["uuid"]):
        _age(uuid, 120)

    assert _run() == []
    assert instances.get(ctxt, active["uuid"])["vm_state"] == "active"
    assert instances.get(ctxt, deleting["uuid"])["task_state"] == "deleting"
    assert instances.get(ctxt, deleting["uuid"])["fault"] is None


def test_build_finishing_after_the_read_keeps_its_result(sqlite_db, ctxt_factory, monkeypatch):
    """The compare-and-swap: the row was read in BUILD, then went ACTIVE."""
    ctxt = ctxt_factory()
    inst = make_instance(ctxt, task_state="spawning")
    _age(inst["uuid"], 120)
    real_update = instances.update

    def finish_first(uuid, updates, **kwargs):
        if updates.get("vm_state") == "error":
            # build_finished's write, just ahead (same connection: SQLite
            # has one writer).
            real_update(uuid, {"vm_state": "active", "task_state": None},
                        expected_task_state=["spawning"], conn=kwargs["conn"])
        return real_update(uuid, updates, **kwargs)

    monkeypatch.setattr(instances, "update", finish_first)
    assert _run() == []
    shown = instances.get(ctxt, inst["uuid"])
    assert shown["vm_state"] == "active" and shown["fault"] is None
