"""Stop MariaDB (SIGTERM) for 10 s in the middle of a boot storm.

The issue's table: build_started/build_finished failed on the conductor and
were never retried, so guests that spawned fine ended ERROR after the
timeout, and POSTs got a generic 500. Required: every accepted build ACTIVE
within 30 s of the database's return, refusals during the outage a prompt
503 with Retry-After, the books exact.
"""

from tests.functional.faults import outcome, scenarios


def test_mariadb_stopped_10s_mid_storm(fault_env):
    run = scenarios.run_fault(fault_env, "mariadb-stop", scenarios.TEST_STORM,
                              scenarios.TEST_CONCURRENCY)
    outcome.check_all(fault_env.deployment, run)
