"""Policies of the network proxy (``os_compute_api:os-networks:*``), Nova's defaults."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-networks:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "list",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="List networks (up to 2.35; minova has none).",
        operations=[{"method": "GET", "path": "/os-networks"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "show",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="Show a network (up to 2.35).",
        operations=[{"method": "GET", "path": "/os-networks/{network_id}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
