"""SIGKILL one of two conductors in the middle of a boot storm, restart it 5 s later.

The issue's table: builds it held sat in BUILD until instance_build_timeout
then went ERROR, and POSTs hung 60 s then got a 500 (MessagingTimeout).
Required: every accepted build ACTIVE within 30 s of the restart, refusals
(if any) a prompt 503 with Retry-After, the books exact.
"""

from tests.functional.faults import outcome, scenarios


def test_conductor_sigkill_and_restart_mid_storm(fault_env):
    run = scenarios.run_fault(fault_env, "conductor-sigkill", scenarios.TEST_STORM,
                              scenarios.TEST_CONCURRENCY)
    outcome.check_all(fault_env.deployment, run)
