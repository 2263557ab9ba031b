"""Policies of cold migration and resize, with Nova's names and defaults:
migrate is an admin's (with a host, 2.56, too), resize and its confirm and
revert the server's project's."""

from oslo_policy import policy

from minova.policies import base

MIGRATE_ROOT = "os_compute_api:os-migrate-server:%s"
SERVERS_ROOT = "os_compute_api:servers:%s"


def _action(name: str) -> list[dict]:
    return [{"method": "POST", "path": f"/servers/{{server_id}}/action ({name})"}]


rules = [
    policy.DocumentedRuleDefault(
        name=MIGRATE_ROOT % "migrate", check_str=base.ADMIN,
        description="Cold migrate a server without specifying a host",
        operations=_action("migrate")),
    policy.DocumentedRuleDefault(
        name=MIGRATE_ROOT % "migrate:host", check_str=base.ADMIN,
        description="Cold migrate a server to a specified host (2.56)",
        operations=_action("migrate")),
    policy.DocumentedRuleDefault(
        name=SERVERS_ROOT % "resize", check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Resize a server", operations=_action("resize")),
    policy.DocumentedRuleDefault(
        name=SERVERS_ROOT % "confirm_resize", check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Confirm a server resize", operations=_action("confirmResize")),
    policy.DocumentedRuleDefault(
        name=SERVERS_ROOT % "revert_resize", check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Revert a server resize", operations=_action("revertResize")),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
