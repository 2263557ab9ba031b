"""The named check strings every other policy is written in terms of.

Per-API rules refer to these by name (``rule:admin_or_owner``) so an
operator can change what "admin" or "owner" means in one place.
"""

from oslo_policy import policy

RULE_ADMIN_API = "rule:admin_api"
RULE_ADMIN_OR_OWNER = "rule:admin_or_owner"
# Nova's default roles: what a project's members may change, what its
# readers may see, and what only admins may do.
PROJECT_MEMBER_OR_ADMIN = "rule:project_member_or_admin"
PROJECT_READER_OR_ADMIN = "rule:project_reader_or_admin"
ADMIN = "rule:context_is_admin"

rules = [
    policy.RuleDefault(
        "context_is_admin",
        "role:admin",
        description="Decides whether a request is made by an administrator.",
    ),
    policy.RuleDefault(
        "admin_api",
        "is_admin:True",
        description="Default rule for administrator-only APIs.",
    ),
    policy.RuleDefault(
        "admin_or_owner",
        "is_admin:True or project_id:%(project_id)s",
        description="Default rule for APIs a project may use on its own resources.",
    ),
    policy.RuleDefault(
        "project_member_or_admin",
        "rule:admin_or_owner",
        description="Default rule for APIs that change a project's resources.",
    ),
    policy.RuleDefault(
        "project_reader_or_admin",
        "rule:admin_or_owner",
        description="Default rule for APIs that read a project's resources.",
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
