"""Policies of the hypervisors API (``os_compute_api:os-hypervisors:*``)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-hypervisors:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "list",
        check_str=base.ADMIN,
        description="List hypervisors.",
        operations=[{"method": "GET", "path": "/os-hypervisors"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "list-detail",
        check_str=base.ADMIN,
        description="List hypervisors with details.",
        operations=[{"method": "GET", "path": "/os-hypervisors/detail"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "show",
        check_str=base.ADMIN,
        description="Show a hypervisor.",
        operations=[{"method": "GET", "path": "/os-hypervisors/{hypervisor_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "statistics",
        check_str=base.ADMIN,
        description="Show summed statistics of the hypervisors (up to 2.87).",
        operations=[{"method": "GET", "path": "/os-hypervisors/statistics"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "uptime",
        check_str=base.ADMIN,
        description="Show a hypervisor's uptime (up to 2.87).",
        operations=[{"method": "GET", "path": "/os-hypervisors/{hypervisor_id}/uptime"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "search",
        check_str=base.ADMIN,
        description="Search hypervisors by hostname pattern (up to 2.52).",
        operations=[{"method": "GET",
                     "path": "/os-hypervisors/{hypervisor_hostname_pattern}/search"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "servers",
        check_str=base.ADMIN,
        description="List the servers of the hypervisors matching a hostname pattern "
        "(up to 2.52).",
        operations=[{"method": "GET",
                     "path": "/os-hypervisors/{hypervisor_hostname_pattern}/servers"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
