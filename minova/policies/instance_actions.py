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
        description=(
            "Show each event's traceback, and from microversion 2.62 the name of its "
            "host, in an action of a server. Checked after "
            "os_compute_api:os-instance-actions:show passes. Below 2.51 only callers "
            "this allows see the events at all; from 2.51 everyone who may show the "
            "action sees them without tracebacks, and from 2.62 with a hashed host "
            "identifier (hostId) instead of the host's name."),
        operations=[
            {"method": "GET", "path": "/servers/{server_id}/os-instance-actions/{request_id}"}
        ],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "events:details",
        check_str=base.ADMIN,
        description=(
            "Show each event's 'details' (microversion 2.84) in an action of a server. "
            "Checked after os_compute_api:os-instance-actions:show passes. The details "
            "say why an event failed, and what the scheduler weighed: the compute "
            "hosts it considered, by name, and their weights. Making them visible to "
            "non-admins helps them understand a failure, but tells them about the "
            "deployment's hosts."),
        operations=[
            {"method": "GET", "path": "/servers/{server_id}/os-instance-actions/{request_id}"}
        ],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
