"""Policies of the lock and unlock server actions, with Nova's names and defaults."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-lock-server:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "lock",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Lock a server.",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (lock)"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "unlock",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Unlock a server.",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (unlock)"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "unlock:unlock_override",
        check_str=base.ADMIN,
        description=(
            "Unlock a server locked by someone else: a server an admin locked "
            "cannot be unlocked by its project without this rule, as in Nova. "
            "Checked after os_compute_api:os-lock-server:unlock passes."),
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (unlock)"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
