"""Stop the RabbitMQ application for 10 s in the middle of a boot storm.

The issue's table: casts to a compute's queue were dropped, builds stuck in
BUILD/scheduling; every compute was marked down after the broker came back
and boots failed for 30 s. Required: every accepted build ACTIVE within
30 s of the broker's return, new boots accepted and ACTIVE in that time,
refusals during the outage a prompt 503 with Retry-After, the books exact.
"""

from tests.functional.faults import outcome, scenarios


def test_rabbitmq_stopped_10s_mid_storm(fault_env):
    run = scenarios.run_fault(fault_env, "rabbitmq-stop", scenarios.TEST_STORM,
                              scenarios.TEST_CONCURRENCY)
    outcome.check_all(fault_env.deployment, run)
