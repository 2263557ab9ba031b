"""Build recovery of a rebuild its conductor recorded and never handed to
the host (the conductor died, or its cast was lost): driven again once, or
ERROR when the host is down (SQLite, fake scheduler/compute)."""

import pytest

from minova.conductor import build_recovery
from minova.conductor.tasks import rebuild as rebuild_task
from minova.db import actions as db_actions
from minova.db import instances as db_instances
from tests.unit.conductor.test_build_recovery import _age, _service
from tests.unit.conductor.test_rebuild import NEW_IMAGE, OLD_IMAGE, _image, _placed
from tests.unit.db.helpers import make_node


@pytest.fixture
def recovery(conductor):
    return build_recovery.BuildRecovery("cond2", conductor.builder)


@pytest.fixture
def recorded(conductor, ctxt_factory):
    """A rebuild recorded (REBUILDING, its action) whose conductor then died."""
    _image(OLD_IMAGE)
    _image(NEW_IMAGE)
    ctxt = ctxt_factory()
    make_node("h1")
    inst = _placed(ctxt)
    rebuild_task.start(ctxt, inst["uuid"], NEW_IMAGE, {})
    return ctxt, inst


def test_a_rebuild_never_cast_is_driven_again_once(conductor, recovery, recorded,
                                                   compute_api, scheduler_api):
    ctxt, inst = recorded
    assert recovery.run()["recast"] == 0  # not stale yet: its conductor may be at it
    _age(inst["uuid"])
    _service("h1", building=[])
    scheduler_api.answers.append({"selections": [[]], "decisions": []})
    assert recovery.run()["recast"] == 1
    # the new image checked on the host again, then the cast to the host
    [(spec, _)] = scheduler_api.calls
    assert spec["rebuild"] is True and spec["requested_destination"]["host"] == "h1"
    [(host, cast, image, _, orig_vm_state)] = compute_api.rebuilds
    assert (host, cast["uuid"], image["id"], orig_vm_state) == ("h1", inst["uuid"],
                                                               NEW_IMAGE, "active")
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] == "rebuilding"
    # the events joined the user's rebuild action, not a new one
    [action] = [a for a in db_actions.actions_get(inst["uuid"]) if a["action"] == "rebuild"]
    assert action["request_id"] == ctxt.request_id
    # taken over once: the next pass waits build_ack_timeout again
    assert recovery.run()["recast"] == 0


def test_a_rebuild_on_a_dead_host_ends_in_error(conductor, recovery, recorded, compute_api):
    ctxt, inst = recorded
    _age(inst["uuid"])
    _service("h1", building=[], seen_ago=3600)
    assert recovery.run()["failed"] == 1
    got = db_instances.get(ctxt, inst["uuid"])
    assert (got["vm_state"], got["task_state"]) == ("error", None)
    assert "stopped reporting before it took the rebuild" in got["fault"]["message"]
    assert not getattr(compute_api, "rebuilds", [])


def test_a_rebuild_its_host_took_is_left_to_the_host(conductor, recovery, recorded):
    ctxt, inst = recorded
    db_instances.update(inst["uuid"], {"task_state": "rebuild_spawning"})
    _age(inst["uuid"])
    _service("h1", building=[], seen_ago=3600)
    assert recovery.run() == {"rescheduled": 0, "recast": 0, "failed": 0}
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] == "rebuild_spawning"
