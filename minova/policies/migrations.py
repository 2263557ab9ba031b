"""Policies of ``/os-migrations`` (``os_compute_api:os-migrations:*``), Nova's defaults."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-migrations:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "index",
        check_str=base.PROJECT_MANAGER_OR_ADMIN,
        description="List migrations (of the caller's project with project_id, 2.80).",
        operations=[{"method": "GET", "path": "/os-migrations"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "index:all_projects",
        check_str=base.ADMIN,
        description="List the migrations of every project, or of another one.",
        operations=[{"method": "GET", "path": "/os-migrations"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "index:host",
        check_str=base.ADMIN,
        description="See the source and destination hosts of listed migrations.",
        operations=[{"method": "GET", "path": "/os-migrations"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
