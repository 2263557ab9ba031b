"""Create and build in one call (RPC 1.9), as the api of this release asks for it.

The instances come back recorded; the build then claims (moving them to
spawning and recording the schedule and build events in the claim's
transaction) and casts, so the compute host's only call is build_finished.
"""

import pytest

from minova import counters, exception
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


def test_a_boot_costs_at_most_sixteen_statements(conductor, ctxt_factory):
    """The budget of docs/benchmarks.md: record (with the request spec kept for
    build recovery), claim, finish. (SQLite takes no quota lock row, so it
    runs one statement fewer than MariaDB.)"""
    ctxt = ctxt_factory()
    node = make_node("h1")
    _schedule_and_build(conductor, ctxt, make_node("h0"))  # first use of the project
    counters.reset()
    # with a reservation id, as the api sends it: the spec is kept
    [created] = _schedule_and_build(conductor, ctxt, node, reservation_id="r-budget")
    conductor.build_finished(ctxt, created["uuid"], "h1", 1, failed_builds_reset=False)
    assert sum(counters.snapshot()["sql_statements"].values()) <= 15


# --- RPC 1.11: the api's instance uuids make a create safe to send again

def _create(conductor, ctxt, node, uuids, count=1, min_count=None, reservation="r-1"):
    conductor.scheduler_api.answers.append(
        {"selections": [[selection(node)]] * count,
         "decisions": [{"winner": node["host"]}] * count})
    return conductor.schedule_and_build_instances(
        ctxt, base={"display_name": "vm", "flavor_ref": "1", "image_ref": IMAGE,
                    "reservation_id": reservation},
        count=count, request_spec={"availability_zone": None, "scheduler_hints": {},
                                   "min_count": min_count or count},
        instance_uuids=uuids)


def _project_rows(ctxt) -> list[dict]:
    return instances.get_all(ctxt, {}, sort_keys=["launch_index"], sort_dirs=["asc"])


def test_a_create_sent_again_answers_the_recorded_instances(conductor, ctxt_factory):
    """The api gave up waiting for the first answer and sent it again: same
    servers, no duplicates, built once, counted against the quota once."""
    from oslo_config import cfg

    cfg.CONF.set_override("instances", 2, group="quota")
    ctxt = ctxt_factory(project="again")
    node = make_node("h1")
    uuids = ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"]
    first = _create(conductor, ctxt, node, uuids, count=2)
    again = _create(conductor, ctxt, node, uuids, count=2)
    assert [i["uuid"] for i in first] == [i["uuid"] for i in again] == uuids
    assert [i["display_name"] for i in again] == ["vm-1", "vm-2"]
    rows = _project_rows(ctxt)
    assert [r["uuid"] for r in rows] == uuids
    assert {r["reservation_id"] for r in rows} == {"r-1"}
    assert [b[1] for b in conductor.compute_api.builds_with_instances] == uuids  # once each
    # The quota (2) is full with these two: a new create is refused, the retry was not.
    with pytest.raises(exception.TooManyInstances):
        _create(conductor, ctxt, node, ["00000000-0000-4000-8000-000000000003"])


def test_a_retry_racing_the_first_attempt_answers_its_instances(conductor, ctxt_factory,
                                                                 monkeypatch):
    """Both attempts missed each other's rows before inserting: the loser's
    insert hits the unique uuid, and it answers what the winner recorded."""
    from minova.conductor.tasks import create as create_task

    ctxt = ctxt_factory(project="race")
    node = make_node("h1")
    uuids = ["00000000-0000-4000-8000-00000000000a"]
    _create(conductor, ctxt, node, uuids)
    real = create_task._recorded
    seen = []

    def missed_once(c, u):
        seen.append(u)
        return [] if len(seen) == 1 else real(c, u)

    monkeypatch.setattr(create_task, "_recorded", missed_once)
    again = _create(conductor, ctxt, node, uuids)
    assert [i["uuid"] for i in again] == uuids and len(seen) == 2
    assert [r["uuid"] for r in _project_rows(ctxt)] == uuids
    assert len(conductor.compute_api.builds_with_instances) == 1


def test_a_multi_create_reduced_by_quota_is_answered_as_recorded(conductor, ctxt_factory):
    """min_count 1, max_count 3, room for 2: the retry answers the 2 recorded."""
    from oslo_config import cfg

    cfg.CONF.set_override("instances", 2, group="quota")
    ctxt = ctxt_factory(project="reduced")
    node = make_node("h1")
    uuids = [f"00000000-0000-4000-8000-00000000010{i}" for i in range(3)]
    first = _create(conductor, ctxt, node, uuids, count=3, min_count=1)
    again = _create(conductor, ctxt, node, uuids, count=3, min_count=1)
    assert [i["uuid"] for i in first] == [i["uuid"] for i in again] == uuids[:2]
    assert len(_project_rows(ctxt)) == 2


def test_uuids_must_be_one_per_instance(conductor, ctxt_factory):
    with pytest.raises(exception.InvalidInput):
        _create(conductor, ctxt_factory(), make_node("h1"), ["only-one"], count=2)


def test_an_api_of_1_9_sends_no_uuids_and_gets_new_ones(conductor, ctxt_factory):
    """Mixed versions: an api that predates 1.11 still creates (the conductor
    chooses the uuids, as before)."""
    ctxt = ctxt_factory(project="old-api")
    [created] = _schedule_and_build(conductor, ctxt, make_node("h1"))
    assert [r["uuid"] for r in _project_rows(ctxt)] == [created["uuid"]]
