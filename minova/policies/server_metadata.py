"""Policies of server metadata (``os_compute_api:server-metadata:*``).

Nova's defaults: a reader of the server's project reads, a member
writes, an admin does both anywhere. The target is the server's project.
"""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:server-metadata:%s"

_PATH = "/servers/{server_id}/metadata"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "index",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="List all metadata of a server.",
        operations=[{"method": "GET", "path": _PATH}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "show",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="Show one metadata item of a server.",
        operations=[{"method": "GET", "path": _PATH + "/{key}"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "create",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Create or update metadata items of a server.",
        operations=[{"method": "POST", "path": _PATH}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "update_all",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Replace all metadata of a server.",
        operations=[{"method": "PUT", "path": _PATH}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "update",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Create or update one metadata item of a server.",
        operations=[{"method": "PUT", "path": _PATH + "/{key}"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "delete",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Delete one metadata item of a server.",
        operations=[{"method": "DELETE", "path": _PATH + "/{key}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
