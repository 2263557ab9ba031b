"""Policies of the rescue and unrescue server actions, with Nova's names and defaults."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-rescue"
UNRESCUE_POLICY_NAME = "os_compute_api:os-unrescue"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Rescue a server.",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (rescue)"}],
    ),
    policy.DocumentedRuleDefault(
        name=UNRESCUE_POLICY_NAME,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Unrescue a server.",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (unrescue)"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
