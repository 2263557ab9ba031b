"""Policies of the services API (``os_compute_api:os-services:*``)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-services:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "list",
        check_str=base.ADMIN,
        description="List compute services.",
        operations=[{"method": "GET", "path": "/os-services"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "update",
        check_str=base.ADMIN,
        description="Enable, disable or force down a compute service. A disabled "
        "service's host gets no new builds (ComputeFilter).",
        operations=[
            {"method": "PUT", "path": "/os-services/{action}"},
            {"method": "PUT", "path": "/os-services/{service_id}"},
        ],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
