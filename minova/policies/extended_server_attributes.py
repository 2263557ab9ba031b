"""Who sees where a server runs (``OS-EXT-SRV-ATTR:*`` in the server views)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-extended-server-attributes"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME,
        check_str=base.ADMIN,
        description="Show OS-EXT-SRV-ATTR:host, :hypervisor_hostname and "
        ":instance_name in server responses.",
        operations=[
            {"method": "GET", "path": "/servers/{id}"},
            {"method": "GET", "path": "/servers/detail"},
        ],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
