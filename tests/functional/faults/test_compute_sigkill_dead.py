"""SIGKILL one of three computes in the middle of a boot storm and leave it dead.

The issue's table: builds still went to it until service_down_time, none
was rescheduled, their ERRORs held its capacity. Required, within
service_down_time + 10 s of its death: builds that had not started there
rescheduled to the others and ACTIVE; only those that were in BUILD on it
when it died may end ERROR, with a fault naming the host, and without a
claim on it; the books exact; nothing in BUILD.
"""

from tests.functional.faults import outcome, scenarios


def test_compute_sigkill_left_dead_mid_storm(fault_env):
    run = scenarios.run_fault(fault_env, "compute-sigkill-dead", scenarios.TEST_STORM,
                              scenarios.TEST_CONCURRENCY)
    outcome.check_all(fault_env.deployment, run)
    # Builds placed after its death went elsewhere: the only ones it kept are
    # those already running there before it died, which stay as they were.
    rows = fault_env.deployment.query(
        "SELECT uuid, vm_state, launched_at FROM instances WHERE deleted = 0 AND host = :h",
        h=scenarios.VICTIM_COMPUTE)
    late = [r.uuid for r in rows if r.launched_at is None or r.launched_at > run.injected_wall]
    assert not late, f"builds on the dead compute that were not running before it died: {late}"
