"""Policies of a server's NUMA topology (``compute:server:topology:*``, API 2.78).

Nova's names and defaults: a reader of the server's project sees the
topology, an admin also the host side of it.
"""

from oslo_policy import policy

from minova.policies import base

BASE_POLICY_NAME = "compute:server:topology:%s"

_PATH = "/servers/{server_id}/topology"

rules = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "index",
        check_str=base.PROJECT_READER_OR_ADMIN,
        description="Show the NUMA topology of a server.",
        operations=[{"method": "GET", "path": _PATH}],
    ),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % "host:index",
        check_str=base.ADMIN,
        description="Show the host side (host NUMA nodes, CPU pinning) of a server's "
        "NUMA topology.",
        operations=[{"method": "GET", "path": _PATH}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
