"""Policies of the servers API (``os_compute_api:servers:*``)."""

from oslo_policy import policy

from minova.policies import base

SERVERS = "os_compute_api:servers:%s"
# Nova's name for it, without the os_compute_api prefix.
REQUESTED_DESTINATION = "compute:servers:create:requested_destination"

rules = [
    policy.DocumentedRuleDefault(
        name=SERVERS % "index",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="List servers of the caller's project.",
        operations=[{"method": "GET", "path": "/servers"}],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "detail",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="List servers of the caller's project, with details.",
        operations=[{"method": "GET", "path": "/servers/detail"}],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "index:get_all_tenants",
        check_str=base.ADMIN,
        description="List servers of every project (all_tenants=1).",
        operations=[{"method": "GET", "path": "/servers"}],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "detail:get_all_tenants",
        check_str=base.ADMIN,
        description="List servers of every project, with details (all_tenants=1).",
        operations=[{"method": "GET", "path": "/servers/detail"}],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "allow_all_filters",
        check_str=base.ADMIN,
        description="Filter the server list by any option (host, project_id, ...), "
        "not only the ones open to every user.",
        operations=[
            {"method": "GET", "path": "/servers"},
            {"method": "GET", "path": "/servers/detail"},
        ],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "show",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="Show a server.",
        operations=[{"method": "GET", "path": "/servers/{server_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "show:flavor-extra-specs",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="Show the extra specs of a server's flavor in the server's "
        "embedded flavor (from microversion 2.47).",
        operations=[
            {"method": "GET", "path": "/servers/{server_id}"},
            {"method": "GET", "path": "/servers/detail"},
            {"method": "PUT", "path": "/servers/{server_id}"},
        ],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "show:host_status",
        check_str=base.ADMIN,
        description="Show the state of a server's compute host (host_status, from "
        "microversion 2.16): UP, DOWN (forced down), MAINTENANCE (disabled), UNKNOWN "
        "(not reporting) or empty (no host).",
        operations=[
            {"method": "GET", "path": "/servers/{server_id}"},
            {"method": "GET", "path": "/servers/detail"},
        ],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "create",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Create a server.",
        operations=[{"method": "POST", "path": "/servers"}],
    ),
    policy.DocumentedRuleDefault(
        name=REQUESTED_DESTINATION,
        check_str=base.ADMIN,
        description="Name the host and/or node a new server is built on (``host``, "
        "``hypervisor_hostname``, from microversion 2.74); the scheduler filters "
        "still run.",
        operations=[{"method": "POST", "path": "/servers"}],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "update",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Update a server's name, description or access IPs.",
        operations=[{"method": "PUT", "path": "/servers/{server_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=SERVERS % "delete",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Delete a server.",
        operations=[{"method": "DELETE", "path": "/servers/{server_id}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
