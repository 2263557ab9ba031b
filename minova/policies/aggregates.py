"""Policies of host aggregates (``os_compute_api:os-aggregates:*``), admin-only as in Nova."""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-aggregates:%s"

_AGG = "/os-aggregates/{aggregate_id}"
_RULES = (
    ("index", "List all aggregates.", "GET", "/os-aggregates"),
    ("create", "Create an aggregate.", "POST", "/os-aggregates"),
    ("show", "Show details of an aggregate.", "GET", _AGG),
    ("update", "Update the name or availability zone of an aggregate.", "PUT", _AGG),
    ("delete", "Delete an empty aggregate.", "DELETE", _AGG),
    ("add_host", "Add a host to an aggregate.", "POST", _AGG + "/action (add_host)"),
    ("remove_host", "Remove a host from an aggregate.", "POST",
     _AGG + "/action (remove_host)"),
    ("set_metadata", "Create or replace metadata of an aggregate.", "POST",
     _AGG + "/action (set_metadata)"),
)

# Nova's name for the image pre-caching of API 2.81, without the os_compute_api prefix.
IMAGES_POLICY = "compute:aggregates:images"

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % name, check_str=base.ADMIN, description=description,
        operations=[{"method": method, "path": path}])
    for name, description, method, path in _RULES
] + [
    policy.DocumentedRuleDefault(
        name=IMAGES_POLICY, check_str=base.ADMIN,
        description="Have the hosts of an aggregate cache images ahead of builds "
        "(microversion 2.81).",
        operations=[{"method": "POST", "path": _AGG + "/images"}]),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
