"""Policies of quotas (``os_compute_api:os-quota-sets:*``), Nova's names and defaults.

A project reads its own quotas (another project's are a 403 for a
non-admin); only admins change them. Anyone may read the defaults.
"""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-quota-sets:%s"

_SET = "/os-quota-sets/{tenant_id}"
_RULES = (
    ("update", base.ADMIN, "Update the quotas of a project.", "PUT", _SET),
    ("defaults", base.RULE_ANY, "List the default quotas.", "GET", _SET + "/defaults"),
    ("show", base.PROJECT_READER_OR_ADMIN, "Show the quotas of a project.", "GET", _SET),
    ("delete", base.ADMIN, "Revert the quotas of a project to the defaults.", "DELETE", _SET),
    ("detail", base.PROJECT_READER_OR_ADMIN,
     "Show the quotas of a project with their usage.", "GET", _SET + "/detail"),
)

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % name, check_str=check_str, description=description,
        operations=[{"method": method, "path": path}])
    for name, check_str, description, method, path in _RULES
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
