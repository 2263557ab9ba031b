"""Policies of server groups (``os_compute_api:os-server-groups:*``), Nova's names and defaults.

A project manages its own groups; listing every project's groups is for
admins. ``show`` and ``delete`` are checked against the group's project,
after the lookup (another project's group is already a 404 for a member).
"""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-server-groups:%s"

_GROUP = "/os-server-groups/{server_group_id}"
_RULES = (
    ("create", base.PROJECT_MEMBER_OR_ADMIN, "Create a new server group.", "POST",
     "/os-server-groups"),
    ("delete", base.PROJECT_MEMBER_OR_ADMIN, "Delete a server group.", "DELETE", _GROUP),
    ("index", base.PROJECT_READER_OR_ADMIN, "List the server groups of the caller's project.",
     "GET", "/os-server-groups"),
    ("index:all_projects", base.ADMIN,
     "List the server groups of every project (all_projects).", "GET", "/os-server-groups"),
    ("show", base.PROJECT_READER_OR_ADMIN, "Show a server group.", "GET", _GROUP),
)

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % name, check_str=check_str, description=description,
        operations=[{"method": method, "path": path}])
    for name, check_str, description, method, path in _RULES
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
