"""Create and build in one call (RPC 1.9), as the api of this release asks for it.

The instances come back recorded; the build then claims (moving them to
spawning and recording the schedule and build events in the claim's
transaction) and casts, so the compute host's only call is build_finished.
"""

from minova import counters
from minova.db import actions as db_actions
from minova.db import instances
from minova.objects import actions
from tests.unit.conductor.fakes import selection
from tests.unit.db.helpers import make_node

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def _schedule_and_build(conductor, ctxt, node, **base):
    conductor.scheduler_api.answers.append(
        {"selections": [[selection(node)]], "decisions": [{"winner": node["host"]}]})
    return conductor.schedule_and_build_instances(
        ctxt, base=dict({"display_name": "vm", "flavor_ref": "1", "image_ref": IMAGE}, **base),
        count=1, request_spec={"availability_zone": None, "scheduler_hints": {}})


def test_answers_with_the_recorded_instances_then_builds(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    node = make_node("h1")
    [created] = _schedule_and_build(conductor, ctxt, node)
    assert set(created) == {"uuid", "display_name"} and created["display_name"] == "vm"
    stored = instances.get(ctxt, created["uuid"])
    [(host, uuid, sent)] = conductor.compute_api.builds_with_instances
    assert (host, uuid) == ("h1", created["uuid"])
    assert stored["task_state"] == "spawning" and stored["host"] == "h1"
    # What the compute host is sent is what a read returns (nothing was read back).
    assert {k: sent[k] for k in stored if k != "updated_at"} == {
        k: stored[k] for k in stored if k != "updated_at"}


def test_the_claim_records_the_schedule_and_the_start_of_the_build(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    [created] = _schedule_and_build(conductor, ctxt, make_node("h1"))
    action = db_actions.action_get_by_request_id(created["uuid"], ctxt.request_id)
    events = {e["event"]: e for e in action["events"]}
    assert events[actions.EVENT_SCHEDULE]["result"] == actions.SUCCESS
    assert '"winner": "h1"' in events[actions.EVENT_SCHEDULE]["details"]
    assert events[actions.EVENT_BUILD]["host"] == "h1"
    assert events[actions.EVENT_BUILD]["finish_time"] is None
    conductor.build_finished(ctxt, created["uuid"], "h1", 1, failed_builds_reset=False)
    action = db_actions.action_get_by_request_id(created["uuid"], ctxt.request_id)
    build = [e for e in action["events"] if e["event"] == actions.EVENT_BUILD]
    assert len(build) == 1 and build[0]["result"] == actions.SUCCESS
    assert action["finish_time"] is not None
    assert instances.get(ctxt, created["uuid"])["vm_state"] == "active"


def test_a_boot_costs_at_most_fifteen_statements(conductor, ctxt_factory):
    """The budget of docs/benchmarks.md: record, claim, finish. (SQLite takes
    no quota lock row, so it runs one statement fewer than MariaDB.)"""
    ctxt = ctxt_factory()
    node = make_node("h1")
    _schedule_and_build(conductor, ctxt, make_node("h0"))  # first use of the project
    counters.reset()
    [created] = _schedule_and_build(conductor, ctxt, node)
    conductor.build_finished(ctxt, created["uuid"], "h1", 1, failed_builds_reset=False)
    assert sum(counters.snapshot()["sql_statements"].values()) <= 14
