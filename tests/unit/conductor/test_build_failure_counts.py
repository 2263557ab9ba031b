"""The conductor keeps each node's failed builds in a row (the BuildFailureWeigher's input):
a failed build there counts, a successful one resets the count."""

import sqlalchemy as sa

from minova.conductor import manager
from minova.db import instances, models
from tests.unit.conductor import fakes
from tests.unit.conductor.fakes import selection as _selection
from tests.unit.db.helpers import make_instance, make_node


def _failed_builds(host: str) -> int:
    from minova.db.engine import get_engine

    with get_engine().connect() as conn:
        return conn.execute(sa.select(models.compute_nodes.c.failed_builds).where(
            models.compute_nodes.c.host == host)).scalar_one()


def _build(conductor, ctxt, nodes) -> tuple[str, dict, list]:
    """Create one instance, place it on ``nodes`` (primary first), mark it spawning."""
    created = conductor.create_instances(
        ctxt, base={"display_name": "vm", "flavor_ref": "1", "image_ref": None},
        count=1, request_spec={"availability_zone": None, "scheduler_hints": {}})
    [inst], spec = created["instances"], created["request_spec"]
    conductor.scheduler_api.answers.append(
        {"selections": [[_selection(n) for n in nodes]], "decisions": [None]})
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    host, uuid, alternates = conductor.compute_api.builds[-1]
    fakes.task_manager().build_started(ctxt, uuid, host)
    return uuid, spec, alternates


def test_failed_build_counts_on_its_node_and_still_reschedules(conductor, ctxt_factory):
    n1, n2 = make_node("h1"), make_node("h2")
    ctxt = ctxt_factory()
    uuid, spec, alternates = _build(conductor, ctxt, [n1, n2])
    conductor.build_failed(ctxt, uuid, "h1", "h1", "boom", "tb", spec, alternates, True)
    assert (_failed_builds("h1"), _failed_builds("h2")) == (1, 0)
    assert conductor.compute_api.builds[-1][0] == "h2"


def test_aborted_build_counts_too(conductor, ctxt_factory):
    # Nova counts every build that did not end ACTIVE there, rescheduled or not.
    n1 = make_node("h1")
    ctxt = ctxt_factory()
    uuid, spec, _ = _build(conductor, ctxt, [n1])
    conductor.build_failed(ctxt, uuid, "h1", "h1", "bad image", "tb", spec, [], False)
    assert _failed_builds("h1") == 1
    assert instances.get(ctxt, uuid)["vm_state"] == "error"


def test_failed_build_of_an_instance_deleted_meanwhile_counts(conductor, ctxt_factory):
    n1 = make_node("h1")
    ctxt = ctxt_factory()
    uuid, spec, _ = _build(conductor, ctxt, [n1])
    instances.update(uuid, {"task_state": "deleting"})
    conductor.build_failed(ctxt, uuid, "h1", "h1", "boom", "tb", spec, [], True)
    assert _failed_builds("h1") == 1


def test_successful_build_resets_the_count_of_its_node_only(conductor, ctxt_factory):
    n1, n2 = make_node("h1"), make_node("h2")
    ctxt = ctxt_factory()
    first, spec, alternates = _build(conductor, ctxt, [n1, n2])
    conductor.build_failed(ctxt, first, "h1", "h1", "boom", "tb", spec, alternates, True)
    second, spec, alternates = _build(conductor, ctxt, [n2, n1])
    conductor.build_failed(ctxt, second, "h2", "h2", "boom", "tb", spec, alternates, True)
    assert (_failed_builds("h1"), _failed_builds("h2")) == (1, 1)
    # The second instance was rescheduled to h1 and is spawning there.
    fakes.task_manager().build_started(ctxt, second, "h1")
    fakes.task_manager().build_finished(ctxt, second, "h1", 1)
    assert (_failed_builds("h1"), _failed_builds("h2")) == (0, 1)
    assert instances.get(ctxt, second)["vm_state"] == "active"


def test_build_finished_on_a_node_without_failures_changes_nothing(sqlite_db, ctxt_factory):
    from minova.db import claims

    node = make_node("h1")
    ctxt = ctxt_factory()
    inst = make_instance(ctxt)
    claims.claim(inst["uuid"], node["id"], "h1", "h1",
                 {"vcpus": 1, "memory_mb": 512, "disk_gb": 1})
    tasks, cond = fakes.task_manager(), manager.ConductorManager("cond1")
    tasks.build_started(ctxt, inst["uuid"], "h1")
    generation = cond.compute_node_get(ctxt, node["id"])["generation"]
    tasks.build_finished(ctxt, inst["uuid"], "h1", 1)
    shown = cond.compute_node_get(ctxt, node["id"])
    assert shown["failed_builds"] == 0 and shown["generation"] == generation
