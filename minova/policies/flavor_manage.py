"""Policies of flavor creation and deletion (``os_compute_api:os-flavor-manage:*``)."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-flavor-manage:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "create",
        check_str=base.RULE_ADMIN_API,
        description="Create a flavor.",
        operations=[{"method": "POST", "path": "/flavors"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "delete",
        check_str=base.RULE_ADMIN_API,
        description="Delete a flavor.",
        operations=[{"method": "DELETE", "path": "/flavors/{flavor_id}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
