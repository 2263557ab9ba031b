"""Policies of ``/os-availability-zone``: the zone names for everyone, hosts for admins."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-availability-zone:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "list",
        check_str=base.RULE_ANY,
        description="List availability zone information without host information.",
        operations=[{"method": "GET", "path": "/os-availability-zone"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "detail",
        check_str=base.ADMIN,
        description="List detailed availability zone information with host information.",
        operations=[{"method": "GET", "path": "/os-availability-zone/detail"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
