"""SIGKILL both schedulers in the middle of a boot storm, restart them 5 s later.

The issue's table: builds ended NoValidHost "scheduler did not answer in
time" although the schedulers were back. Required: every accepted build
ACTIVE within 30 s of the restart, the books exact.
"""

from tests.functional.faults import outcome, scenarios


def test_both_schedulers_sigkill_and_restart_mid_storm(fault_env):
    run = scenarios.run_fault(fault_env, "schedulers-sigkill", scenarios.TEST_STORM,
                              scenarios.TEST_CONCURRENCY)
    outcome.check_all(fault_env.deployment, run)
