"""Policies of ``/os-instance_usage_audit_log``
(``os_compute_api:os-instance-usage-audit-log:*``)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-instance-usage-audit-log:%s"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "list",
        check_str=base.ADMIN,
        description="List the usage audits of the compute hosts (the last period).",
        operations=[{"method": "GET", "path": "/os-instance_usage_audit_log"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "show",
        check_str=base.ADMIN,
        description="Show the usage audits of the last period before a time.",
        operations=[{"method": "GET",
                     "path": "/os-instance_usage_audit_log/{before_timestamp}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
