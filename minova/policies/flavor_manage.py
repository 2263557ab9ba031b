"""Policies of flavor creation and deletion (``os_compute_api:os-flavor-manage:*``)."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-flavor-manage:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "create",
        check_str=base.ADMIN,
        description="Create a flavor.",
        operations=[{"method": "POST", "path": "/flavors"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "update",
        check_str=base.ADMIN,
        description="Update a flavor's description (2.55).",
        operations=[{"method": "PUT", "path": "/flavors/{flavor_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "delete",
        check_str=base.ADMIN,
        description="Delete a flavor.",
        operations=[{"method": "DELETE", "path": "/flavors/{flavor_id}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
