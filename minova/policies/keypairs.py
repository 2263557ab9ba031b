"""Policies of keypairs (``os_compute_api:os-keypairs:*``), Nova's names and defaults.

A keypair is its user's: each rule is checked against the ``user_id`` the
request acts for (the caller's own, or the one an admin names from 2.10),
so a user may manage only their own keys and an admin anyone's.
"""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-keypairs:%s"

ADMIN_OR_KEYPAIR_OWNER = f"({base.ADMIN}) or user_id:%(user_id)s"

_KEYPAIR = "/os-keypairs/{keypair_name}"
_RULES = (
    ("index", "List all keypairs", "GET", "/os-keypairs"),
    ("create", "Create a keypair", "POST", "/os-keypairs"),
    ("delete", "Delete a keypair", "DELETE", _KEYPAIR),
    ("show", "Show details of a keypair", "GET", _KEYPAIR),
)

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % name, check_str=ADMIN_OR_KEYPAIR_OWNER, description=description,
        operations=[{"method": method, "path": path}])
    for name, description, method, path in _RULES
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
