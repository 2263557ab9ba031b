"""The named check strings every other policy is written in terms of.

These are Nova's default roles (2023.1 on): ``admin`` may do anything,
a project's ``member`` may change the project's resources, its ``reader``
may only look at them. Keystone's bootstrap makes ``admin`` imply
``member`` and ``member`` imply ``reader``, so a token carries every role
below the one assigned. Per-API rules refer to these by name
(``rule:project_member_or_admin``), so an operator redefines what a
member, a reader or an admin is in one place of ``policy.yaml``.
"""

from oslo_policy import policy

ADMIN = "rule:context_is_admin"
PROJECT_MEMBER = "rule:project_member_api"
PROJECT_READER = "rule:project_reader_api"
PROJECT_MEMBER_OR_ADMIN = "rule:project_member_or_admin"
PROJECT_READER_OR_ADMIN = "rule:project_reader_or_admin"
# Nova's project manager (2024.2 on): a member trusted with a few
# operator-ish reads of the project (its migrations).
PROJECT_MANAGER_OR_ADMIN = "rule:project_manager_or_admin"
# Other OpenStack services (Neutron, Cinder, Ironic) calling minova, or an admin.
SERVICE_ROLE = "rule:service_or_admin"
# Any user, whatever the roles (as long as the token was accepted).
RULE_ANY = "@"
# No user at all, admins included.
RULE_NOBODY = "!"

# The pre-role rules; still registered (an operator's policy.yaml may
# refer to them) but no default uses them any more.
RULE_ADMIN_API = "rule:admin_api"
RULE_ADMIN_OR_OWNER = "rule:admin_or_owner"

DEPRECATED_REASON = """
minova's policies use Nova's default roles (admin, member, reader); the
rules that only knew "admin or not" are kept for policy files that name
them and will be removed.
"""

rules = [
    policy.RuleDefault(
        "context_is_admin",
        "role:admin",
        description="Decides who is an administrator (the context's is_admin).",
    ),
    policy.RuleDefault(
        "admin_or_owner",
        "is_admin:True or project_id:%(project_id)s",
        description="Legacy rule: an administrator or anyone of the target's project.",
        deprecated_for_removal=True,
        deprecated_reason=DEPRECATED_REASON,
        deprecated_since="0.1.0",
    ),
    policy.RuleDefault(
        "admin_api",
        "is_admin:True",
        description="Legacy rule: an administrator.",
        deprecated_for_removal=True,
        deprecated_reason=DEPRECATED_REASON,
        deprecated_since="0.1.0",
    ),
    policy.RuleDefault(
        "project_member_api",
        "role:member and project_id:%(project_id)s",
        description="Default rule for project-level APIs that change resources.",
    ),
    policy.RuleDefault(
        "project_reader_api",
        "role:reader and project_id:%(project_id)s",
        description="Default rule for project-level read-only APIs.",
    ),
    policy.RuleDefault(
        "project_manager_api",
        "role:manager and project_id:%(project_id)s",
        description="Default rule for project-level APIs of the project's managers.",
    ),
    policy.RuleDefault(
        "project_manager_or_admin",
        "rule:project_manager_api or rule:context_is_admin",
        description="Default rule for APIs a project's manager, or an administrator, "
        "may use.",
    ),
    policy.RuleDefault(
        "service_api",
        "role:service",
        description="Default rule for service-to-service APIs.",
    ),
    policy.RuleDefault(
        "service_or_admin",
        "rule:service_api or rule:context_is_admin",
        description="Default rule for APIs other services (or administrators) call.",
    ),
    policy.RuleDefault(
        "project_member_or_admin",
        "rule:project_member_api or rule:context_is_admin",
        description="Default rule for APIs that change a project's resources: "
        "a member of the target's project, or an administrator.",
    ),
    policy.RuleDefault(
        "project_reader_or_admin",
        "rule:project_reader_api or rule:context_is_admin",
        description="Default rule for APIs that read a project's resources: "
        "a reader of the target's project, or an administrator.",
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
