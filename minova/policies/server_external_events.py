"""Policy of ``/os-server-external-events`` (Nova's name and default)."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-server-external-events:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "create",
        check_str=base.SERVICE_ROLE,
        description="Tell the compute service of events about servers (what other "
        "services, such as Neutron, send).",
        operations=[{"method": "POST", "path": "/os-server-external-events"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
