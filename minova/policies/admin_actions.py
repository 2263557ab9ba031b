"""Policies of the admin server actions minova serves, with Nova's names and defaults."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-admin-actions:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "reset_state",
        check_str=base.ADMIN,
        description="Reset the state of a given server (os-resetState).",
        operations=[{"method": "POST",
                     "path": "/servers/{server_id}/action (os-resetState)"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
