"""Policies of the services API (``os_compute_api:os-services:*``)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-services:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "list",
        check_str=base.RULE_ADMIN_API,
        description="List compute services.",
        operations=[{"method": "GET", "path": "/os-services"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
