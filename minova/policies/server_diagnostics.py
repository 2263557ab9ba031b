"""Policy of ``GET /servers/{server_id}/diagnostics`` (Nova's name and default)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-server-diagnostics"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME,
        check_str=base.ADMIN,
        description="Show the usage data for a server.",
        operations=[{"method": "GET", "path": "/servers/{server_id}/diagnostics"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
