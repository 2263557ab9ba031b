"""Policies of flavor access (``os_compute_api:os-flavor-access*``), Nova's names and defaults.

Only admins list or change which projects may use a private flavor.
"""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-flavor-access"
POLICY_ROOT = "os_compute_api:os-flavor-access:%s"

_ACTION = "/flavors/{flavor_id}/action"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "add_tenant_access", check_str=base.ADMIN,
        description="Add flavor access to a tenant (addTenantAccess action).",
        operations=[{"method": "POST", "path": f"{_ACTION} (addTenantAccess)"}]),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "remove_tenant_access", check_str=base.ADMIN,
        description="Remove flavor access from a tenant (removeTenantAccess action).",
        operations=[{"method": "POST", "path": f"{_ACTION} (removeTenantAccess)"}]),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME, check_str=base.ADMIN,
        description="List the projects that have access to a private flavor.",
        operations=[{"method": "GET", "path": "/flavors/{flavor_id}/os-flavor-access"}]),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
