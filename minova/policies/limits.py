"""Policies of ``/limits`` (``os_compute_api:limits``), Nova's names and defaults.

Every user may read the limits of its own project; another project's
(``tenant_id``) only an admin.
"""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:limits"
OTHER_PROJECT_LIMIT_POLICY_NAME = "os_compute_api:limits:other_project"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME, check_str=base.RULE_ANY,
        description="Show rate and absolute limits of the current user's project.",
        operations=[{"method": "GET", "path": "/limits"}]),
    policy.DocumentedRuleDefault(
        name=OTHER_PROJECT_LIMIT_POLICY_NAME, check_str=base.ADMIN,
        description="Show rate and absolute limits of another project (tenant_id).",
        operations=[{"method": "GET", "path": "/limits"}]),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
