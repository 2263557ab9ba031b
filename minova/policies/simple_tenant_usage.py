"""Policies of usage reports (``os_compute_api:os-simple-tenant-usage:*``), Nova's
names and defaults: a project reads its own usage, every project's is for admins."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-simple-tenant-usage:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "show", check_str=base.PROJECT_READER_OR_ADMIN,
        description="Show the usage statistics of a project.",
        operations=[{"method": "GET", "path": "/os-simple-tenant-usage/{tenant_id}"}]),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "list", check_str=base.ADMIN,
        description="List the usage statistics of every project.",
        operations=[{"method": "GET", "path": "/os-simple-tenant-usage"}]),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
