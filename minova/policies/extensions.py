"""Policy of the deprecated extension list (``os_compute_api:extensions``)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:extensions"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME,
        check_str=base.RULE_ANY,
        description="List or show the (deprecated, fixed) API extensions.",
        operations=[{"method": "GET", "path": "/extensions"},
                    {"method": "GET", "path": "/extensions/{alias}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
