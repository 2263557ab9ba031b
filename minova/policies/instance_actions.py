"""Policies of the instance actions API (``os_compute_api:os-instance-actions:*``)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-instance-actions:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "list",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="List the actions recorded for a server.",
        operations=[{"method": "GET", "path": "/servers/{server_id}/os-instance-actions"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "show",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="Show one action of a server, with its events.",
        operations=[
            {"method": "GET", "path": "/servers/{server_id}/os-instance-actions/{request_id}"}
        ],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "events",
        check_str=base.ADMIN,
        description="Show the traceback and host of each event of an action.",
        operations=[
            {"method": "GET", "path": "/servers/{server_id}/os-instance-actions/{request_id}"}
        ],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
