"""An admin's change to what the scheduler's filters read is announced to every
scheduler (a fanout cast), so it counts from the next placement on."""

from minova.conductor import aggregates, manager
from tests.unit.db.helpers import make_node


class RecordingScheduler:
    def __init__(self) -> None:
        self.changed = 0

    def host_states_changed(self, ctxt) -> None:
        self.changed += 1


def test_disabling_a_compute_tells_the_schedulers(sqlite_db, admin_ctxt):
    make_node("h1")
    scheduler = RecordingScheduler()
    cond = manager.ConductorManager("c", scheduler_api=scheduler)
    cond.service_update(admin_ctxt, {"disabled": True}, host="h1", binary="minova-compute")
    assert scheduler.changed == 1


def test_aggregate_membership_and_zone_changes_tell_the_schedulers(sqlite_db, admin_ctxt):
    make_node("h1")
    scheduler = RecordingScheduler()
    aggs = aggregates.AggregateManager("c", scheduler_api=scheduler)
    agg = aggs.aggregate_create(admin_ctxt, "rack1")
    assert scheduler.changed == 0  # no host yet: nothing a filter reads changed
    aggs.aggregate_add_host(admin_ctxt, agg["id"], "h1")
    aggs.aggregate_set_metadata(admin_ctxt, agg["id"], {"availability_zone": "az1"})
    aggs.aggregate_update(admin_ctxt, agg["id"], {"name": "rack2"})
    aggs.aggregate_remove_host(admin_ctxt, agg["id"], "h1")
    assert scheduler.changed == 4


def test_a_fanout_that_fails_does_not_fail_the_change(sqlite_db, admin_ctxt, caplog):
    class Unreachable:
        def host_states_changed(self, ctxt):
            raise ConnectionError("broker gone")

    make_node("h1")
    cond = manager.ConductorManager("c", scheduler_api=Unreachable())
    service = cond.service_update(admin_ctxt, {"disabled": True}, host="h1",
                                  binary="minova-compute")
    assert service["disabled"] is True
    assert "next refresh" in caplog.text
