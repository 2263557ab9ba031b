"""Policies of the deprecated hosts API (``os_compute_api:os-hosts:*``, up to 2.42)."""

from oslo_policy import policy

from minova.policies import base

POLICY_NAME = "os_compute_api:os-hosts:%s"


def _rule(name: str, description: str, method: str, path: str) -> policy.DocumentedRuleDefault:
    return policy.DocumentedRuleDefault(
        name=POLICY_NAME % name, check_str=base.ADMIN,
        description=description + " Deprecated: served up to 2.42.",
        operations=[{"method": method, "path": path}])


rules = [
    _rule("list", "List the hosts.", "GET", "/os-hosts"),
    _rule("show", "Show a compute host's resources.", "GET", "/os-hosts/{host_name}"),
    _rule("update", "Enable or disable a host, or its maintenance mode.", "PUT",
          "/os-hosts/{host_name}"),
    _rule("reboot", "Reboot a host.", "GET", "/os-hosts/{host_name}/reboot"),
    _rule("shutdown", "Shut a host down.", "GET", "/os-hosts/{host_name}/shutdown"),
    _rule("start", "Power a host up.", "GET", "/os-hosts/{host_name}/startup"),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
