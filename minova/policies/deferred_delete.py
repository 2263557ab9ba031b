"""Policies of the deferred delete's restore and forceDelete server actions
(Nova's names and defaults)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-deferred-delete:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "restore",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Restore a soft deleted server.",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (restore)"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "force",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Force delete a server before the deferred cleanup.",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (forceDelete)"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
