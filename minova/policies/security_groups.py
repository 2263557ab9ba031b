"""Policies of the security group server actions (``os_compute_api:os-security-groups:*``)."""

from oslo_policy import policy

from minova.policies import base

POLICY_NAME = "os_compute_api:os-security-groups:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_NAME % "add",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Add a security group to a server (addSecurityGroup).",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_NAME % "remove",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Remove a security group from a server (removeSecurityGroup).",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
