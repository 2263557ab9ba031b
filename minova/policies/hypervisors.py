"""Policies of the hypervisors API (``os_compute_api:os-hypervisors:*``)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-hypervisors:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "list",
        check_str=base.ADMIN,
        description="List hypervisors.",
        operations=[{"method": "GET", "path": "/os-hypervisors"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "list-detail",
        check_str=base.ADMIN,
        description="List hypervisors with details.",
        operations=[{"method": "GET", "path": "/os-hypervisors/detail"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "show",
        check_str=base.ADMIN,
        description="Show a hypervisor.",
        operations=[{"method": "GET", "path": "/os-hypervisors/{hypervisor_id}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
