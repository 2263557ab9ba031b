"""Policies of flavor extra specs (``os_compute_api:os-flavor-extra-specs:*``).

As in Nova: any project may read a flavor's extra specs, only admins change them.
"""

from oslo_policy import policy

from minova.policies import base

POLICY_ROOT = "os_compute_api:os-flavor-extra-specs:%s"

_SPECS = "/flavors/{flavor_id}/os-extra_specs"
_RULES = (
    ("index", base.PROJECT_READER_OR_ADMIN, "List extra specs of a flavor.", "GET", _SPECS),
    ("show", base.PROJECT_READER_OR_ADMIN, "Show one extra spec of a flavor.", "GET",
     _SPECS + "/{flavor_extra_spec_key}"),
    ("create", base.ADMIN, "Create or update extra specs of a flavor.", "POST",
     _SPECS),
    ("update", base.ADMIN, "Update one extra spec of a flavor.", "PUT",
     _SPECS + "/{flavor_extra_spec_key}"),
    ("delete", base.ADMIN, "Delete one extra spec of a flavor.", "DELETE",
     _SPECS + "/{flavor_extra_spec_key}"),
)

rules = [
    policy.DocumentedRuleDefault(
        name=POLICY_ROOT % name, check_str=check, description=description,
        operations=[{"method": method, "path": path}])
    for name, check, description, method, path in _RULES
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
