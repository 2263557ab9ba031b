"""Instance actions and events, the trace of a request through the services."""

import pytest

from minova import exception
from minova.db import actions
from tests.unit.db.helpers import make_instance


def test_events_recorded_under_the_requests_action(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    inst = make_instance(ctxt)
    actions.event_start(ctxt, inst["uuid"], "compute__do_build_and_run_instance", "c1")
    actions.event_finish(ctxt, inst["uuid"], "compute__do_build_and_run_instance", "Success",
                         "c1")
    action = actions.action_get_by_request_id(inst["uuid"], ctxt.request_id)
    assert action["action"] == "create" and action["message"] is None
    [event] = action["events"]
    assert event["result"] == "Success" and event["host"] == "c1"
    assert event["finish_time"] >= event["start_time"]


def test_error_event_marks_action_error(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    inst = make_instance(ctxt)
    actions.event_finish(ctxt, inst["uuid"], "conductor_schedule_and_build_instances",
                         "Error", "cond", details="No valid host")
    action = actions.action_get_by_request_id(inst["uuid"], ctxt.request_id)
    assert action["message"] == "Error"
    assert action["events"][0]["details"] == "No valid host"


def test_unknown_request_id(sqlite_db, ctxt_factory):
    inst = make_instance(ctxt_factory())
    with pytest.raises(exception.InstanceActionNotFound):
        actions.action_get_by_request_id(inst["uuid"], "req-nope")
