"""Policies of the server actions minova serves, named as Nova names them."""

from oslo_policy import policy

from minova.policies import base

_ACTION_PATH = [{"method": "POST", "path": "/servers/{server_id}/action"}]

RULES = {
    "os_compute_api:servers:stop": "Stop a server (os-stop).",
    "os_compute_api:servers:start": "Start a stopped server (os-start).",
    "os_compute_api:servers:reboot": "Reboot a server (reboot SOFT or HARD).",
    "os_compute_api:os-pause-server:pause": "Pause a server.",
    "os_compute_api:os-pause-server:unpause": "Unpause a paused server.",
    "os_compute_api:os-suspend-server:suspend": "Suspend a server.",
    "os_compute_api:os-suspend-server:resume": "Resume a suspended server.",
    "os_compute_api:servers:rebuild": "Rebuild a server from an image (rebuild).",
    "os_compute_api:servers:rebuild:trusted_certs": "Rebuild a server with trusted image "
                                                    "certificate IDs (rebuild, from "
                                                    "microversion 2.63).",
    "os_compute_api:os-console-output": "Show a server's console output "
                                        "(os-getConsoleOutput).",
    "os_compute_api:servers:trigger_crash_dump": "Trigger crash dump in a server "
                                                 "(trigger_crash_dump, 2.17).",
}

rules = [
    policy.DocumentedRuleDefault(name=name, check_str=base.PROJECT_MEMBER_OR_ADMIN,
                                 description=description, operations=_ACTION_PATH)
    for name, description in RULES.items()
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
