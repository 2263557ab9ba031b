"""Policies of server tags (``os_compute_api:os-server-tags:*``, API 2.26).

Nova's defaults: a reader of the server's project reads, a member
writes, an admin does both anywhere. The target is the server's project.
"""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-server-tags:%s"

_PATH = "/servers/{server_id}/tags"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "index",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="List the tags of a server.",
        operations=[{"method": "GET", "path": _PATH}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "show",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="Check whether a server has a tag.",
        operations=[{"method": "GET", "path": _PATH + "/{tag}"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "update_all",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Replace all tags of a server.",
        operations=[{"method": "PUT", "path": _PATH}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "update",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Add one tag to a server.",
        operations=[{"method": "PUT", "path": _PATH + "/{tag}"}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "delete_all",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Delete all tags of a server.",
        operations=[{"method": "DELETE", "path": _PATH}],
    ),
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % "delete",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Delete one tag of a server.",
        operations=[{"method": "DELETE", "path": _PATH + "/{tag}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
