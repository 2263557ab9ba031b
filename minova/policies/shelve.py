"""Policies of createImage and the os-shelve actions (Nova's names and
defaults: shelveOffload and unshelving to a named host are admin-only)."""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "os_compute_api:os-shelve:%s"
CREATE_IMAGE = "os_compute_api:servers:create_image"

rules = [
    policy.DocumentedRuleDefault(
        name=CREATE_IMAGE,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Create an image from a server",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (createImage)"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "shelve",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Shelve server",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (shelve)"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "shelve_offload",
        check_str=base.ADMIN,
        description="Shelf-offload (remove) server",
        operations=[{"method": "POST",
                     "path": "/servers/{server_id}/action (shelveOffload)"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "unshelve",
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Unshelve (restore) shelved server",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (unshelve)"}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "unshelve_to_host",
        check_str=base.ADMIN,
        description="Unshelve (restore) shelve offloaded server to a specific host",
        operations=[{"method": "POST", "path": "/servers/{server_id}/action (unshelve)"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
