"""SIGKILL one of three computes in the middle of a boot storm and leave it dead.

The issue's table: builds still went to it until service_down_time, none
was rescheduled, their ERRORs held its capacity. Required, within
service_down_time + 10 s of its death: builds that had not started there
rescheduled to the others and ACTIVE; only those that were in BUILD on it
when it died may end ERROR, with a fault whose details name the host, and without a
claim on it; the books exact; nothing in BUILD.
"""

from minova.objects import actions
from tests.functional.faults import outcome, scenarios


def test_compute_sigkill_left_dead_mid_storm(fault_env):
    run = scenarios.run_fault(fault_env, "compute-sigkill-dead", scenarios.TEST_STORM,
                              scenarios.TEST_CONCURRENCY)
    outcome.check_all(fault_env.deployment, run)
    # Builds placed after its death went elsewhere: the only ones it kept are
    # those it had started before it died. Not launched_at: the conductor
    # stamps that when it records the report, and a report the compute sent
    # just before the kill may be recorded just after. A build it had not
    # started before its death cannot have been reported finished, so the
    # start of its build event (recorded before the compute spawns) is the
    # honest witness.
    rows = fault_env.deployment.query(
        "SELECT i.uuid, i.vm_state, MIN(e.start_time) AS started "
        "FROM instances i "
        "LEFT JOIN instance_actions a ON a.instance_uuid = i.uuid "
        "LEFT JOIN instance_actions_events e ON e.action_id = a.id "
        "  AND e.event = :event AND e.host = :h "
        "WHERE i.deleted = 0 AND i.host = :h GROUP BY i.uuid, i.vm_state",
        h=scenarios.VICTIM_COMPUTE, event=actions.EVENT_BUILD)
    late = [(r.uuid, r.vm_state) for r in rows
            if r.vm_state != "active" or r.started is None or r.started > run.injected_wall]
    assert not late, f"builds on the dead compute that it had not started before it died: {late}"
