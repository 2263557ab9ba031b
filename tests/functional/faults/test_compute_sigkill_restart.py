"""SIGKILL one of three computes in the middle of a boot storm, restart it 5 s later.

The fake driver's guests live in the compute process: its ACTIVE servers
lost their guests with it (as libvirt's would with a host reboot). The
issue's table: restarted, its ACTIVE servers stayed ACTIVE though the
driver had no guests. Required: every build still in flight ACTIVE within
30 s of the restart; the servers whose guests vanished SHUTOFF or ERROR
with a fault (start-up reconciliation); the books exact.
"""

from tests.functional.faults import outcome, scenarios


def test_compute_sigkill_and_restart_mid_storm(fault_env):
    run = scenarios.run_fault(fault_env, "compute-sigkill-restart", scenarios.TEST_STORM,
                              scenarios.TEST_CONCURRENCY)
    outcome.check_all(fault_env.deployment, run)
