"""Policies of quota classes (``os_compute_api:os-quota-class-sets:*``), Nova's defaults."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-quota-class-sets:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "show",
        check_str=base.ADMIN,
        description="Show a quota class (default: every project's defaults).",
        operations=[{"method": "GET", "path": "/os-quota-class-sets/{quota_class}"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "update",
        check_str=base.ADMIN,
        description="Update a quota class (default: every project's defaults).",
        operations=[{"method": "PUT", "path": "/os-quota-class-sets/{quota_class}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
