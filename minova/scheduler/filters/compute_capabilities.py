"""Only hosts whose reported capabilities satisfy the flavor's extra specs.

Nova's ComputeCapabilitiesFilter. A flavor extra spec is a capability
requirement when its key has the ``capabilities:`` scope, or no scope and
names a host state attribute (``hypervisor_type``); other keys (``ssd``,
``hw:cpu_policy``, ``aggregate_instance_extra_specs:...``) are left to
other parts. The rest of the key walks into the attribute, one ``:`` per
level: ``capabilities:cpu_info:arch`` is the ``arch`` of the host's
cpu_info (JSON text on the way is parsed, as Nova does). The host's value,
as a string, must satisfy the spec's value under Nova's extra spec
operators (``"s== QEMU"``, ``">= 7000000"``, ``"<in> vmx"``, plain
equality without one); a capability the host does not have fails it.
"""

import json

from minova.scheduler import filters
from minova.scheduler.filters import extra_specs_ops
from minova.scheduler.host_manager import CAPABILITIES, HostState
from minova.scheduler.spec import SchedulingSpec

_SCOPE = "capabilities"


def requirements(spec: SchedulingSpec) -> list[tuple[list[str], str]]:
    """``[(attribute path, requirement), ...]`` of the flavor's capability specs."""
    extra_specs = (spec["flavor"] or {}).get("extra_specs") or {}
    found = []
    for key, requirement in extra_specs.items():
        path = key.split(":")
        if len(path) == 1:
            if key not in CAPABILITIES:
                continue
        elif path[0] != _SCOPE:
            continue
        else:
            path = path[1:]
        found.append((path, str(requirement)))
    return found


def capability(host_state: HostState, path: list[str]):
    """The value at ``path`` on the host, or None if there is none."""
    value = getattr(host_state, path[0], None)
    for name in path[1:]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


class ComputeCapabilitiesFilter(filters.BaseHostFilter):
    """Removes hosts whose capabilities do not satisfy the flavor's capability specs."""

    def host_passes(self, host_state: HostState, spec: SchedulingSpec) -> bool:
        return self._passes(host_state, requirements(spec), {})

    def filter_all(self, hosts: list[HostState], spec: SchedulingSpec) -> list[HostState]:
        wanted = requirements(spec)
        if not wanted:  # the common flavor has no capability specs: no per-host work
            return list(hosts)
        matches: dict[tuple[int, str], bool] = {}  # hosts mostly share their values
        return [h for h in hosts if self._passes(h, wanted, matches)]

    @staticmethod
    def _passes(host_state: HostState, wanted: list, matches: dict) -> bool:
        for index, (path, requirement) in enumerate(wanted):
            value = capability(host_state, path)
            if value is None:
                return False
            text = str(value)
            key = (index, text)
            ok = matches.get(key)
            if ok is None:
                ok = matches[key] = extra_specs_ops.match(text, requirement)
            if not ok:
                return False
        return True
